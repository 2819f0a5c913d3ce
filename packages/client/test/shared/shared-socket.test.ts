/**
 * SharedSocket in Node: "tabs" whose worker is a SharedSocketHost in this process over MessageChannel
 * ports, against a real testkit server; and the fallbacks to an own socket (no SharedWorker, a worker that
 * never answers, a worker that dies).
 */
import { describe, expect, it } from 'vitest';
import { ChannelClosedError, ConnectionLostError, JoinError, Presence, ReplyError, type TelemetryEventMap } from '../../src/index';
import { SharedParamsMismatchError, SharedSocket, type SharedSocketOptions, type SharedWorkerLike } from '../../src/shared/index';
import { until } from '../helpers/harness';
import { chatServer, host, portPair, sharedSocket } from '../helpers/shared-tab';
import type { SharedSocketHost } from '../../src/shared/host';

function tab(url: string, h: SharedSocketHost | null, options: SharedSocketOptions = {}): SharedSocket {
  const createWorker = h === null ? undefined : (): SharedWorkerLike => ({ port: portPair(h), onerror: null });
  return sharedSocket(url, { locks: null, ...(createWorker ? { createWorker } : {}), ...options });
}

function modes(socket: SharedSocket): TelemetryEventMap['shared:mode']['metadata'][] {
  const seen: TelemetryEventMap['shared:mode']['metadata'][] = [];
  socket.telemetry.on('shared:mode', ({ metadata }) => seen.push(metadata));
  return seen;
}

