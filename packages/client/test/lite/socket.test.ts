import { ManualScheduler } from '@phx-socket/testkit';
import { describe, expect, it, vi } from 'vitest';
import { DecodeError, Socket } from '../../src/lite/index';
import { connected, echoRooms, nextClose, nextError, nextOpen, server, sleep, socket, until, WS, echoClient } from './harness';

describe('lite Socket: connecting', () => {
  it('opens a WebSocket to the endpoint and reports open through connectionState and onOpen', async () => {
    const s = await server();
    const client = socket(s.url);
    expect(client.connectionState()).toBe('closed');
    const open = nextOpen(client);
    client.connect();
    expect(client.connectionState()).toBe('connecting');
    await open;
    expect(client.connectionState()).toBe('open');
    expect(client.isConnected()).toBe(true);
    expect(s.connections).toHaveLength(1);
    expect(s.connections[0]!.vsn).toBe('2.0.0');
  });

  it('builds endPointURL from the endpoint, the params and vsn 2.0.0, as phoenix.js does', () => {
    const client = new Socket('ws://example.com/socket', { params: { token: 'a b', user: { id: 1 } } });
    expect(client.endPointURL()).toBe('ws://example.com/socket/websocket?token=a%20b&user%5Bid%5D=1&vsn=2.0.0');
    expect(new Socket('https://example.com/socket/').endPointURL()).toBe('wss://example.com/socket/websocket?vsn=2.0.0');
  });

  it('sends the params as the query string the server connect callback reads', async () => {
    const seen: Record<string, string>[] = [];
    const s = await server({ connect: (params) => (seen.push(params), true) });
    await connected(socket(s.url, { params: { user: 'ana' } }));
    expect(seen).toEqual([{ user: 'ana', vsn: '2.0.0' }]);
  });

  it('calls a params function before every connect, so a reconnect sends fresh params', async () => {
    const seen: string[] = [];
    const s = await server({ connect: (params) => (seen.push(params.n!), true) });
    let n = 0;
    const client = await connected(socket(s.url, { params: () => ({ n: ++n }) }));
    const back = nextOpen(client);
    await s.dropAll();
    await back;
    expect(seen).toEqual(['1', '2']);
  });

  it('replaces the connect params with connect(params)', async () => {
    const seen: string[] = [];
    const s = await server({ connect: (params) => (seen.push(params.token!), true) });
    const client = socket(s.url, { params: { token: 'old' } });
    const open = nextOpen(client);
    client.connect({ token: 'new' });
    await open;
    expect(seen).toEqual(['new']);
    expect(client.endPointURL()).toContain('token=new');
  });

  it('sends authToken as the Phoenix 1.8 subprotocol, which reaches the server connect callback and not the URL', async () => {
    const tokens: (string | undefined)[] = [];
    const s = await server({ connect: (_params, info) => (tokens.push(info.authToken), true) });
    const client = await connected(socket(s.url, { authToken: 'sécret token' }));
    expect(tokens).toEqual(['sécret token']);
    expect(s.connections[0]!.subprotocols).toContain('phoenix');
    expect(client.endPointURL()).not.toContain('token');
  });

  it('reports a refused connection to onError and keeps retrying without ever opening', async () => {
    let attempts = 0;
    const s = await server({ connect: () => (attempts++, false) });
    const client = socket(s.url);
    let opened = false;
    const errors: unknown[] = [];
    client.onOpen(() => (opened = true));
    client.onError((e) => errors.push(e));
    client.connect();
    await until(() => attempts >= 3 && errors.length >= 3);
    expect(opened).toBe(false);
    expect(client.isConnected()).toBe(false);
  });

  it('treats connect() while open or opening as a no-op', async () => {
    const s = await server();
    const client = socket(s.url);
    client.connect();
    client.connect();
    await until(() => client.isConnected());
    client.connect();
    await sleep(50);
    expect(s.connections).toHaveLength(1);
  });

  it('hands out increasing refs from makeRef', () => {
    const client = new Socket('ws://example.com/socket');
    const [a, b, c] = [client.makeRef(), client.makeRef(), client.makeRef()].map(Number);
    expect(a! < b! && b! < c!).toBe(true);
  });
});

