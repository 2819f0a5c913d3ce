/**
 * Socket options: the interface (every phoenix.js 1.8 option plus ours), one frozen defaults object,
 * and `resolveOptions()` which merges them once and validates eagerly.
 */
import { realScheduler, type CircuitBreakerSettings, type InFlightPolicy, OverflowPolicy, type Scheduler } from '@phx-socket/channel';
import {
  DEFAULT_VSN,
  serializerFromCallbacks,
  v1Serializer,
  v2Serializer,
  VSN,
  type CallbackDecode,
  type CallbackEncode,
  type Serializer,
  type TransportConstructor,
  type WebSocketTransportOptions,
} from '@phx-socket/transport';
import { DEFAULT_RECONNECT_STEPS_MS, DEFAULT_REJOIN_STEPS_MS, stepSchedule, type BackoffSchedule, type JitterMode } from './backoff';
import { bool, countOrInfinity, fail, fn, isPlainObject, isPlainObjectLike, ms, oneOf, schedule, type Given } from './option-checks';
import type { PerfFeatures, SocketFeatureOptions } from './socket-features';
import type { RateLimitPlan } from './rate-limit';

/** Connect params: an object, or a function (sync or async) called before every (re)connect. */
export type SocketParams = Record<string, unknown> | (() => Record<string, unknown> | Promise<Record<string, unknown>>);

/** An auth token: a string, or a function (sync or async) called before every (re)connect. */
export type AuthToken = string | (() => string | undefined | null | Promise<string | undefined | null>);

/** phoenix.js's debug logger: `kind` is `'transport'`, `'push'`, `'receive'`, `'channel'`... */
export type Logger = (kind: string, msg: string, data?: unknown) => void;

/** What `sessionStorage` must offer (the DOM `Storage` fits). */
export interface SessionStore {
  getItem(key: string): string | null;
  setItem(key: string, value: string): void;
}

/** The socket's circuit breaker: the channel's count and cool-down, plus how long failing must last. */
export interface SocketCircuitBreakerSettings extends CircuitBreakerSettings {
  /**
   * The failures in a row must also span at least this long before the circuit opens, ms: refused
   * connects at a fast app schedule during a short outage (a deploy, a Wi-Fi hand-over) keep retrying
   * instead of suspending for the cool-down.
   */
  readonly minFailingMs: number;
}

/**
 * Options of `new Socket(endPoint, options)`. Every phoenix.js 1.8 option is accepted under its own name,
 * so migrating is changing the import.
 *
 * @example
 * const socket = new Socket('wss://example.com/socket', {
 *   params: async () => ({ token: await freshToken() }),
 *   heartbeatIntervalMs: 15_000,
 *   maxReconnectAttempts: 20,
 * });
 */