describe('SharedSocket through a host', () => {
  it('makes three tabs share one connection and one channel; each hears each broadcast once', async () => {
    const s = await chatServer();
    const h = host();
    const tabs = [tab(s.url, h), tab(s.url, h), tab(s.url, h)];
    const heard: string[][] = [[], [], []];
    await Promise.all(
      tabs.map((t, i) => {
        t.connect();
        const room = t.channel<{ new_msg: { body: string } }>('room:lobby', { user: 'ana' });
        room.on('new_msg', ({ body }) => heard[i]?.push(body));
        return room.join();
      }),
    );
    expect(tabs.map((t) => t.mode)).toEqual(['shared-worker', 'shared-worker', 'shared-worker']);
    expect(s.stats()).toMatchObject({ connections: 1, totalConnections: 1, channels: 1, joins: 1 });
    s.broadcast('room:lobby', 'new_msg', { body: 'one' });
    s.broadcast('room:lobby', 'new_msg', { body: 'two' });
    await until(() => heard.every((h) => h.length === 2), 2000, 'every tab to hear both');
    await new Promise((r) => setTimeout(r, 30));
    expect(heard).toEqual([['one', 'two'], ['one', 'two'], ['one', 'two']]);
    expect(tabs[0]?.isConnected()).toBe(true);
    expect(tabs[0]?.state.status).toBe('open');
  });

  it('resolves a push on the tab that pushed, with the typed errors of Channel', async () => {
    const s = await chatServer();
    const h = host();
    const [a, b] = [tab(s.url, h), tab(s.url, h)];
    a.connect();
    b.connect();
    const ra = a.channel('room:lobby');
    const rb = b.channel('room:lobby');
    await Promise.all([ra.join(), rb.join()]);
    const replies: unknown[] = [];
    a.telemetry.on('push:reply', (e) => replies.push(['a', e.metadata.event]));
    b.telemetry.on('push:reply', (e) => replies.push(['b', e.metadata.event]));
    expect(await rb.push('hi', { n: 2 })).toEqual({ echo: { n: 2 } });
    await expect(rb.push('bad', {})).rejects.toBeInstanceOf(ReplyError);
    let hook: unknown = null;
    await new Promise<void>((resolve) => rb.push('hi', { n: 3 }).receive('ok', (r) => { hook = r; resolve(); }));
    expect(hook).toEqual({ echo: { n: 3 } });
    expect(replies).toEqual([['b', 'hi'], ['b', 'bad'], ['b', 'hi']]);
    expect(() => b.channel('room:other').push('x', {})).toThrow(/join/);
  });

  it('keeps the channel joined for the tabs that stay and leaves it on the server after the last', async () => {
    const s = await chatServer();
    const h = host();
    const tabs = [tab(s.url, h), tab(s.url, h), tab(s.url, h)];
    const rooms = tabs.map((t) => {
      t.connect();
      return t.channel('room:lobby');
    });
    await Promise.all(rooms.map((r) => r.join()));
    tabs[0]?.dispose();
    rooms[1]?.leave();
    expect(rooms[1]?.state).toBe('closed');
    await until(() => h.stats().tabs === 2, 2000, 'tab 1 to be released');
    let heard = 0;
    rooms[2]?.on('still_here', () => heard++);
    s.broadcast('room:lobby', 'still_here', {});
    await until(() => heard === 1, 2000, 'tab 3 to hear it');
    expect(s.stats().channels).toBe(1);
    tabs[2]?.dispose();
    tabs[1]?.dispose();
    await until(() => s.stats().channels === 0 && s.stats().connections === 0, 2000, 'channel and connection to close');
  });

  it('feeds Presence from forwarded events, with the state at once for a tab attaching later', async () => {
    const s = await chatServer();
    const h = host();
    const a = tab(s.url, h);
    a.connect();
    const ra = a.channel('room:lobby', { user: 'ana' });
    const pa = new Presence(ra);
    let synced = false;
    pa.onSync(() => (synced = true));
    await ra.join();
    await until(() => synced, 2000, 'presence in tab a');
    const b = tab(s.url, h);
    b.connect();
    const rb = b.channel('room:lobby', { user: 'ana' });
    const pb = new Presence(rb);
    await rb.join();
    await until(() => pb.list().length > 0, 500, 'presence in tab b');
    expect(pb.list((key) => key)).toEqual(pa.list((key) => key));
  });

  it('rejects a join with other params for a shared topic with SharedParamsMismatchError and closes that channel', async () => {
    const s = await chatServer();
    const h = host();
    const a = tab(s.url, h);
    const b = tab(s.url, h);
    a.connect();
    b.connect();
    await a.channel('room:lobby', { user: 'ana' }).join();
    const rb = b.channel('room:lobby', { user: 'bob' });
    const error = await rb.join().then(() => null, (e: unknown) => e);
    expect(error).toBeInstanceOf(SharedParamsMismatchError);
    expect((error as SharedParamsMismatchError).code).toBe('shared_params_mismatch');
    expect((error as SharedParamsMismatchError).sharedParams).toEqual({ user: 'ana' });
    expect(rb.state).toBe('closed');
  });

  it('rejects a refused join with JoinError', async () => {
    const s = await chatServer();
    const a = tab(s.url, host());
    a.connect();
    await expect(a.channel('room:lobby', { user: 'nobody' }).join()).rejects.toBeInstanceOf(JoinError);
  });

  it('asks the tab for a params function at connect, so one key may cover fresh tokens (shareKey)', async () => {
    const s = await chatServer();
    const h = host();
    let n = 0;
    const a = tab(s.url, h, { params: () => ({ token: `t${++n}` }), shareKey: 'user-1' });
    const b = tab(s.url, h, { params: () => ({ token: `t${++n}` }), shareKey: 'user-1' });
    a.connect();
    b.connect();
    await Promise.all([a.channel('room:lobby').join(), b.channel('room:lobby').join()]);
    expect(s.stats().totalConnections).toBe(1);
    expect(String(s.connections[0]?.params.token)).toMatch(/^t\d$/);
  });

  it('stops hearing the shared socket after disconnect() and rejoins on connect()', async () => {
    const s = await chatServer();
    const h = host();
    const a = tab(s.url, h);
    const b = tab(s.url, h);
    a.connect();
    b.connect();
    const ra = a.channel('room:lobby');
    await Promise.all([ra.join(), b.channel('room:lobby').join()]);
    let heard = 0;
    ra.on('tick', () => heard++);
    a.disconnect();
    expect(a.state.status).toBe('closed');
    expect(ra.state).toBe('errored');
    s.broadcast('room:lobby', 'tick', {});
    await new Promise((r) => setTimeout(r, 50));
    expect(heard).toBe(0);
    expect(s.stats().connections).toBe(1);
    a.connect();
    await until(() => ra.state === 'joined', 2000, 'the rejoin');
    s.broadcast('room:lobby', 'tick', {});
    await until(() => heard === 1, 2000, 'the broadcast after reconnect');
  });
});

