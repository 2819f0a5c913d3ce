/**
 * Catch-up after reconnect: keeps the last cursor seen on a channel (a payload field the app names, or a
 * function) and sends it in every (re)join's params, so the server can replay what was missed. A numeric
 * cursor that jumps is a gap: `catch_up:gap` telemetry and an optional callback.
 */
import type { Channel, ChannelParams } from '@phx-socket/channel';
import { fail, isPlainObject } from './option-checks';

/** A cursor value sent back to the server. */
export type Cursor = string | number;

/** A gap in a numeric sequence: `missed` messages `from`..`to` (inclusive) never arrived. */
export interface Gap {
  readonly topic: string;
  readonly event: string;
  readonly from: number;
  readonly to: number;
  readonly missed: number;
}

/**
 * Options of `new CatchUp(options)` (the `catchUp` channel option takes the tracker).
 *
 * @example
 * const feed = socket.channel('feed:1', {}, { catchUp: new CatchUp({ cursor: 'seq', param: 'last_seq', onGap: (g) => refetch(g) }) });
 */
export interface CatchUpOptions {
  /**
   * Where the cursor is: the name of a payload field (`'seq'`, `'id'`), or a function of the event and
   * payload returning the cursor (`undefined` = this message carries none).
   */
  cursor: string | ((event: string, payload: unknown) => Cursor | undefined);
  /** The join param the cursor is sent as. @default 'last_seq' */
  param?: string;
  /** A cursor known before the first join (from storage, say). @default undefined (the first join sends none) */
  initial?: Cursor;
  /**
   * Numeric cursors only: called (isolated) when one jumps by more than 1. `catch_up:gap` telemetry fires
   * either way. @default undefined
   */
  onGap?: (gap: Gap) => void;
}

/** Defaults of {@link CatchUpOptions}. */
export const DEFAULT_CATCH_UP_OPTIONS = /* @__PURE__ */ Object.freeze({ param: 'last_seq' });

/**
 * A channel's cursor tracker: pass it as the `catchUp` channel option, or use it alone with any channel whose
 * params it supplies (a pool's, say). One per channel.
 *
 * @example
 * const tracker = new CatchUp({ cursor: 'seq' });
 * const feed = socket.channel('feed:1', tracker.params({ user: 'ana' })); // every (re)join sends last_seq
 * tracker.attach(feed);
 */
export class CatchUp {
  readonly param: string;
  #cursor: Cursor | undefined;
  readonly #read: (event: string, payload: unknown) => Cursor | undefined;
  readonly #onGap: ((gap: Gap) => void) | undefined;
  #gaps = 0;
  #missed = 0;
  #channel: Channel | null = null;

  constructor(options: CatchUpOptions) {
    if (!isPlainObject(options)) fail('type', 'catchUp', "an object such as { cursor: 'seq' }", options);
    const { cursor, param = DEFAULT_CATCH_UP_OPTIONS.param, initial, onGap } = options;
    if (typeof cursor === 'string' && cursor !== '') this.#read = (_event, payload) => fieldOf(payload, cursor);
    else if (typeof cursor === 'function') this.#read = cursor;
    else fail('type', 'catchUp.cursor', 'a payload field name or a function (event, payload) => cursor', cursor);
    if (typeof param !== 'string' || param === '') fail('type', 'catchUp.param', 'a non-empty string', param);
    if (initial !== undefined && !isCursor(initial)) fail('type', 'catchUp.initial', 'a string or a finite number', initial);
    if (onGap !== undefined && typeof onGap !== 'function') fail('type', 'catchUp.onGap', 'a function (gap) => void', onGap);
    this.param = param;
    this.#cursor = initial;
    this.#onGap = onGap;
  }

  /** The last cursor seen (or the initial one); undefined before any. */
  get cursor(): Cursor | undefined {
    return this.#cursor;
  }

  /** Gaps seen and messages missed in them. */
  stats(): { cursor: Cursor | undefined; gaps: number; missed: number } {
    return { cursor: this.#cursor, gaps: this.#gaps, missed: this.#missed };
  }

  /**
   * Join params that add `{ [param]: cursor }` (once a cursor is known) to `base` at every (re)join. `base`
   * may itself be an object or a (sync or async) function, as channel params may.
   */
  params(base: ChannelParams = {}): ChannelParams {
    return () => {
      const value = typeof base === 'function' ? base() : base;
      if (isThenable(value)) return value.then((resolved) => this.#merge(resolved));
      return this.#merge(value);
    };
  }

  /**
   * Watches every inbound event of `channel` (through its `onMessage`, keeping an override the app made) and
   * records cursors. Returns the function that stops watching.
   */
  attach(channel: Channel): () => void {
    // A pool channel that moved to another socket gets a new Channel for the same topic: the cursor follows it.
    const tracked = this.#channel;
    if (tracked !== null && tracked !== channel && (tracked.topic !== channel.topic || tracked.state !== 'closed')) {
      throw new TypeError(`this CatchUp already tracks "${tracked.topic}": make one CatchUp per channel`);
    }
    this.#channel = channel;
    const previous = channel.onMessage;
    const watch = (event: string, payload: unknown, ref: string | null, joinRef?: string | null): unknown => {
      this.observe(channel, event, payload);
      return previous.call(channel, event, payload, ref, joinRef);
    };
    channel.onMessage = watch;
    return () => {
      if (channel.onMessage === watch) channel.onMessage = previous;
    };
  }

  /** Records the cursor of one message (what `attach` calls for each inbound event). */
  observe(channel: Pick<Channel, 'topic' | 'host'>, event: string, payload: unknown): void {
    let next: Cursor | undefined;
    try {
      next = this.#read(event, payload);
    } catch (error) {
      channel.host.reportError(error, `catchUp cursor of "${channel.topic}"`);
      return;
    }
    if (!isCursor(next)) return;
    const last = this.#cursor;
    if (typeof next === 'number' && typeof last === 'number') {
      if (next <= last) return; // a replayed or late message: the cursor never goes back
      if (next > last + 1) this.#gap(channel, event, last + 1, next - 1);
    }
    this.#cursor = next;
  }

  #gap(channel: Pick<Channel, 'topic' | 'host'>, event: string, from: number, to: number): void {
    const gap: Gap = { topic: channel.topic, event, from, to, missed: to - from + 1 };
    this.#gaps++;
    this.#missed += gap.missed;
    channel.host.emit('catch_up:gap', { measurements: { missed: gap.missed, from, to }, metadata: { topic: gap.topic, event } });
    if (this.#onGap === undefined) return;
    try {
      this.#onGap(gap);
    } catch (error) {
      channel.host.reportError(error, `catchUp onGap of "${channel.topic}"`);
    }
  }

  #merge(base: Record<string, unknown>): Record<string, unknown> {
    const cursor = this.#cursor;
    return cursor === undefined ? base : { ...base, [this.param]: cursor };
  }
}

function fieldOf(payload: unknown, field: string): Cursor | undefined {
  if (typeof payload !== 'object' || payload === null) return undefined;
  const value = (payload as Record<string, unknown>)[field];
  return isCursor(value) ? value : undefined;
}

function isCursor(value: unknown): value is Cursor {
  return typeof value === 'string' || (typeof value === 'number' && Number.isFinite(value));
}

function isThenable(value: unknown): value is PromiseLike<Record<string, unknown>> {
  return typeof value === 'object' && value !== null && typeof (value as { then?: unknown }).then === 'function';
}