export interface SocketOptions {
  /**
   * Transport class, constructed as `new transport(url, protocols)` (WebSocket-shaped). Pass the browser's
   * `WebSocket`, `ws`'s class, or your own. @default `createWebSocketTransport(transportOptions)`
   * (a native WebSocket in browsers, `ws` tuned by `transportOptions` in Node)
   */
  transport?: TransportConstructor;
  /**
   * Node tuning of the default WebSocket transport (noDelay, keepAlive, connectTimeoutMs, compression,
   * headers, TLS...). Ignored when `transport` is given. @default {}
   */
  transportOptions?: WebSocketTransportOptions;
  /** Default push/join/leave timeout, ms. Must be > 0. @default 10000 */
  timeout?: number;
  /**
   * Ms between heartbeats; the next beat is scheduled when the previous reply arrives. `0` disables the
   * heartbeat (Phoenix closes connections idle for 60 s, so keep it below that). @default 30000
   */
  heartbeatIntervalMs?: number;
  /**
   * Ms to wait for a heartbeat reply before the connection is presumed dead, closed, and replaced.
   * Must be > 0. @default heartbeatIntervalMs
   */
  heartbeatTimeoutMs?: number;
  /**
   * Delay before reconnect attempt `tries` (1-based), ms: a number or a function. Used as given unless
   * `jitter: 'full'` is set too. `tries` counts failed attempts since the last healthy connection (one
   * that stayed open `healthyAfterMs`), so the delay grows against a server that accepts and drops at once.
   * @default [10, 50, 100, 150, 200, 250, 500, 1000, 2000] then 5000, with full jitter
   */
  reconnectAfterMs?: number | BackoffSchedule;
  /**
   * Delay before channel rejoin attempt `tries` (1-based), ms: a number or a function. Used as given unless
   * `jitter: 'full'` is set too. @default [1000, 2000, 5000] then 10000, with full jitter
   */
  rejoinAfterMs?: number | BackoffSchedule;
  /**
   * `'full'`: each delay is drawn uniformly from (small floor, base] so clients that lost the same server do
   * not come back in lockstep. `'none'`: the schedule is used as is (phoenix.js behaviour).
   * @default 'full' for the default schedules; 'none' for a `reconnectAfterMs`/`rejoinAfterMs` the app gives
   */
  jitter?: JitterMode;
  /**
   * A connection that closes sooner than this after opening counts as a failed attempt (the reconnect
   * backoff keeps growing and the circuit breaker counts it), and so does a channel erroring this soon
   * after its join. Longer-lived ones reset the count. @default 1000
   */
  healthyAfterMs?: number;
  /**
   * Stops retrying for `coolDownMs` after `threshold` failed or short-lived connections in a row that
   * have gone on for at least `minFailingMs` (socket status `'suspended'`, `socket:circuit_open`
   * telemetry, `onError` with `CircuitOpenError`), then tries once; `connect()` or the page coming
   * online/visible tries at once. The same count (without `minFailingMs`) holds for a channel whose joins
   * keep failing or erroring (`channel:circuit_open`, its `onError` gets the error). `false` retries
   * forever at the backoff's last delay. @default { threshold: 10, coolDownMs: 30000, minFailingMs: 10000 }
   */
  circuitBreaker?: Partial<SocketCircuitBreakerSettings> | false;
  /** Source of randomness for jitter, returning [0, 1). Inject for deterministic tests. @default Math.random */
  random?: () => number;
  /** Clock and timers every socket and channel timer goes through. @default platform timers (unref'd in Node) */
  scheduler?: Scheduler;
  /** Reconnect after every close the app did not request (code 1000 included). @default true */
  reconnect?: boolean;
  /**
   * Consecutive failed connect attempts before giving up (`socket:reconnect_exhausted` telemetry and
   * `onError` with `ReconnectExhaustedError`). The count resets once a connection stayed up for
   * `heartbeatIntervalMs` (or 30 s when heartbeats are off). `0` never reconnects. @default Infinity
   */
  maxReconnectAttempts?: number;
  /**
   * Most pushes each channel holds while not joined (or offline), and most raw `socket.push()` frames held
   * while the transport is not open. Joins, leaves and heartbeats never wait in these buffers and are never
   * dropped. A positive integer, or `Infinity` to opt into unbounded buffers. @default 1000
   */
  sendBufferLimit?: number;
  /**
   * When a buffer is full: `'drop-oldest'` gives up the oldest frame, `'reject'` refuses the new one. Either
   * way `buffer:overflow` telemetry fires and the dropped push fails with `BufferOverflowError`.
   * @default 'drop-oldest'
   */
  overflowPolicy?: OverflowPolicy;
  /**
   * Pushes sent but not yet answered when the connection drops (or their channel crashes): `'fail'` them at
   * once with `ConnectionLostError` / `ChannelCrashedError` (at-most-once: a push never runs twice on the
   * server; phoenix.js lets them time out instead), or `'resend'` them after the rejoin, in order, ahead of
   * pushes made while offline, at most `maxResends` times each (at-least-once: only for idempotent
   * handlers). One push can opt in alone with `channel.push(event, payload, { maxResends })`.
   * @default 'fail'
   */
  inFlightPolicy?: InFlightPolicy;
  /**
   * Under `inFlightPolicy: 'resend'`, how often one push may be resent; after that it fails with
   * `ConnectionLostError`. Bounds what one push that makes the server drop the connection can cost:
   * at most this many extra reconnects. @default 1
   */
  maxResends?: number;
  /** Debug logger, phoenix.js style. Costs nothing when absent. @default null */
  logger?: Logger | null;
  /** phoenix.js: `true` logs to `console` when no `logger` is given. @default false */
  debug?: boolean;
  /** Query params sent with every connect, re-read (and awaited) before each attempt. @default {} */
  params?: SocketParams;
  /**
   * Token sent as the `base64url.bearer.phx.*` WebSocket subprotocol (Phoenix 1.8 `auth_token: true`),
   * re-read (and awaited) before each attempt. An empty/undefined result sends no token. @default undefined
   */
  authToken?: AuthToken;
  /** Protocol version in the query string. @default serializer.vsn, else '2.0.0' */
  vsn?: string;
  /** Frame codec. @default V2 JSON (V1 JSON when `vsn` is '1.x') */
  serializer?: Serializer;
  /** phoenix.js callback-style encoder; used with `decode` when no `serializer` is given. */
  encode?: CallbackEncode;
  /** phoenix.js callback-style decoder; used with `encode` when no `serializer` is given. */
  decode?: CallbackDecode;
  /** `binaryType` set on the transport. Our serializers need `'arraybuffer'`. @default 'arraybuffer' */
  binaryType?: 'arraybuffer' | 'blob';
  /** Where a LongPoll fallback is remembered for the page session. @default globalThis.sessionStorage */
  sessionStorage?: SessionStore;
  /**
   * Fall back to `longPollTransport` when the WebSocket has not opened, or opened but not answered a ping,
   * within this many ms, or failed before opening (phoenix.js semantics). The switch holds for every later
   * reconnect of this socket and is remembered in `sessionStorage` (key `phx:fallback:LongPoll`) once the
   * fallback opened, so the next page load starts on LongPoll. Requires `longPollTransport`. Must be > 0.
   * @default undefined (no fallback)
   */
  longPollFallbackMs?: number;
  /**
   * The class to fall back to, normally `LongPoll` from this package. Passed in rather than built in, so
   * apps that never fall back do not bundle LongPoll.
   *
   * @example
   * import { Socket, LongPoll } from '@phx-socket/client';
   * new Socket('/socket', { longPollFallbackMs: 2500, longPollTransport: LongPoll });
   */
  longPollTransport?: TransportConstructor;
  /**
   * Per-request timeout of the LongPoll transport, ms (a held poll must finish within it, so keep it above
   * the server's 10 s window). Set on any transport that has a numeric `timeout` property, as phoenix.js
   * does. @default 20000
   */
  longpollerTimeout?: number;
  /** Call `connect()` from the constructor. @default false */
  autoConnect?: boolean;
  /** Initial `socket.assigns` (copied, shallowly). @default {} */
  assigns?: Record<string, unknown>;
  /**
   * Client-side rate limiting of app pushes and joins: pass `rateLimiting({ ... })` (token buckets; see
   * `RateLimitOptions`; passed in like `longPollTransport`, so apps that never limit do not bundle it). Over the
   * limit pushes and joins wait in order, never dropped; a push's timeout starts when it is sent. Error replies
   * saying the client is limited (`rate_limited`, `too_many_joins`...) pause the socket's joins or that channel's
   * pushes with backoff. `rate_limit:*` telemetry. A channel can add its own limit:
   * `socket.channel(topic, params, { rateLimit: { pushesPerSecond } })`. @default undefined (no limiting, no pauses)
   *
   * @example
   * import { Socket, rateLimiting } from '@phx-socket/client';
   * new Socket(url, { rateLimit: rateLimiting({ joinsPerSecond: 100, pushesPerSecond: 50 }) });
   */
  rateLimit?: RateLimitPlan;
  /**
   * Enables the perf options below (`binaryPool`, `routeCache`, `topicHandlers`, `defaultHandler`,
   * `hibernation`): pass `perfFeatures`. Passed in rather than built in, like `longPollTransport`, so apps
   * that do not use them do not bundle them. Giving one of those options without it is a `TypeError`.
   * @default undefined
   *
   * @example
   * import { Socket, perfFeatures } from '@phx-socket/client';
   * new Socket(url, { features: perfFeatures, binaryPool: { size: 200 } });
   */
  features?: PerfFeatures;
  /**
   * Encode `cacheable()` payloads once and reuse the JSON (LRU, aging). See `BinaryPoolOptions`.
   * `socket.stats().binaryPool`. @default undefined (no pool; `cacheable()` payloads are encoded each time)
   *
   * @example
   * const socket = new Socket(url, { binaryPool: { size: 200, maxAgeMs: 60_000 } });
   * room.push('board', cacheable(board, `board:${board.version}`));
   */
  binaryPool?: SocketFeatureOptions['binaryPool'];
  /**
   * Sizing of the cache of topic → handler resolutions used by `topicHandlers`. See `RouteCacheOptions`.
   * @default { size: 1000, ttlMs: 0, cleanupIntervalMs: 60000 } when `topicHandlers`/`defaultHandler` is set
   */
  routeCache?: SocketFeatureOptions['routeCache'];
  /**
   * Handlers attached to every channel whose topic matches: `{ 'rooms:*': ChatHandler }`. A class is
   * instantiated per channel with the channel; an object is shared. Exact topics win, then the first
   * matching pattern (`*` = any characters). See `ChannelHandler`. @default undefined
   */
  topicHandlers?: SocketFeatureOptions['topicHandlers'];
  /** Handler for channels no `topicHandlers` pattern matches. @default undefined */
  defaultHandler?: SocketFeatureOptions['defaultHandler'];
  /**
   * Shed caches (and with `mode: 'disconnect'` close the transport) after `idleTimeoutMs` without app
   * traffic; wake on the next push, join, message or page view. See `HibernationOptions`.
   * `socket:hibernated` / `socket:woke` telemetry; `socket.stats().hibernation`. @default undefined (off)
   *
   * @example
   * new Socket(url, { hibernation: { idleTimeoutMs: 120_000, mode: 'disconnect', needsLiveDelivery: (t) => !t.startsWith('dash:') } });
   */
  hibernation?: SocketFeatureOptions['hibernation'];
}

