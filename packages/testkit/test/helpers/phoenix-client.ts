/**
 * Driving the official phoenix.js client in the conformance suites: sockets tuned for fast tests and
 * disconnected after each test, push outcomes as promises, and the chat room both suites talk to.
 */
import { Socket, type Channel, type SocketConnectOption } from 'phoenix';
import { afterEach } from 'vitest';
import type { ServerOptions, TestServer } from '../../src/index';
import { useServer } from './server';

/**
 * Returns a factory of phoenix.js sockets with `defaults` (transport, timeouts) and 20 ms reconnect and
 * rejoin delays; every socket it made is disconnected after each test of the calling suite.
 */
export function phoenixSockets(
  defaults: Partial<SocketConnectOption>,
): (server: TestServer, options?: Partial<SocketConnectOption>) => Socket {
  const sockets: Socket[] = [];
  afterEach(() => {
    for (const socket of sockets.splice(0)) socket.disconnect();
  });
  return (server, options = {}) => {
    const socket = new Socket(server.url, { reconnectAfterMs: () => 20, rejoinAfterMs: () => 20, ...defaults, ...options });
    sockets.push(socket);
    return socket;
  };
}

/** Connects and resolves once the socket is open. */
export function connected(socket: Socket): Promise<void> {
  return new Promise((resolve) => {
    socket.onOpen(() => resolve());
    socket.connect();
  });
}

export type Outcome = { status: 'ok' | 'error' | 'timeout'; response: unknown };

/** Whichever of ok / error / timeout the push ends with. */
export function settle(push: ReturnType<Channel['push']>): Promise<Outcome> {
  return new Promise((resolve) => {
    push
      .receive('ok', (response: unknown) => resolve({ status: 'ok', response }))
      .receive('error', (response: unknown) => resolve({ status: 'error', response }))
      .receive('timeout', () => resolve({ status: 'timeout', response: undefined }));
  });
}

/** The payload of the next `event` on `channel`. */
export function nextEvent(channel: Channel, event: string): Promise<unknown> {
  return new Promise((resolve) => {
    const ref = channel.on(event, (payload: unknown) => {
      channel.off(event, ref);
      resolve(payload);
    });
  });
}

/**
 * A server with `room:*`: join refused with `{deny: true}`, a `hello` push after join, and events that
 * answer ok (echo), err, silent (no reply), shout (broadcast), size / bytes (binary), crash (throws).
 */
export async function chatServer(options: ServerOptions = {}): Promise<TestServer> {
  const server = await useServer(options);
  server.channel('room:*', {
    join: (_topic, params) => (params['deny'] ? { error: { reason: 'unauthorized' } } : { ok: { welcome: true } }),
    afterJoin: (socket) => socket.push('hello', { topic: socket.topic }),
    handleIn(event, payload, socket) {
      switch (event) {
        case 'ok':
          return { reply: 'ok', response: payload };
        case 'err':
          return { reply: 'error', response: { reason: 'bad' } };
        case 'silent':
          return { noreply: true };
        case 'shout':
          socket.broadcast('shout', payload);
          return { reply: 'ok' };
        case 'size':
          return { reply: 'ok', response: { size: (payload as Uint8Array).byteLength, binary: payload instanceof Uint8Array } };
        case 'bytes':
          return { reply: 'ok', response: new Uint8Array([1, 2, 3, 4]) };
        case 'crash':
          throw new Error('handler crashed');
        default:
          return undefined;
      }
    },
  });
  return server;
}
