/**
 * Options of client-side rate limiting (`new Socket(url, { rateLimit })` and
 * `socket.channel(topic, params, { rateLimit })`): one interface each, frozen defaults, eager validation.
 */
import type { ChannelPacer, PacedChannel, Scheduler, TelemetryEventMap } from '@phx-socket/channel';
import { DEFAULT_REJOIN_STEPS_MS, stepSchedule, type BackoffSchedule, type JitterMode } from './backoff';
import { fail, isPlainObject, schedule, type Given } from './option-checks';

/**
 * Which error replies mean "slow down": a list of `reason` strings (matched exactly), or a predicate over
 * the reply's `response`.
 */
export type LimitedReasons = readonly string[] | ((response: unknown) => boolean);

/** What a rate limiter needs from its socket. */
export interface RateLimiterHost {
  readonly scheduler: Scheduler;
  readonly random: () => number;
  isConnected(): boolean;
  emit<K extends keyof TelemetryEventMap>(name: K, event: TelemetryEventMap[K]): void;
}

/** Counters of a socket's rate limiter (`socket.rateLimitStats()`). */
export interface RateLimitStats {
  /** Pushes (joins) waiting now. */
  readonly waitingPushes: number;
  readonly waitingJoins: number;
  /** Pushes (joins) that had to wait, since the socket was made. */
  readonly throttledPushes: number;
  readonly throttledJoins: number;
  /** Pauses after a limited reply from the server. */
  readonly pauses: number;
}

/** A socket's rate limiter, as the socket drives it. */
export interface SocketRateLimiter extends ChannelPacer {
  /** Checks a channel's own `rateLimit` (throws `TypeError`/`RangeError` naming the option). */
  channelSettings(options: unknown): RateSettings | null;
  /** Gives `channel` its own push rate, on top of the socket's. */
  limitChannel(channel: PacedChannel, settings: RateSettings): void;
  /** The transport opened / went away (after the channels heard of it); `channel` closed. */
  opened(): void;
  down(): void;
  forget(channel: PacedChannel): void;
  stats(): RateLimitStats;
}

/**
 * The `rateLimit` socket option: checked settings plus the code that applies them, made by `rateLimiting()`.
 * Passed in (like `longPollTransport`) so apps that never limit do not bundle the limiter.
 */
export interface RateLimitPlan {
  readonly settings: ResolvedRateLimit;
  /** A limiter for one socket. */
  create(host: RateLimiterHost): SocketRateLimiter;
}

/**
 * Settings of `rateLimiting(options)` (the socket's `rateLimit` option). Every push and join waits its turn
 * in order and is never dropped; leaves and heartbeats are never limited.
 *
 * @example
 * new Socket(url, { rateLimit: rateLimiting({ joinsPerSecond: 100, pushesPerSecond: 50, pushBurst: 10 }) });
 */
export interface RateLimitOptions {
  /** App pushes per second over the whole socket. `Infinity` = no client-side push limit. @default Infinity */
  pushesPerSecond?: number;
  /** Pushes that may go out at once before pacing starts (the bucket's capacity). @default max(1, pushesPerSecond) */
  pushBurst?: number;
  /** Joins (and rejoins) per second over the whole socket. `Infinity` = no client-side join limit. @default Infinity */
  joinsPerSecond?: number;
  /** Joins that may go out at once. @default max(1, joinsPerSecond) */
  joinBurst?: number;
  /**
   * Error replies meaning the server is limiting this client. A refused join pauses every join of the socket,
   * an error reply to a push pauses that channel's later pushes (the push itself rejects with `ReplyError`).
   * @default a `reason` containing `rate_limit`, `rate limit`, `ratelimit`, `too_many_joins`, `too many joins`,
   * `too_many_requests` or `too many requests` (any case): Phoenix apps' usual words and Supabase Realtime's
   * `ClientJoinRateLimitReached`. `too many channels joined` is a capacity refusal, not a rate limit.
   */
  limitedReasons?: LimitedReasons;
  /**
   * Pause after the `tries`-th limited reply in a row, ms: a number or `(tries) => ms`. Used as given unless it
   * is the default. @default [1000, 2000, 5000] then 10000, with full jitter
   */
  pauseAfterMs?: number | BackoffSchedule;
}

/** `rateLimit` of one channel (`socket.channel(topic, params, { rateLimit })`), on top of the socket's. */
export interface ChannelRateLimitOptions {
  /** This channel's app pushes per second. A number > 0. */
  pushesPerSecond: number;
  /** Pushes of this channel that may go out at once. @default max(1, pushesPerSecond) */
  pushBurst?: number;
}

/** A bucket's settings: tokens per second and capacity. */
export interface RateSettings {
  readonly perSecond: number;
  readonly burst: number;
}

/** `rateLimit` after defaults and checks. */
export interface ResolvedRateLimit {
  /** null: no client-side limit. */
  readonly pushes: RateSettings | null;
  readonly joins: RateSettings | null;
  readonly isLimited: (response: unknown) => boolean;
  readonly pauseAfterMs: BackoffSchedule;
  readonly pauseJitter: JitterMode;
}

const LIMITED = /rate[_ ]?limit|too[_ ]many[_ ](joins|requests)/i;

