/**
 * Client-side rate limiting: the socket's `ChannelPacer`. App pushes and joins that could go out now pass
 * through token buckets; over the limit they wait, in order per channel, and are never dropped. Error replies
 * that say the client is limited pause the socket's joins or one channel's pushes, with backoff.
 */
import { ChannelClosedError, type PacedChannel, type Push, type TimerHandle } from '@phx-socket/channel';
import { backoffDelay } from './backoff';
import {
  resolveChannelRateLimit,
  resolveRateLimit,
  type RateLimiterHost,
  type RateLimitOptions,
  type RateLimitPlan,
  type RateLimitStats,
  type RateSettings,
  type ResolvedRateLimit,
  type SocketRateLimiter,
} from './rate-limit';
import { TokenBucket } from './token-bucket';

/**
 * The socket option `rateLimit`: client-side rate limiting of app pushes and joins, and pauses on the
 * server's "rate limited" replies (see `RateLimitOptions`). Validates at once.
 *
 * @example
 * import { Socket, rateLimiting } from '@phx-socket/client';
 * new Socket(url, { rateLimit: rateLimiting({ joinsPerSecond: 100, pushesPerSecond: 20 }) });
 */
export function rateLimiting(options: RateLimitOptions = {}): RateLimitPlan {
  const settings = resolveRateLimit(options);
  return Object.freeze({ settings, create: (host: RateLimiterHost) => new RateLimiter(settings, host) });
}

type Kind = 'push' | 'join';

/** One channel's pushes waiting: FIFO, its own bucket (if any), its pause after a limited reply. */
class Lane {
  readonly queue: Push[] = [];
  head = 0;
  timer: TimerHandle | null = null;
  pausedUntil = 0;
  pausedAt: number | null = null;
  pauseTries = 0;
  constructor(
    readonly channel: PacedChannel,
    public bucket: TokenBucket | null,
  ) {}
  get size(): number {
    return this.queue.length - this.head;
  }
  shift(): Push {
    const push = this.queue[this.head] as Push;
    this.queue[this.head++] = undefined as unknown as Push;
    if (this.head === this.queue.length) {
      this.queue.length = 0;
      this.head = 0;
    }
    return push;
  }
}

/** Throttle bookkeeping of one kind, for the telemetry pair `rate_limit:throttled` / `rate_limit:released`. */
class Throttle {
  since: number | null = null;
  sent = 0;
  total = 0;
}

/**
 * Paces app pushes (per socket, and per channel when the channel has its own `rateLimit`) and joins.
 * Channels on one socket share its push rate round-robin, so a chatty channel cannot starve the others.
 *
 * @example
 * const limiter = new RateLimiter(resolveRateLimit({ joinsPerSecond: 100 }), host);
 */
export class RateLimiter implements SocketRateLimiter {
  /** Vue's `markRaw` flag (see outbox.ts). */
  private get __v_skip(): true {
    return true;
  }

  readonly #settings: ResolvedRateLimit;
  readonly #host: RateLimiterHost;
  readonly #pushBucket: TokenBucket | null;
  readonly #joinBucket: TokenBucket | null;
  readonly #lanes = new Map<PacedChannel, Lane>();
  /** Lanes with pushes that may go as soon as the socket's bucket allows, in round-robin order. */
  readonly #ready = new Set<Lane>();
  readonly #joins = new Set<PacedChannel>();
  readonly #hooked = new WeakSet<object>();
  readonly #throttle: Record<Kind, Throttle> = { push: new Throttle(), join: new Throttle() };
  #waitingPushes = 0;
  #joinPausedUntil = 0;
  #joinPausedAt: number | null = null;
  #joinPauseTries = 0;
  #pauses = 0;
  #timer: TimerHandle | null = null;
  #wakeAt = Infinity;
  #draining = false;

