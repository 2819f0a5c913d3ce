/**
 * Options of `SharedSocket`: the socket options that can cross into a SharedWorker, plus how to find and
 * watch the worker. Defaults in one frozen object, merged once with `??`.
 */
import type { AuthToken, SocketOptions, SocketParams } from '@phx-socket/client';
import type { WireSocketOptions } from './protocol';

/**
 * How a `SharedSocket` reaches the server: through the SharedWorker, through the socket of a leader tab
 * elected over Web Locks (reached over `BroadcastChannel`), or over its own socket.
 */
export type SharedMode = 'shared-worker' | 'leader-tab' | 'local';

/** The part of a `BroadcastChannel` the leader-tab mode uses (inject one in tests). */
export interface BroadcastChannelLike {
  postMessage(message: unknown): void;
  onmessage: ((event: MessageEvent) => unknown) | null;
  close(): void;
}

/** The part of a `MessagePort` a tab uses. */
export interface TabPort {
  postMessage(message: unknown): void;
  onmessage: ((event: MessageEvent) => unknown) | null;
  start?(): void;
  close(): void;
  /** `close` fires when the other end goes away, where the platform reports it (Chrome 123+, Node). */
  addEventListener?(type: 'close', listener: () => void): void;
}

/** The part of a `SharedWorker` a tab uses (inject one in tests, or to build the worker your own way). */
export interface SharedWorkerLike {
  readonly port: TabPort;
  onerror: ((event: unknown) => void) | null;
}

/** The part of `navigator.locks` a tab uses. */
export interface TabLocks {
  /**
   * Holds lock `name` while the promise `callback` returns is pending. With `ifAvailable` the callback gets
   * null at once when the lock is taken (the leader election uses that to know whether it leads).
   */
  request(name: string, options: { signal?: AbortSignal; ifAvailable?: boolean }, callback: (lock: unknown) => unknown): Promise<unknown>;
}

/**
 * Options of `new SharedSocket(url, options)`. The socket options are those of `Socket` that are plain data
 * (a schedule function cannot reach the worker: give a number). `params` and `authToken` may be (async)
 * functions: they stay in the tab, and the worker asks a tab to call them at every reconnect.
 */
export interface SharedSocketOptions extends Omit<WireSocketOptions, 'circuitBreaker'> {
  /** Connect params: an object, or an (async) function re-read at every (re)connect. @default {} */
  params?: SocketParams;
  /** Phoenix 1.8 auth token: a string or an (async) function. */
  authToken?: AuthToken;
  circuitBreaker?: { threshold?: number; coolDownMs?: number } | false;
  /**
   * Which tabs share one socket. By default tabs share when endpoint, `vsn`, params (as first resolved at
   * `connect()`) and a string `authToken` are equal; params that differ per tab (a fresh token each time)
   * need an explicit key, e.g. the user id. The first tab's options build the socket.
   */
  shareKey?: string;
  /**
   * `'auto'` uses the SharedWorker where it exists; where it does not, a leader tab elected over Web Locks
   * (`navigator.locks`) runs the socket and the other tabs reach it over `BroadcastChannel`; where those are
   * missing too, each tab uses its own socket. A worker or leader that fails to start (or a worker that
   * dies) also falls back to an own socket; a leader tab that closes hands over to the next tab.
   * `'leader-tab'` skips the SharedWorker (own socket where BroadcastChannel or Web Locks are missing);
   * `'local'` never shares (same API, one socket per tab). @default 'auto'
   */
  mode?: 'auto' | 'leader-tab' | 'local';
  /**
   * URL of the worker script to use instead of the one bundled next to this module
   * (`new URL('./shared-worker.mjs', import.meta.url)`): host `dist/phx-socket-shared-worker.iife.js` yourself
   * and give its URL. Same origin as the page. @default the bundled `shared-worker.mjs`
   */
  workerUrl?: string | URL;
  /** `type` of the worker at `workerUrl`. @default 'classic' (the IIFE build) */
  workerType?: 'classic' | 'module';
  /** SharedWorker name: tabs share a worker only when URL and name match. @default 'phx-socket' */
  workerName?: string;
  /** Builds the worker yourself (tests, custom bundling). Overrides `workerUrl`. */
  createWorker?: (name: string) => SharedWorkerLike;
  /** No welcome from the worker within this → own socket, ms. @default 5000 */
  workerStartTimeoutMs?: number;
  /** Tab → worker heartbeat interval, ms. @default 10000 */
  tabHeartbeatIntervalMs?: number;
  /**
   * The worker releases a tab silent this long; the tab gives up on a worker that leaves a heartbeat
   * unanswered this long, ms. Above 60 s because browsers wake hidden tabs once a minute. @default 75000
   */
  tabTimeoutMs?: number;
  /** Forward the worker's telemetry events to this tab. State changes always come. @default true */
  forwardTelemetry?: boolean;
  /** Extra `Socket` options used only when this tab falls back to its own socket (`transport`, `logger`...). */
  localOptions?: SocketOptions;
  /**
   * `navigator.locks`: tab and worker liveness, and the leader-tab election (without locks there is no
   * leader-tab mode). @default navigator.locks where it exists; null disables
   */
  locks?: TabLocks | null;
  /**
   * Opens the BroadcastChannel of the leader-tab mode (tests, or a polyfill); null disables that mode.
   * @default `(name) => new BroadcastChannel(name)` where BroadcastChannel exists
   */
  createBroadcastChannel?: ((name: string) => BroadcastChannelLike) | null;
}