/** Defaults of every option that has one. */
export const DEFAULT_SOCKET_OPTIONS = /* @__PURE__ */ Object.freeze({
  timeout: 10_000,
  heartbeatIntervalMs: 30_000,
  jitter: 'full' as JitterMode,
  reconnect: true,
  maxReconnectAttempts: Infinity,
  sendBufferLimit: 1000,
  overflowPolicy: 'drop-oldest' as OverflowPolicy,
  inFlightPolicy: 'fail' as InFlightPolicy,
  maxResends: 1,
  healthyAfterMs: 1000,
  circuitBreaker: /* @__PURE__ */ Object.freeze({ threshold: 10, coolDownMs: 30_000, minFailingMs: 10_000 }) as SocketCircuitBreakerSettings,
  binaryType: 'arraybuffer' as const,
  longpollerTimeout: 20_000,
  autoConnect: false,
  debug: false,
  reconnectAfterMs: /* @__PURE__ */ stepSchedule(DEFAULT_RECONNECT_STEPS_MS, 5000),
  rejoinAfterMs: /* @__PURE__ */ stepSchedule(DEFAULT_REJOIN_STEPS_MS, 10_000),
});

/** Options after defaults are merged and every value checked. */
export interface ResolvedSocketOptions {
  readonly transport: TransportConstructor | undefined;
  readonly transportOptions: WebSocketTransportOptions;
  readonly timeout: number;
  readonly heartbeatIntervalMs: number;
  readonly heartbeatTimeoutMs: number;
  readonly reconnectAfterMs: BackoffSchedule;
  readonly rejoinAfterMs: BackoffSchedule;
  /** Jitter of reconnect delays. */
  readonly jitter: JitterMode;
  /** Jitter of rejoin delays. */
  readonly rejoinJitter: JitterMode;
  readonly healthyAfterMs: number;
  readonly circuitBreaker: SocketCircuitBreakerSettings | null;
  readonly maxResends: number;
  readonly random: () => number;
  readonly scheduler: Scheduler;
  readonly reconnect: boolean;
  readonly maxReconnectAttempts: number;
  readonly sendBufferLimit: number;
  readonly overflowPolicy: OverflowPolicy;
  readonly inFlightPolicy: InFlightPolicy;
  readonly logger: Logger | null;
  readonly params: SocketParams;
  readonly authToken: AuthToken | undefined;
  readonly vsn: string;
  readonly serializer: Serializer;
  readonly binaryType: 'arraybuffer' | 'blob';
  readonly sessionStorage: SessionStore | undefined;
  readonly longPollFallbackMs: number | undefined;
  readonly longPollTransport: TransportConstructor | undefined;
  readonly longpollerTimeout: number;
  readonly autoConnect: boolean;
  readonly assigns: Readonly<Record<string, unknown>>;
  /** null: no rate limiting. */
  readonly rateLimit: RateLimitPlan | null;
}

