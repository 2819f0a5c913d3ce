import { ManualScheduler } from '@phx-socket/testkit';
import { describe, expect, it, vi } from 'vitest';
import { AlreadyJoinedError, ChannelClosedError, JoinError, Presence, PushBeforeJoinError, TimeoutError } from '../../src/lite/index';
import { connected, echoRooms, nextClose, rejection, server, sleep, socket, until, echoClient } from './harness';

describe('lite Channel: joining', () => {
  it('joins: await join resolves with the join response and the channel is joined on both sides', async () => {
    const { s, client } = await echoClient();
    const room = client.channel('room:1', { user: 'ana' });
    expect(room.state).toBe('closed');
    const join = room.join();
    expect(room.state).toBe('joining');
    expect(await join).toEqual({ topic: 'room:1' });
    expect(room.state).toBe('joined');
    expect(room.isJoined()).toBe(true);
    expect(s.connections[0]!.topics).toEqual(['room:1']);
  });

  it('sends the join params, calling a params function again at every rejoin', async () => {
    const s = await server();
    echoRooms(s);
    const seen: unknown[] = [];
    s.on('join', (e) => seen.push(e.params));
    const client = await connected(socket(s.url));
    let n = 0;
    const room = client.channel('room:1', () => ({ n: ++n }));
    let joins = 0;
    room.join().receive('ok', () => joins++);
    await until(() => joins === 1);
    await s.dropAll();
    await until(() => joins === 2, 5000, 'rejoin');
    expect(seen).toEqual([{ n: 1 }, { n: 2 }]);
  });

  it('sends a join made before connect() once the socket opens, exactly once', async () => {
    const s = await server();
    echoRooms(s);
    let joins = 0;
    s.on('join', () => joins++);
    const client = socket(s.url);
    const room = client.channel('room:1');
    const join = room.join();
    client.connect();
    expect(await join).toEqual({ topic: 'room:1' });
    await sleep(50);
    expect(joins).toBe(1);
  });

  it('sends a join made from an onOpen callback once, not again when the channels rejoin on open', async () => {
    const s = await server();
    echoRooms(s);
    let joins = 0;
    s.on('join', () => joins++);
    const client = socket(s.url);
    const room = client.channel('room:1');
    let joinedOnce = false;
    client.onOpen(() => {
      if (joinedOnce) return;
      joinedOnce = true;
      room.join();
    });
    await connected(client);
    await until(() => room.isJoined());
    await sleep(50);
    expect(joins).toBe(1);
    expect(room.isJoined()).toBe(true);
  });

  it('rejects a refused join with JoinError carrying the response, then rejoins with backoff until accepted', async () => {
    const s = await server();
    let refusals = 2;
    s.channel('gate:*', { join: () => (refusals-- > 0 ? { error: { reason: 'not yet' } } : { ok: { welcome: true } }) });
    const tries: number[] = [];
    const client = await connected(socket(s.url, { rejoinAfterMs: (n) => (tries.push(n), 20) }));
    const gate = client.channel('gate:1');
    const error = await rejection(gate.join());
    expect(error).toBeInstanceOf(JoinError);
    expect(error).toMatchObject({ code: 'join_error', topic: 'gate:1', response: { reason: 'not yet' } });
    expect(gate.state).toBe('errored');
    await until(() => gate.isJoined(), 5000, 'joined after two refusals');
    expect(tries).toEqual([1, 2]);
  });

  it('waits the rejoinAfterMs delay, growing with each try, between refused joins', async () => {
    const s = await server();
    let refusals = 2;
    s.channel('gate:*', { join: () => (refusals-- > 0 ? { error: { reason: 'not yet' } } : { ok: {} }) });
    let attempts = 0;
    s.on('join', () => attempts++);
    const clock = new ManualScheduler();
    vi.spyOn(Math, 'random').mockReturnValue(1);
    const client = await connected(socket(s.url, { scheduler: clock, rejoinAfterMs: (n) => n * 1000 }));
    const gate = client.channel('gate:1');
    await rejection(gate.join());
    clock.advance(999);
    await sleep(30);
    expect(attempts).toBe(1);
    clock.advance(1);
    await until(() => attempts === 2 && gate.isErrored(), 3000, 'second refusal');
    clock.advance(1999);
    await sleep(30);
    expect(attempts).toBe(2);
    clock.advance(1);
    await until(() => gate.isJoined(), 3000, 'third join');
  });

  it('rejects a join unanswered in time with TimeoutError join_timeout, leaves that join and rejoins', async () => {
    const s = await server();
    let release: (() => void) | undefined;
    let first = true;
    s.channel('slow:*', {
      join: () => {
        if (!first) return { ok: {} };
        first = false;
        return new Promise((resolve) => (release = () => resolve({ ok: {} })));
      },
    });
    const joinRefs: (string | null)[] = [];
    s.on('message', ({ message }) => {
      if (message.event !== 'phx_join') return;
      joinRefs.push(message.joinRef);
      if (joinRefs.length === 2) release!(); // the server answers the first join only once the client gave up
    });
    const leaves: { joinRef: string | null; reason: string }[] = [];
    s.on('leave', (e) => leaves.push({ joinRef: e.joinRef, reason: e.reason }));
    const client = await connected(socket(s.url));
    const room = client.channel('slow:1');
    const error = await rejection(room.join(100));
    expect(error).toBeInstanceOf(TimeoutError);
    expect(error).toMatchObject({ code: 'join_timeout', topic: 'slow:1', event: 'phx_join', timeoutMs: 100 });
    await until(() => room.isJoined(), 5000, 'rejoin');
    await until(() => leaves.length === 1);
    expect(leaves).toEqual([{ joinRef: joinRefs[0], reason: 'left' }]);
    expect(room.joinRef).toBe(joinRefs[1]);
    expect(s.connections[0]!.topics).toEqual(['slow:1']);
  });

  it('rejoins after a join timeout even when the server accepts the old join late and then closes it', async () => {
    const s = await server();
    let release: (() => void) | undefined;
    let joins = 0;
    s.channel('slow:*', {
      join: () => (++joins === 1 ? new Promise((resolve) => (release = () => resolve({ ok: {} }))) : { ok: {} }),
    });
    const client = await connected(socket(s.url, { rejoinAfterMs: () => 300 }));
    const room = client.channel('slow:1');
    let closes = 0;
    room.onClose(() => closes++);
    await rejection(room.join(100));
    // The old join is answered only now, before the rejoin: the server joins it, then our leave closes it
    // with a phx_close carrying the old join_ref, which must not close this channel.
    release!();
    await until(() => room.isJoined(), 5000, 'rejoin');
    expect(joins).toBe(2);
    expect(closes).toBe(0);
    expect(s.connections[0]!.topics).toEqual(['slow:1']);
  });

  it('keeps await join pending through a lost connection and resolves it once rejoined', async () => {
    const { s, client } = await echoClient();
    const room = client.channel('room:1');
    const errors: unknown[] = [];
    room.onError((reason) => errors.push(reason));
    s.delayReplies(300);
    const sent = s.waitFor('message', ({ message }) => message.event === 'phx_join');
    const join = room.join();
    await sent;
    s.delayReplies(0);
    await s.dropAll(); // before the join reply
    expect(await join).toEqual({ topic: 'room:1' });
    expect(room.isJoined()).toBe(true);
    expect(errors).toEqual([{ reason: 'socket_closed', code: 1000 }]);
  });

  it('throws AlreadyJoinedError when join() is called twice on one channel', async () => {
    const { s, client } = await echoClient();
    const room = client.channel('room:1');
    await room.join();
    expect(() => room.join()).toThrow(AlreadyJoinedError);
    try {
      room.join();
    } catch (error) {
      expect(error).toMatchObject({ code: 'already_joined' });
    }
    expect(room.isJoined()).toBe(true);
  });

  it('throws PushBeforeJoinError for a push before join() and sends nothing', async () => {
    const s = await server();
    echoRooms(s);
    let pushes = 0;
    s.on('message', ({ message }) => void (message.topic === 'room:1' && pushes++));
    const client = await connected(socket(s.url));
    const room = client.channel('room:1');
    expect(() => room.push('echo', {})).toThrow(PushBeforeJoinError);
    try {
      room.push('echo', {});
    } catch (error) {
      expect(error).toMatchObject({ code: 'push_before_join' });
    }
    await sleep(30);
    expect(pushes).toBe(0);
  });

  it('leaves the older channel when a topic is joined twice on one socket, so only the newer one gets messages', async () => {
    const { s, client } = await echoClient();
    const older = client.channel('room:1');
    await older.join();
    const olderRef = older.joinRef;
    let olderClosed = false;
    older.onClose(() => (olderClosed = true));
    const olderLeft = s.waitFor('leave', (e) => e.joinRef === olderRef, 2000);

    const newer = client.channel('room:1');
    await newer.join();
    expect((await olderLeft).reason).toBe('left');
    await until(() => olderClosed, 2000, 'older channel closed');
    expect(older.state).toBe('closed');
    expect(newer.state).toBe('joined');

    const heard: string[] = [];
    older.on('shout', () => heard.push('older'));
    newer.on('shout', () => heard.push('newer'));
    s.broadcast('room:1', 'shout', {});
    await until(() => heard.length > 0);
    await sleep(30);
    expect(heard).toEqual(['newer']);
    expect(await newer.push('echo', { n: 1 })).toEqual({ n: 1 });
  });
});

