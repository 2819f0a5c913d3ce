import { randomBytes } from 'node:crypto';
import { AlreadyTrackedError } from './errors';

/** One presence meta as it goes on the wire: the tracked meta plus `phx_ref` (and `phx_ref_prev` after an update). */
export type PresenceMeta = Record<string, unknown> & { phx_ref: string; phx_ref_prev?: string };

/** `presence_state` payload: `{ key: { metas: [...] } }`. */
export type PresenceState = Record<string, { metas: PresenceMeta[] }>;

/** `presence_diff` payload. */
export interface PresenceDiff {
  joins: PresenceState;
  leaves: PresenceState;
}

interface Entry {
  readonly owner: object;
  readonly key: string;
  meta: PresenceMeta;
}

/** A diff produced by a tracker operation, to be broadcast on `topic`. */
export interface TopicDiff {
  readonly topic: string;
  readonly diff: PresenceDiff;
}

/** A fresh unique `phx_ref` (random, base64url like Phoenix's). */
export function newPresenceRef(): string {
  return randomBytes(9).toString('base64url');
}

function single(key: string, meta: PresenceMeta): PresenceState {
  const state: PresenceState = Object.create(null) as PresenceState;
  state[key] = { metas: [meta] };
  return state;
}

function emptyState(): PresenceState {
  return Object.create(null) as PresenceState;
}

function addTo(state: PresenceState, key: string, meta: PresenceMeta): void {
  const existing = state[key];
  if (existing) existing.metas.push(meta);
  else state[key] = { metas: [meta] };
}

/**
 * Phoenix.Presence semantics without the CRDT: who is present on which topic, owned by the channel
 * that tracked it. Operations return the `presence_diff` to broadcast; the server sends it.
 */
export class PresenceTracker {
  private readonly topics = new Map<string, Entry[]>();

  /** Tracks `key` on `topic` for `owner`; returns the diff (a join). */
  track(owner: object, topic: string, key: string, meta: Record<string, unknown>): TopicDiff {
    const entries = this.entries(topic);
    if (entries.some((e) => e.owner === owner && e.key === key)) throw new AlreadyTrackedError(topic, key);
    const wire: PresenceMeta = { ...meta, phx_ref: newPresenceRef() };
    entries.push({ owner, key, meta: wire });
    return { topic, diff: { joins: single(key, wire), leaves: emptyState() } };
  }

  /** Removes `owner`'s `key` on `topic`; returns the diff (a leave) or `undefined` if it was not tracked. */
  untrack(owner: object, topic: string, key: string): TopicDiff | undefined {
    const entries = this.topics.get(topic);
    const index = entries?.findIndex((e) => e.owner === owner && e.key === key) ?? -1;
    if (!entries || index === -1) return undefined;
    const [removed] = entries.splice(index, 1);
    if (entries.length === 0) this.topics.delete(topic);
    return removed && { topic, diff: { joins: emptyState(), leaves: single(key, removed.meta) } };
  }

  /**
   * Replaces the meta of `owner`'s `key` on `topic`. The new meta gets a new `phx_ref` and
   * `phx_ref_prev` = the old ref; the diff has the old meta in `leaves` and the new one in `joins`.
   */
  update(owner: object, topic: string, key: string, meta: Record<string, unknown>): TopicDiff | undefined {
    const entry = this.topics.get(topic)?.find((e) => e.owner === owner && e.key === key);
    if (!entry) return undefined;
    const previous = entry.meta;
    entry.meta = { ...meta, phx_ref: newPresenceRef(), phx_ref_prev: previous.phx_ref };
    return { topic, diff: { joins: single(key, entry.meta), leaves: single(key, previous) } };
  }

  /** Removes everything `owner` tracked (its channel ended); one diff per topic. */
  removeOwner(owner: object): TopicDiff[] {
    const diffs: TopicDiff[] = [];
    for (const [topic, entries] of this.topics) {
      const leaves = emptyState();
      let any = false;
      const kept = entries.filter((e) => {
        if (e.owner !== owner) return true;
        addTo(leaves, e.key, e.meta);
        any = true;
        return false;
      });
      if (!any) continue;
      if (kept.length === 0) this.topics.delete(topic);
      else this.topics.set(topic, kept);
      diffs.push({ topic, diff: { joins: emptyState(), leaves } });
    }
    return diffs;
  }

  /** The `presence_state` of `topic`. */
  list(topic: string): PresenceState {
    const state = emptyState();
    for (const e of this.topics.get(topic) ?? []) addTo(state, e.key, e.meta);
    return state;
  }

  /** Forgets everything (server restart). */
  clear(): void {
    this.topics.clear();
  }

  private entries(topic: string): Entry[] {
    let entries = this.topics.get(topic);
    if (!entries) {
      entries = [];
      this.topics.set(topic, entries);
    }
    return entries;
  }
}