function pickSerializer(options: SocketOptions, vsn: string | undefined): Serializer {
  const { serializer, encode, decode } = options;
  if (serializer !== undefined) {
    if (!isPlainObject(serializer) || typeof serializer.encode !== 'function' || typeof serializer.decode !== 'function') {
      fail('type', 'serializer', 'an object with encode(message) and decode(frame)', serializer);
    }
    if (vsn !== undefined && serializer.vsn !== vsn) {
      fail('range', 'vsn', `the serializer's vsn ('${serializer.vsn}') or omitted`, vsn);
    }
    return serializer;
  }
  if (encode !== undefined || decode !== undefined) {
    fn(options as Given, 'encode', 'a function (msg, callback) => void when decode is given');
    fn(options as Given, 'decode', 'a function (raw, callback) => void when encode is given');
    if (encode === undefined || decode === undefined) {
      fail('type', encode === undefined ? 'encode' : 'decode', 'given too: encode and decode come as a pair', undefined);
    }
    return serializerFromCallbacks(encode, decode, { vsn: vsn ?? DEFAULT_VSN });
  }
  return vsn !== undefined && vsn.startsWith('1.') ? v1Serializer : v2Serializer;
}

/**
 * Merges `options` with the defaults once and checks every value, throwing `TypeError` (wrong type) or
 * `RangeError` (out of range) naming the option.
 *
 * @example
 * resolveOptions({ heartbeatIntervalMs: -1 }); // RangeError: heartbeatIntervalMs must be >= 0 ...
 */
