/**
 * The official phoenix.js client (phoenix@1.8.16) against the testkit: if phoenix.js is happy, the
 * testkit speaks the real protocol.
 */
import { Presence } from 'phoenix';
import { describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { sleep } from './helpers/raw-client';
import { chatServer, connected, nextEvent, phoenixSockets, settle } from './helpers/phoenix-client';
import { useServer } from './helpers/server';

/** A phoenix.js socket tuned for fast tests. */
const phoenixSocket = phoenixSockets({ transport: WebSocket, timeout: 1000 });

describe('phoenix.js conformance', () => {
  it('connects over V2 by default', async () => {
    const server = await chatServer();
    const socket = phoenixSocket(server);
    const seen = server.waitFor('connection');
    await connected(socket);
    expect((await seen).vsn).toBe('2.0.0');
    expect(socket.isConnected()).toBe(true);
  });

  it('sees a refused connect as an error and never opens', async () => {
    const server = await chatServer({ connect: () => false });
    const socket = phoenixSocket(server);
    let opened = false;
    socket.onOpen(() => {
      opened = true;
    });
    const errored = new Promise<void>((resolve) => socket.onError(() => resolve()));
    socket.connect();
    await errored;
    await sleep(100);
    expect(opened).toBe(false);
    expect(server.stats().refusedConnections).toBeGreaterThanOrEqual(1);
  });

  it('sends the authToken, which the server decodes', async () => {
    // phoenix.js encodes with btoa (Latin-1 only) and sends the token as a subprotocol: keep it ASCII.
    const server = await chatServer({ connect: (_params, info) => info.authToken === 'secret-token.123' });
    const socket = phoenixSocket(server, { authToken: 'secret-token.123' });
    await connected(socket);
    expect(server.connections[0]?.authToken).toBe('secret-token.123');
  });

  it('joins ok with the join reply payload', async () => {
    const server = await chatServer();
    const socket = phoenixSocket(server);
    socket.connect();
    const channel = socket.channel('room:1', { user: 'ann' });
    expect(await settle(channel.join())).toEqual({ status: 'ok', response: { welcome: true } });
    expect(channel.state).toBe('joined');
  });

  it('gets a join error with the reply payload', async () => {
    const server = await chatServer();
    const socket = phoenixSocket(server);
    socket.connect();
    const channel = socket.channel('room:1', { deny: true });
    expect(await settle(channel.join())).toEqual({ status: 'error', response: { reason: 'unauthorized' } });
    expect(channel.state).toBe('errored');
  });

  it('gets pushes answered ok, error, or not at all (timeout)', async () => {
    const server = await chatServer();
    const socket = phoenixSocket(server);
    socket.connect();
    const channel = socket.channel('room:1');
    await settle(channel.join());
    expect(await settle(channel.push('ok', { n: 1 }))).toEqual({ status: 'ok', response: { n: 1 } });
    expect(await settle(channel.push('err', {}))).toEqual({ status: 'error', response: { reason: 'bad' } });
    expect(await settle(channel.push('silent', {}, 100))).toEqual({ status: 'timeout', response: undefined });
  });

  it('receives broadcasts from another client', async () => {
    const server = await chatServer();
    const a = phoenixSocket(server);
    const b = phoenixSocket(server);
    a.connect();
    b.connect();
    const ca = a.channel('room:1');
    const cb = b.channel('room:1');
    await settle(ca.join());
    await settle(cb.join());
    const received = nextEvent(cb, 'shout');
    await settle(ca.push('shout', { body: 'hi' }));
    expect(await received).toEqual({ body: 'hi' });
  });

  it('receives server pushes', async () => {
    const server = await chatServer();
    const socket = phoenixSocket(server);
    socket.connect();
    const channel = socket.channel('room:7');
    const hello = nextEvent(channel, 'hello');
    await settle(channel.join());
    expect(await hello).toEqual({ topic: 'room:7' });
  });

  it('speaks V1 with vsn 1.0.0 and JSON object frames', async () => {
    const server = await chatServer();
    const socket = phoenixSocket(server, {
      vsn: '1.0.0',
      encode: (message, callback) => callback(JSON.stringify(message)),
      decode: (raw, callback) => callback(JSON.parse(raw)),
    });
    socket.connect();
    const channel = socket.channel('room:1');
    const hello = nextEvent(channel, 'hello');
    expect(await settle(channel.join())).toEqual({ status: 'ok', response: { welcome: true } });
    expect(server.connections[0]?.vsn).toBe('1.0.0');
    expect(await settle(channel.push('ok', { v: 1 }))).toEqual({ status: 'ok', response: { v: 1 } });
    expect(await hello).toEqual({ topic: 'room:1' });
  });

  it('sends an ArrayBuffer push as a binary frame the channel receives as bytes', async () => {
    const server = await chatServer();
    const socket = phoenixSocket(server);
    socket.connect();
    const channel = socket.channel('room:1');
    await settle(channel.join());
    const binarySeen = server.waitFor('message', (e) => e.message.event === 'size');
    const outcome = await settle(channel.push('size', new Uint8Array([1, 2, 3]).buffer));
    expect(outcome).toEqual({ status: 'ok', response: { size: 3, binary: true } });
    expect((await binarySeen).message.binary).toBe(true);
  });

  it('receives a binary reply as an ArrayBuffer', async () => {
    const server = await chatServer();
    const socket = phoenixSocket(server);
    socket.connect();
    const channel = socket.channel('room:1');
    await settle(channel.join());
    const outcome = await settle(channel.push('bytes', {}));
    expect(outcome.status).toBe('ok');
    expect(outcome.response).toBeInstanceOf(ArrayBuffer);
    expect([...new Uint8Array(outcome.response as ArrayBuffer)]).toEqual([1, 2, 3, 4]);
  });

  it('receives a binary broadcast as an ArrayBuffer', async () => {
    const server = await chatServer();
    const socket = phoenixSocket(server);
    socket.connect();
    const channel = socket.channel('room:1');
    await settle(channel.join());
    const blob = nextEvent(channel, 'blob');
    server.broadcast('room:1', 'blob', new Uint8Array([9, 8, 7]));
    const payload = await blob;
    expect(payload).toBeInstanceOf(ArrayBuffer);
    expect([...new Uint8Array(payload as ArrayBuffer)]).toEqual([9, 8, 7]);
  });

  it('drives phoenix.js Presence: onJoin, onLeave, onSync and list', async () => {
    const server = await useServer();
    server.channel('room:*', {
      presence: true,
      join: (_topic, params, socket) => {
        socket.assigns['user'] = params['user'];
      },
      afterJoin: (socket) => {
        server.track(socket, socket.topic, String(socket.assigns['user']), { device: 'test' });
      },
    });
    const a = phoenixSocket(server);
    a.connect();
    const channel = a.channel('room:1', { user: 'ann' });
    const presence = new Presence(channel);
    const joins: string[] = [];
    const leaves: string[] = [];
    let syncs = 0;
    presence.onJoin((key?: string, current?: unknown) => {
      if (key !== undefined && !current) joins.push(key);
    });
    presence.onLeave((key?: string, current?: { metas: unknown[] }) => {
      if (key !== undefined && current?.metas.length === 0) leaves.push(key);
    });
    presence.onSync(() => {
      syncs++;
    });
    await settle(channel.join());
    const until = async (check: () => boolean) => {
      for (let i = 0; i < 100 && !check(); i++) await sleep(10);
      expect(check()).toBe(true);
    };
    await until(() => joins.includes('ann'));

    const b = phoenixSocket(server);
    b.connect();
    const other = b.channel('room:1', { user: 'bob' });
    await settle(other.join());
    await until(() => joins.includes('bob'));
    const listed = presence.list((key: string, { metas }: { metas: Array<{ device: string }> }) => `${key}:${metas[0]?.device}`);
    expect(listed.sort()).toEqual(['ann:test', 'bob:test']);

    await settle(other.leave());
    await until(() => leaves.includes('bob'));
    expect(presence.list((key: string) => key)).toEqual(['ann']);
    expect(syncs).toBeGreaterThanOrEqual(3);
  });

  it('rejoins after a handler crash (phx_error)', async () => {
    const server = await chatServer();
    const socket = phoenixSocket(server);
    socket.connect();
    const channel = socket.channel('room:1');
    await settle(channel.join());
    const errored = new Promise<void>((resolve) => channel.onError(() => resolve()));
    const rejoined = server.waitFor('join', (e) => e.topic === 'room:1' && e.status === 'ok');
    channel.push('crash', {});
    await errored;
    await rejoined;
    for (let i = 0; i < 50 && channel.state !== 'joined'; i++) await sleep(10);
    expect(channel.state).toBe('joined');
    expect(server.stats()).toMatchObject({ joins: 2, crashes: 1 });
  });

  it('reconnects and rejoins after dropAll', async () => {
    const server = await chatServer();
    const socket = phoenixSocket(server);
    await connected(socket);
    const channel = socket.channel('room:1');
    await settle(channel.join());
    const reconnected = server.waitFor('connection');
    const rejoined = server.waitFor('join', (e) => e.status === 'ok');
    await server.dropAll();
    await reconnected;
    await rejoined;
    expect(server.stats().totalConnections).toBe(2);
    expect(await settle(channel.push('ok', { after: 'drop' }))).toEqual({ status: 'ok', response: { after: 'drop' } });
  });

  it('gets its heartbeats replied, so it stays on one connection', async () => {
    const server = await chatServer();
    const socket = phoenixSocket(server, { heartbeatIntervalMs: 25 });
    await connected(socket);
    await sleep(200);
    expect(server.stats().heartbeats).toBeGreaterThanOrEqual(4);
    expect(server.stats().totalConnections).toBe(1);
    expect(socket.isConnected()).toBe(true);
  });

  it('detects a stalled server by heartbeat timeout and reconnects after resume', async () => {
    const server = await chatServer();
    const socket = phoenixSocket(server, { heartbeatIntervalMs: 30 });
    await connected(socket);
    const channel = socket.channel('room:1');
    await settle(channel.join());
    const errored = new Promise<void>((resolve) => channel.onError(() => resolve()));
    server.stall();
    await errored;
    const rejoined = server.waitFor('join', (e) => e.status === 'ok');
    const reconnected = server.waitFor('connection');
    server.resume();
    await reconnected;
    await rejoined;
    expect(server.stats().totalConnections).toBeGreaterThanOrEqual(2);
  });
});