describe('SharedSocket fallbacks', () => {
  it('uses its own socket where SharedWorker does not exist, and says so in telemetry', async () => {
    const s = await chatServer();
    const a = tab(s.url, null);
    const seen = modes(a);
    a.connect();
    const room = a.channel('room:lobby');
    expect(await room.join()).toEqual({ hello: 'anon' });
    expect(a.mode).toBe('local');
    expect(seen).toEqual([{ mode: 'local', reason: 'no_shared_worker' }]);
    expect(await room.push('hi', { n: 1 })).toEqual({ echo: { n: 1 } });
  });

  it("uses its own socket with mode: 'local'", async () => {
    const s = await chatServer();
    const a = tab(s.url, host(), { mode: 'local' });
    const seen = modes(a);
    a.connect();
    await a.channel('room:lobby').join();
    expect(seen).toEqual([{ mode: 'local', reason: 'mode_option' }]);
  });

  it('falls back when the worker never answers, and sends what was waiting through its own socket', async () => {
    const s = await chatServer();
    const { port2 } = new MessageChannel();
    const a = tab(s.url, null, { createWorker: () => ({ port: port2, onerror: null }), workerStartTimeoutMs: 100, tabHeartbeatIntervalMs: 50, tabTimeoutMs: 150 });
    const seen = modes(a);
    a.connect();
    const room = a.channel('room:lobby');
    const joined = room.join();
    const pushed = room.push('hi', { early: true });
    expect(await joined).toEqual({ hello: 'anon' });
    expect(await pushed).toEqual({ echo: { early: true } });
    expect(seen).toEqual([
      { mode: 'shared-worker', reason: 'shared_worker' },
      { mode: 'local', reason: 'worker_start_timeout' },
    ]);
    port2.close();
  });

  it('falls back when the worker script fails to load (error event)', async () => {
    const s = await chatServer();
    const { port2 } = new MessageChannel();
    const worker: SharedWorkerLike = { port: port2, onerror: null };
    const a = tab(s.url, null, { createWorker: () => worker });
    const seen = modes(a);
    a.connect();
    const room = a.channel('room:lobby');
    const joined = room.join();
    await until(() => worker.onerror !== null, 1000, 'the link to listen for errors');
    worker.onerror?.(new Event('error'));
    await joined;
    expect(seen.at(-1)).toEqual({ mode: 'local', reason: 'worker_error' });
    port2.close();
  });

  it('rejoins through its own socket when the worker dies, failing pushes in flight with ConnectionLostError', async () => {
    const s = await chatServer();
    s.channel('slow:*', { handleIn: () => new Promise(() => {}) });
    const h = host();
    const a = tab(s.url, h, { tabHeartbeatIntervalMs: 30, tabTimeoutMs: 100 });
    const seen = modes(a);
    a.connect();
    const room = a.channel('room:lobby');
    await room.join();
    const slow = a.channel('slow:1');
    await slow.join();
    const inFlight = slow.push('never', {});
    let errors = 0;
    room.onError(() => errors++);
    await new Promise((r) => setTimeout(r, 20));
    h.close(); // the worker is gone: its ports close
    await expect(inFlight).rejects.toBeInstanceOf(ConnectionLostError);
    await until(() => room.state === 'joined' && a.mode === 'local', 3000, 'the rejoin over the own socket');
    expect(errors).toBe(1);
    expect(seen.at(-1)?.mode).toBe('local');
    expect(['worker_gone', 'worker_silent']).toContain(seen.at(-1)?.reason);
    let heard = 0;
    room.on('after', () => heard++);
    s.broadcast('room:lobby', 'after', {});
    await until(() => heard === 1, 2000, 'a broadcast over the own socket');
    expect(await room.push('hi', {})).toEqual({ echo: {} });
  });

  it('fails a push on a closed channel with ChannelClosedError', async () => {
    const s = await chatServer();
    const a = tab(s.url, host());
    a.connect();
    const room = a.channel('room:lobby');
    await room.join();
    room.leave();
    await expect(room.push('hi', {})).rejects.toBeInstanceOf(ChannelClosedError);
  });

  it('names an option that cannot cross into the worker', () => {
    expect(() => new SharedSocket('ws://x/socket', { reconnectAfterMs: (() => 5) as unknown as number })).toThrow(/reconnectAfterMs cannot be a function/);
    expect(() => new SharedSocket('ws://x/socket', { tabTimeoutMs: 10, tabHeartbeatIntervalMs: 10 })).toThrow(RangeError);
    expect(() => new SharedSocket('ws://x/socket', { mode: 'both' as 'auto' })).toThrow(TypeError);
  });
});
