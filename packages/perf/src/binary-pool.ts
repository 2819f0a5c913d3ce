/**
 * BinaryPool: a bounded, aging cache of encoded frame parts that repeat. What it holds today is the JSON
 * of payloads the app marked `cacheable()` — the one part whose re-encoding measurably costs (see
 * bench/pool.mjs; the topic/event prefix, heartbeat frame and decoded-string interning were measured and
 * dropped). Backed by lru-cache: LRU eviction past `size`, expiry after `maxAgeMs`.
 */
import { MeteredCache, type MeteredCacheStats } from './metered-cache';
import { durationMs, optionsObject, platformScheduler, positiveInt, type PerfScheduler } from './options-check';

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
export const DEFAULT_BINARY_POOL_OPTIONS = /* @__PURE__ */ Object.freeze({ size: 1000, maxAgeMs: 300_000, cleanupIntervalMs: 60_000 });

/** Counters since creation (or `resetStats()`), plus current occupancy. */
export interface BinaryPoolStats extends MeteredCacheStats {
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
export class BinaryPool extends MeteredCache<PoolKey, string> {
  /** The options in effect. */
  readonly options: Readonly<Required<Omit<BinaryPoolOptions, 'scheduler'>>>;

  constructor(options: BinaryPoolOptions = {}, option = 'binaryPool') {
    const given = optionsObject<BinaryPoolOptions>(option, options);
    const d = DEFAULT_BINARY_POOL_OPTIONS;
    const resolved = Object.freeze({
      size: positiveInt(`${option}.size`, given.size, d.size),
      maxAgeMs: durationMs(`${option}.maxAgeMs`, given.maxAgeMs, d.maxAgeMs, true),
      cleanupIntervalMs: durationMs(`${option}.cleanupIntervalMs`, given.cleanupIntervalMs, d.cleanupIntervalMs, true),
    });
    super({
      size: resolved.size,
      ttlMs: resolved.maxAgeMs,
      cleanupIntervalMs: resolved.cleanupIntervalMs,
      scheduler: given.scheduler ?? platformScheduler,
      sizeOf: (_key, encoded) => encoded.length * 2,
    });
    this.options = resolved;
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
    this.store(key, encoded);
    return encoded;
  }

  /** A snapshot of the counters and occupancy. */
  stats(): BinaryPoolStats {
    return this.meteredStats();
  }
}
