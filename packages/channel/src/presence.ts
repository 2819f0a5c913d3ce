import {
  applyDiff,
  diffStates,
  emptyPresenceState,
  getEntry,
  listPresences,
  syncDiff,
  syncState,
  type OnJoin,
  type OnLeave,
  type PresenceDiff,
  type PresenceEntry,
  type PresenceMeta,
  type PresenceState,
} from './presence-state';

/** Event names a Presence listens to; Phoenix's defaults are `presence_state` / `presence_diff`. */
export interface PresenceOptions {
  events?: { state?: string; diff?: string };
}

/** Phoenix's presence event names. */
export const DEFAULT_PRESENCE_EVENTS = /* @__PURE__ */ Object.freeze({ state: 'presence_state', diff: 'presence_diff' } as const);

/** The part of a channel a Presence needs; any `Channel<In, Out>` fits, and so does a phoenix.js one. */
export interface PresenceChannel {
  readonly joinRef: string | null;
  on(event: string, callback: (payload: unknown) => void): number;
  off(event: string, ref?: number): void;
}

/**
 * Tracks who is on a channel from `presence_state` and `presence_diff`, like phoenix.js's `Presence`.
 * Diffs that arrive before the first state of the current join are held and applied after it; a rejoin
 * (new join_ref) waits for its fresh state the same way.
 *
 * @example
 * const presence = new Presence<{ typing?: boolean }>(room);
 * presence.onSync(() => render(presence.list((id, { metas }) => ({ id, sessions: metas.length }))));
 * presence.listBy('typing'); // keys with a session whose meta has a truthy `typing`
 */
export class Presence<M extends object = Record<string, unknown>> {
  /** phoenix.js static API. */
  static syncState = syncState;
  static syncDiff = syncDiff;
  static list = listPresences;

  private state: PresenceState<M> = emptyPresenceState<M>();
  private pendingDiffs: PresenceDiff<M>[] = [];
  private syncedJoinRef: string | null = null;
  private readonly channel: PresenceChannel;
  private readonly refs: { event: string; ref: number }[] = [];
  private joinCb: OnJoin<M> = () => {};
  private leaveCb: OnLeave<M> = () => {};
  private syncCb: () => void = () => {};

  constructor(channel: PresenceChannel, options: PresenceOptions = {}) {
    this.channel = channel;
    const stateEvent = options.events?.state ?? DEFAULT_PRESENCE_EVENTS.state;
    const diffEvent = options.events?.diff ?? DEFAULT_PRESENCE_EVENTS.diff;
    this.refs.push(
      { event: stateEvent, ref: channel.on(stateEvent, (payload) => this.onState(payload as PresenceState<M>)) },
      { event: diffEvent, ref: channel.on(diffEvent, (payload) => this.onDiff(payload as PresenceDiff<M>)) },
    );
  }

  /** Called for each key that gains a session. Replaces the previous callback (phoenix.js semantics). */
  onJoin(callback: OnJoin<M>): void {
    this.joinCb = callback;
  }

  /** Called for each key that loses a session. */
  onLeave(callback: OnLeave<M>): void {
    this.leaveCb = callback;
  }

  /** Called after each state or diff was applied. */
  onSync(callback: () => void): void {
    this.syncCb = callback;
  }

  /** One item per key: `chooser(key, entry)`, or the entries themselves. */
  list<T = PresenceEntry<M>>(chooser?: (key: string, entry: PresenceEntry<M>) => T): T[] {
    return listPresences(this.state, chooser);
  }

  /** The entry of one key, if present. */
  get(key: string): PresenceEntry<M> | undefined {
    return getEntry(this.state, key);
  }

  /** Number of keys present (people online, not sessions). */
  count(): number {
    return Object.keys(this.state).length;
  }

  /**
   * Keys with at least one session whose meta `field` is truthy (or satisfies `predicate`): who is
   * typing, who is an admin...
   */
  listBy<K extends keyof M & string>(field: K, predicate?: (value: M[K], meta: PresenceMeta<M>) => boolean): string[] {
    const out: string[] = [];
    for (const key of Object.keys(this.state)) {
      const entry = this.state[key] as PresenceEntry<M>;
      const hit = entry.metas.some((meta) => (predicate ? predicate(meta[field], meta) : Boolean(meta[field])));
      if (hit) out.push(key);
    }
    return out;
  }

  /** True while diffs are being held for a state that has not come yet. */
  inPendingSyncState(): boolean {
    return this.syncedJoinRef === null || this.syncedJoinRef !== this.channel.joinRef;
  }

  /** Stops listening to the channel. */
  dispose(): void {
    for (const { event, ref } of this.refs) this.channel.off(event, ref);
    this.refs.length = 0;
  }

  private onState(next: PresenceState<M>): void {
    this.syncedJoinRef = this.channel.joinRef;
    this.guarded(() => {
      this.state = applyDiff(this.state, diffStates(this.state, next), this.onJoinSafe, this.onLeaveSafe);
      for (const diff of this.pendingDiffs) applyDiff(this.state, diff, this.onJoinSafe, this.onLeaveSafe);
      this.pendingDiffs = [];
    });
  }

  private onDiff(diff: PresenceDiff<M>): void {
    if (this.inPendingSyncState()) {
      this.pendingDiffs.push(diff);
      return;
    }
    this.guarded(() => applyDiff(this.state, diff, this.onJoinSafe, this.onLeaveSafe));
  }

  // A throwing app callback must not leave the state half-merged: finish the merge and onSync, then
  // rethrow the first error so the channel reports it.
  private firstError: { error: unknown } | null = null;
  private readonly onJoinSafe: OnJoin<M> = (key, current, joined) => this.capture(() => this.joinCb(key, current, joined));
  private readonly onLeaveSafe: OnLeave<M> = (key, current, left) => this.capture(() => this.leaveCb(key, current, left));

  private capture(fn: () => void): void {
    try {
      fn();
    } catch (error) {
      this.firstError ??= { error };
    }
  }

  private guarded(merge: () => void): void {
    this.firstError = null;
    merge();
    this.capture(this.syncCb);
    const failure = this.firstError as { error: unknown } | null;
    this.firstError = null;
    if (failure) throw failure.error;
  }
}
