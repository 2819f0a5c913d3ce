/**
 * BinaryPool: a bounded, aging cache of encoded frame parts that repeat. What it holds today is the JSON
 * of payloads the app marked `cacheable()` — the one part whose re-encoding measurably costs (see
 * bench/pool.mjs; the topic/event prefix, heartbeat frame and decoded-string interning were measured and
 * dropped). Backed by lru-cache: LRU eviction past `size`, expiry after `maxAgeMs`.
 */
import { LRUCache } from 'lru-cache';
import { CleanupTimer, durationMs, optionsObject, platformScheduler, positiveInt, type PerfScheduler } from './options-check';

/**
 * Options of `binaryPool` (`new Socket(url, { binaryPool: { size: 500 } })`) or `new BinaryPool()`.
 */
export interface BinaryPoolOptions {
  /** Most encodings kept; the least recently used goes first. An integer >= 1. @default 1000 */
  size?: number;
  /**
   * Ms an encoding stays valid after it was made; an expired one is re-encoded on next use. `0` = no
   * expiry (only LRU eviction). @default 300000 (5 min)
   */
  maxAgeMs?: number;
  /**
   * Ms between sweeps that drop expired encodings, so memory returns even with no traffic. `0` = no
   * sweep (expired entries are still never served, and are dropped when touched). @default 60000
   */
  cleanupIntervalMs?: number;
  /** Clock and timers (the socket passes its `scheduler`). @default platform timers, unref'd in Node */
  scheduler?: PerfScheduler;
}

/** Defaults of {@link BinaryPoolOptions}. */
export const DEFAULT_BINARY_POOL_OPTIONS = Object.freeze({ size: 1000, maxAgeMs: 300_000, cleanupIntervalMs: 60_000 });

/** Counters since creation (or `resetStats()`), plus current occupancy. */
export interface BinaryPoolStats {
  /** Encodings served from the pool. */
  hits: number;
  /** Encodings made (and stored) because none was pooled. */
  misses: number;
  /** Entries pushed out by `size`. */
  evictions: number;
  /** Entries dropped because they outlived `maxAgeMs`. */
  expirations: number;
  /** Entries held now. */
  entries: number;
  /** Approximate bytes held now: 2 per UTF-16 code unit of the cached strings. */
  bytes: number;
}

/** A key for `pool.json()`: a string the app vouches for, or an object compared by identity. */
export type PoolKey = string | object;

/**
 * A bounded cache of `JSON.stringify` results. A socket with `binaryPool` uses one to encode payloads
 * wrapped in `cacheable()` once, however many times and on however many channels they are pushed.
 *
 * @example
 * const pool = new BinaryPool({ size: 100, maxAgeMs: 60_000 });
 * pool.json('config:v3', config); // encodes
 * pool.json('config:v3', config); // served from the pool
 * pool.stats(); // { hits: 1, misses: 1, entries: 1, bytes: ..., evictions: 0, expirations: 0 }
 */
export class BinaryPool {
  /** The options in effect. */
  readonly options: Readonly<Required<Omit<BinaryPoolOptions, 'scheduler'>>>;
  private readonly cache: LRUCache<PoolKey, string>;
  private readonly cleanup: CleanupTimer;
  private hits = 0;
  private misses = 0;
  private evictions = 0;
  private expirations = 0;
  private heldBytes = 0;

  constructor(options: BinaryPoolOptions = {}, option = 'binaryPool') {
    const given = optionsObject<BinaryPoolOptions>(option, options);
    const d = DEFAULT_BINARY_POOL_OPTIONS;
    this.options = Object.freeze({
      size: positiveInt(`${option}.size`, given.size, d.size),
      maxAgeMs: durationMs(`${option}.maxAgeMs`, given.maxAgeMs, d.maxAgeMs, true),
      cleanupIntervalMs: durationMs(`${option}.cleanupIntervalMs`, given.cleanupIntervalMs, d.cleanupIntervalMs, true),
    });
    const scheduler = given.scheduler ?? platformScheduler;
    this.cache = new LRUCache<PoolKey, string>({
      max: this.options.size,
      ...(this.options.maxAgeMs > 0 ? { ttl: this.options.maxAgeMs } : {}),
      // +1: lru-cache reads a start time of exactly 0 as "no TTL", and injected clocks often start at 0.
      perf: { now: () => scheduler.now() + 1 },
      // Read the injected clock every time: lru-cache's default caches it behind a real (unfaked) timer.
      ttlResolution: 0,
      dispose: (value, _key, reason) => {
        this.heldBytes -= value.length * 2;
        if (reason === 'evict') this.evictions++;
        else if (reason === 'expire') this.expirations++;
      },
    });
    this.cleanup = new CleanupTimer(scheduler, this.options.cleanupIntervalMs, () => this.cache.purgeStale());
    if (this.options.maxAgeMs > 0) this.cleanup.start();
  }

  /**
   * `JSON.stringify(value)`, made once per `key` and then served from the pool until evicted or expired.
   * The caller vouches that one key always stands for the same JSON. `undefined` when `value` has no JSON
   * form (as `JSON.stringify` says); such results are not pooled. Throws what `JSON.stringify` throws.
   */
  json(key: PoolKey, value: unknown): string | undefined {
    const found = this.cache.get(key);
    if (found !== undefined) {
      this.hits++;
      return found;
    }
    const encoded = JSON.stringify(value) as string | undefined;
    if (encoded === undefined) return undefined;
    this.misses++;
    this.cache.set(key, encoded);
    this.heldBytes += encoded.length * 2;
    return encoded;
  }

  /** Drops every entry; returns the approximate bytes released. Counters are kept. */
  clear(): number {
    const released = this.heldBytes;
    this.cache.clear();
    this.heldBytes = 0;
    return released;
  }

  /** Approximate bytes held now (what `clear()` would release). */
  get bytes(): number {
    return this.heldBytes;
  }

  /** Pauses the cleanup sweep (nothing to sweep while a socket is hibernated); `resume()` restarts it. */
  pause(): void {
    this.cleanup.stop();
  }

  /** Restarts the cleanup sweep after `pause()`. */
  resume(): void {
    if (this.options.maxAgeMs > 0) this.cleanup.start();
  }

  /** A snapshot of the counters and occupancy. */
  stats(): BinaryPoolStats {
    return {
      hits: this.hits,
      misses: this.misses,
      evictions: this.evictions,
      expirations: this.expirations,
      entries: this.cache.size,
      bytes: this.heldBytes,
    };
  }

  /** Zeroes the counters (occupancy is not a counter and stays). */
  resetStats(): void {
    this.hits = this.misses = this.evictions = this.expirations = 0;
  }

  /** Stops the sweep and drops every entry; the pool still works afterwards, without a sweep. */
  dispose(): void {
    this.cleanup.stop();
    this.clear();
  }
}
