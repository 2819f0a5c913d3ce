import { describe, expect, it, vi } from 'vitest';
import { PhxError, ReplyError, TimeoutError } from '../../src/lite/index';
import { connected, echoRooms, nextClose, outcome, received, rejection, server, sleep, socket, until } from './harness';

async function joinedRoom(options: Parameters<typeof socket>[1] = {}) {
  const s = await server();
  echoRooms(s);
  const client = await connected(socket(s.url, options));
  const room = client.channel('room:1');
  await room.join();
  return { s, client, room };
}

describe('lite Push: outcomes', () => {
  it('resolves await push with the ok response', async () => {
    const { room } = await joinedRoom();
    const push = room.push('echo', { body: 'hi' });
    expect(push.sent).toBe(true);
    expect(push.ref).toMatch(/^\d+$/);
    expect(await push).toEqual({ body: 'hi' });
  });

  it('rejects an error reply with ReplyError carrying the response', async () => {
    const { room } = await joinedRoom();
    const error = await rejection(room.push('fail', {}));
    expect(error).toBeInstanceOf(ReplyError);
    expect(error).toBeInstanceOf(PhxError);
    expect(error).toMatchObject({ code: 'reply_error', topic: 'room:1', event: 'fail', response: { reason: 'nope' } });
  });

  it('rejects a push unanswered within its timeout with TimeoutError code timeout', async () => {
    const { room } = await joinedRoom();
    const startedAt = Date.now();
    const error = await rejection(room.push('silent', {}, 60));
    expect(Date.now() - startedAt).toBeGreaterThanOrEqual(55);
    expect(error).toBeInstanceOf(TimeoutError);
    expect(error).toMatchObject({ code: 'timeout', topic: 'room:1', event: 'silent', timeoutMs: 60 });
  });

  it('ignores a reply that arrives after the push timed out', async () => {
    const { s, room } = await joinedRoom();
    s.delayReplies(150);
    const push = room.push('echo', { late: true }, 50);
    const seen: string[] = [];
    push.receive('ok', () => seen.push('ok')).receive('timeout', () => seen.push('timeout'));
    await rejection(push);
    await sleep(200);
    expect(seen).toEqual(['timeout']);
  });

  it('calls receive hooks for the matching status only, and at once when registered after the push settled', async () => {
    const { room } = await joinedRoom();
    const calls: string[] = [];
    const push = room
      .push('echo', { n: 1 })
      .receive('ok', (r) => calls.push(`ok ${JSON.stringify(r)}`))
      .receive('error', () => calls.push('error'))
      .receive('timeout', () => calls.push('timeout'));
    await push;
    expect(calls).toEqual(['ok {"n":1}']);
    push.receive('ok', () => calls.push('late ok'));
    push.receive('error', () => calls.push('late error'));
    expect(calls).toEqual(['ok {"n":1}', 'late ok']);
    expect(await outcome(room.push('fail', {}))).toEqual({ status: 'error', response: { reason: 'nope' } });
    expect(await outcome(room.push('silent', {}, 30))).toEqual({ status: 'timeout', response: {} });
  });

  it('calls a hook registered from inside another hook of the same status once, as phoenix.js does', async () => {
    const { room } = await joinedRoom();
    const calls: string[] = [];
    const push = room.push('echo', { n: 1 });
    push.receive('ok', () => {
      calls.push('outer');
      push.receive('ok', () => calls.push('inner'));
    });
    await push;
    expect(calls).toEqual(['outer', 'inner']);
  });

  it('logs a receive hook that throws and still runs the other hooks and settles await push', async () => {
    const { room } = await joinedRoom();
    const logged = vi.spyOn(console, 'error').mockImplementation(() => {});
    const boom = new Error('hook bug');
    let second = false;
    const push = room
      .push('echo', { n: 1 })
      .receive('ok', () => {
        throw boom;
      })
      .receive('ok', () => (second = true));
    expect(await push).toEqual({ n: 1 });
    expect(second).toBe(true);
    expect(logged).toHaveBeenCalledWith(expect.any(String), boom);
    expect(await room.push('echo', { n: 2 })).toEqual({ n: 2 });
  });
});