describe('lite Channel: errors and rejoin', () => {
  it('calls onError when the server channel crashes (phx_error), then rejoins and takes pushes again', async () => {
    const { s, client } = await echoClient();
    const room = client.channel('room:1');
    const order: string[] = [];
    room.onError(() => order.push('error'));
    room.join().receive('ok', () => order.push('joined'));
    await until(() => order.length === 1);
    const crashed = s.waitFor('handlerError');
    room.push('crash', {});
    await crashed;
    await until(() => order.length === 3, 5000, 'rejoin after crash');
    expect(order).toEqual(['joined', 'error', 'joined']);
    expect(await room.push('echo', { after: 'crash' })).toEqual({ after: 'crash' });
  });

  it('buffers pushes made while the channel is errored and sends them after the rejoin', async () => {
    const s = await server();
    echoRooms(s);
    const client = await connected(socket(s.url, { rejoinAfterMs: () => 150 }));
    const room = client.channel('room:1');
    await room.join();
    const errored = new Promise((resolve) => room.onError(resolve));
    room.push('crash', {});
    await errored;
    expect(room.state).toBe('errored');
    const replies = await Promise.all([room.push('echo', { n: 1 }), room.push('echo', { n: 2 })]);
    expect(replies).toEqual([{ n: 1 }, { n: 2 }]);
  });

  it('drops a message carrying an older join_ref and delivers current ones and broadcasts', async () => {
    const { s, client } = await echoClient();
    const room = client.channel('room:1');
    await room.join();
    const news: unknown[] = [];
    room.on('news', (p) => news.push(p));
    s.sendRaw(JSON.stringify(['999', null, 'room:1', 'news', { stale: true }]));
    s.sendRaw(JSON.stringify([room.joinRef, null, 'room:1', 'news', { current: true }]));
    s.broadcast('room:1', 'news', { broadcast: true });
    await until(() => news.length === 2);
    await sleep(30);
    expect(news).toEqual([{ current: true }, { broadcast: true }]);
  });
});

