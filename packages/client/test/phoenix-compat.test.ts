/**
 * One suite written against the phoenix.js API, run four ways: the official `phoenix` client, ours
 * with the same options (a `ws` transport passed phoenix.js-style), ours with no transport option, and
 * the lite entry `@phx-socket/client/lite`. Only the import differs; every expectation is the same, so
 * ours behaves as a drop-in. What the lite client deliberately leaves out is listed per variant in
 * `Caps`, and only the tests of those features are skipped for it.
 */
import * as phoenix from 'phoenix';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { startServer, type TestServer } from '@phx-socket/testkit';
import * as ours from '../src/index';
import * as lite from '../src/lite/index';

/** The slice of the phoenix.js API this suite uses, typed loosely on purpose: two libraries fill it. */
interface PushLike {
  receive(status: string, cb: (response: any) => void): PushLike;
}
interface ChannelLike {
  state: string;
  join(timeout?: number): PushLike;
  leave(timeout?: number): PushLike;
  push(event: string, payload: unknown, timeout?: number): PushLike;
  on(event: string, cb: (payload: any) => void): number;
  off(event: string, ref?: number): void;
  onClose(cb: () => void): number;
  onError(cb: (reason?: unknown) => void): number;
}
interface SocketLike {
  connect(): void;
  disconnect(cb?: () => void, code?: number, reason?: string): void;
  isConnected(): boolean;
  connectionState(): string;
  endPointURL(): string;
  makeRef(): string;
  channel(topic: string, params?: object): ChannelLike;
  onOpen(cb: () => void): string;
  onClose(cb: (event?: unknown) => void): string;
  onError(cb: (error?: unknown) => void): string;
  onMessage(cb: (msg: any) => void): string;
  off(refs: string[]): void;
  ping(cb: (latencyMs: number) => void): boolean;
}
interface PresenceLike {
  onJoin(cb: (key: string, current: any, joined: any) => void): void;
  onLeave(cb: (key: string, current: any, left: any) => void): void;
  onSync(cb: () => void): void;
  list<T>(chooser?: (key: string, entry: any) => T): T[];
}
interface Lib {
  Socket: new (url: string, opts?: Record<string, unknown>) => SocketLike;
  Presence: new (channel: ChannelLike) => PresenceLike;
}

/** Optional features of the phoenix.js API; a variant without one skips exactly the tests that use it. */
interface Caps {
  /** `socket.ping(cb)`. */
  readonly ping: boolean;
  /** The `vsn` option with `encode`/`decode` callbacks (V1 JSON objects). */
  readonly serializerCallbacks: boolean;
  /** Binary frames with the client's default serializer. */
  readonly binary: boolean;
}

const FULL: Caps = { ping: true, serializerCallbacks: true, binary: true };
/** The lite client has no `ping`, no `vsn`/`encode`/`decode` callback options (and no LongPoll). */
const LITE: Caps = { ping: false, serializerCallbacks: false, binary: true };
/** Lite's default serializer is JSON text only (binary takes `serializer: v2Serializer`, the variant above). */
const LITE_DEFAULTS: Caps = { ...LITE, binary: false };

const variants: [string, Lib, Record<string, unknown>, Caps][] = [
  ['phoenix', phoenix as unknown as Lib, { transport: WebSocket }, FULL],
  ['phx-socket (ws transport passed)', ours as unknown as Lib, { transport: WebSocket }, FULL],
  ['phx-socket (default transport)', ours as unknown as Lib, {}, FULL],
  ['phx-socket/lite', lite as unknown as Lib, { transport: WebSocket, serializer: lite.v2Serializer }, LITE],
  ['phx-socket/lite (default serializer)', lite as unknown as Lib, { transport: WebSocket }, LITE_DEFAULTS],
];

function until(cond: () => boolean, timeoutMs = 3000): Promise<void> {
  return new Promise((resolve, reject) => {
    const started = Date.now();
    const tick = (): void => {
      if (cond()) return resolve();
      if (Date.now() - started > timeoutMs) return reject(new Error('condition not met in time'));
      setTimeout(tick, 5);
    };
    tick();
  });
}

function receive(push: PushLike): Promise<{ status: string; response: any }> {
  return new Promise((resolve) => {
    for (const status of ['ok', 'error', 'timeout']) push.receive(status, (response) => resolve({ status, response }));
  });
}