  constructor(settings: ResolvedRateLimit, host: RateLimiterHost) {
    this.#settings = settings;
    this.#host = host;
    const bucket = (s: RateSettings | null): TokenBucket | null =>
      s === null ? null : new TokenBucket({ capacity: s.burst, refillPerSecond: s.perSecond }, host.scheduler);
    this.#pushBucket = bucket(settings.pushes);
    this.#joinBucket = bucket(settings.joins);
  }

  /** Checks a channel's own `rateLimit` option. */
  channelSettings(options: unknown): RateSettings | null {
    return resolveChannelRateLimit(options);
  }

  /** Gives `channel` its own push rate, on top of the socket's. */
  limitChannel(channel: PacedChannel, settings: RateSettings): void {
    const bucket = new TokenBucket({ capacity: settings.burst, refillPerSecond: settings.perSecond }, this.#host.scheduler);
    const lane = this.#lanes.get(channel);
    if (lane) lane.bucket = bucket;
    else this.#lanes.set(channel, new Lane(channel, bucket));
  }

  stats(): RateLimitStats {
    return {
      waitingPushes: this.#waitingPushes,
      waitingJoins: this.#joins.size,
      throttledPushes: this.#throttle.push.total,
      throttledJoins: this.#throttle.join.total,
      pauses: this.#pauses,
    };
  }

  // ── ChannelPacer ───────────────────────────────────────────────────────────────────────────────

  push(channel: PacedChannel, push: Push): void {
    let lane = this.#lanes.get(channel);
    if (lane === undefined) {
      lane = new Lane(channel, null);
      this.#lanes.set(channel, lane);
    }
    this.#hookPush(lane, push);
    const now = this.#host.scheduler.now();
    if (lane.size === 0 && this.#waitingPushes === 0 && lane.pausedUntil <= now && (lane.bucket === null || lane.bucket.msUntilToken() === 0) && this.#take(this.#pushBucket)) {
      lane.bucket?.tryTake();
      channel.sendPaced(push);
      return;
    }
    lane.queue.push(push);
    this.#waitingPushes++;
    this.#throttled('push', this.#waitingPushes);
    this.#laneReady(lane, now);
    this.#drain();
  }

  join(channel: PacedChannel): void {
    this.#hookJoin(channel);
    if (this.#joins.has(channel)) return; // already waiting: it keeps its place
    const now = this.#host.scheduler.now();
    if (this.#joins.size === 0 && this.#joinPausedUntil <= now && this.#take(this.#joinBucket)) {
      channel.sendPacedJoin();
      return;
    }
    this.#joins.add(channel);
    this.#throttled('join', this.#joins.size);
    this.#drain();
  }

  // ── socket lifecycle ───────────────────────────────────────────────────────────────────────────

  /** The transport opened: what waited goes out at the allowed rate. */
  opened(): void {
    this.#drain();
  }

  /**
   * The transport went away (after the channels heard of it). Waiting pushes were never sent: they go back to
   * their channel's buffer, after the in-flight pushes it recovered, and are sent once after the rejoin.
   * Waiting joins start their timeout, as a join made offline does, and rejoin when the socket opens.
   */
  down(): void {
    for (const channel of this.#joins) channel.joinPush.wait();
    this.#joins.clear();
    this.#released('join');
    this.#ready.clear();
    for (const lane of this.#lanes.values()) {
      this.#clearLaneTimer(lane);
      while (lane.size > 0) lane.channel.sendPaced(lane.shift());
    }
    this.#waitingPushes = 0;
    this.#released('push');
  }

  /** `channel` closed: its waiting pushes fail with `ChannelClosedError`, its waiting join is forgotten. */
  forget(channel: PacedChannel): void {
    this.#joins.delete(channel);
    if (this.#joins.size === 0) this.#released('join');
    const lane = this.#lanes.get(channel);
    if (lane === undefined) return;
    this.#lanes.delete(channel);
    this.#ready.delete(lane);
    this.#clearLaneTimer(lane);
    while (lane.size > 0) {
      const push = lane.shift();
      this.#waitingPushes--;
      push.fail(new ChannelClosedError(channel.topic, push.event));
    }
    if (this.#waitingPushes === 0) this.#released('push');
  }

  // ── draining ───────────────────────────────────────────────────────────────────────────────────

  #drain(): void {
    if (this.#draining) return;
    this.#draining = true;
    try {
      if (this.#host.isConnected()) {
        this.#drainJoins();
        this.#drainPushes();
      }
    } finally {
      this.#draining = false;
    }
  }

  #drainJoins(): void {
    const now = this.#host.scheduler.now();
    if (this.#joinPausedAt !== null && this.#joinPausedUntil <= now) this.#resumed('join', 'socket', null, this.#joinPausedAt, now);
    while (this.#joins.size > 0) {
      if (this.#joinPausedUntil > now) return this.#wake(this.#joinPausedUntil - now);
      if (!this.#take(this.#joinBucket)) return this.#wake(this.#joinBucket?.msUntilToken() ?? 0);
      const channel = this.#joins.values().next().value as PacedChannel;
      this.#joins.delete(channel);
      this.#throttle.join.sent++;
      channel.sendPacedJoin();
      if (!this.#host.isConnected()) return;
    }
    this.#released('join');
  }

  #drainPushes(): void {
    const now = this.#host.scheduler.now();
    while (this.#ready.size > 0) {
      const lane = this.#ready.values().next().value as Lane;
      if (lane.size === 0 || !this.#laneOpen(lane, now)) {
        this.#ready.delete(lane);
        continue;
      }
      if (!this.#take(this.#pushBucket)) return this.#wake(this.#pushBucket?.msUntilToken() ?? 0);
      lane.bucket?.tryTake();
      const push = lane.shift();
      this.#waitingPushes--;
      this.#throttle.push.sent++;
      // Round robin: the lane goes to the back if it still has pushes.
      this.#ready.delete(lane);
      if (lane.size > 0) this.#ready.add(lane);
      lane.channel.sendPaced(push);
      if (!this.#host.isConnected()) return;
    }
    if (this.#waitingPushes === 0) this.#released('push');
  }

  /** True when the lane's own pause and bucket let its next push go now; else arms its timer. */
  #laneOpen(lane: Lane, now: number): boolean {
    if (lane.pausedAt !== null && lane.pausedUntil <= now) this.#resumed('push', 'channel', lane.channel.topic, lane.pausedAt, now, lane);
    let waitMs = lane.pausedUntil - now;
    if (waitMs <= 0 && lane.bucket !== null) waitMs = lane.bucket.msUntilToken();
    if (waitMs <= 0) return true;
    if (lane.timer === null) {
      lane.timer = this.#host.scheduler.setTimeout(() => {
        lane.timer = null;
        const at = this.#host.scheduler.now();
        if (lane.pausedAt !== null && lane.pausedUntil <= at) this.#resumed('push', 'channel', lane.channel.topic, lane.pausedAt, at, lane);
        this.#laneReady(lane, at);
        this.#drain();
      }, waitMs);
    }
    return false;
  }

  #laneReady(lane: Lane, now: number): void {
    if (lane.size === 0 || this.#ready.has(lane)) return;
    if (lane.timer !== null && (lane.pausedUntil > now || (lane.bucket !== null && lane.bucket.msUntilToken() > 0))) return;
    this.#ready.add(lane);
  }

  #clearLaneTimer(lane: Lane): void {
    if (lane.timer !== null) this.#host.scheduler.clearTimeout(lane.timer);
    lane.timer = null;
  }

  #take(bucket: TokenBucket | null): boolean {
    return bucket === null || bucket.tryTake();
  }

  /** Drains again in `ms` (keeps an earlier wake-up). */
  #wake(ms: number): void {
    const { scheduler } = this.#host;
    const at = scheduler.now() + Math.max(1, ms);
    if (this.#timer !== null && this.#wakeAt <= at) return;
    if (this.#timer !== null) scheduler.clearTimeout(this.#timer);
    this.#wakeAt = at;
    this.#timer = scheduler.setTimeout(() => {
      this.#timer = null;
      this.#wakeAt = Infinity;
      this.#drain();
    }, Math.max(1, ms));
  }

  // ── the server's refusals ──────────────────────────────────────────────────────────────────────

  #hookPush(lane: Lane, push: Push): void {
    if (this.#hooked.has(push)) return;
    this.#hooked.add(push);
    push.receive('ok', () => {
      lane.pauseTries = 0;
    });
    push.receive('error', (response) => {
      if (this.#settings.isLimited(response)) this.#pauseLane(lane, response);
    });
  }

  #hookJoin(channel: PacedChannel): void {
    if (this.#hooked.has(channel)) return;
    this.#hooked.add(channel);
    channel.joinPush.receive('ok', () => {
      this.#joinPauseTries = 0;
    });
    channel.joinPush.receive('error', (response) => {
      if (this.#settings.isLimited(response)) this.#pauseJoins(response);
    });
  }

  #pauseLane(lane: Lane, reason: unknown): void {
    const now = this.#host.scheduler.now();
    // Replies to pushes sent before the pause began do not stretch it.
    if (lane.pausedUntil > now) return;
    lane.pauseTries++;
    const ms = this.#pauseMs(lane.pauseTries);
    lane.pausedUntil = now + ms;
    lane.pausedAt = now;
    this.#paused('push', 'channel', lane.channel.topic, reason, ms, lane.pauseTries);
    this.#ready.delete(lane);
    this.#clearLaneTimer(lane);
    this.#laneOpen(lane, now);
  }

  #pauseJoins(reason: unknown): void {
    const now = this.#host.scheduler.now();
    // A burst of joins refused together is one signal, not many.
    if (this.#joinPausedUntil > now) return;
    this.#joinPauseTries++;
    const ms = this.#pauseMs(this.#joinPauseTries);
    this.#joinPausedUntil = now + ms;
    this.#joinPausedAt = now;
    this.#paused('join', 'socket', null, reason, ms, this.#joinPauseTries);
    this.#wake(ms);
  }

  #pauseMs(tries: number): number {
    return backoffDelay(tries, this.#settings.pauseAfterMs, this.#settings.pauseJitter, this.#host.random, 10_000);
  }

  // ── telemetry ──────────────────────────────────────────────────────────────────────────────────

  #throttled(kind: Kind, waiting: number): void {
    const t = this.#throttle[kind];
    t.total++;
    if (t.since !== null) return;
    t.since = this.#host.scheduler.now();
    t.sent = 0;
    const bucket = kind === 'push' ? this.#pushBucket : this.#joinBucket;
    this.#host.emit('rate_limit:throttled', { measurements: { waiting, wait_ms: bucket?.msUntilToken() ?? 0 }, metadata: { kind } });
  }

  #released(kind: Kind): void {
    const t = this.#throttle[kind];
    if (t.since === null) return;
    const throttled = this.#host.scheduler.now() - t.since;
    t.since = null;
    this.#host.emit('rate_limit:released', { measurements: { throttled_ms: throttled, sent: t.sent }, metadata: { kind } });
  }

  #paused(kind: Kind, scope: 'socket' | 'channel', topic: string | null, reason: unknown, ms: number, attempt: number): void {
    this.#pauses++;
    this.#host.emit('rate_limit:paused', { measurements: { pause_ms: ms, attempt }, metadata: { kind, scope, topic, reason } });
  }

  #resumed(kind: Kind, scope: 'socket' | 'channel', topic: string | null, since: number, now: number, lane?: Lane): void {
    if (lane) lane.pausedAt = null;
    else this.#joinPausedAt = null;
    this.#host.emit('rate_limit:resumed', { measurements: { paused_ms: now - since }, metadata: { kind, scope, topic } });
  }
}
