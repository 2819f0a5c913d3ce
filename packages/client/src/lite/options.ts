/**
 * Options of the lite `Socket`: the phoenix.js core options under their phoenix.js names, one frozen
 * defaults object, and `resolveLiteOptions()` which merges and validates them once.
 */
import { realScheduler, type Scheduler } from '@phx-socket/channel';
import type { Serializer, TransportConstructor } from '@phx-socket/transport';
import { backoffDelay, DEFAULT_RECONNECT_STEPS_MS, DEFAULT_REJOIN_STEPS_MS, stepSchedule, type BackoffSchedule } from '../backoff';
import { jsonSerializer } from './json-serializer';

/** Connect params: an object, or a function called before every (re)connect. */
export type LiteSocketParams = Record<string, unknown> | (() => Record<string, unknown>);

/**
 * Options of `new Socket(endPoint, options)` from `@phx-socket/client/lite`. Each one has the name and
 * meaning it has in phoenix.js and in the full `@phx-socket/client`, so moving between the three is
 * changing the import.
 *
 * @example
 * import WebSocket from 'ws';
 * const socket = new Socket('ws://localhost:4000/socket', { transport: WebSocket, params: { token } });
 */
export interface LiteSocketOptions {
  /**
   * WebSocket class, constructed as `new transport(url, protocols)`. Required where there is no global
   * `WebSocket` (Node 20: pass `ws`'s class). @default globalThis.WebSocket
   */
  transport?: TransportConstructor;
  /** Sent as the query string of every (re)connect. @default {} */
  params?: LiteSocketParams;
  /** Phoenix 1.8 auth token, sent as a WebSocket subprotocol instead of in the URL. @default undefined */
  authToken?: string;
  /** Default push/join/leave timeout, ms. Must be > 0. @default 10000 */
  timeout?: number;
  /**
   * Ms between heartbeats. A beat still unanswered when the next one is due closes the connection and
   * reconnects. `0` disables the heartbeat. @default 30000
   */
  heartbeatIntervalMs?: number;
  /** Delay before reconnect attempt `tries` (1-based), ms. @default [10, 50, 100, 150, 200, 250, 500, 1000, 2000] then 5000 */
  reconnectAfterMs?: number | BackoffSchedule;
  /** Delay before channel rejoin attempt `tries` (1-based), ms. @default [1000, 2000, 5000] then 10000 */
  rejoinAfterMs?: number | BackoffSchedule;
  /**
   * Encodes and decodes frames. The default reads and writes JSON text only; pass `v2Serializer` (exported
   * beside `Socket`) for binary payloads. @default the lite JSON serializer, vsn 2.0.0
   */
  serializer?: Serializer;
  /** Clock and timers, for tests. @default the platform's timers (unref'd in Node) */
  scheduler?: Scheduler;
}

/** The options after defaults: every field set, schedules as functions. */
export interface ResolvedLiteOptions {
  readonly transport: TransportConstructor | undefined;
  readonly params: LiteSocketParams;
  readonly authToken: string | undefined;
  readonly timeout: number;
  readonly heartbeatIntervalMs: number;
  readonly reconnectAfterMs: BackoffSchedule;
  readonly rejoinAfterMs: BackoffSchedule;
  readonly serializer: Serializer;
  readonly scheduler: Scheduler;
}

/** The default schedules, kept apart so `delayOf()` can tell them from an app's own. */
const RECONNECT_AFTER_MS = /* @__PURE__ */ stepSchedule(DEFAULT_RECONNECT_STEPS_MS, 5_000);
const REJOIN_AFTER_MS = /* @__PURE__ */ stepSchedule(DEFAULT_REJOIN_STEPS_MS, 10_000);

/** The defaults, in one place. */
export const DEFAULT_LITE_OPTIONS = /* @__PURE__ */ Object.freeze({
  params: {},
  timeout: 10_000,
  heartbeatIntervalMs: 30_000,
  reconnectAfterMs: RECONNECT_AFTER_MS,
  rejoinAfterMs: REJOIN_AFTER_MS,
  serializer: jsonSerializer,
  scheduler: realScheduler,
} satisfies Partial<ResolvedLiteOptions>);

/** The delay before try `tries` of `schedule`: full jitter on the default schedules, an app's own as given. */
export const delayOf = (schedule: BackoffSchedule, tries: number): number =>
  backoffDelay(tries, schedule, schedule === RECONNECT_AFTER_MS || schedule === REJOIN_AFTER_MS ? 'full' : 'none', Math.random);

/**
 * Timers clamp longer delays (and Infinity) to ~1 ms, which would turn "never" into "at once": a timeout
 * firing immediately, a heartbeat dropping every connection.
 */
const MAX_TIMER_MS = 2_147_483_647;

const isFn = (value: unknown): boolean => typeof value === 'function';
const isMs = (value: unknown): value is number => typeof value === 'number' && value >= 0 && value <= MAX_TIMER_MS;
const isSchedule = (value: unknown): boolean => isMs(value) || isFn(value);
const has = (value: unknown, a: string, b: string): boolean => isFn((value as Record<string, unknown>)[a]) && isFn((value as Record<string, unknown>)[b]);

/** Each option's check and what the error says it expects; one table keeps the bundle small. */
const RULES: readonly [name: keyof LiteSocketOptions, ok: (value: unknown) => boolean, expected: string][] = [
  ['transport', isFn, 'a WebSocket class'],
  ['params', (v) => typeof v === 'object' || isFn(v), 'an object or a function'],
  ['authToken', (v) => typeof v === 'string', 'a string'],
  ['timeout', (v) => isMs(v) && v > 0, `ms > 0 and <= ${MAX_TIMER_MS}`],
  ['heartbeatIntervalMs', isMs, `ms <= ${MAX_TIMER_MS}`],
  ['reconnectAfterMs', isSchedule, 'ms or (tries) => ms'],
  ['rejoinAfterMs', isSchedule, 'ms or (tries) => ms'],
  ['serializer', (v) => has(v, 'encode', 'decode'), 'an { encode, decode }'],
  ['scheduler', (v) => has(v, 'setTimeout', 'clearTimeout'), 'a { setTimeout, clearTimeout }'],
];

/**
 * Merges `options` over the defaults (`undefined` and `null` mean "the default"); throws a `TypeError`
 * naming the first bad option.
 *
 * @example
 * resolveLiteOptions({ timeout: 5000 }).timeout; // 5000
 */
export function resolveLiteOptions(options: LiteSocketOptions): ResolvedLiteOptions {
  const given: Record<string, unknown> = {};
  for (const [name, ok, expected] of RULES) {
    const value = options?.[name];
    if (value == null) continue;
    if (!ok(value)) throw new TypeError(`invalid option ${name}: expected ${expected}`);
    given[name] = typeof value === 'number' && name.endsWith('AfterMs') ? () => value : value;
  }
  return { transport: undefined, authToken: undefined, ...DEFAULT_LITE_OPTIONS, ...given };
}