describe.each(variants)('phoenix.js API against the testkit: %s', (_name, lib, transportOpts, caps) => {
  let server: TestServer;
  let socket: SocketLike;
  const make = (opts: Record<string, unknown> = {}): SocketLike => {
    socket = new lib.Socket(server.url, { reconnectAfterMs: () => 20, rejoinAfterMs: () => 20, ...transportOpts, ...opts });
    return socket;
  };

  beforeEach(async () => {
    server = await startServer();
    server.channel('room:*', {
      join: (topic, params) => (params.deny ? { error: { reason: 'denied' } } : { ok: { topic } }),
      handleIn: (event, payload, chan) => {
        switch (event) {
          case 'echo':
            return { reply: 'ok', response: payload };
          case 'fail':
            return { reply: 'error', response: { reason: 'nope' } };
          case 'silent':
            return { noreply: true };
          case 'shout':
            chan.broadcast('shout', payload);
            return { noreply: true };
          case 'poke':
            chan.push('poked', payload);
            return { noreply: true };
          case 'crash':
            throw new Error('handler crashed on purpose');
          default:
            return { reply: 'error', response: { reason: 'unknown' } };
        }
      },
    });
  });

  afterEach(async () => {
    socket?.disconnect();
    await server.close();
  });

  it('opens, reports open, and builds the endpoint URL as phoenix.js does', async () => {
    make({ params: { user: 'ana' } });
    let opened = false;
    socket.onOpen(() => (opened = true));
    socket.connect();
    await until(() => opened);
    expect(socket.isConnected()).toBe(true);
    expect(socket.connectionState()).toBe('open');
    expect(socket.endPointURL()).toBe(`${server.url}/websocket?user=ana&vsn=2.0.0`);
    expect(Number(socket.makeRef())).toBeLessThan(Number(socket.makeRef()));
  });

  it('fires onError and never opens when the server refuses the connection', async () => {
    await server.close();
    server = await startServer({ connect: () => false });
    make({ reconnectAfterMs: () => 10_000 });
    let errors = 0;
    let opened = false;
    socket.onError(() => errors++);
    socket.onOpen(() => (opened = true));
    socket.connect();
    await until(() => errors > 0);
    expect(opened).toBe(false);
  });

  it('joins with ok and receives the join response', async () => {
    make();
    socket.connect();
    const chan = socket.channel('room:1', { user: 'ana' });
    expect(await receive(chan.join())).toEqual({ status: 'ok', response: { topic: 'room:1' } });
    expect(chan.state).toBe('joined');
  });

  it('gets an error reply when the join is refused', async () => {
    make();
    socket.connect();
    const chan = socket.channel('room:1', { deny: true });
    expect(await receive(chan.join())).toEqual({ status: 'error', response: { reason: 'denied' } });
  });

  it('gets ok, error and timeout for pushes', async () => {
    make();
    socket.connect();
    const chan = socket.channel('room:1');
    await receive(chan.join());
    expect(await receive(chan.push('echo', { a: 1 }))).toEqual({ status: 'ok', response: { a: 1 } });
    expect(await receive(chan.push('fail', {}))).toEqual({ status: 'error', response: { reason: 'nope' } });
    expect((await receive(chan.push('silent', {}, 50))).status).toBe('timeout');
  });

  it('receives broadcasts and server pushes through on, and stops after off', async () => {
    make();
    socket.connect();
    const chan = socket.channel('room:1');
    await receive(chan.join());
    const shouts: unknown[] = [];
    const pokes: unknown[] = [];
    const ref = chan.on('shout', (p) => shouts.push(p));
    chan.on('poked', (p) => pokes.push(p));
    chan.push('shout', { n: 1 });
    chan.push('poke', { n: 2 });
    await until(() => shouts.length === 1 && pokes.length === 1);
    expect(shouts).toEqual([{ n: 1 }]);
    expect(pokes).toEqual([{ n: 2 }]);
    chan.off('shout', ref);
    chan.push('shout', { n: 3 });
    chan.push('poke', { n: 4 });
    await until(() => pokes.length === 2);
    expect(shouts).toEqual([{ n: 1 }]);
  });

  it('sees every inbound message through socket.onMessage', async () => {
    make();
    const seen: string[] = [];
    socket.onMessage((msg) => seen.push(`${msg.topic}:${msg.event}`));
    socket.connect();
    const chan = socket.channel('room:1');
    await receive(chan.join());
    expect(seen).toContain('room:1:phx_reply');
  });

  it('leaves: the leave push is ok and onClose fires', async () => {
    make();
    socket.connect();
    const chan = socket.channel('room:1');
    await receive(chan.join());
    let closed = false;
    chan.onClose(() => (closed = true));
    expect((await receive(chan.leave())).status).toBe('ok');
    await until(() => closed);
    expect(chan.state).toBe('closed');
  });

  it('tracks presence through Presence onJoin, onLeave, onSync and list', async () => {
    server.channel('lobby:*', {
      presence: true,
      join: () => ({ ok: {} }),
      afterJoin: (s) => void server.track(s, s.topic, String(s.params.user), { online: true }),
    });
    make({ params: { user: 'ana' } });
    socket.connect();
    const other = new lib.Socket(server.url, { params: { user: 'bob' }, ...transportOpts });
    other.connect();
    try {
      const chan = socket.channel('lobby:1');
      const presence = new lib.Presence(chan);
      const joins: string[] = [];
      const leaves: string[] = [];
      let syncs = 0;
      presence.onJoin((key) => joins.push(key));
      presence.onLeave((key) => leaves.push(key));
      presence.onSync(() => syncs++);
      await receive(chan.join());
      await until(() => joins.includes('ana'));
      const otherChan = other.channel('lobby:1');
      await receive(otherChan.join());
      await until(() => joins.includes('bob'));
      expect(presence.list((key) => key).sort()).toEqual(['ana', 'bob']);
      await receive(otherChan.leave());
      await until(() => leaves.includes('bob'));
      expect(presence.list((key) => key)).toEqual(['ana']);
      expect(syncs).toBeGreaterThanOrEqual(3);
    } finally {
      other.disconnect();
    }
  });

  it('errors and rejoins when the channel process crashes', async () => {
    make();
    socket.connect();
    const chan = socket.channel('room:1');
    let joins = 0;
    let errors = 0;
    chan.join().receive('ok', () => joins++);
    chan.onError(() => errors++);
    await until(() => joins === 1);
    chan.push('crash', {});
    await until(() => errors === 1 && joins === 2);
    expect((await receive(chan.push('echo', { after: 'crash' }))).response).toEqual({ after: 'crash' });
  });

  it('reconnects and rejoins after the server drops every connection', async () => {
    make();
    let opens = 0;
    socket.onOpen(() => opens++);
    socket.connect();
    const chan = socket.channel('room:1');
    let joins = 0;
    chan.join().receive('ok', () => joins++);
    await until(() => joins === 1);
    await server.dropAll();
    await until(() => opens === 2 && joins === 2);
    expect((await receive(chan.push('echo', { back: true }))).response).toEqual({ back: true });
  });

  it('stops for good on disconnect: the callback runs, onClose fires, nothing reconnects', async () => {
    make();
    let opens = 0;
    let closes = 0;
    socket.onOpen(() => opens++);
    socket.onClose(() => closes++);
    socket.connect();
    await until(() => opens === 1);
    await new Promise<void>((resolve) => socket.disconnect(resolve));
    await until(() => closes === 1);
    await new Promise((r) => setTimeout(r, 100));
    expect(opens).toBe(1);
    expect(socket.isConnected()).toBe(false);
  });

  it('removes callbacks with off(refs)', async () => {
    make();
    let opens = 0;
    const ref = socket.onOpen(() => opens++);
    socket.off([ref]);
    let other = 0;
    socket.onOpen(() => other++);
    socket.connect();
    await until(() => other === 1);
    expect(opens).toBe(0);
  });

  it.skipIf(!caps.ping)('measures a heartbeat round trip with ping', async () => {
    make();
    socket.connect();
    await until(() => socket.isConnected());
    const latency = await new Promise<number>((resolve) => expect(socket.ping(resolve)).toBe(true));
    expect(latency).toBeGreaterThanOrEqual(0);
  });

  it.skipIf(!caps.serializerCallbacks)('speaks V1 when vsn is 1.0.0 with V1 encode/decode callbacks', async () => {
    // phoenix.js's built-in serializer only speaks V2, so a V1 app passes JSON object callbacks.
    make({
      vsn: '1.0.0',
      encode: (msg: object, cb: (frame: string) => void) => cb(JSON.stringify(msg)),
      decode: (raw: string, cb: (msg: object) => void) => cb(JSON.parse(raw)),
    });
    socket.connect();
    const chan = socket.channel('room:1');
    await receive(chan.join());
    expect(await receive(chan.push('echo', { v: 1 }))).toEqual({ status: 'ok', response: { v: 1 } });
    expect(server.connections[0]?.vsn).toBe('1.0.0');
  });

  it.skipIf(!caps.binary)('pushes an ArrayBuffer as a binary frame and gets binary replies byte-exact', async () => {
    make();
    socket.connect();
    const chan = socket.channel('room:1');
    await receive(chan.join());
    const bytes = new Uint8Array([0, 1, 2, 250, 255]);
    const { status, response } = await receive(chan.push('echo', bytes.buffer.slice(0)));
    expect(status).toBe('ok');
    expect(response).toBeInstanceOf(ArrayBuffer);
    expect([...new Uint8Array(response as ArrayBuffer)]).toEqual([0, 1, 2, 250, 255]);
  });
});