export function resolveOptions(options: SocketOptions = {}): ResolvedSocketOptions {
  const given: unknown = options;
  if (!isPlainObject(given)) fail('type', 'options', 'an object', given);
  const o = given as Given;
  const d = DEFAULT_SOCKET_OPTIONS;

  const transport = fn<TransportConstructor>(o, 'transport', 'a WebSocket-like class');
  const transportOptions: WebSocketTransportOptions = options.transportOptions ?? {};
  if (!isPlainObject(transportOptions as unknown)) fail('type', 'transportOptions', 'an object', transportOptions);

  const heartbeatIntervalMs = ms(o, 'heartbeatIntervalMs', true) ?? d.heartbeatIntervalMs;
  const params: SocketParams = options.params ?? {};
  if (!isPlainObject(params) && typeof params !== 'function') fail('type', 'params', 'an object or a function', params);
  const authToken = options.authToken;
  if (authToken !== undefined && typeof authToken !== 'string' && typeof authToken !== 'function') {
    fail('type', 'authToken', 'a string or a function', authToken);
  }
  const vsn = options.vsn;
  if (vsn !== undefined && (typeof vsn !== 'string' || vsn === '')) fail('type', 'vsn', "a version string like '2.0.0'", vsn);
  const serializer = pickSerializer(options, vsn);

  const logger = options.logger === null ? null : fn<Logger>(o, 'logger', 'a function (kind, msg, data) => void');
  const debug = bool(o, 'debug') ?? d.debug;
  const consoleLogger: Logger = (kind, msg, data) => console.log(`${kind}: ${msg}`, data);

  const sessionStorage = options.sessionStorage ?? (globalThis as { sessionStorage?: SessionStore }).sessionStorage;
  if (options.sessionStorage !== undefined && (!isPlainObjectLike(options.sessionStorage) || typeof options.sessionStorage.getItem !== 'function')) {
    fail('type', 'sessionStorage', 'a Storage-like object with getItem/setItem', options.sessionStorage);
  }
  const longPollFallbackMs = ms(o, 'longPollFallbackMs', false);
  const longPollTransport = fn<TransportConstructor>(o, 'longPollTransport', 'a transport class such as LongPoll');
  if (longPollFallbackMs !== undefined && longPollTransport === undefined) {
    throw new TypeError(
      "longPollFallbackMs needs longPollTransport: LongPoll (import { LongPoll } from '@phx-socket/client')",
    );
  }
  const random = fn<() => number>(o, 'random', 'a function returning a number in [0, 1)') ?? Math.random;
  const scheduler: Scheduler = options.scheduler ?? realScheduler;
  const clock: unknown = scheduler;
  if (!isPlainObjectLike(clock) || typeof clock.setTimeout !== 'function' || typeof clock.clearTimeout !== 'function' || typeof clock.now !== 'function') {
    fail('type', 'scheduler', 'an object with setTimeout, clearTimeout and now', scheduler);
  }

  const reconnectAfterMs = schedule(o, 'reconnectAfterMs');
  const rejoinAfterMs = schedule(o, 'rejoinAfterMs');
  const jitter = oneOf<JitterMode>(o, 'jitter', ['full', 'none']);

  return Object.freeze({
    transport,
    transportOptions,
    timeout: ms(o, 'timeout', false) ?? d.timeout,
    heartbeatIntervalMs,
    heartbeatTimeoutMs:
      ms(o, 'heartbeatTimeoutMs', false) ?? (heartbeatIntervalMs > 0 ? heartbeatIntervalMs : d.heartbeatIntervalMs),
    reconnectAfterMs: reconnectAfterMs ?? d.reconnectAfterMs,
    rejoinAfterMs: rejoinAfterMs ?? d.rejoinAfterMs,
    // An app that wrote its own schedule meant those delays: jitter only when it asks for it too.
    jitter: jitter ?? (reconnectAfterMs === undefined ? d.jitter : 'none'),
    rejoinJitter: jitter ?? (rejoinAfterMs === undefined ? d.jitter : 'none'),
    healthyAfterMs: ms(o, 'healthyAfterMs', true) ?? d.healthyAfterMs,
    circuitBreaker: circuitBreakerOf(o.circuitBreaker),
    maxResends: countOrInfinity(o, 'maxResends', 0) ?? d.maxResends,
    random,
    scheduler,
    reconnect: bool(o, 'reconnect') ?? d.reconnect,
    maxReconnectAttempts: countOrInfinity(o, 'maxReconnectAttempts', 0) ?? d.maxReconnectAttempts,
    sendBufferLimit: countOrInfinity(o, 'sendBufferLimit', 1) ?? d.sendBufferLimit,
    overflowPolicy: oneOf<OverflowPolicy>(o, 'overflowPolicy', ['drop-oldest', 'reject']) ?? d.overflowPolicy,
    inFlightPolicy: oneOf<InFlightPolicy>(o, 'inFlightPolicy', ['resend', 'fail']) ?? d.inFlightPolicy,
    logger: logger ?? (debug ? consoleLogger : null),
    params,
    authToken,
    vsn: vsn ?? serializer.vsn ?? VSN.v2,
    serializer,
    binaryType: oneOf<'arraybuffer' | 'blob'>(o, 'binaryType', ['arraybuffer', 'blob']) ?? d.binaryType,
    sessionStorage,
    longPollFallbackMs,
    longPollTransport,
    longpollerTimeout: ms(o, 'longpollerTimeout', false) ?? d.longpollerTimeout,
    autoConnect: bool(o, 'autoConnect') ?? d.autoConnect,
    assigns: assignsOf(o.assigns),
    rateLimit: rateLimitOf(o.rateLimit),
  });
}