describe('lite Socket: heartbeat', () => {
  it('sends a heartbeat every heartbeatIntervalMs and stays connected while the server answers', async () => {
    const s = await server();
    const clock = new ManualScheduler();
    let beats = 0;
    s.on('message', ({ message }) => void (message.event === 'heartbeat' && beats++));
    const client = await connected(socket(s.url, { scheduler: clock, heartbeatIntervalMs: 30_000 }));
    const replies: string[] = [];
    client.onMessage((m) => void (m.topic === 'phoenix' && replies.push(m.event)));
    for (let i = 1; i <= 3; i++) {
      clock.advance(29_999);
      await sleep(20);
      expect(beats).toBe(i - 1);
      clock.advance(1);
      await until(() => replies.length === i, 2000, `heartbeat reply ${i}`);
    }
    expect(beats).toBe(3);
    expect(client.isConnected()).toBe(true);
    expect(s.connections).toHaveLength(1);
  });

  it('drops a connection whose heartbeat is unanswered when the next beat is due, reconnects and rejoins', async () => {
    const s = await server();
    echoRooms(s);
    const clock = new ManualScheduler();
    vi.spyOn(Math, 'random').mockReturnValue(1);
    const client = await connected(socket(s.url, { scheduler: clock, heartbeatIntervalMs: 30_000, reconnectAfterMs: 100 }));
    const room = client.channel('room:1');
    const channelErrors: unknown[] = [];
    room.onError((reason) => channelErrors.push(reason));
    await room.join();

    s.stall();
    const closed = nextClose(client);
    clock.advance(30_000); // the beat goes out, the server does not answer
    await sleep(30);
    expect(client.isConnected()).toBe(true);
    clock.advance(30_000); // the next beat is due with the last still unanswered
    expect(await closed).toEqual({ code: 1000, reason: 'heartbeat timeout', wasClean: false });
    expect(client.isConnected()).toBe(false);
    expect(room.state).toBe('errored');
    expect(channelErrors).toEqual([{ reason: 'socket_closed', code: 1000 }]);

    s.resume();
    const back = nextOpen(client);
    clock.advance(100); // the reconnect delay
    await back;
    await until(() => room.state === 'joined', 3000, 'rejoin');
    expect(await room.push('echo', { after: 'stall' })).toEqual({ after: 'stall' });
  });

  it('detects a stalled server with real timers and a short heartbeatIntervalMs, then recovers once it answers', async () => {
    const s = await server();
    echoRooms(s);
    const client = await connected(socket(s.url, { heartbeatIntervalMs: 50 }));
    const room = client.channel('room:1');
    await room.join();
    const closed = nextClose(client);
    const stalledAt = Date.now();
    s.stall();
    expect((await closed).reason).toBe('heartbeat timeout');
    expect(Date.now() - stalledAt).toBeLessThan(50 * 2 + 500);
    s.resume();
    await until(() => client.isConnected() && room.state === 'joined', 5000, 'reconnect and rejoin');
    expect(await room.push('echo', { n: 1 })).toEqual({ n: 1 });
  });

  it('sends no heartbeat with heartbeatIntervalMs 0', async () => {
    const s = await server();
    const clock = new ManualScheduler();
    let beats = 0;
    s.on('message', ({ message }) => void (message.event === 'heartbeat' && beats++));
    const client = await connected(socket(s.url, { scheduler: clock, heartbeatIntervalMs: 0 }));
    expect(clock.pending).toBe(0);
    clock.advance(10 * 60_000);
    await sleep(30);
    expect(beats).toBe(0);
    expect(client.isConnected()).toBe(true);
  });
});