/** Defaults of the shared-socket-only options. */
export const DEFAULT_SHARED_OPTIONS = Object.freeze({
  mode: 'auto' as const,
  workerName: 'phx-socket',
  workerType: 'classic' as const,
  workerStartTimeoutMs: 5000,
  tabHeartbeatIntervalMs: 10_000,
  tabTimeoutMs: 75_000,
  forwardTelemetry: true,
  timeout: 10_000,
});

const WIRE_KEYS = [
  'timeout',
  'heartbeatIntervalMs',
  'heartbeatTimeoutMs',
  'reconnectAfterMs',
  'rejoinAfterMs',
  'jitter',
  'healthyAfterMs',
  'circuitBreaker',
  'reconnect',
  'maxReconnectAttempts',
  'sendBufferLimit',
  'overflowPolicy',
  'inFlightPolicy',
  'maxResends',
  'vsn',
  'binaryType',
  'longPollFallbackMs',
] as const satisfies readonly (keyof WireSocketOptions)[];

/** The options the worker's socket is built from; throws `TypeError` naming an option that cannot cross. */
export function wireOptions(options: SharedSocketOptions): WireSocketOptions {
  const out: Record<string, unknown> = {};
  for (const key of WIRE_KEYS) {
    const value = (options as Record<string, unknown>)[key];
    if (value === undefined) continue;
    if (typeof value === 'function') {
      const instead = key === 'reconnectAfterMs' || key === 'rejoinAfterMs' ? 'pass a number or an array of steps in ms' : 'pass plain data';
      throw new TypeError(`SharedSocket: ${key} cannot be a function (it would have to run in the SharedWorker); ${instead}, or mode: 'local'`);
    }
    if ((key === 'reconnectAfterMs' || key === 'rejoinAfterMs') && Array.isArray(value) && (value.length === 0 || !value.every((v) => typeof v === 'number' && v >= 0 && Number.isFinite(v)))) {
      throw new RangeError(`SharedSocket: ${key} steps must be a non-empty array of non-negative numbers of ms`);
    }
    out[key] = value;
  }
  return out as WireSocketOptions;
}

/** Checks the shared-only options eagerly. */
export function checkSharedOptions(options: SharedSocketOptions): void {
  for (const key of ['workerStartTimeoutMs', 'tabHeartbeatIntervalMs', 'tabTimeoutMs'] as const) {
    const v = options[key];
    if (v !== undefined && (typeof v !== 'number' || !(v > 0) || !Number.isFinite(v))) {
      throw new RangeError(`SharedSocket: ${key} must be a positive number of ms, got ${String(v)}`);
    }
  }
  const interval = options.tabHeartbeatIntervalMs ?? DEFAULT_SHARED_OPTIONS.tabHeartbeatIntervalMs;
  const timeout = options.tabTimeoutMs ?? DEFAULT_SHARED_OPTIONS.tabTimeoutMs;
  if (timeout < interval * 2) {
    throw new RangeError(`SharedSocket: tabTimeoutMs (${timeout}) must be at least twice tabHeartbeatIntervalMs (${interval})`);
  }
  if (options.mode !== undefined && options.mode !== 'auto' && options.mode !== 'leader-tab' && options.mode !== 'local') {
    throw new TypeError(`SharedSocket: mode must be 'auto', 'leader-tab' or 'local', got ${String(options.mode)}`);
  }
  if (options.params !== undefined && typeof options.params !== 'function' && (typeof options.params !== 'object' || options.params === null)) {
    throw new TypeError('SharedSocket: params must be an object or a function');
  }
  wireOptions(options);
}
