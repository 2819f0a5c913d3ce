/**
 * Per-connection rate limits for testkit channels: a join rate with a Phoenix-shaped or Supabase-shaped
 * refusal, and a push rate answered `{reason: 'rate_limited'}`, as production servers do. Wrap any spec.
 */
import type { ChannelSpec, ConnectionHandle, HandleResult, JoinResult } from './types';

/** How a refused join is worded. */
export type JoinRefusalShape = 'phoenix' | 'supabase';

/** The reply `response` of a join refused for its rate, by shape. */
export const JOIN_REFUSALS = Object.freeze({
  /** What Phoenix apps usually answer (`{:error, %{reason: "too_many_joins"}}`). */
  phoenix: Object.freeze({ reason: 'too_many_joins' }),
  /** Modelled on Supabase Realtime's join rate limit (`ClientJoinRateLimitReached`). */
  supabase: Object.freeze({ reason: 'ClientJoinRateLimitReached: Too many joins per second' }),
});

/** The reply `response` of a push refused for its rate. */
export const PUSH_REFUSAL = Object.freeze({ reason: 'rate_limited' });

/** Options of {@link ConnectionRateLimiter}. Every limit is per connection; omitted = unlimited. */
export interface ConnectionRateLimitOptions {
  /** Joins per second a connection may make. */
  joinsPerSecond?: number;
  /** Joins a connection may make at once. @default joinsPerSecond */
  joinBurst?: number;
  /** How a refused join is worded. @default 'phoenix' */
  joinRefusal?: JoinRefusalShape;
  /** Pushes per second a connection may make (over all its channels). */
  pushesPerSecond?: number;
  /** Pushes a connection may make at once. @default pushesPerSecond */
  pushBurst?: number;
  /** Clock in ms. @default Date.now */
  now?: () => number;
}

/** Counters of a {@link ConnectionRateLimiter}. */
export interface ConnectionRateLimitStats {
  joinsAccepted: number;
  joinsRefused: number;
  pushesAccepted: number;
  pushesRefused: number;
}

class Bucket {
  private tokens: number;
  private at: number;
  constructor(
    private readonly capacity: number,
    private readonly perSecond: number,
    now: number,
  ) {
    this.tokens = capacity;
    this.at = now;
  }
  take(now: number): boolean {
    this.tokens = Math.min(this.capacity, this.tokens + ((now - this.at) * this.perSecond) / 1000);
    this.at = now;
    if (this.tokens < 1) return false;
    this.tokens -= 1;
    return true;
  }
}

function positive(name: string, value: number | undefined): number | undefined {
  if (value === undefined) return undefined;
  if (typeof value !== 'number' || !(value > 0) || !Number.isFinite(value)) {
    throw new RangeError(`ConnectionRateLimiter({ ${name} }): expected a finite number > 0, got ${String(value)}`);
  }
  return value;
}

/**
 * Token buckets per connection, shared by every spec it wraps (one connection's joins on `room:*` and
 * `feed:*` count together). A join over the rate is refused (the client retries it); a push over the rate
 * is answered `{status: 'error', response: {reason: 'rate_limited'}}` and not handled.
 *
 * @example
 * const limits = new ConnectionRateLimiter({ joinsPerSecond: 200, joinRefusal: 'supabase', pushesPerSecond: 10 });
 * server.channel('room:*', limits.wrap({ handleIn: (_e, payload) => ({ reply: 'ok', response: payload }) }));
 */
export class ConnectionRateLimiter {
  private readonly joins = new WeakMap<ConnectionHandle, Bucket>();
  private readonly pushes = new WeakMap<ConnectionHandle, Bucket>();
  private readonly counts: ConnectionRateLimitStats = { joinsAccepted: 0, joinsRefused: 0, pushesAccepted: 0, pushesRefused: 0 };
  private readonly joinsPerSecond: number | undefined;
  private readonly joinBurst: number | undefined;
  private readonly pushesPerSecond: number | undefined;
  private readonly pushBurst: number | undefined;
  private readonly refusal: JoinRefusalShape;
  private readonly now: () => number;

  constructor(options: ConnectionRateLimitOptions = {}) {
    this.joinsPerSecond = positive('joinsPerSecond', options.joinsPerSecond);
    this.joinBurst = positive('joinBurst', options.joinBurst);
    this.pushesPerSecond = positive('pushesPerSecond', options.pushesPerSecond);
    this.pushBurst = positive('pushBurst', options.pushBurst);
    const refusal = options.joinRefusal ?? 'phoenix';
    if (refusal !== 'phoenix' && refusal !== 'supabase') {
      throw new RangeError(`ConnectionRateLimiter({ joinRefusal }): expected 'phoenix' or 'supabase', got ${String(refusal)}`);
    }
    this.refusal = refusal;
    this.now = options.now ?? Date.now;
  }

  /** A snapshot of the counters. */
  stats(): ConnectionRateLimitStats {
    return { ...this.counts };
  }

  /** `spec` behind this connection's limits. */
  wrap(spec: ChannelSpec = {}): ChannelSpec {
    return {
      ...spec,
      join: (topic, params, socket): JoinResult | Promise<JoinResult> => {
        if (!this.allow(this.joins, socket.connection, this.joinsPerSecond, this.joinBurst)) {
          this.counts.joinsRefused++;
          return { error: { ...JOIN_REFUSALS[this.refusal] } };
        }
        this.counts.joinsAccepted++;
        return spec.join ? spec.join.call(spec, topic, params, socket) : undefined;
      },
      handleIn: (event, payload, socket): HandleResult | Promise<HandleResult> => {
        if (!this.allow(this.pushes, socket.connection, this.pushesPerSecond, this.pushBurst)) {
          this.counts.pushesRefused++;
          return { reply: 'error', response: { ...PUSH_REFUSAL } };
        }
        this.counts.pushesAccepted++;
        return spec.handleIn ? spec.handleIn.call(spec, event, payload, socket) : undefined;
      },
    };
  }

  private allow(buckets: WeakMap<ConnectionHandle, Bucket>, connection: ConnectionHandle, perSecond: number | undefined, burst: number | undefined): boolean {
    if (perSecond === undefined) return true;
    const now = this.now();
    let bucket = buckets.get(connection);
    if (bucket === undefined) {
      bucket = new Bucket(burst ?? perSecond, perSecond, now);
      buckets.set(connection, bucket);
    }
    return bucket.take(now);
  }
}
