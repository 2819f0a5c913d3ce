/**
 * `SocketPool` options: the interface, one frozen defaults object, and `resolvePoolOptions()`, which merges
 * them once (with `??`) and validates eagerly, throwing {@link PoolOptionError} naming the option.
 */
import { PhxError } from '@phx-socket/transport';
import type { SocketOptions } from '../options';
import { isPoolStrategy, type PoolStrategy, type PoolStrategyName } from './strategy';

/** Decides whether a join refusal means "this connection is full" (the join then goes to another socket). */
export type FullRefusalTest = readonly string[] | ((response: unknown) => boolean);

/**
 * Options of `new SocketPool(options)`.
 *
 * @example
 * const pool = new SocketPool({
 *   endpoints: ['wss://a.example.com/socket', 'wss://b.example.com/socket'],
 *   socketsPerEndpoint: 2,
 *   maxChannelsPerSocket: 100, // Phoenix ≥ 1.8.9 refuses join 101 of a connection
 *   strategy: 'consistent-hash',
 *   socket: { params: { token } },
 * });
 */
export interface SocketPoolOptions {
  /** Endpoint URLs, as for `new Socket(url)`. At least one; no duplicates. Required. */
  endpoints: readonly string[];
  /** Sockets the pool may open per endpoint (each opened only when a channel needs it). @default 1 */
  socketsPerEndpoint?: number;
  /**
   * Channels one socket takes before the pool puts the next on another socket. When every socket is at
   * the limit, channels still go to the least-loaded healthy one. `Infinity` = no client-side limit (the
   * server's "full" refusals still move joins on). @default Infinity
   */
  maxChannelsPerSocket?: number;
  /**
   * Which socket gets a channel: `'least-channels'` (fewest channels, endpoints interleaved),
   * `'consistent-hash'` (rendezvous hashing of the topic over endpoint + slot: a topic lands on the same
   * socket across restarts), `'round-robin'`, or your own {@link PoolStrategy}. @default 'least-channels'
   */
  strategy?: PoolStrategyName | PoolStrategy;
  /** Options of every socket (`params`, `authToken`, `heartbeatIntervalMs`, ...). @default {} */
  socket?: SocketOptions;
  /**
   * Join refusals that mean "this connection is full": the pool sends that join to another socket (opening
   * one if allowed) instead of failing it. Strings are matched case-insensitively inside the refusal's
   * `reason`; a function gets the whole refusal response. @default ['too many channels', 'too_many_channels']
   */
  fullRefusals?: FullRefusalTest;
  /**
   * Failed connects (or connections that ended within `healthyAfterMs`) in a row after which a socket is
   * unhealthy: its channels move to healthy sockets. A socket whose circuit breaker opens is unhealthy at
   * once. @default 3
   */
  unhealthyAfterFailures?: number;
  /** An unhealthy socket that reconnects must stay open this long to be healthy again, ms. @default 2000 */
  recoverAfterMs?: number;
  /** Move channels back to their own socket once it is healthy again. @default true */
  rebalance?: boolean;
  /**
   * A socket left with no channels (and home to none that moved away, so it is not waited on to recover)
   * disconnects after this long, and opens again when a channel is placed there. `Infinity` keeps idle
   * sockets open, ms. @default 30000
   */
  idleSocketCloseMs?: number;
}

/** Options after defaults. */
export interface ResolvedPoolOptions {
  readonly endpoints: readonly string[];
  readonly socketsPerEndpoint: number;
  readonly maxChannelsPerSocket: number;
  readonly strategy: PoolStrategyName | PoolStrategy;
  readonly socket: SocketOptions;
  readonly isFullRefusal: (response: unknown) => boolean;
  readonly unhealthyAfterFailures: number;
  readonly recoverAfterMs: number;
  readonly rebalance: boolean;
  readonly idleSocketCloseMs: number;
}

/** Defaults of every optional option. */
export const DEFAULT_POOL_OPTIONS = /* @__PURE__ */ Object.freeze({
  socketsPerEndpoint: 1,
  maxChannelsPerSocket: Infinity,
  strategy: 'least-channels' as PoolStrategyName,
  fullRefusals: /* @__PURE__ */ Object.freeze(['too many channels', 'too_many_channels']) as readonly string[],
  unhealthyAfterFailures: 3,
  recoverAfterMs: 2000,
  rebalance: true,
  idleSocketCloseMs: 30_000,
});

/** An invalid `SocketPool` option; `option` names it. */
export class PoolOptionError extends PhxError<'invalid_pool_option'> {
  readonly option: string;
  constructor(option: string, message: string) {
    super('invalid_pool_option', `new SocketPool({ ${option} }): ${message}`);
    this.option = option;
  }
}

const KNOWN = /* @__PURE__ */ new Set(['endpoints', 'socketsPerEndpoint', 'maxChannelsPerSocket', 'strategy', 'socket', 'fullRefusals', 'unhealthyAfterFailures', 'recoverAfterMs', 'rebalance', 'idleSocketCloseMs']);
const STRATEGIES: readonly PoolStrategyName[] = ['least-channels', 'consistent-hash', 'round-robin'];

