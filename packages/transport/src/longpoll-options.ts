/**
 * Options of the LongPoll transport: the interface, its frozen defaults, and eager validation.
 */
import { MAX_LONGPOLL_BATCH } from './constants';

/** The part of the Fetch API LongPoll uses; the global `fetch` of browsers and Node 18+ fits. */
export type FetchLike = (
  url: string,
  init: {
    method: 'GET' | 'POST';
    headers: Record<string, string>;
    body?: string;
    signal: AbortSignal;
    credentials?: 'omit' | 'same-origin' | 'include';
  },
) => Promise<FetchResponseLike>;

/** The part of a Fetch `Response` LongPoll reads. */
export interface FetchResponseLike {
  readonly status: number;
  text(): Promise<string>;
}

/**
 * How the LongPoll transport talks HTTP.
 *
 * @example
 * const LongPoll = createLongPollTransport({ pollTimeoutMs: 30_000, credentials: 'include' });
 * const socket = new Socket('https://example.com/socket', { transport: LongPoll });
 */
export interface LongPollOptions {
  /**
   * Milliseconds one request (the held GET, or a POST) may take before it is aborted; the transport then
   * reports a `LongPollError` (`reason: 'timeout'`) and closes, and the socket reconnects. Must exceed the
   * server's poll window (Phoenix `window_ms`, 10 000 by default). phoenix.js calls this `longpollerTimeout`,
   * and a socket sets it per connection through the transport's `timeout` property. @default 20000
   */
  pollTimeoutMs?: number;
  /**
   * Most frames in one POST; more queued frames go out in further POSTs, in order, one at a time. Phoenix
   * accepts up to 100. @default 100
   */
  maxBatchSize?: number;
  /** The Fetch implementation. Inject one in tests, or in runtimes without a global `fetch`. @default globalThis.fetch */
  fetch?: FetchLike;
  /**
   * Fetch `credentials` mode: `'include'` sends cookies to a cross-origin endpoint (the server must allow
   * it). @default 'same-origin'
   */
  credentials?: 'omit' | 'same-origin' | 'include';
  /** Extra request headers on every GET and POST (e.g. `authorization` in Node). @default {} */
  headers?: Record<string, string>;
}

/** Defaults of every LongPoll option that has one. */
export const DEFAULT_LONGPOLL_OPTIONS = /* @__PURE__ */ Object.freeze({
  pollTimeoutMs: 20_000,
  maxBatchSize: MAX_LONGPOLL_BATCH,
  credentials: 'same-origin' as const,
});

/** LongPoll options after defaults are merged and every value checked. */
export interface ResolvedLongPollOptions {
  readonly pollTimeoutMs: number;
  readonly maxBatchSize: number;
  /** `undefined`: the global `fetch`, looked up at each request. */
  readonly fetch: FetchLike | undefined;
  readonly credentials: 'omit' | 'same-origin' | 'include';
  readonly headers: Readonly<Record<string, string>>;
}

/** Largest delay `setTimeout` honours, ms. */
const MAX_TIMER_MS = 2_147_483_647;

/**
 * Merges `options` with the defaults once and checks them, throwing `TypeError`/`RangeError` naming the
 * option.
 *
 * @example
 * resolveLongPollOptions({ maxBatchSize: 0 }); // RangeError: maxBatchSize must be an integer from 1 to 100 ...
 */
export function resolveLongPollOptions(options: LongPollOptions = {}): ResolvedLongPollOptions {
  if (typeof options !== 'object' || options === null) throw new TypeError('LongPoll options must be an object');
  const d = DEFAULT_LONGPOLL_OPTIONS;
  const pollTimeoutMs = options.pollTimeoutMs ?? d.pollTimeoutMs;
  checkPollTimeout('pollTimeoutMs', pollTimeoutMs);
  const maxBatchSize = options.maxBatchSize ?? d.maxBatchSize;
  if (typeof maxBatchSize !== 'number' || !Number.isInteger(maxBatchSize) || maxBatchSize < 1 || maxBatchSize > MAX_LONGPOLL_BATCH) {
    throw new RangeError(`maxBatchSize must be an integer from 1 to ${MAX_LONGPOLL_BATCH} (Phoenix's limit), got ${String(maxBatchSize)}`);
  }
  if (options.fetch !== undefined && typeof options.fetch !== 'function') {
    throw new TypeError(`fetch must be a function like globalThis.fetch, got ${typeof options.fetch}`);
  }
  const credentials = options.credentials ?? d.credentials;
  if (credentials !== 'omit' && credentials !== 'same-origin' && credentials !== 'include') {
    throw new RangeError(`credentials must be 'omit', 'same-origin' or 'include', got ${String(credentials)}`);
  }
  const headers = options.headers ?? {};
  if (typeof headers !== 'object' || headers === null) throw new TypeError('headers must be an object of header names to string values');
  for (const [name, value] of Object.entries(headers)) {
    if (typeof value !== 'string') throw new TypeError(`headers["${name}"] must be a string, got ${typeof value}`);
  }
  return Object.freeze({ pollTimeoutMs, maxBatchSize, fetch: options.fetch, credentials, headers: Object.freeze({ ...headers }) });
}

/** Checks a poll timeout given as an option or through the phoenix.js-style `timeout` property. */
export function checkPollTimeout(name: string, value: unknown): asserts value is number {
  if (typeof value !== 'number' || Number.isNaN(value)) throw new TypeError(`${name} must be a number of milliseconds, got ${typeof value}`);
  if (value <= 0 || value > MAX_TIMER_MS) throw new RangeError(`${name} must be > 0 and <= ${MAX_TIMER_MS} ms, got ${value}`);
}