describe('lite Push: buffering', () => {
  it('buffers pushes made before the join is answered and sends them in order once joined', async () => {
    const s = await server();
    let release: (() => void) | undefined;
    s.channel('slow:*', {
      join: () => new Promise((resolve) => (release = () => resolve({ ok: {} }))),
      handleIn: (event, payload) => ({ reply: 'ok', response: { event, payload } }),
    });
    const events = received(s, 'slow:1');
    const client = await connected(socket(s.url));
    const room = client.channel('slow:1');
    room.join();
    const pushes = [room.push('a', 1), room.push('b', 2), room.push('c', 3)];
    expect(pushes.map((p) => p.sent)).toEqual([false, false, false]);
    await until(() => release !== undefined);
    await sleep(30);
    expect(events).toEqual(['phx_join']);
    release!();
    expect(await Promise.all(pushes)).toEqual([
      { event: 'a', payload: 1 },
      { event: 'b', payload: 2 },
      { event: 'c', payload: 3 },
    ]);
    expect(events).toEqual(['phx_join', 'a', 'b', 'c']);
  });

  it('delivers every push made while disconnected after the reconnect and rejoin, in order: nothing is lost', async () => {
    let accept = true;
    const s = await server({ connect: () => accept });
    echoRooms(s);
    const events = received(s, 'room:1');
    const client = await connected(socket(s.url));
    client.onError(() => {});
    const room = client.channel('room:1');
    await room.join();
    accept = false;
    const closed = nextClose(client);
    await s.dropAll();
    await closed;
    await sleep(60); // a few refused reconnects
    expect(client.isConnected()).toBe(false);
    const pushes = [1, 2, 3, 4, 5].map((n) => room.push('echo', { n }));
    expect(pushes.every((p) => !p.sent)).toBe(true);
    accept = true;
    expect(await Promise.all(pushes)).toEqual([1, 2, 3, 4, 5].map((n) => ({ n })));
    expect(events.filter((e) => e === 'echo')).toHaveLength(5);
    expect(events.slice(-6)).toEqual(['phx_join', 'echo', 'echo', 'echo', 'echo', 'echo']);
  });

  it('times out a buffered push while it waits, and never sends it afterwards', async () => {
    const s = await server();
    let release: (() => void) | undefined;
    s.channel('slow:*', {
      join: () => new Promise((resolve) => (release = () => resolve({ ok: {} }))),
      handleIn: (_event, payload) => ({ reply: 'ok', response: payload }),
    });
    const events = received(s, 'slow:1');
    const client = await connected(socket(s.url));
    const room = client.channel('slow:1');
    room.join();
    const error = await rejection(room.push('late', {}, 40));
    expect(error).toMatchObject({ code: 'timeout', event: 'late' });
    await until(() => release !== undefined);
    release!();
    await until(() => room.isJoined());
    expect(await room.push('after', { n: 1 })).toEqual({ n: 1 });
    expect(events).toEqual(['phx_join', 'after']);
  });

  it('does not fail a buffered push again when the channel closes after it timed out', async () => {
    const s = await server();
    s.channel('slow:*', { join: () => new Promise(() => {}) });
    const client = await connected(socket(s.url));
    const room = client.channel('slow:1');
    room.join();
    const statuses: string[] = [];
    const push = room.push('late', {}, 30);
    push.receive('timeout', () => statuses.push('timeout')).receive('error', () => statuses.push('error'));
    await rejection(push);
    client.disconnect(); // the leave cannot be sent: the channel closes at once
    await room.leave();
    expect(room.state).toBe('closed');
    expect(statuses).toEqual(['timeout']);
  });
});