describe('lite Socket: reconnecting', () => {
  it('reconnects after the server drops every connection, after a delay from reconnectAfterMs, and rejoins', async () => {
    const s = await server();
    echoRooms(s);
    const clock = new ManualScheduler();
    vi.spyOn(Math, 'random').mockReturnValue(1); // full jitter at its top: the schedule's own value
    const client = await connected(socket(s.url, { scheduler: clock, reconnectAfterMs: (tries) => tries * 100 }));
    const room = client.channel('room:1');
    await room.join();

    const closed = nextClose(client);
    await s.dropAll();
    expect((await closed).code).toBe(1000);
    expect(room.state).toBe('errored');
    clock.advance(99);
    expect(client.connectionState()).toBe('closed');
    const back = nextOpen(client);
    clock.advance(1);
    expect(client.connectionState()).toBe('connecting');
    await back;
    await until(() => room.state === 'joined', 3000, 'rejoin');
    expect(await room.push('echo', { back: true })).toEqual({ back: true });
  });

  it('waits exactly the reconnectAfterMs the app gave, without jitter', async () => {
    const s = await server();
    const clock = new ManualScheduler();
    vi.spyOn(Math, 'random').mockReturnValue(0.5);
    const client = await connected(socket(s.url, { scheduler: clock, reconnectAfterMs: 1000 }));
    const closed = nextClose(client);
    await s.dropAll();
    await closed;
    clock.advance(999);
    expect(client.connectionState()).toBe('closed');
    clock.advance(1);
    expect(client.connectionState()).toBe('connecting');
    await nextOpen(client);
  });

  it('draws each delay of the default reconnect schedule with full jitter', async () => {
    const s = await server();
    const clock = new ManualScheduler();
    vi.spyOn(Math, 'random').mockReturnValue(0.5);
    const client = await connected(socket(s.url, { scheduler: clock, reconnectAfterMs: undefined }));
    const closed = nextClose(client);
    await s.dropAll();
    await closed;
    // The first default step is 10 ms, the jitter floor: the second (50 ms) shows the draw.
    clock.advance(10);
    await nextOpen(client);
    const again = nextClose(client);
    await s.dropAll();
    await again;
    clock.advance(29); // 10 + (50 - 10) * 0.5 = 30
    expect(client.connectionState()).toBe('closed');
    clock.advance(1);
    expect(client.connectionState()).toBe('connecting');
    await nextOpen(client);
  });

  it('counts a connection the server closes within a second of opening as a failed try, so the backoff grows', async () => {
    const s = await server();
    const clock = new ManualScheduler();
    const tries: number[] = [];
    const client = await connected(socket(s.url, { scheduler: clock, reconnectAfterMs: (n) => (tries.push(n), 100) }));
    for (let i = 1; i <= 3; i++) {
      const closed = nextClose(client);
      await s.dropAll();
      await closed;
      const open = nextOpen(client);
      clock.advance(100);
      await open;
    }
    expect(tries).toEqual([1, 2, 3]);
  });

  it('backs off further with every failed attempt and starts over from the first step once connected', async () => {
    let accept = true;
    const s = await server({ connect: () => accept });
    const clock = new ManualScheduler();
    vi.spyOn(Math, 'random').mockReturnValue(1);
    const tries: number[] = [];
    const client = await connected(socket(s.url, { scheduler: clock, reconnectAfterMs: (n) => (tries.push(n), n * 100) }));
    let closes = 0;
    client.onClose(() => closes++);

    accept = false;
    await s.dropAll();
    await until(() => closes === 1);
    for (const n of [1, 2, 3]) {
      expect(tries).toEqual([1, 2, 3].slice(0, n));
      clock.advance(n * 100);
      await until(() => closes === n + 1, 3000, `refused attempt ${n}`);
    }
    expect(tries).toEqual([1, 2, 3, 4]);
    accept = true;
    const open = nextOpen(client);
    clock.advance(400);
    await open;
    clock.advance(1000); // the connection stays up a second: healthy

    await s.dropAll();
    await until(() => closes === 5);
    expect(tries).toEqual([1, 2, 3, 4, 1]);
  });

  it('reconnects after a server restart on the same port and rejoins its channels', async () => {
    const { s, client } = await echoClient();
    let opens = 1;
    client.onOpen(() => opens++);
    const room = client.channel('room:1');
    let joins = 0;
    room.join().receive('ok', () => joins++);
    await until(() => joins === 1);
    const closed = nextClose(client);
    await s.restart();
    expect((await closed).code).toBe(1012);
    await until(() => opens === 2 && joins === 2, 5000, 'reconnect and rejoin');
    expect(await room.push('echo', { restarted: true })).toEqual({ restarted: true });
  });
});

describe('lite Socket: keeping a Node process alive', () => {
  it('refs the reconnect timer (the platform timers are unref\'d) so a process waiting to reconnect does not exit', async () => {
    const s = await server();
    const refs: string[] = [];
    const scheduler = {
      now: () => Date.now(),
      clearTimeout: (handle: unknown) => clearTimeout(handle as NodeJS.Timeout),
      setTimeout(fn: () => void, ms: number) {
        const handle = setTimeout(fn, ms);
        handle.unref();
        const ref = handle.ref.bind(handle);
        handle.ref = () => (refs.push(`${ms}`), ref());
        return handle;
      },
    };
    const client = await connected(socket(s.url, { scheduler, reconnectAfterMs: () => 50 }));
    expect(refs).toEqual([]); // the heartbeat timer stays unref'd
    await s.dropAll();
    await until(() => refs.length === 1);
    await until(() => client.isConnected());
  });
});