describe('lite Channel: closing', () => {
  it('leaves: await leave resolves, onClose runs, the channel is closed and the server ended that join', async () => {
    const { s, client } = await echoClient();
    const room = client.channel('room:1');
    await room.join();
    const joinRef = room.joinRef;
    const left = s.waitFor('leave');
    let closes = 0;
    room.onClose(() => closes++);
    const leave = room.leave(2000);
    expect(room.state).toBe('leaving');
    expect(await leave).toEqual({});
    expect(closes).toBe(1);
    expect(room.state).toBe('closed');
    expect(await left).toMatchObject({ topic: 'room:1', joinRef, reason: 'left' });
    expect(s.connections[0]!.topics).toEqual([]);
  });

  it('does not rejoin a left channel when the socket reconnects', async () => {
    const s = await server();
    echoRooms(s);
    let joins = 0;
    s.on('join', () => joins++);
    const client = await connected(socket(s.url));
    const room = client.channel('room:1');
    await room.join();
    await room.leave();
    await s.dropAll();
    await until(() => client.isConnected());
    await sleep(60);
    expect(joins).toBe(1);
    expect(room.state).toBe('closed');
  });

  it('rejects pushes still buffered when the channel closes with ChannelClosedError, and never sends them', async () => {
    const s = await server();
    let release: (() => void) | undefined;
    s.channel('slow:*', {
      join: () => new Promise((resolve) => (release = () => resolve({ ok: {} }))),
      handleIn: (_event, payload) => ({ reply: 'ok', response: payload }),
    });
    const events: string[] = [];
    s.on('message', ({ message }) => void (message.topic === 'slow:1' && events.push(message.event)));
    const client = await connected(socket(s.url));
    const room = client.channel('slow:1');
    room.join();
    const buffered = room.push('msg', { n: 1 });
    expect(buffered.sent).toBe(false);
    let closes = 0;
    room.onClose(() => closes++);
    const leave = room.leave(2000);
    await until(() => release !== undefined);
    release!();
    expect(await leave).toEqual({});
    const error = await rejection(buffered);
    expect(error).toBeInstanceOf(ChannelClosedError);
    expect(error).toMatchObject({ code: 'channel_closed', topic: 'slow:1' });
    expect(closes).toBe(1);
    await sleep(30);
    expect(events).toEqual(['phx_join', 'phx_leave']);
  });

  it('closes when the leave is unanswered in time, rejecting it with TimeoutError leave_timeout', async () => {
    const { s, client } = await echoClient();
    const room = client.channel('room:1');
    await room.join();
    let closed = false;
    room.onClose(() => (closed = true));
    s.stall();
    const error = await rejection(room.leave(50));
    expect(error).toBeInstanceOf(TimeoutError);
    expect(error).toMatchObject({ code: 'leave_timeout', topic: 'room:1', event: 'phx_leave' });
    expect(closed).toBe(true);
    expect(room.state).toBe('closed');
    s.resume();
  });

  it('tells onClose "leave" when the channel was left, as phoenix.js does', async () => {
    const { client } = await echoClient();
    const room = client.channel('room:1');
    await room.join();
    const payload = new Promise((resolve) => room.onClose(resolve));
    await room.leave();
    expect(await payload).toBe('leave');
  });

  it('closes once when the server closes the channel while a leave is in flight, and the leave resolves', async () => {
    const { s, client } = await echoClient();
    const room = client.channel('room:1');
    await room.join();
    let closes = 0;
    room.onClose(() => closes++);
    s.delayReplies(200);
    const leave = room.leave(2000);
    s.sendRaw(JSON.stringify([room.joinRef, null, 'room:1', 'phx_close', {}]));
    await expect(leave).resolves.toEqual({});
    expect(closes).toBe(1);
    expect(room.state).toBe('closed');
    await sleep(300); // the server's own reply to the leave arrives late and changes nothing
    expect(closes).toBe(1);
  });

  it('fails a push made after the channel closed at once with ChannelClosedError', async () => {
    const { client } = await echoClient();
    const room = client.channel('room:1');
    await room.join();
    await room.leave();
    const started = Date.now();
    const error = await rejection(room.push('late', {}));
    expect(error).toBeInstanceOf(ChannelClosedError);
    expect(error).toMatchObject({ code: 'channel_closed', topic: 'room:1' });
    expect(Date.now() - started).toBeLessThan(1000); // not after the 10 s push timeout
  });

  it('closes at once when left while the socket is disconnected', async () => {
    let accept = true;
    const s = await server({ connect: () => accept });
    echoRooms(s);
    const client = await connected(socket(s.url));
    client.onError(() => {});
    const room = client.channel('room:1');
    await room.join();
    accept = false;
    const closed = nextClose(client);
    await s.dropAll();
    await closed;
    let closes = 0;
    room.onClose(() => closes++);
    expect(await room.leave()).toEqual({});
    expect(closes).toBe(1);
    expect(room.state).toBe('closed');
    accept = true;
    await until(() => client.isConnected());
    await sleep(60);
    expect(s.connections[0]!.topics).toEqual([]);
  });

  it('closes when the server stops the channel normally (phx_close), without rejoining', async () => {
    const s = await server();
    echoRooms(s);
    let joins = 0;
    s.on('join', () => joins++);
    const client = await connected(socket(s.url));
    const room = client.channel('room:1');
    await room.join();
    const closed = new Promise((resolve) => room.onClose(resolve));
    room.push('bye', {});
    await closed;
    expect(room.state).toBe('closed');
    await sleep(60);
    expect(joins).toBe(1);
  });
});