function positiveInteger(option: string, value: unknown, allowInfinity: boolean): number {
  if (allowInfinity && value === Infinity) return Infinity;
  if (typeof value !== 'number' || !Number.isInteger(value) || value < 1) {
    throw new PoolOptionError(option, `expected an integer >= 1${allowInfinity ? ' or Infinity' : ''}, got ${String(value)}`);
  }
  return value;
}

function fullRefusalTest(given: unknown): (response: unknown) => boolean {
  if (typeof given === 'function') return given as (response: unknown) => boolean;
  if (!Array.isArray(given) || given.some((r) => typeof r !== 'string' || r === '')) {
    throw new PoolOptionError('fullRefusals', 'expected an array of non-empty strings or a function (response) => boolean');
  }
  const needles = (given as string[]).map((r) => r.toLowerCase());
  return (response) => {
    const reason = typeof response === 'object' && response !== null ? (response as { reason?: unknown }).reason : response;
    if (typeof reason !== 'string') return false;
    const text = reason.toLowerCase();
    return needles.some((needle) => text.includes(needle));
  };
}

/** Merges defaults once and validates every option; throws {@link PoolOptionError}. */
export function resolvePoolOptions(options: SocketPoolOptions): ResolvedPoolOptions {
  if (typeof options !== 'object' || options === null) throw new PoolOptionError('endpoints', 'expected an options object with endpoints: [url, ...]');
  for (const key of Object.keys(options)) {
    if (!KNOWN.has(key)) throw new PoolOptionError(key, `unknown option (known: ${[...KNOWN].join(', ')})`);
  }
  const { endpoints } = options;
  if (!Array.isArray(endpoints) || endpoints.length === 0) throw new PoolOptionError('endpoints', 'expected a non-empty array of endpoint URLs');
  for (const url of endpoints) {
    if (typeof url !== 'string' || url === '') throw new PoolOptionError('endpoints', `expected URL strings, got ${String(url)}`);
  }
  if (new Set(endpoints).size !== endpoints.length) throw new PoolOptionError('endpoints', 'lists an endpoint twice (use socketsPerEndpoint for more sockets per endpoint)');
  const strategy = options.strategy ?? DEFAULT_POOL_OPTIONS.strategy;
  if (typeof strategy === 'string' ? !STRATEGIES.includes(strategy) : !isPoolStrategy(strategy)) {
    throw new PoolOptionError('strategy', `expected ${STRATEGIES.map((s) => `'${s}'`).join(', ')} or an object with pick(topic, candidates)`);
  }
  const socket = options.socket ?? {};
  if (typeof socket !== 'object' || socket === null) throw new PoolOptionError('socket', 'expected Socket options (an object)');
  if (socket.autoConnect === true) throw new PoolOptionError('socket', 'autoConnect is not supported: the pool opens sockets when channels need them');
  const recoverAfterMs = options.recoverAfterMs ?? DEFAULT_POOL_OPTIONS.recoverAfterMs;
  if (typeof recoverAfterMs !== 'number' || !Number.isFinite(recoverAfterMs) || recoverAfterMs < 0) {
    throw new PoolOptionError('recoverAfterMs', `expected a finite number of ms >= 0, got ${String(recoverAfterMs)}`);
  }
  const idleSocketCloseMs = options.idleSocketCloseMs ?? DEFAULT_POOL_OPTIONS.idleSocketCloseMs;
  if (typeof idleSocketCloseMs !== 'number' || Number.isNaN(idleSocketCloseMs) || idleSocketCloseMs < 0) {
    throw new PoolOptionError('idleSocketCloseMs', `expected a number of ms >= 0 or Infinity, got ${String(idleSocketCloseMs)}`);
  }
  const rebalance = options.rebalance ?? DEFAULT_POOL_OPTIONS.rebalance;
  if (typeof rebalance !== 'boolean') throw new PoolOptionError('rebalance', `expected a boolean, got ${String(rebalance)}`);
  return {
    endpoints: [...endpoints],
    socketsPerEndpoint: positiveInteger('socketsPerEndpoint', options.socketsPerEndpoint ?? DEFAULT_POOL_OPTIONS.socketsPerEndpoint, false),
    maxChannelsPerSocket: positiveInteger('maxChannelsPerSocket', options.maxChannelsPerSocket ?? DEFAULT_POOL_OPTIONS.maxChannelsPerSocket, true),
    strategy,
    socket,
    isFullRefusal: fullRefusalTest(options.fullRefusals ?? DEFAULT_POOL_OPTIONS.fullRefusals),
    unhealthyAfterFailures: positiveInteger('unhealthyAfterFailures', options.unhealthyAfterFailures ?? DEFAULT_POOL_OPTIONS.unhealthyAfterFailures, false),
    recoverAfterMs,
    rebalance,
    idleSocketCloseMs,
  };
}