describe('lite Socket: disconnecting', () => {
  it('closes on disconnect, runs onClose and then the callback, and never reconnects', async () => {
    const s = await server();
    const client = await connected(socket(s.url));
    const order: string[] = [];
    let opens = 0;
    client.onOpen(() => opens++);
    client.onClose((event) => order.push(`close ${event.code} ${event.wasClean}`));
    const gone = s.waitFor('disconnect');
    await new Promise<void>((resolve) =>
      client.disconnect(() => {
        order.push('callback');
        resolve();
      }),
    );
    expect(order).toEqual(['close 1000 true', 'callback']);
    expect(client.connectionState()).toBe('closed');
    expect((await gone).code).toBe(1000);
    await sleep(100);
    expect(opens).toBe(0);
    expect(s.connections).toHaveLength(0);
  });

  it('passes the disconnect code and reason to the server', async () => {
    const s = await server();
    const client = await connected(socket(s.url));
    const gone = s.waitFor('disconnect');
    client.disconnect(undefined, 4001, 'bye');
    expect(await gone).toMatchObject({ code: 4001, reason: 'bye' });
  });

  it('still closes the connection when the WebSocket refuses the disconnect code', async () => {
    const s = await server();
    const client = await connected(socket(s.url));
    const gone = s.waitFor('disconnect', undefined, 2000);
    client.disconnect(undefined, 1006);
    await gone;
    expect(client.isConnected()).toBe(false);
  });

  it('cancels a pending reconnect on disconnect', async () => {
    const s = await server({ connect: () => false });
    const clock = new ManualScheduler();
    const client = socket(s.url, { scheduler: clock });
    const closed = nextClose(client);
    client.onError(() => {});
    client.connect();
    await closed;
    expect(clock.pending).toBe(1); // the reconnect timer
    let called = false;
    client.disconnect(() => (called = true));
    expect(called).toBe(true);
    expect(clock.pending).toBe(0);
    clock.advance(60_000);
    expect(client.connectionState()).toBe('closed');
  });

  it('closes a connection that is still opening without an uncaught error, and stays closed', async () => {
    const s = await server();
    const client = socket(s.url);
    let opens = 0;
    client.onOpen(() => opens++);
    const uncaught: unknown[] = [];
    const onUncaught = (error: unknown): number => uncaught.push(error);
    process.on('uncaughtException', onUncaught);
    try {
      client.connect();
      client.disconnect();
      await sleep(100);
    } finally {
      process.off('uncaughtException', onUncaught);
    }
    expect(uncaught).toEqual([]);
    expect(opens).toBe(0);
    expect(client.connectionState()).toBe('closed');
    expect(s.connections).toHaveLength(0);
  });

  it('connects again after a disconnect when connect() is called', async () => {
    const s = await server();
    const client = await connected(socket(s.url));
    client.disconnect();
    await connected(client);
    expect(client.isConnected()).toBe(true);
  });
});

describe('lite Socket: callbacks', () => {
  it('calls onMessage for every inbound message, heartbeat replies and channel replies included', async () => {
    const s = await server();
    echoRooms(s);
    const client = socket(s.url);
    const seen: string[] = [];
    client.onMessage((m) => seen.push(`${m.topic}:${m.event}`));
    await connected(client);
    await client.channel('room:1').join();
    expect(seen).toContain('room:1:phx_reply');
  });

  it('removes callbacks with off(refs)', async () => {
    const s = await server();
    echoRooms(s);
    const client = socket(s.url);
    let removed = 0;
    let kept = 0;
    const refs = [client.onOpen(() => removed++), client.onMessage(() => removed++)];
    client.onOpen(() => kept++);
    client.off(refs);
    await connected(client);
    await client.channel('room:1').join();
    expect(kept).toBe(1);
    expect(removed).toBe(0);
  });

  it('keeps removed callbacks apart from the other kinds, and runs one added during an emit from the next emit on', async () => {
    const s = await server();
    echoRooms(s);
    const client = socket(s.url);
    const seen: string[] = [];
    const closeRef = client.onClose(() => seen.push('close'));
    client.onError(() => seen.push('error'));
    client.onOpen(() => {
      seen.push('open');
      // As in phoenix.js: an emit runs the callbacks registered when it started.
      if (seen.length === 1) client.onOpen(() => seen.push('added open'));
    });
    client.off([closeRef, 'no such ref']);
    await connected(client);
    expect(seen).toEqual(['open']);
    const closed = nextClose(client);
    await s.dropAll();
    await closed;
    await until(() => client.isConnected());
    expect(seen.filter((e) => e !== 'error')).toEqual(['open', 'open', 'added open']);
  });

  it('logs a throwing callback and still runs the callbacks after it', async () => {
    const s = await server();
    const logged = vi.spyOn(console, 'error').mockImplementation(() => {});
    const client = socket(s.url);
    const boom = new Error('app bug');
    client.onOpen(() => {
      throw boom;
    });
    let after = false;
    client.onOpen(() => (after = true));
    await connected(client);
    expect(after).toBe(true);
    expect(logged).toHaveBeenCalledWith(expect.any(String), boom);
    expect(client.isConnected()).toBe(true);
  });
});

