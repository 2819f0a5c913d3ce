/**
 * Pure presence merge: how a `presence_state` snapshot and `presence_diff` updates combine. Keys come
 * from the network, so they are read with own-property checks and written with `defineProperty`: a key
 * named `__proto__`, `constructor` or `hasOwnProperty` is just a key, and nothing reaches
 * `Object.prototype`. Presence objects are replaced, never edited, so earlier snapshots stay valid and
 * no whole-state clone is needed per sync.
 */

/** One session's metadata; the server adds `phx_ref` (and `phx_ref_prev` after an update). */
export type PresenceMeta<M extends object = Record<string, unknown>> = M & { phx_ref: string; phx_ref_prev?: string };

/** Everything known about one key: one meta per session (tab, device...). */
export interface PresenceEntry<M extends object = Record<string, unknown>> {
  metas: PresenceMeta<M>[];
}

/** key → entry, as the server sends it in `presence_state`. */
export type PresenceState<M extends object = Record<string, unknown>> = Record<string, PresenceEntry<M>>;

/** A `presence_diff` payload. */
export interface PresenceDiff<M extends object = Record<string, unknown>> {
  joins: PresenceState<M>;
  leaves: PresenceState<M>;
}

/** Called for each key that gained sessions; `current` is the entry before, if any. */
export type OnJoin<M extends object = Record<string, unknown>> = (
  key: string,
  current: PresenceEntry<M> | undefined,
  joined: PresenceEntry<M>,
) => void;

/** Called for each key that lost sessions; `current` is what remains (metas may be empty). */
export type OnLeave<M extends object = Record<string, unknown>> = (
  key: string,
  current: PresenceEntry<M>,
  left: PresenceEntry<M>,
) => void;

const hasOwn = Object.prototype.hasOwnProperty;

/** An empty state that cannot be polluted through its prototype. */
export function emptyPresenceState<M extends object = Record<string, unknown>>(): PresenceState<M> {
  return Object.create(null) as PresenceState<M>;
}

/** Reads `key` only if it is the object's own property. */
export function getEntry<M extends object>(state: PresenceState<M>, key: string): PresenceEntry<M> | undefined {
  return hasOwn.call(state, key) ? state[key] : undefined;
}

function setEntry<M extends object>(state: PresenceState<M>, key: string, entry: PresenceEntry<M>): void {
  Object.defineProperty(state, key, { value: entry, enumerable: true, writable: true, configurable: true });
}

function refsOf(metas: readonly { phx_ref: string }[]): Set<string> {
  const refs = new Set<string>();
  for (const m of metas) refs.add(m.phx_ref);
  return refs;
}

/**
 * Applies a diff to `state` in place and returns it. Joins first (a key's surviving metas stay in front
 * of the joined ones), then leaves; a key whose last session left is removed.
 */
export function applyDiff<M extends object>(
  state: PresenceState<M>,
  diff: PresenceDiff<M>,
  onJoin?: OnJoin<M>,
  onLeave?: OnLeave<M>,
): PresenceState<M> {
  const joins = diff.joins ?? {};
  const leaves = diff.leaves ?? {};
  for (const key of Object.keys(joins)) {
    const joined = joins[key] as PresenceEntry<M>;
    const current = getEntry(state, key);
    let metas = joined.metas.slice();
    if (current) {
      const joinedRefs = refsOf(joined.metas);
      metas = current.metas.filter((m) => !joinedRefs.has(m.phx_ref)).concat(metas);
    }
    setEntry(state, key, { ...joined, metas });
    onJoin?.(key, current, joined);
  }
  for (const key of Object.keys(leaves)) {
    const left = leaves[key] as PresenceEntry<M>;
    const current = getEntry(state, key);
    if (!current) continue;
    const leftRefs = refsOf(left.metas);
    const remaining: PresenceEntry<M> = { ...current, metas: current.metas.filter((m) => !leftRefs.has(m.phx_ref)) };
    onLeave?.(key, remaining, left);
    if (remaining.metas.length === 0) delete state[key];
    else setEntry(state, key, remaining);
  }
  return state;
}

/**
 * The diff that turns `current` into `next` (a fresh `presence_state`): keys or sessions missing from
 * `next` leave, new ones join.
 */
export function diffStates<M extends object>(current: PresenceState<M>, next: PresenceState<M>): PresenceDiff<M> {
  const joins = emptyPresenceState<M>();
  const leaves = emptyPresenceState<M>();
  for (const key of Object.keys(current)) {
    if (!hasOwn.call(next, key)) setEntry(leaves, key, current[key] as PresenceEntry<M>);
  }
  for (const key of Object.keys(next)) {
    const incoming = next[key] as PresenceEntry<M>;
    const existing = getEntry(current, key);
    if (!existing) {
      setEntry(joins, key, incoming);
      continue;
    }
    const incomingRefs = refsOf(incoming.metas);
    const existingRefs = refsOf(existing.metas);
    const joinedMetas = incoming.metas.filter((m) => !existingRefs.has(m.phx_ref));
    const leftMetas = existing.metas.filter((m) => !incomingRefs.has(m.phx_ref));
    if (joinedMetas.length > 0) setEntry(joins, key, { ...incoming, metas: joinedMetas });
    if (leftMetas.length > 0) setEntry(leaves, key, { ...existing, metas: leftMetas });
  }
  return { joins, leaves };
}

/**
 * phoenix.js `Presence.syncState`: merges a full snapshot into a copy of `current` and returns the copy
 * (the copy is shallow: entries are shared, never edited).
 */
export function syncState<M extends object>(
  current: PresenceState<M>,
  next: PresenceState<M>,
  onJoin?: OnJoin<M>,
  onLeave?: OnLeave<M>,
): PresenceState<M> {
  const state = emptyPresenceState<M>();
  for (const key of Object.keys(current)) setEntry(state, key, current[key] as PresenceEntry<M>);
  return applyDiff(state, diffStates(state, next), onJoin, onLeave);
}

/** phoenix.js `Presence.syncDiff`: applies a diff to `state` (in place, as phoenix.js does) and returns it. */
export const syncDiff = applyDiff;

/**
 * phoenix.js `Presence.list`: one item per key, `chooser(key, entry)` or the entry itself.
 */
export function listPresences<M extends object, T = PresenceEntry<M>>(
  state: PresenceState<M>,
  chooser?: (key: string, entry: PresenceEntry<M>) => T,
): T[] {
  const keys = Object.keys(state);
  const out: T[] = new Array(keys.length);
  for (let i = 0; i < keys.length; i++) {
    const key = keys[i] as string;
    const entry = state[key] as PresenceEntry<M>;
    out[i] = chooser ? chooser(key, entry) : (entry as unknown as T);
  }
  return out;
}
