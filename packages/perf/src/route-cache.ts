/**
 * RouteCache: resolves a topic to whatever its patterns point at (a handler, a config...) once, then
 * serves the answer from an LRU until it ages out. Pattern matching walks every pattern; the cache makes
 * that a one-time cost per topic, so a bot with thousands of topics and dozens of patterns pays a
 * `Map` read per lookup.
 */
import { MeteredCache, type MeteredCacheStats } from './metered-cache';
import { durationMs, invalid, optionsObject, platformScheduler, positiveInt, type PerfScheduler } from './options-check';

/** Options of `routeCache` (`new Socket(url, { routeCache: { size: 5000 } })`) or `new RouteCache()`. */
export interface RouteCacheOptions {
  /** Most topics remembered; the least recently used goes first. An integer >= 1. @default 1000 */
  size?: number;
  /** Ms a resolution is trusted before patterns are matched again. `0` = until evicted. @default 0 */
  ttlMs?: number;
  /** Ms between sweeps of expired resolutions. `0` = no sweep. @default 60000 */
  cleanupIntervalMs?: number;
  /** Clock and timers (the socket passes its `scheduler`). @default platform timers, unref'd in Node */
  scheduler?: PerfScheduler;
}

/** Defaults of {@link RouteCacheOptions}. */
export const DEFAULT_ROUTE_CACHE_OPTIONS = /* @__PURE__ */ Object.freeze({ size: 1000, ttlMs: 0, cleanupIntervalMs: 60_000 });

/** Counters since creation, plus current occupancy. */
export interface RouteCacheStats extends MeteredCacheStats {
  /** Approximate bytes held now: 2 per UTF-16 code unit of cached topics, plus 64 per entry. */
  bytes: number;
  /** Patterns known. */
  patterns: number;
}

/**
 * One compiled pattern: `*` matches any run of characters (`'rooms:*'`, `'user:*:inbox'`, `'*'`);
 * everything else is literal.
 */
interface Compiled<V> {
  readonly pattern: string;
  readonly test: (topic: string) => boolean;
  readonly value: V;
}

const ENTRY_OVERHEAD_BYTES = 64;
/** lru-cache cannot hold `undefined`; "no pattern matched" is cached as this. */
const NO_MATCH = /* @__PURE__ */ Symbol('no match');

function compile<V>(pattern: string, value: V): Compiled<V> {
  const star = pattern.indexOf('*');
  if (star < 0) return { pattern, value, test: (topic) => topic === pattern };
  if (star === pattern.length - 1) {
    // A single trailing `*` (the common `'rooms:*'`): a prefix test, no RegExp.
    const prefix = pattern.slice(0, -1);
    return { pattern, value, test: (topic) => topic.startsWith(prefix) };
  }
  const source = pattern.split('*').map((part) => part.replace(/[.+?^${}()|[\]\\]/g, '\\$&')).join('.*');
  const re = new RegExp(`^${source}$`, 's');
  return { pattern, value, test: (topic) => re.test(topic) };
}

/**
 * Topic → value, through patterns. Exact patterns win; otherwise the first matching wildcard pattern in
 * declaration order (as Phoenix's `channel "rooms:*"` routes). Answers, misses included, are cached.
 *
 * @example
 * const routes = new RouteCache({ 'rooms:*': 'chat', 'user:*:inbox': 'inbox' }, { size: 5000 });
 * routes.resolve('rooms:42'); // 'chat' (matched once, cached)
 * routes.resolve('rooms:42'); // 'chat' (a Map read)
 * routes.resolve('other');    // undefined
 */
// `V` excludes null/undefined: lru-cache cannot hold them, and "no handler" is `undefined` already.
// eslint-disable-next-line @typescript-eslint/no-empty-object-type
export class RouteCache<V extends {}> extends MeteredCache<string, V | typeof NO_MATCH> {
  /** The options in effect. */
  readonly options: Readonly<Required<Omit<RouteCacheOptions, 'scheduler'>>>;
  readonly #exact = new Map<string, V>();
  readonly #wildcards: Compiled<V>[] = [];

  constructor(patterns: Readonly<Record<string, V>>, options: RouteCacheOptions = {}, option = 'routeCache') {
    const given = optionsObject<RouteCacheOptions>(option, options);
    const d = DEFAULT_ROUTE_CACHE_OPTIONS;
    const resolved = Object.freeze({
      size: positiveInt(`${option}.size`, given.size, d.size),
      ttlMs: durationMs(`${option}.ttlMs`, given.ttlMs, d.ttlMs, true),
      cleanupIntervalMs: durationMs(`${option}.cleanupIntervalMs`, given.cleanupIntervalMs, d.cleanupIntervalMs, true),
    });
    super({
      ...resolved,
      scheduler: given.scheduler ?? platformScheduler,
      sizeOf: (topic) => topic.length * 2 + ENTRY_OVERHEAD_BYTES,
    });
    this.options = resolved;
    for (const [pattern, value] of Object.entries(patterns)) {
      if (pattern === '') invalid('range', 'topic pattern', "a non-empty topic or wildcard like 'rooms:*'", pattern);
      if (pattern.includes('*')) this.#wildcards.push(compile(pattern, value));
      else this.#exact.set(pattern, value);
    }
  }

  /** The value of the pattern `topic` matches, or undefined. Cached, misses included. */
  resolve(topic: string): V | undefined {
    const cached = this.cache.get(topic);
    if (cached !== undefined) {
      this.hits++;
      return cached === NO_MATCH ? undefined : (cached as V);
    }
    this.misses++;
    const value = this.match(topic);
    this.store(topic, value === undefined ? NO_MATCH : value);
    return value;
  }

  /** The first pattern `topic` matches (exact first), without the cache. */
  match(topic: string): V | undefined {
    const exact = this.#exact.get(topic);
    if (exact !== undefined) return exact;
    for (const compiled of this.#wildcards) if (compiled.test(topic)) return compiled.value;
    return undefined;
  }

  /** A snapshot of the counters and occupancy. */
  stats(): RouteCacheStats {
    return { ...this.meteredStats(), patterns: this.#exact.size + this.#wildcards.length };
  }
}