describe('lite Socket: malformed frames from the server', () => {
  it.each([
    ['a frame that is not JSON', 'this is not json'],
    ['an array of the wrong arity', '[null,null,"room:1","shout"]'],
    ['a JSON object', '{"topic":"room:1"}'],
    ['a topic that is not a string', '[null,null,5,"shout",{}]'],
    ['a ref that is a number', '[null,7,"room:1","shout",{}]'],
  ])('reports %s to onError as DecodeError, stays connected and keeps delivering', async (_what, frame) => {
    const { s, client } = await echoClient();
    const room = client.channel('room:1');
    await room.join();
    const shouts: unknown[] = [];
    room.on('shout', (p) => shouts.push(p));
    const error = nextError(client);
    s.sendRaw(frame);
    const decodeError = await error;
    expect(decodeError).toBeInstanceOf(DecodeError);
    expect(decodeError).toMatchObject({ code: 'decode_error', frame });
    s.broadcast('room:1', 'shout', { still: 'here' });
    await until(() => shouts.length === 1);
    expect(shouts).toEqual([{ still: 'here' }]);
    expect(client.isConnected()).toBe(true);
    expect(room.state).toBe('joined');
    expect(await room.push('echo', { n: 1 })).toEqual({ n: 1 });
  });

  it('reports a binary frame to onError as DecodeError with the default serializer and keeps the connection', async () => {
    const { s, client } = await echoClient();
    const room = client.channel('room:1');
    await room.join();
    const error = nextError(client);
    s.sendRaw(new Uint8Array([2, 1, 6, 0, 0, 1, 2, 3]));
    const decodeError = await error;
    expect(decodeError).toBeInstanceOf(DecodeError);
    expect((decodeError as DecodeError).message).toContain('v2Serializer');
    expect((decodeError as DecodeError).frame).toBeInstanceOf(ArrayBuffer);
    expect(client.isConnected()).toBe(true);
    expect(await room.push('echo', { n: 2 })).toEqual({ n: 2 });
  });
});

describe('lite Socket: transport', () => {
  it('constructs the transport option with the URL and the auth-token subprotocols', async () => {
    const s = await server();
    const made: [string, unknown][] = [];
    class Recording extends WS {
      constructor(url: string, protocols?: string | string[]) {
        super(url, protocols);
        made.push([url, protocols]);
      }
    }
    await connected(socket(s.url, { transport: Recording, authToken: 'tok' }));
    expect(made).toEqual([[`${s.url}/websocket?vsn=2.0.0`, ['phoenix', 'base64url.bearer.phx.dG9r']]]);
  });

  it('reports a transport constructor that throws to onError and retries', async () => {
    const s = await server();
    let calls = 0;
    const failing = function () {
      calls++;
      throw new Error('no sockets here');
    } as unknown as typeof WS;
    const client = socket(s.url, { transport: failing });
    const error = nextError(client);
    const closed = nextClose(client);
    client.connect();
    expect(await error).toMatchObject({ message: 'no sockets here' });
    expect(await closed).toMatchObject({ code: 1006, reason: 'connect_failed' });
    await until(() => calls >= 2);
  });

  it('throws a TypeError naming options.transport on connect when there is no global WebSocket', () => {
    vi.stubGlobal('WebSocket', undefined);
    const client = new Socket('ws://127.0.0.1:1/socket');
    expect(() => client.connect()).toThrow(TypeError);
    expect(() => client.connect()).toThrow(/options\.transport/);
  });
});
