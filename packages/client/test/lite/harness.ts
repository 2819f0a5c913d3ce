/**
 * Harness for the lite client suites: a testkit server per test, lite sockets that are always torn down,
 * and small promise helpers that wait for a callback or a condition instead of sleeping.
 */
import type { TestServer } from '@phx-socket/testkit';
import { afterEach, vi } from 'vitest';
import WebSocket from 'ws';
import { Socket, type LiteCloseEvent, type LiteSocketOptions, type Push } from '../../src/lite/index';

// The server factory (closed after each test) and the polling wait are the full client's; only sockets differ.
import { server, until } from '../helpers/harness';
export { server, until };

/** `ws`'s WebSocket: Node 20 has no global one. */
export const WS = WebSocket;

/**
 * Fast reconnects and rejoins so suites finish in milliseconds. The heartbeat stays relaxed (a tight one
 * can miss on a loaded machine and reconnect mid-test); heartbeat tests set their own.
 */
export const FAST: LiteSocketOptions = Object.freeze({
  transport: WS,
  heartbeatIntervalMs: 5000,
  reconnectAfterMs: () => 20,
  rejoinAfterMs: () => 20,
});

const sockets: Socket[] = [];

afterEach(() => {
  vi.restoreAllMocks();
  vi.unstubAllGlobals();
  for (const s of sockets.splice(0)) s.disconnect();
});

/** A lite socket on `url` (FAST options under `options`), disconnected after the test. */
export function socket(url: string, options: LiteSocketOptions = {}): Socket {
  const s = new Socket(url, { ...FAST, ...options });
  sockets.push(s);
  return s;
}

export function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

/** Resolves at the socket's next onOpen. */
export function nextOpen(target: Socket): Promise<void> {
  return new Promise((resolve) => {
    const ref = target.onOpen(() => {
      target.off([ref]);
      resolve();
    });
  });
}

/** Resolves with the socket's next onClose event. */
export function nextClose(target: Socket): Promise<LiteCloseEvent> {
  return new Promise((resolve) => {
    const ref = target.onClose((event) => {
      target.off([ref]);
      resolve(event);
    });
  });
}

/** Resolves with what the socket's next onError callback receives. */
export function nextError(target: Socket): Promise<unknown> {
  return new Promise((resolve) => {
    const ref = target.onError((error) => {
      target.off([ref]);
      resolve(error);
    });
  });
}

/** Connects and resolves once open. */
export async function connected(target: Socket): Promise<Socket> {
  const open = nextOpen(target);
  target.connect();
  await open;
  return target;
}

/** The first outcome of `push`, as `receive` hooks report it. */
export function outcome(push: Push): Promise<{ status: string; response: unknown }> {
  return new Promise((resolve) => {
    for (const status of ['ok', 'error', 'timeout'] as const) push.receive(status, (response) => resolve({ status, response }));
  });
}

/** Rejection reason of `promise` (fails when it resolves). */
export async function rejection(promise: PromiseLike<unknown>): Promise<unknown> {
  try {
    await promise;
  } catch (error) {
    return error;
  }
  throw new Error('expected the promise to reject, but it resolved');
}

/**
 * `room:*`: joins unless `params.deny`; pushes: `fail` → error reply, `silent` → no reply, `shout` →
 * broadcast, `poke` → server push `poked`, `crash` → handler throws (phx_error), `bye` → stop normal
 * (phx_close); anything else is echoed as an ok reply.
 */
export function echoRooms(s: TestServer): void {
  s.channel('room:*', {
    join: (topic, params) => (params.deny ? { error: { reason: 'denied' } } : { ok: { topic } }),
    handleIn: (event, payload, channel) => {
      switch (event) {
        case 'fail':
          return { reply: 'error', response: { reason: 'nope' } };
        case 'silent':
          return { noreply: true };
        case 'shout':
          channel.broadcast('shout', payload);
          return { noreply: true };
        case 'poke':
          channel.push('poked', payload);
          return { noreply: true };
        case 'crash':
          throw new Error('handler crashed on purpose');
        case 'bye':
          return { stop: 'normal' };
        default:
          return { reply: 'ok', response: payload };
      }
    },
  });
}

/** Pushes (event names) the server received on `topic`, in order. */
export function received(s: TestServer, topic: string): string[] {
  const events: string[] = [];
  s.on('message', ({ message }) => {
    if (message.topic === topic) events.push(message.event);
  });
  return events;
}

/** The usual start of a test: a server with `echoRooms`, and a lite socket connected to it. */
export async function echoClient(options: LiteSocketOptions = {}): Promise<{ s: TestServer; client: Socket }> {
  const s = await server();
  echoRooms(s);
  return { s, client: await connected(socket(s.url, options)) };
}