describe('lite Channel: bindings', () => {
  it('delivers server pushes and broadcasts to on handlers, and stops after off', async () => {
    const { s, client } = await echoClient();
    const room = client.channel('room:1');
    await room.join();
    const shouts: unknown[] = [];
    const pokes: unknown[] = [];
    const ref = room.on('shout', (p) => shouts.push(p));
    room.on('poked', (p) => pokes.push(p));
    room.push('shout', { n: 1 });
    room.push('poke', { n: 2 });
    await until(() => shouts.length === 1 && pokes.length === 1);
    room.off('shout', ref);
    room.push('shout', { n: 3 });
    room.push('poke', { n: 4 });
    await until(() => pokes.length === 2);
    expect(shouts).toEqual([{ n: 1 }]);
    room.off('poked');
    room.push('poke', { n: 5 });
    await room.push('echo', {});
    expect(pokes).toEqual([{ n: 2 }, { n: 4 }]);
  });

  it('logs an on handler that throws and still runs the next handler for that event', async () => {
    const s = await server();
    echoRooms(s);
    const logged = vi.spyOn(console, 'error').mockImplementation(() => {});
    const client = await connected(socket(s.url));
    const room = client.channel('room:1');
    await room.join();
    const boom = new Error('handler bug');
    room.on('shout', () => {
      throw boom;
    });
    const heard: unknown[] = [];
    room.on('shout', (p) => heard.push(p));
    room.push('shout', { n: 1 });
    await until(() => heard.length === 1);
    expect(logged).toHaveBeenCalledWith(expect.any(String), boom);
    room.push('shout', { n: 2 });
    await until(() => heard.length === 2);
    expect(client.isConnected()).toBe(true);
    expect(room.isJoined()).toBe(true);
  });

  it('runs an event\'s handlers in order, calls onMessage once per message, and removes only the named binding', async () => {
    const { s, client } = await echoClient();
    const room = client.channel('room:1');
    const transformed: string[] = [];
    room.onMessage = (event, payload) => (transformed.push(event), payload);
    await room.join();
    const heard: string[] = [];
    const a1 = room.on('shout', () => heard.push('a1'));
    const other = room.on('poked', () => heard.push('poked'));
    room.on('1', () => heard.push('event named 1')); // an event name that looks like a binding ref
    room.on('shout', () => heard.push('a2'));
    room.off('shout', other); // a ref of another event removes nothing
    room.push('shout', {});
    await until(() => heard.length === 2);
    expect(heard).toEqual(['a1', 'a2']);
    expect(transformed).toEqual(['shout']);
    room.off('shout', a1);
    room.push('poke', {});
    room.push('shout', {});
    await until(() => heard.length === 4);
    await room.push('echo', {});
    expect(heard).toEqual(['a1', 'a2', 'poked', 'a2']);
    expect(transformed).toEqual(['shout', 'poked', 'shout']);
  });

  it('keeps the bindings a message started with: one added or removed by a handler counts from the next message', async () => {
    const { s, client } = await echoClient();
    const room = client.channel('room:1');
    await room.join();
    const heard: string[] = [];
    let second = 0;
    room.on('shout', () => {
      heard.push('first');
      if (second === 0) second = room.on('shout', () => heard.push('added'));
      else room.off('shout', third);
    });
    const third = room.on('shout', () => heard.push('third'));
    room.push('shout', {});
    await until(() => heard.length === 2);
    room.push('shout', {});
    await until(() => heard.length === 5);
    room.push('shout', {});
    await until(() => heard.length === 7);
    await room.push('echo', {});
    expect(heard).toEqual(['first', 'third', 'first', 'third', 'added', 'first', 'added']);
  });

  it('is joined when the join push\'s ok hooks and await join see it', async () => {
    const { s, client } = await echoClient();
    const room = client.channel('room:1');
    const states: string[] = [];
    const join = room.join().receive('ok', () => states.push(room.state));
    await join;
    states.push(room.state);
    expect(states).toEqual(['joined', 'joined']);
  });

  it('passes payloads through an onMessage override before the handlers see them', async () => {
    const { s, client } = await echoClient();
    const room = client.channel('room:1');
    room.onMessage = (event, payload) => (event === 'shout' ? { wrapped: payload } : payload);
    await room.join();
    const heard = new Promise((resolve) => room.on('shout', resolve));
    room.push('shout', { n: 1 });
    expect(await heard).toEqual({ wrapped: { n: 1 } });
  });
});

