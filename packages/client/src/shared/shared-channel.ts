/**
 * A tab's channel on a `SharedSocket`: `Channel`'s API (`join`, `leave`, `push`, `on`, `off`, `onClose`,
 * `onError`, `state`, `joinRef`), backed by the shared channel in the worker (or by a channel of the tab's own
 * socket after a fallback). Works with `Presence` and `TypingIndicator`.
 */
import {
  AlreadyJoinedError,
  ChannelClosedError,
  ChannelStatus,
  PushBeforeJoinError,
  type ChannelState,
  type EventMap,
  type PayloadOf,
  type PhxError,
  type PushOptions,
  type Scheduler,
} from '@phx-socket/client';
import { SharedPush } from './shared-push';
import type { LinkChannel } from './link';
import type { WireParams } from './protocol';

/** What a channel needs from its socket. */
export interface SharedChannelOwner {
  readonly timeoutMs: number;
  readonly scheduler: Scheduler;
  /** Asks the current link to join / leave / push. */
  joinChannel(channel: LinkChannel): void;
  leaveChannel(channel: LinkChannel): void;
  pushChannel(channel: LinkChannel, push: SharedPush, payload: unknown, maxResends: number | null): void;
  reportError(error: unknown, where: string): void;
}

type Callback = (payload: unknown, ref: string | null, joinRef: string | null) => void;

let chanSeq = 0;

/** One channel object of one tab; several tabs' objects share one server channel. */
export class SharedChannel<In extends object = EventMap, Out extends object = EventMap> extends ChannelStatus implements LinkChannel {
  readonly topic: string;
  readonly params: WireParams;
  /** Unique per tab: the worker routes by it. */
  readonly id = ++chanSeq;
  /** Same states as `Channel`. */
  state: ChannelState = 'closed';
  /** The join_ref of the shared channel's current join (Presence uses it to wait for a fresh state). */
  joinRef: string | null = null;
  timeoutMs: number;
  private readonly owner: SharedChannelOwner;
  private readonly bindings = new Map<string, { ref: number; fn: Callback }[]>();
  private bindingSeq = 0;
  private joinPushValue: SharedPush | null = null;
  private joinCalled = false;

  /** @internal Made by `SharedSocket.channel()`. */
  constructor(owner: SharedChannelOwner, topic: string, params: WireParams) {
    super();
    this.owner = owner;
    this.topic = topic;
    this.params = params;
    this.timeoutMs = owner.timeoutMs;
  }

  /** The clock helpers use (`TypingIndicator`), as on `Channel`. */
  get host(): { readonly scheduler: Scheduler } {
    return this.owner;
  }

  /** True once `join()` was called (and until the channel closes). */
  get joinedOnce(): boolean {
    return this.joinCalled;
  }

  /** The join push: hears every (re)join outcome. */
  get joinPush(): SharedPush | null {
    return this.joinPushValue;
  }

  /**
   * Joins the topic, or attaches to it when another tab already joined it (resolving at once with that
   * join's response). Rejects with `JoinError`, `TimeoutError`, or `SharedParamsMismatchError` when another
   * tab shares the topic with other params.
   */
  join(timeoutMs: number = this.timeoutMs): SharedPush {
    if (this.joinCalled) throw new AlreadyJoinedError(this.topic);
    this.joinCalled = true;
    this.timeoutMs = timeoutMs;
    this.joinPushValue = new SharedPush('phx_join', timeoutMs, this.owner.reportError);
    this.state = 'joining';
    this.owner.joinChannel(this);
    return this.joinPushValue;
  }

  /**
   * Leaves: this tab stops hearing the topic at once; the server channel is left when no other tab uses it.
   * Resolves at once.
   */
  leave(timeoutMs: number = this.timeoutMs): SharedPush {
    const push = new SharedPush('phx_leave', timeoutMs, this.owner.reportError);
    if (this.state !== 'closed') {
      this.owner.leaveChannel(this);
      this.close({});
    }
    push.settle('ok', {}, null);
    return push;
  }

