import { LRUCache } from 'lru-cache';
import { CleanupTimer, type PerfScheduler } from './options-check';

/** Counters and occupancy every cache of this package reports. */
export interface MeteredCacheStats {
  /** Lookups answered from the cache. */
  hits: number;
  /** Lookups that had to compute (and then stored) their value. */
  misses: number;
  /** Entries pushed out by the size bound. */
  evictions: number;
  /** Entries dropped because they outlived their TTL. */
  expirations: number;
  /** Entries held now. */
  entries: number;
  /** Approximate bytes held now. */
  bytes: number;
}

/** How a {@link MeteredCache} is bounded, swept and sized. */
export interface MeteredCacheConfig<K, V> {
  /** Most entries; the least recently used goes first. */
  size: number;
  /** Ms an entry stays valid; `0` = no expiry. */
  ttlMs: number;
  /** Ms between sweeps of expired entries; `0` = no sweep. */
  cleanupIntervalMs: number;
  scheduler: PerfScheduler;
  /** Approximate bytes one entry holds, counted when stored and released when dropped. */
  sizeOf(key: K, value: V): number;
}

/**
 * An LRU (lru-cache) that counts hits, misses, evictions and expirations, tracks approximate bytes held,
 * sweeps expired entries on the injected clock, and can pause that sweep while a socket hibernates.
 * `BinaryPool` and `RouteCache` are this plus what they store.
 */
export abstract class MeteredCache<K extends {}, V extends {}> {
  protected readonly cache: LRUCache<K, V>;
  protected hits = 0;
  protected misses = 0;
  #evictions = 0;
  #expirations = 0;
  #heldBytes = 0;
  readonly #cleanup: CleanupTimer;
  readonly #ttlMs: number;
  readonly #sizeOf: (key: K, value: V) => number;

  constructor(config: MeteredCacheConfig<K, V>) {
    const { scheduler } = config;
    this.#ttlMs = config.ttlMs;
    this.#sizeOf = config.sizeOf;
    this.cache = new LRUCache<K, V>({
      max: config.size,
      ...(config.ttlMs > 0 ? { ttl: config.ttlMs } : {}),
      // +1: lru-cache reads a start time of exactly 0 as "no TTL", and injected clocks often start at 0.
      perf: { now: () => scheduler.now() + 1 },
      // Read the injected clock every time: lru-cache's default caches it behind a real (unfaked) timer.
      ttlResolution: 0,
      dispose: (value, key, reason) => {
        this.#heldBytes -= this.#sizeOf(key, value);
        if (reason === 'evict') this.#evictions++;
        else if (reason === 'expire') this.#expirations++;
      },
    });
    this.#cleanup = new CleanupTimer(scheduler, config.cleanupIntervalMs, () => this.cache.purgeStale());
    this.resume();
  }

  /** Drops every entry; returns the approximate bytes released. Counters are kept. */
  clear(): number {
    const released = this.#heldBytes;
    this.cache.clear();
    this.#heldBytes = 0;
    return released;
  }

  /** Approximate bytes held now (what `clear()` would release). */
  get bytes(): number {
    return this.#heldBytes;
  }

  /** Pauses the cleanup sweep (nothing to sweep while a socket is hibernated); `resume()` restarts it. */
  pause(): void {
    this.#cleanup.stop();
  }

  /** Restarts the cleanup sweep; only entries with a TTL ever need it. */
  resume(): void {
    if (this.#ttlMs > 0) this.#cleanup.start();
  }

  /** Zeroes the counters (occupancy is not a counter and stays). */
  resetStats(): void {
    this.hits = this.misses = this.#evictions = this.#expirations = 0;
  }

  /** Stops the sweep and drops every entry; the cache still works afterwards, without a sweep. */
  dispose(): void {
    this.#cleanup.stop();
    this.clear();
  }

  /** Stores an entry and counts its bytes. */
  protected store(key: K, value: V): void {
    this.cache.set(key, value);
    this.#heldBytes += this.#sizeOf(key, value);
  }

  /** The counters every subclass reports. */
  protected meteredStats(): MeteredCacheStats {
    return {
      hits: this.hits,
      misses: this.misses,
      evictions: this.#evictions,
      expirations: this.#expirations,
      entries: this.cache.size,
      bytes: this.#heldBytes,
    };
  }
}
