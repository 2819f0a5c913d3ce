import { describe, expect, it } from 'vitest';
import type { Push } from '../src/index';
import { connected, echoRooms, nextEvent, server, socket, until } from './helpers/harness';

describe('Socket reconnects', () => {
  it('after dropAll: every channel rejoins and pushes made while down arrive once, in order per channel', async () => {
    const s = await server();
    echoRooms(s);
    const client = await connected(socket(s.url));
    const rooms = [client.channel('room:a'), client.channel('room:b')];
    await Promise.all(rooms.map((r) => r.join()));

    const down = nextEvent(client, 'socket:disconnected');
    await s.dropAll();
    await down;
    expect(client.isConnected()).toBe(false);

    const received: string[] = [];
    s.on('message', ({ message }) => {
      if (message.event === 'msg') received.push(`${message.topic}:${(message.payload as { n: number }).n}`);
    });
    const pushes: Push[] = [];
    for (let n = 0; n < 5; n++) for (const r of rooms) pushes.push(r.push('msg', { n }));
    await Promise.all(pushes);
    // Each channel flushes its own buffer when it rejoins: order holds per channel.
    expect(received.filter((m) => m.startsWith('room:a'))).toEqual([0, 1, 2, 3, 4].map((n) => `room:a:${n}`));
    expect(received.filter((m) => m.startsWith('room:b'))).toEqual([0, 1, 2, 3, 4].map((n) => `room:b:${n}`));
    expect(rooms.map((r) => r.state)).toEqual(['joined', 'joined']);
  });

  it('resends a push the dead connection never delivered, once, after the rejoin, when inFlightPolicy is resend', async () => {
    const s = await server();
    echoRooms(s);
    const client = await connected(socket(s.url, { inFlightPolicy: 'resend' }));
    const room = client.channel('room:inflight');
    await room.join();
    const received: unknown[] = [];
    s.on('message', ({ message }) => {
      if (message.event === 'msg') received.push(message.payload);
    });
    // The server stops reading: the push leaves the client but never reaches a channel process.
    s.stall();
    const push = room.push('msg', { n: 1 });
    await until(() => push.ref !== null);
    const down = nextEvent(client, 'socket:disconnected');
    await s.dropAll(1006);
    s.resume();
    await down;
    await expect(push).resolves.toEqual({ n: 1 });
    expect(received).toEqual([{ n: 1 }]);
    expect(room.state).toBe('joined');
  });

  it('fails an unanswered push with ConnectionLostError by default, and never sends it again', async () => {
    const s = await server();
    echoRooms(s);
    const received: unknown[] = [];
    s.on('message', ({ message }) => {
      if (message.event === 'msg') received.push(message.payload);
    });
    const client = await connected(socket(s.url));
    const room = client.channel('room:inflight');
    await room.join();
    s.stall();
    const push = room.push('msg', { n: 1 });
    await until(() => push.ref !== null);
    await s.dropAll(1006);
    s.resume();
    await expect(push).rejects.toMatchObject({ code: 'connection_lost', resends: 0 });
    await until(() => room.state === 'joined', 5000, 'rejoined');
    expect(received).toEqual([]);
  });

  it('after restart (close code 1012): the socket comes back and rejoins', async () => {
    const s = await server();
    echoRooms(s);
    const client = await connected(socket(s.url));
    const room = client.channel('room:r');
    await room.join();
    const rejoined = s.waitFor('join', (e) => e.topic === 'room:r' && e.status === 'ok');
    const closed = nextEvent(client, 'socket:disconnected');
    await s.restart();
    expect((await closed).metadata).toMatchObject({ code: 1012, requested: false });
    await rejoined;
    await expect(room.push('echo', { back: true })).resolves.toEqual({ back: true });
  });

  it('reconnects after a close with code 1000 too (proxies close that way)', async () => {
    const s = await server();
    const client = await connected(socket(s.url));
    const scheduled = nextEvent(client, 'socket:reconnect_scheduled');
    const back = s.waitFor('connection');
    await s.dropAll(1000, 'normal');
    expect((await scheduled).metadata.reason).toBe('transport_close');
    await back;
    await until(() => client.isConnected());
  });

  it('stops reconnecting after disconnect() and calls its callback once closed', async () => {
    const s = await server();
    const client = await connected(socket(s.url));
    let reconnects = 0;
    client.telemetry.on('socket:connecting', () => reconnects++);
    await new Promise<void>((resolve) => client.disconnect(resolve));
    expect(client.connectionState()).toBe('closed');
    expect(client.state).toMatchObject({ status: 'closed', reason: 'disconnected', lastClose: { requested: true } });
    await s.dropAll();
    await new Promise((r) => setTimeout(r, 100));
    expect(reconnects).toBe(0);
    expect(s.connections).toHaveLength(0);
  });

  it('channels left errored by disconnect() rejoin on the next connect()', async () => {
    const s = await server();
    echoRooms(s);
    const client = await connected(socket(s.url));
    const room = client.channel('room:x');
    await room.join();
    await new Promise<void>((resolve) => client.disconnect(resolve));
    expect(room.state).toBe('errored');
    const rejoined = s.waitFor('join', (e) => e.topic === 'room:x');
    client.connect();
    await rejoined;
    await until(() => room.state === 'joined');
  });

  it('gives up after maxReconnectAttempts and reports ReconnectExhaustedError', async () => {
    const s = await server({ connect: () => false });
    const client = socket(s.url, { maxReconnectAttempts: 3 });
    const errors: unknown[] = [];
    client.onError((e) => errors.push(e));
    let connecting = 0;
    client.telemetry.on('socket:connecting', () => connecting++);
    const exhausted = nextEvent(client, 'socket:reconnect_exhausted');
    client.connect();
    expect((await exhausted).measurements.attempts).toBe(3);
    expect(connecting).toBe(4);
    expect(client.state).toMatchObject({ status: 'closed', reason: 'reconnect_exhausted' });
    expect(errors.some((e) => (e as { code?: string }).code === 'reconnect_exhausted')).toBe(true);
  });

  it('does not reconnect at all with reconnect: false', async () => {
    const s = await server();
    const client = await connected(socket(s.url, { reconnect: false }));
    await s.dropAll();
    await until(() => client.state.status === 'closed');
    expect(client.state).toMatchObject({ status: 'closed', reason: 'reconnect_disabled' });
  });

  it('re-reads async params and authToken before every connect', async () => {
    let n = 0;
    const seen: { params: Record<string, string>; token?: string }[] = [];
    const s = await server({
      connect: (params, info) => {
        seen.push({ params, token: info.authToken });
        return true;
      },
    });
    const client = socket(s.url, {
      params: async () => ({ cursor: String(++n) }),
      authToken: () => Promise.resolve(`token-${n}`),
    });
    await connected(client);
    const again = nextEvent(client, 'socket:connected');
    await s.dropAll();
    await again;
    expect(seen).toEqual([
      { params: { cursor: '1', vsn: '2.0.0' }, token: 'token-1' },
      { params: { cursor: '2', vsn: '2.0.0' }, token: 'token-2' },
    ]);
  });

  it('treats a rejecting params function as a failed attempt and retries', async () => {
    const s = await server();
    let calls = 0;
    const client = socket(s.url, {
      params: async () => {
        if (++calls === 1) throw new Error('token service down');
        return { ok: 'yes' };
      },
    });
    const errors: unknown[] = [];
    client.onError((e) => errors.push(e));
    const failed = nextEvent(client, 'socket:error');
    const open = nextEvent(client, 'socket:connected');
    client.connect();
    expect((await failed).metadata.error).toMatchObject({ code: 'connect_error', stage: 'params' });
    await open;
    expect(calls).toBe(2);
    expect(errors).toHaveLength(1);
  });

  it('draws reconnect delays with full jitter from the injected random', async () => {
    const s = await server();
    const client = await connected(socket(s.url, { jitter: 'full', random: () => 0.5, reconnectAfterMs: () => 110 }));
    const scheduled = nextEvent(client, 'socket:reconnect_scheduled');
    await s.dropAll();
    expect((await scheduled).measurements).toEqual({ attempt: 1, delay_ms: 60 });
    expect(client.state).toMatchObject({ status: 'reconnecting', attempt: 1, delayMs: 60 });
  });
});

describe('Channel rejoin after a join timeout', () => {
  it('rejoins even when the server accepts the timed-out join late and then closes it', async () => {
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
    await expect(room.join(100)).rejects.toMatchObject({ code: 'join_timeout' });
    // Answered only now, before the rejoin: the server joins it, then our leave closes it with a
    // phx_close carrying the old join_ref, which must not close this channel.
    release!();
    await until(() => room.state === 'joined', 5000, 'rejoin');
    expect(joins).toBe(2);
    expect(closes).toBe(0);
    expect(s.connections[0]!.topics).toEqual(['slow:1']);
  });
});