describe('lite Channel: Presence', () => {
  it('tracks who is on a lite channel with the Presence exported by the lite entry', async () => {
    const s = await server();
    s.channel('lobby:*', {
      presence: true,
      join: () => ({ ok: {} }),
      afterJoin: (ch) => void s.track(ch, ch.topic, String(ch.params.user), { online: true }),
    });
    const ana = await connected(socket(s.url, { params: { user: 'ana' } }));
    const bob = await connected(socket(s.url, { params: { user: 'bob' } }));
    const lobby = ana.channel('lobby:1');
    const presence = new Presence(lobby);
    const joins: string[] = [];
    const leaves: string[] = [];
    let syncs = 0;
    presence.onJoin((key) => joins.push(key));
    presence.onLeave((key) => leaves.push(key));
    presence.onSync(() => syncs++);
    await lobby.join();
    await until(() => joins.includes('ana'));
    const bobLobby = bob.channel('lobby:1');
    await bobLobby.join();
    await until(() => joins.includes('bob'));
    expect(presence.list((key) => key).sort()).toEqual(['ana', 'bob']);
    await bobLobby.leave();
    await until(() => leaves.includes('bob'));
    expect(presence.list((key) => key)).toEqual(['ana']);
    expect(syncs).toBeGreaterThanOrEqual(3);
  });
});
