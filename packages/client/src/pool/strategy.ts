/**
 * Placement strategies of a `SocketPool`: which socket slot gets a channel. Pure functions of the topic and
 * the candidate slots (healthy, not full), so they are tested table-style and a custom strategy is one
 * object with `pick`.
 */

/** What a strategy knows about one socket slot. */
export interface PoolSlotInfo {
  /** Position in the pool: slot `s` of endpoint `e` is `s * endpoints.length + e` (endpoints interleaved). */
  readonly index: number;
  readonly endpoint: string;
  /** Stable id: `"<endpoint>#<slot>"`; what consistent hashing hashes. */
  readonly id: string;
  /** Channels placed on this slot now. */
  readonly channels: number;
  /** True once its socket was created (sockets open lazily). */
  readonly opened: boolean;
}

/** A placement strategy: picks one of `candidates` (never empty, in slot order) for `topic`. */
export interface PoolStrategy {
  readonly name: string;
  pick(topic: string, candidates: readonly PoolSlotInfo[]): PoolSlotInfo;
}

/** The built-in strategies. */
export type PoolStrategyName = 'least-channels' | 'consistent-hash' | 'round-robin';

/** True when `value` looks like a {@link PoolStrategy}. */
export function isPoolStrategy(value: unknown): value is PoolStrategy {
  return typeof value === 'object' && value !== null && typeof (value as PoolStrategy).pick === 'function';
}

/** Fewest channels; ties go to the lowest index (so endpoints fill evenly). */
export const leastChannels: PoolStrategy = /* @__PURE__ */ Object.freeze({
  name: 'least-channels',
  pick(_topic: string, candidates: readonly PoolSlotInfo[]): PoolSlotInfo {
    let best = candidates[0] as PoolSlotInfo;
    for (let i = 1; i < candidates.length; i++) {
      const c = candidates[i] as PoolSlotInfo;
      if (c.channels < best.channels) best = c;
    }
    return best;
  },
});

/**
 * 32-bit hash of a string (FNV-1a, then murmur3's finalizer for avalanche). Deterministic across runs
 * and platforms: no seed, UTF-16 code units.
 */
export function hash32(text: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) {
    h ^= text.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  h ^= h >>> 16;
  return h >>> 0;
}

/** The rendezvous (highest-random-weight) score of `topic` on slot `id`. */
export function rendezvousScore(id: string, topic: string): number {
  return hash32(`${id}\n${topic}`);
}

/**
 * Rendezvous hashing: every slot scores the topic, the highest candidate wins. The same endpoints give the
 * same socket for a topic in every process and after restarts; when a slot is unavailable its topics move
 * to their next-best slot and every other topic stays put.
 */
export const consistentHash: PoolStrategy = /* @__PURE__ */ Object.freeze({
  name: 'consistent-hash',
  pick(topic: string, candidates: readonly PoolSlotInfo[]): PoolSlotInfo {
    let best = candidates[0] as PoolSlotInfo;
    let bestScore = rendezvousScore(best.id, topic);
    for (let i = 1; i < candidates.length; i++) {
      const c = candidates[i] as PoolSlotInfo;
      const score = rendezvousScore(c.id, topic);
      if (score > bestScore || (score === bestScore && c.id < best.id)) {
        best = c;
        bestScore = score;
      }
    }
    return best;
  },
});

/** Cycles through the slots in order, skipping those that are not candidates. One cursor per strategy. */
export function roundRobin(): PoolStrategy {
  let next = 0;
  return {
    name: 'round-robin',
    pick(_topic: string, candidates: readonly PoolSlotInfo[]): PoolSlotInfo {
      let chosen = candidates[0] as PoolSlotInfo;
      for (const c of candidates) {
        if (c.index >= next) {
          chosen = c;
          break;
        }
      }
      next = chosen.index + 1;
      return chosen;
    },
  };
}

/** The strategy object for a name (a fresh cursor for round-robin), or the given object. */
export function strategyOf(strategy: PoolStrategyName | PoolStrategy): PoolStrategy {
  if (typeof strategy !== 'string') return strategy;
  if (strategy === 'consistent-hash') return consistentHash;
  if (strategy === 'round-robin') return roundRobin();
  return leastChannels;
}