  /**
   * Sends an event through the shared socket; its reply comes back to this tab only. While the channel is not
   * joined the push waits in the worker's buffer, as with `Channel`.
   */
  push<K extends string>(event: K, payload?: PayloadOf<Out, K>, options: number | PushOptions = this.timeoutMs): SharedPush {
    if (!this.joinCalled) throw new PushBeforeJoinError(this.topic, event);
    const timeoutMs = typeof options === 'number' ? options : (options.timeoutMs ?? this.timeoutMs);
    const maxResends = typeof options === 'object' && options.maxResends !== undefined ? options.maxResends : null;
    const push = new SharedPush(event, timeoutMs, this.owner.reportError);
    if (this.state === 'closed' || this.state === 'leaving') {
      push.settle('error', { reason: 'channel_closed' }, new ChannelClosedError(this.topic, event));
      return push;
    }
    this.owner.pushChannel(this, push, payload ?? {}, maxResends);
    return push;
  }

  /** Binds a handler to an inbound event; returns a ref for `off`. */
  on<K extends string>(event: K, callback: (payload: PayloadOf<In, K>, ref: string | null, joinRef: string | null) => void): number {
    const ref = ++this.bindingSeq;
    let list = this.bindings.get(event);
    if (list === undefined) this.bindings.set(event, (list = []));
    list.push({ ref, fn: callback as Callback });
    return ref;
  }

  /** Removes one handler (by ref) or every handler of `event`. */
  off(event: string, ref?: number): void {
    const list = this.bindings.get(event);
    if (list === undefined) return;
    const kept = ref === undefined ? [] : list.filter((b) => b.ref !== ref);
    if (kept.length === 0) this.bindings.delete(event);
    else this.bindings.set(event, kept);
  }

  /** Called when the channel closes (left here, or closed by the server). */
  onClose(callback: (payload: unknown) => void): number {
    return this.on('phx_close', (payload) => callback(payload));
  }

  /** Called when the channel errors (server crash, connection lost); it rejoins by itself. */
  onError(callback: (reason: unknown) => void): number {
    return this.on('phx_error', (reason) => callback(reason));
  }

  /** True when a push would go out now. */
  canPush(): boolean {
    return this.state === 'joined';
  }


  /** Sees every inbound event before its handlers and returns the payload they get (phoenix.js). */
  onMessage(_event: string, payload: unknown, _ref: string | null, _joinRef?: string | null): unknown {
    return payload;
  }

  /** @internal The shared channel (re)joined. */
  sinkJoined(joinRef: string | null, response: unknown): void {
    if (this.state === 'closed' || this.state === 'leaving') return;
    this.state = 'joined';
    this.joinRef = joinRef;
    this.joinPushValue?.settle('ok', response, null);
  }

  /** @internal A (re)join failed; `final` (params mismatch) closes this channel. */
  sinkJoinFailed(status: 'error' | 'timeout', response: unknown, error: PhxError, final: boolean): void {
    if (this.state === 'closed' || this.state === 'leaving') return;
    this.state = 'errored';
    this.joinPushValue?.settle(status, response, error);
    if (final) {
      this.owner.leaveChannel(this);
      this.close({ reason: error.code });
    }
  }

  /** @internal The shared channel errored; the worker rejoins it. */
  sinkErrored(reason: unknown): void {
    if (this.state === 'closed' || this.state === 'leaving') return;
    this.state = 'errored';
    this.emit('phx_error', reason, null, this.joinRef);
  }

  /** @internal The server closed the shared channel. */
  sinkClosed(payload: unknown): void {
    if (this.state === 'closed') return;
    this.close(payload);
  }

  /** @internal One inbound event of the shared channel. */
  sinkEvent(event: string, payload: unknown, ref: string | null, joinRef: string | null): void {
    if (this.state === 'closed') return;
    this.emit(event, payload, ref, joinRef);
  }

  /** @internal The link changed (fallback): a channel that wants to be joined joins again. */
  wantsJoin(): boolean {
    return this.joinCalled && this.state !== 'closed' && this.state !== 'leaving';
  }

  private close(payload: unknown): void {
    this.state = 'closed';
    this.emit('phx_close', payload, null, this.joinRef);
  }

  private emit(event: string, payload: unknown, ref: string | null, joinRef: string | null): void {
    let handled = payload;
    if (this.onMessage !== SharedChannel.prototype.onMessage) {
      try {
        handled = this.onMessage(event, payload, ref, joinRef);
      } catch (error) {
        this.owner.reportError(error, `onMessage of "${this.topic}"`);
        return;
      }
    }
    const list = this.bindings.get(event);
    if (list === undefined) return;
    for (const binding of list.length === 1 ? list : [...list]) {
      try {
        binding.fn(handled, ref, joinRef);
      } catch (error) {
        this.owner.reportError(error, `"${event}" handler of "${this.topic}"`);
      }
    }
  }
}
