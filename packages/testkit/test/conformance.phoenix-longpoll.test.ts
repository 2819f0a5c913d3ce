/**
 * The official phoenix.js client (phoenix@1.8.16) over LongPoll against the testkit's `/socket/longpoll`.
 * In Node 20 phoenix.js's Ajax finds no XMLHttpRequest and uses `fetch` + `AbortController`, so no shim is
 * needed.
 */
import { LongPoll, Presence } from 'phoenix';
import { describe, expect, it } from 'vitest';
import type { ServerOptions, TestServer } from '../src/index';
import { sleep } from './helpers/raw-client';
import { chatServer as roomServer, connected, nextEvent, phoenixSockets, settle } from './helpers/phoenix-client';
import { useServer } from './helpers/server';

const longPollSocket = phoenixSockets({ transport: LongPoll, timeout: 2000, longpollerTimeout: 3000 });

/** The chat room with a short LongPoll window, so empty polls come back quickly. */
const chatServer = (options: ServerOptions = {}): Promise<TestServer> => roomServer({ longPollWindowMs: 500, ...options });

async function until(check: () => boolean): Promise<void> {
  for (let i = 0; i < 200 && !check(); i++) await sleep(10);
  expect(check()).toBe(true);
}

describe('phoenix.js conformance over LongPoll', () => {
  it('opens a session with the connect params and vsn 2.0.0', async () => {
    const server = await chatServer();
    const socket = longPollSocket(server, { params: { user: 'ann' } });
    const seen = server.waitFor('connection');
    await connected(socket);
    const connection = await seen;
    expect(connection.transport).toBe('longpoll');
    expect(connection.vsn).toBe('2.0.0');
    expect(connection.params).toMatchObject({ user: 'ann', vsn: '2.0.0' });
  });

  it('sends the authToken as the X-Phoenix-AuthToken header', async () => {
    const server = await chatServer({ connect: (_params, info) => info.authToken === 'lp-token.1' });
    const socket = longPollSocket(server, { authToken: 'lp-token.1' });
    await connected(socket);
    expect(server.connections[0]?.authToken).toBe('lp-token.1');
  });

  it('sees a refused connect (403) as an error and never opens', async () => {
    const server = await chatServer({ connect: () => false });
    const socket = longPollSocket(server);
    let opened = false;
    socket.onOpen(() => {
      opened = true;
    });
    const errored = new Promise<void>((resolve) => socket.onError(() => resolve()));
    socket.connect();
    await errored;
    await sleep(50);
    expect(opened).toBe(false);
    expect(server.stats().refusedConnections).toBeGreaterThanOrEqual(1);
  });

  it('joins, pushes with replies, and receives server pushes', async () => {
    const server = await chatServer();
    const socket = longPollSocket(server);
    socket.connect();
    const channel = socket.channel('room:1');
    const hello = nextEvent(channel, 'hello');
    expect(await settle(channel.join())).toEqual({ status: 'ok', response: { welcome: true } });
    expect(await hello).toEqual({ topic: 'room:1' });
    expect(await settle(channel.push('ok', { n: 1 }))).toEqual({ status: 'ok', response: { n: 1 } });
    const denied = socket.channel('room:2', { deny: true });
    expect(await settle(denied.join())).toEqual({ status: 'error', response: { reason: 'unauthorized' } });
  });

  it('receives broadcasts from a WebSocket-less peer on the same topic', async () => {
    const server = await chatServer();
    const a = longPollSocket(server);
    const b = longPollSocket(server);
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

  it('keeps the session across empty poll windows (204) without heartbeats', async () => {
    const server = await chatServer({ longPollWindowMs: 100 });
    const socket = longPollSocket(server);
    await connected(socket);
    const channel = socket.channel('room:1');
    await settle(channel.join());
    await sleep(450);
    expect(server.stats()).toMatchObject({ totalConnections: 1, heartbeats: 0 });
    expect(await settle(channel.push('ok', { still: 'here' }))).toEqual({ status: 'ok', response: { still: 'here' } });
  });

  it('drives phoenix.js Presence over LongPoll', async () => {
    const server = await useServer({ longPollWindowMs: 500 });
    server.channel('room:*', {
      presence: true,
      join: (_topic, params, socket) => {
        socket.assigns['user'] = params['user'];
      },
      afterJoin: (socket) => {
        server.track(socket, socket.topic, String(socket.assigns['user']), {});
      },
    });
    const a = longPollSocket(server);
    a.connect();
    const channel = a.channel('room:1', { user: 'ann' });
    const presence = new Presence(channel);
    await settle(channel.join());
    const b = longPollSocket(server);
    b.connect();
    await settle(b.channel('room:1', { user: 'bob' }).join());
    await until(() => presence.list((key: string) => key).length === 2);
    expect(presence.list((key: string) => key).sort()).toEqual(['ann', 'bob']);
  });

  it('reconnects and rejoins when dropAll ends its session (410)', async () => {
    const server = await chatServer();
    const socket = longPollSocket(server);
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

  it('ends a session nobody polls for a window', async () => {
    const server = await chatServer({ longPollWindowMs: 100 });
    const socket = longPollSocket(server, { reconnectAfterMs: () => 60_000 });
    await connected(socket);
    const gone = server.waitFor('disconnect');
    socket.disconnect();
    expect((await gone).reason).toBe('longpoll session expired');
  });
});