function circuitBreakerOf(value: unknown): SocketCircuitBreakerSettings | null {
  const d = DEFAULT_SOCKET_OPTIONS.circuitBreaker;
  if (value === undefined) return d;
  if (value === false) return null;
  if (!isPlainObject(value)) fail('type', 'circuitBreaker', 'false or { threshold, coolDownMs, minFailingMs }', value);
  const named = {
    'circuitBreaker.threshold': value.threshold,
    'circuitBreaker.coolDownMs': value.coolDownMs,
    'circuitBreaker.minFailingMs': value.minFailingMs,
  };
  const threshold = countOrInfinity(named, 'circuitBreaker.threshold', 1) ?? d.threshold;
  const coolDownMs = ms(named, 'circuitBreaker.coolDownMs', false) ?? d.coolDownMs;
  const minFailingMs = ms(named, 'circuitBreaker.minFailingMs', true) ?? d.minFailingMs;
  return Object.freeze({ threshold, coolDownMs, minFailingMs });
}

function rateLimitOf(value: unknown): RateLimitPlan | null {
  if (value === undefined) return null;
  if (!isPlainObjectLike(value) || typeof value.create !== 'function') {
    fail('type', 'rateLimit', "rateLimiting({ ... }) (import { rateLimiting } from '@phx-socket/client')", value);
  }
  return value as unknown as RateLimitPlan;
}

function assignsOf(value: unknown): Readonly<Record<string, unknown>> {
  if (value === undefined) return {};
  if (!isPlainObject(value)) fail('type', 'assigns', 'a plain object', value);
  return value;
}
