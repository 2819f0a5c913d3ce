import { CHANNEL_EVENTS } from '@phx-socket/transport';
import type { BindingCallback, Bindings } from './bindings';
import { ChannelStatus } from './channel-status';
import type { ChannelHost, ChannelState } from './host';
import { Push, type PayloadSource, type PushListener, type PushOwner, type PushStatus, type ReplyTarget } from './push';
import { PushQueue } from './push-queue';
import type { RetryTimer } from './retry-timer';

/** Join params: an object, or a function (sync or async) re-read at every (re)join. */
export type ChannelParams = PayloadSource<Record<string, unknown>>;

const CHANNEL_STATES: readonly ChannelState[] = ['closed', 'errored', 'joining', 'joined', 'leaving'];
const JOINED_ONCE = 8;
const BINDING_REF_UNIT = 16;

/** Per-channel state most channels never need, allocated together on first use. */
export class ChannelExtras {
  /** Set for channels whose join params are a function: joins are timed from `joinStartedAt`. */
  timesJoin = false;
  joinStartedAt: number | null = null;
  moreBindings: Bindings | null = null;
  replies: Map<string, ReplyTarget> | null = null;
  pushBuffer: PushQueue | null = null;
  rejoinTimer: RetryTimer | null = null;
}

/**
 * Every field of a `Channel`, and the state machine over them. A joined channel must stay within
 * 0.5 KB of heap, so small integers share one number and what most channels never need lives in a
 * {@link ChannelExtras} created on first use; the layers above read both through these accessors only.
 * Do not add fields to the layers above: each one costs every channel.
 */
export abstract class PackedChannel extends ChannelStatus implements PushOwner, PushListener {
  // Bindings. The first event bound with a single handler lives in these fields (no map, no entry
  // object, one comparison on dispatch); any other binding goes to `moreBindings` (in `extras`), created on demand.
  // An event is bound in one place or the other, never both. Declared first, so dispatch reads fields
  // next to the object header (one cache line with 10 000 channels, not two).
  /** The binding with ref 1 (the channel's first) when it is its event's only handler. */
  protected firstEvent: string | null = null;
  protected firstCallback: BindingCallback | null = null;
  readonly topic: string;
  /** The owning socket, as the channel sees it. */
  readonly host: ChannelHost;
  /** The join push; its hooks fire on every (re)join reply. */
  readonly joinPush: Push;

  /**
   * Packed small integers: the state (index into CHANNEL_STATES) + 8 × (1 once `join()` was called) +
   * 16 × the last binding ref. Arithmetic, not bit operations, so nothing wraps at 32 bits.
   */
  private bits = 0;
  protected currentJoinRef: string | null = null;
  // Created on first use: most channels never buffer, never retry, and only await their join reply.
  // (in `extras`, which is itself created on first use)
  private extras: ChannelExtras | null = null;

  constructor(topic: string, params: ChannelParams | undefined, host: ChannelHost) {
    super();
    this.topic = topic;
    this.host = host;
    // No params: the push sends a fresh `{}` at each join instead of keeping one per channel.
    this.joinPush = new Push(this, CHANNEL_EVENTS.join, params, host.timeoutMs, this);
    // A join's duration runs from the (re)join, not from when the push went out. They differ only when
    // params come from a function (which may be async): only then is the start kept, in `extras`.
    if (typeof params === 'function') (this.extras = new ChannelExtras()).timesJoin = true;
  }

  /** @internal */
  abstract awaitReply(ref: string, target: ReplyTarget): void;
  /** @internal */
  abstract forgetReply(ref: string): void;
  /** @internal */
  abstract pushSent(push: Push, ref: string): void;
  /** @internal */
  abstract pushSettled(push: Push, status: PushStatus, response: unknown, sentAt?: number): void;

  protected get current(): ChannelState {
    return CHANNEL_STATES[this.bits % JOINED_ONCE] as ChannelState;
  }
  protected set current(state: ChannelState) {
    this.bits = this.bits - (this.bits % JOINED_ONCE) + CHANNEL_STATES.indexOf(state);
  }
  protected get joinedOnce(): boolean {
    return Math.floor(this.bits / JOINED_ONCE) % 2 === 1;
  }
  protected set joinedOnce(value: boolean) {
    if (value !== this.joinedOnce) this.bits += value ? JOINED_ONCE : -JOINED_ONCE;
  }
  protected nextBindingRef(): number {
    this.bits += BINDING_REF_UNIT;
    return Math.floor(this.bits / BINDING_REF_UNIT);
  }

  protected get moreBindings(): Bindings | null {
    return this.extras?.moreBindings ?? null;
  }
  protected set moreBindings(value: Bindings | null) {
    (this.extras ??= new ChannelExtras()).moreBindings = value;
  }

  /** The default timeout of joins and pushes: the join push's (set by `join(timeoutMs)`), not a copy. */
  protected get timeoutMs(): number {
    return this.joinPush.timeoutMs;
  }
  protected set timeoutMs(ms: number) {
    this.joinPush.timeoutMs = ms;
  }

  protected get replies(): Map<string, ReplyTarget> | null {
    return this.extras?.replies ?? null;
  }
  protected set replies(value: Map<string, ReplyTarget> | null) {
    (this.extras ??= new ChannelExtras()).replies = value;
  }
  protected get pushBuffer(): PushQueue | null {
    return this.extras?.pushBuffer ?? null;
  }
  protected set pushBuffer(value: PushQueue | null) {
    (this.extras ??= new ChannelExtras()).pushBuffer = value;
  }
  protected get rejoinTimer(): RetryTimer | null {
    return this.extras?.rejoinTimer ?? null;
  }
  protected set rejoinTimer(value: RetryTimer | null) {
    (this.extras ??= new ChannelExtras()).rejoinTimer = value;
  }

  /** Starts timing a (re)join, for the channels that time joins themselves (see the constructor). */
  protected startJoinClock(): void {
    const extras = this.extras;
    if (extras !== null && extras.timesJoin) extras.joinStartedAt = this.host.scheduler.now();
  }

  /** When the join settling now began: its (re)join if timed here, else `sentAt` (its push's send). */
  protected joinStartedAt(sentAt: number | undefined): number | null | undefined {
    const extras = this.extras;
    return extras !== null && extras.timesJoin ? extras.joinStartedAt : sentAt;
  }

  protected buffer(): PushQueue {
    return (this.pushBuffer ??= new PushQueue(this.topic, this.host));
  }

  /** closed, errored, joining, joined or leaving. */
  get state(): ChannelState {
    return this.current;
  }

  /** The ref of the current `phx_join`, or null before the first join. */
  get joinRef(): string | null {
    return this.currentJoinRef;
  }

  /** Pushes waiting for the channel to be joined. */
  get bufferedCount(): number {
    return this.pushBuffer?.size ?? 0;
  }

  /** True when a push would go out now rather than wait in the buffer. */
  canPush(): boolean {
    return this.host.isConnected() && this.current === 'joined';
  }

  protected transition(next: ChannelState): void {
    if (this.current === next) return;
    if (this.host.hasLogger?.() !== false) this.host.log('channel', `${this.topic} ${this.current} -> ${next}`);
    this.current = next;
  }
}
