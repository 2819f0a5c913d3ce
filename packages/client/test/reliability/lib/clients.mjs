// The three clients the reliability scenarios compare, behind one small adapter:
//
//   const client = makeClient('ours' | 'lite' | 'phoenix', url, options)
//   client.connect(); const room = client.channel('rel:0');
//   await room.join(timeoutMs)  → Outcome        await room.push(event, payload, timeoutMs) → Outcome
//   room.joined()  room.on(event, fn)  client.opens  client.disconnect()
//
// An Outcome is { status: 'ok', response } or { status: 'error' | 'timeout', code, typed }: `typed` says
// whether the app got an error object with a stable `code` it can switch on (phoenix.js gives a status
// string only). `@phx-socket/client` resolves to the TypeScript sources under vitest (its aliases) and to
// dist/ under plain node (the long run and the child processes), so one scenario file serves both.
import { Socket } from '@phx-socket/client';
import { Socket as LiteSocket } from '@phx-socket/client/lite';
import { Socket as PhoenixSocket } from 'phoenix';
import WebSocket from 'ws';

/** Client kinds in the order the report lists them. @type {readonly ['ours', 'lite', 'phoenix']} */
export const KINDS = Object.freeze(['ours', 'lite', 'phoenix']);

/**
 * Options every scenario may set; each client gets the ones it understands. `ours` holds options only
 * `@phx-socket/client` has (heartbeatTimeoutMs, healthyAfterMs, circuitBreaker, inFlightPolicy, ...).
 * @typedef {{ params?: Record<string, unknown>, timeout?: number, heartbeatIntervalMs?: number,
 *   reconnectAfterMs?: (tries: number) => number, rejoinAfterMs?: (tries: number) => number,
 *   ours?: Record<string, unknown> }} ClientOptions
 */

/** @typedef {{ status: 'ok', response: unknown } | { status: 'error' | 'timeout', code: string, typed: boolean, response?: unknown }} Outcome */

const BASE = Object.freeze({ reconnectAfterMs: () => 20, rejoinAfterMs: () => 20, heartbeatIntervalMs: 5000 });

function settle(push) {
  // Ours and lite: await the push; a rejection is a PhxError with a stable code.
  return Promise.resolve(push).then(
    (response) => ({ status: 'ok', response }),
    (error) => {
      const code = typeof error?.code === 'string' ? error.code : String(error);
      return { status: code.endsWith('timeout') ? 'timeout' : 'error', code, typed: error instanceof Error && typeof error.code === 'string', response: error?.response };
    },
  );
}

function receive(push) {
  // phoenix.js: only receive hooks, and a status string.
  return new Promise((resolve) => {
    push
      .receive('ok', (response) => resolve({ status: 'ok', response }))
      .receive('error', (response) => resolve({ status: 'error', code: response?.reason ?? 'error', typed: false, response }))
      .receive('timeout', () => resolve({ status: 'timeout', code: 'timeout', typed: false }));
  });
}

/**
 * @param {'ours' | 'lite' | 'phoenix'} kind
 * @param {string} url
 * @param {ClientOptions} [options]
 */
export function makeClient(kind, url, options = {}) {
  const { ours = {}, ...common } = options;
  const shared = { ...BASE, ...common };
  let socket;
  if (kind === 'ours') socket = new Socket(url, { jitter: 'none', ...shared, ...ours });
  else if (kind === 'lite') socket = new LiteSocket(url, { transport: WebSocket, ...shared });
  else if (kind === 'phoenix') socket = new PhoenixSocket(url, { transport: WebSocket, ...shared });
  else throw new Error(`unknown client kind '${kind}'`);
  const outcome = kind === 'phoenix' ? receive : settle;
  const client = {
    kind,
    socket,
    /** How often the socket opened. */
    opens: 0,
    /** Errors the socket reported to onError. */
    errors: 0,
    connect: () => socket.connect(),
    isConnected: () => socket.isConnected(),
    /** Resolves once the socket closed (phoenix.js calls the callback after the close). */
    disconnect: () => new Promise((resolve) => socket.disconnect(() => resolve())),
    channel(topic, params = {}) {
      const channel = socket.channel(topic, params);
      return {
        topic,
        channel,
        join: (timeoutMs) => outcome(channel.join(timeoutMs)),
        push: (event, payload, timeoutMs) => outcome(channel.push(event, payload, timeoutMs)),
        on: (event, fn) => channel.on(event, fn),
        joined: () => channel.state === 'joined',
        state: () => channel.state,
      };
    },
  };
  socket.onOpen(() => client.opens++);
  socket.onError(() => client.errors++);
  return client;
}

export const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

/** Polls `predicate` every 5 ms; resolves with the ms it took, or rejects after `timeoutMs`. */
export async function until(predicate, timeoutMs, what) {
  const start = performance.now();
  while (!predicate()) {
    if (performance.now() - start > timeoutMs) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await sleep(5);
  }
  return performance.now() - start;
}

/** Resolves with `promise`'s value, or with `fallback` once `ms` passed: a watchdog for "never hangs". */
export function within(promise, ms, fallback) {
  let timer;
  return Promise.race([promise, new Promise((resolve) => (timer = setTimeout(() => resolve(fallback), ms)))]).finally(() => clearTimeout(timer));
}