/**
 * The default test of an error reply: its `reason` (or the response itself, if a string) names a rate limit.
 *
 * @example
 * isRateLimitedReply({ reason: 'too_many_joins' }); // true
 * isRateLimitedReply({ reason: 'too many channels joined' }); // false
 */
export function isRateLimitedReply(response: unknown): boolean {
  const reason = reasonOf(response);
  return typeof reason === 'string' && LIMITED.test(reason);
}

function reasonOf(response: unknown): unknown {
  if (typeof response === 'string') return response;
  if (typeof response === 'object' && response !== null) return (response as { reason?: unknown }).reason;
  return undefined;
}

/** Defaults of `rateLimit`. */
export const DEFAULT_RATE_LIMIT_OPTIONS = /* @__PURE__ */ Object.freeze({
  pushesPerSecond: Infinity,
  joinsPerSecond: Infinity,
  limitedReasons: isRateLimitedReply as (response: unknown) => boolean,
  pauseAfterMs: /* @__PURE__ */ stepSchedule(DEFAULT_REJOIN_STEPS_MS, 10_000),
});

function rate(given: Given, option: string, allowInfinity: boolean): number | undefined {
  const value = given[option];
  if (value === undefined) return undefined;
  if (typeof value !== 'number' || Number.isNaN(value)) fail('type', option, 'a number per second', value);
  if (!(value > 0) || (!allowInfinity && !Number.isFinite(value))) fail('range', option, allowInfinity ? '> 0 (or Infinity)' : 'a finite number > 0', value);
  return value;
}

function settings(given: Given, perSecondName: string, burstName: string): RateSettings | null {
  const perSecond = rate(given, perSecondName, true) ?? Infinity;
  const burst = rate(given, burstName, false);
  if (perSecond === Infinity) {
    if (burst !== undefined) fail('type', burstName, `given with ${perSecondName}`, burst);
    return null;
  }
  return Object.freeze({ perSecond, burst: burst ?? Math.max(1, perSecond) });
}

/** Prefixes every option name with `prefix` (for messages such as `rateLimit.pushesPerSecond must be ...`). */
function named(value: Record<string, unknown>, prefix: string): Given {
  const out: Record<string, unknown> = {};
  for (const key of Object.keys(value)) out[`${prefix}.${key}`] = value[key];
  return out;
}

/**
 * Checks and completes `rateLimiting()`'s options, throwing `TypeError`/`RangeError` naming the option.
 *
 * @example
 * resolveRateLimit({ joinsPerSecond: 0 }); // RangeError: rateLimit.joinsPerSecond must be > 0 (or Infinity), got 0
 */
export function resolveRateLimit(value: unknown = {}): ResolvedRateLimit {
  if (!isPlainObject(value)) fail('type', 'rateLimit', 'an object such as { joinsPerSecond: 100 }', value);
  const known = ['pushesPerSecond', 'pushBurst', 'joinsPerSecond', 'joinBurst', 'limitedReasons', 'pauseAfterMs'];
  for (const key of Object.keys(value)) {
    if (!known.includes(key)) fail('type', `rateLimit.${key}`, `one of ${known.join(', ')} (unknown option)`, value[key]);
  }
  const g = named(value, 'rateLimit');
  const reasons = value.limitedReasons;
  let isLimited = DEFAULT_RATE_LIMIT_OPTIONS.limitedReasons;
  if (typeof reasons === 'function') isLimited = reasons as (response: unknown) => boolean;
  else if (Array.isArray(reasons)) {
    if (!reasons.every((r) => typeof r === 'string')) fail('type', 'rateLimit.limitedReasons', 'an array of strings or a function', reasons);
    const set = new Set<string>(reasons as string[]);
    isLimited = (response) => {
      const reason = reasonOf(response);
      return typeof reason === 'string' && set.has(reason);
    };
  } else if (reasons !== undefined) fail('type', 'rateLimit.limitedReasons', 'an array of strings or a function', reasons);
  const pauseAfterMs = schedule(g, 'rateLimit.pauseAfterMs');
  return Object.freeze({
    pushes: settings(g, 'rateLimit.pushesPerSecond', 'rateLimit.pushBurst'),
    joins: settings(g, 'rateLimit.joinsPerSecond', 'rateLimit.joinBurst'),
    isLimited,
    pauseAfterMs: pauseAfterMs ?? DEFAULT_RATE_LIMIT_OPTIONS.pauseAfterMs,
    pauseJitter: pauseAfterMs === undefined ? 'full' : 'none',
  });
}

/** Checks one channel's `rateLimit` (see {@link ChannelRateLimitOptions}). */
export function resolveChannelRateLimit(value: unknown): RateSettings | null {
  if (value === undefined) return null;
  if (!isPlainObject(value)) fail('type', 'channel rateLimit', 'an object such as { pushesPerSecond: 5 }', value);
  const g = named(value, 'rateLimit');
  if (value.pushesPerSecond === undefined) fail('type', 'rateLimit.pushesPerSecond', 'a number per second', undefined);
  return settings(g, 'rateLimit.pushesPerSecond', 'rateLimit.pushBurst');
}
