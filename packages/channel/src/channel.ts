import { CHANNEL_EVENTS, type Message, type ReplyPayload } from '@phx-socket/transport';
import { Bindings, type BindingCallback, type BindingErrorSink } from './bindings';
import { AlreadyJoinedError, ChannelClosedError, PushBeforeJoinError } from './errors';
import type { ChannelHost, ChannelState, HostedChannel } from './host';
import { Push, type PayloadSource, type PushListener, type PushStatus, type ReplyTarget } from './push';
import { PushQueue } from './push-queue';
import { RetryTimer, type RetryTarget } from './retry-timer';

/** Event name → payload type. The default accepts any event with an unknown payload. */
export type EventMap = { [event: string]: unknown };

/** The payload type of `event` in map `M`; `unknown` for events the map does not name. */
export type PayloadOf<M, K extends string> = K extends keyof M ? M[K] : unknown;

/** Join params: an object, or a function (sync or async) re-read at every (re)join. */
export type ChannelParams = PayloadSource<Record<string, unknown>>;

/** Reason given to `onError` callbacks when the socket, not the server, broke the channel. */
export type ChannelErrorReason = unknown;

const LIFECYCLE = /* @__PURE__ */ new Set<string>(/* @__PURE__ */ Object.values(CHANNEL_EVENTS));

const CHANNEL_STATES: readonly ChannelState[] = ['closed', 'errored', 'joining', 'joined', 'leaving'];
const JOINED_ONCE = 8;
const BINDING_REF_UNIT = 16;
/** The ref of a channel's first binding, the only one kept inline. */
const FIRST_REF = 1;

/**
 * A topic joined over a socket: join/leave with automatic rejoin, pushes with replies, inbound events.
 * Behaves like phoenix.js's `Channel`; every `Push` is also a promise. `In` types inbound event payloads,
 * `Out` outbound ones.
 *
 * @example
 * interface RoomIn { new_msg: { body: string } }
 * const room = socket.channel<RoomIn>('room:lobby', { user: 'ana' });
 * room.on('new_msg', (msg) => console.log(msg.body));
 * await room.join();
 * await room.push('new_msg', { body: 'hi' });
 */
export class Channel<In extends object = EventMap, Out extends object = EventMap>
  implements HostedChannel, PushListener, RetryTarget, BindingErrorSink
{
  // Bindings. The first event bound with a single handler lives in these fields (no map, no entry
  // object, one comparison on dispatch); any other binding goes to `moreBindings` (in `extras`), created on demand.
  // An event is bound in one place or the other, never both. Declared first, so dispatch reads fields
  // next to the object header (one cache line with 10 000 channels, not two).
  /** The binding with ref 1 (the channel's first) when it is its event's only handler. */
  private firstEvent: string | null = null;
  private firstCallback: BindingCallback | null = null;
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
  private currentJoinRef: string | null = null;
  // Created on first use: most channels never buffer, never retry, and only await their join reply.
  // (in `extras`, which is itself created on first use)
  private extras: ChannelExtras | null = null;

  constructor(topic: string, params: ChannelParams | undefined, host: ChannelHost) {
    this.topic = topic;
    this.host = host;
    // No params: the push sends a fresh `{}` at each join instead of keeping one per channel.
    this.joinPush = new Push(this, CHANNEL_EVENTS.join, params, host.timeoutMs, this);
    // A join's duration runs from the (re)join, not from when the push went out. They differ only when
    // params come from a function (which may be async): only then is the start kept, in `extras`.
    if (typeof params === 'function') (this.extras = new ChannelExtras()).timesJoin = true;
  }

  private get current(): ChannelState {
    return CHANNEL_STATES[this.bits % JOINED_ONCE] as ChannelState;
  }
  private set current(state: ChannelState) {
    this.bits = this.bits - (this.bits % JOINED_ONCE) + CHANNEL_STATES.indexOf(state);
  }
  private get joinedOnce(): boolean {
    return Math.floor(this.bits / JOINED_ONCE) % 2 === 1;
  }
  private set joinedOnce(value: boolean) {
    if (value !== this.joinedOnce) this.bits += value ? JOINED_ONCE : -JOINED_ONCE;
  }
  private nextBindingRef(): number {
    this.bits += BINDING_REF_UNIT;
    return Math.floor(this.bits / BINDING_REF_UNIT);
  }

  private get moreBindings(): Bindings | null {
    return this.extras?.moreBindings ?? null;
  }
  private set moreBindings(value: Bindings | null) {
    (this.extras ??= new ChannelExtras()).moreBindings = value;
  }

  /** The default timeout of joins and pushes: the join push's (set by `join(timeoutMs)`), not a copy. */
  private get timeoutMs(): number {
    return this.joinPush.timeoutMs;
  }
  private set timeoutMs(ms: number) {
    this.joinPush.timeoutMs = ms;
  }

  private get replies(): Map<string, ReplyTarget> | null {
    return this.extras?.replies ?? null;
  }
  private set replies(value: Map<string, ReplyTarget> | null) {
    (this.extras ??= new ChannelExtras()).replies = value;
  }
  private get pushBuffer(): PushQueue | null {
    return this.extras?.pushBuffer ?? null;
  }
  private set pushBuffer(value: PushQueue | null) {
    (this.extras ??= new ChannelExtras()).pushBuffer = value;
  }
  private get rejoinTimer(): RetryTimer | null {
    return this.extras?.rejoinTimer ?? null;
  }
  private set rejoinTimer(value: RetryTimer | null) {
    (this.extras ??= new ChannelExtras()).rejoinTimer = value;
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

  isClosed(): boolean {
    return this.current === 'closed';
  }
  isErrored(): boolean {
    return this.current === 'errored';
  }
  isJoined(): boolean {
    return this.current === 'joined';
  }
  isJoining(): boolean {
    return this.current === 'joining';
  }
  isLeaving(): boolean {
    return this.current === 'leaving';
  }

  /**
   * Joins the topic. Resolves with the server's join response; rejects with `JoinError` or
   * `TimeoutError` (`join_timeout`) — after which the channel keeps rejoining with backoff.
   */
  join(timeoutMs: number = this.timeoutMs): Push {
    if (this.joinedOnce) throw new AlreadyJoinedError(this.topic);
    this.timeoutMs = timeoutMs;
    this.joinedOnce = true;
    this.rejoin(timeoutMs);
    return this.joinPush;
  }

  /**
   * Leaves the topic; the channel closes when the server acknowledges or the timeout passes. Pushes still
   * buffered fail with `ChannelClosedError`.
   */
  leave(timeoutMs: number = this.timeoutMs): Push {
    this.rejoinTimer?.reset();
    this.joinPush.cancelTimeout();
    this.transition('leaving');
    const leavePush = new Push(this, CHANNEL_EVENTS.leave, {}, timeoutMs);
    const close = (): void => {
      this.host.log('channel', `leave ${this.topic}`);
      this.close('leave');
    };
    leavePush.receive('ok', close).receive('timeout', close);
    if (this.host.isConnected() && this.currentJoinRef !== null) leavePush.send();
    else leavePush.reply({ status: 'ok', response: {} });
    return leavePush;
  }

  /**
   * Sends an event. While the channel is not joined (joining, or offline) the push waits in a bounded
   * buffer and is sent, in order, after the (re)join; its timeout starts when it is actually sent.
   */
  push<K extends string>(event: K, payload?: PayloadOf<Out, K>, timeoutMs: number = this.timeoutMs): Push {
    if (!this.joinedOnce) throw new PushBeforeJoinError(this.topic, event);
    const push = new Push(this, event, payload ?? {}, timeoutMs);
    if (this.canPush()) push.send();
    else if (this.current === 'closed' || this.current === 'leaving') push.fail(new ChannelClosedError(this.topic, event));
    else {
      this.buffer().hold(push);
      // A hibernated socket closed its transport; a waiting push is what brings it back.
      this.host.needConnection?.();
    }
    return push;
  }

  /** Binds a handler to an inbound event; returns a ref for `off`. */
  on<K extends string>(event: K, callback: BindingCallback<PayloadOf<In, K>>): number {
    return this.bind(event, callback as BindingCallback);
  }

  /** Removes one handler (by ref) or every handler of `event`. */
  off(event: string, ref?: number): void {
    if (event === this.firstEvent) {
      if (ref === undefined || ref === FIRST_REF) {
        this.firstEvent = null;
        this.firstCallback = null;
      }
      return;
    }
    this.moreBindings?.remove(event, ref);
  }

  /** Called when the channel closes (left, or closed by the server). */
  onClose(callback: (payload: unknown, ref: string | null, joinRef: string | null) => void): number {
    return this.bind(CHANNEL_EVENTS.close, callback);
  }

  /** Called when the channel errors (server crash, socket down); the channel then rejoins by itself. */
  onError(callback: (reason: ChannelErrorReason) => void): number {
    return this.bind(CHANNEL_EVENTS.error, (reason) => callback(reason));
  }

  private bind(event: string, callback: BindingCallback): number {
    const ref = this.nextBindingRef();
    if (event === this.firstEvent) {
      // A second handler for the first event: both move to the map, in binding order.
      const more = (this.moreBindings ??= new Bindings());
      more.add(event, this.firstCallback as BindingCallback, FIRST_REF);
      more.add(event, callback, ref);
      this.firstEvent = null;
      this.firstCallback = null;
    } else if (ref === FIRST_REF) {
      this.firstEvent = event;
      this.firstCallback = callback;
    } else {
      (this.moreBindings ??= new Bindings()).add(event, callback, ref);
    }
    return ref;
  }

  private hasBinding(event: string): boolean {
    return event === this.firstEvent || this.moreBindings?.has(event) === true;
  }

  /**
   * Sees every inbound event before its handlers and returns the payload they get. Override to transform
   * payloads (phoenix.js compatible).
   */
  onMessage(_event: string, payload: unknown, _ref: string | null, _joinRef?: string | null): unknown {
    return payload;
  }

  /** @internal A handler bound with `on` threw. */
  reportHandlerError(error: unknown, event: string): void {
    this.host.reportError(error, `"${event}" handler of "${this.topic}"`);
  }

  /** True when a push would go out now rather than wait in the buffer. */
  canPush(): boolean {
    return this.host.isConnected() && this.current === 'joined';
  }

  /** @internal Delivers one inbound message routed here by the socket. */
  dispatch(message: Message): void {
    const { event, payload, ref, joinRef } = message;
    if (joinRef !== null && this.currentJoinRef !== null && joinRef !== this.currentJoinRef && LIFECYCLE.has(event)) {
      return;
    }
    if (event === CHANNEL_EVENTS.reply) {
      if (ref !== null) {
        if (ref === this.joinPush.ref) this.joinPush.reply(asReply(payload));
        else this.replies?.get(ref)?.reply(asReply(payload));
      }
      if (!this.hasBinding(event)) return;
    } else if (event === CHANNEL_EVENTS.close) {
      this.close(payload, ref, joinRef);
      return;
    } else if (event === CHANNEL_EVENTS.error) {
      this.fail(payload);
      return;
    }
    this.emitBound(event, payload, ref, joinRef);
  }

  /** @internal The socket (re)opened. */
  onSocketOpen(): void {
    this.rejoinTimer?.reset();
    if (this.current === 'errored') this.rejoin();
  }

  /** @internal The transport went away. */
  onSocketDown(reason: string): void {
    this.rejoinTimer?.reset();
    if (this.current === 'errored' || this.current === 'leaving' || this.current === 'closed') return;
    this.recoverInFlight();
    this.fail({ reason });
  }

  private recoverInFlight(): void {
    if (this.replies && this.replies.size > 0) this.buffer().recover(this.replies.values());
  }

  /** @internal */
  awaitReply(ref: string, target: ReplyTarget): void {
    // The join push is matched by its ref directly; only other pushes need the map.
    if (target !== this.joinPush) (this.replies ??= new Map()).set(ref, target);
  }

  /** @internal */
  forgetReply(ref: string): void {
    this.replies?.delete(ref);
  }

  /** @internal The join push went out with a new ref. */
  pushSent(push: Push, ref: string): void {
    if (push === this.joinPush) this.onJoinSent(ref);
  }

  /** @internal The join push got its reply or timed out. */
  pushSettled(push: Push, status: PushStatus, response: unknown, sentAt?: number): void {
    if (push !== this.joinPush) return;
    const now = this.host.scheduler.now();
    const extras = this.extras;
    const durationMs = now - ((extras !== null && extras.timesJoin ? extras.joinStartedAt : sentAt) ?? now);
    if (status === 'ok') this.onJoinOk(durationMs);
    else if (status === 'error') this.onJoinFailed(response, durationMs);
    else this.onJoinTimeout(durationMs);
  }

  /** @internal Rejoin timer fired. */
  retry(): void {
    if (this.host.isConnected()) this.rejoin();
  }

  /** @internal */
  retryDelayMs(tries: number): number {
    return this.host.rejoinAfterMs(tries);
  }

  private rejoin(timeoutMs: number = this.timeoutMs): void {
    if (this.current === 'leaving') return;
    this.host.leaveOpenTopic(this);
    this.transition('joining');
    const extras = this.extras;
    if (extras !== null && extras.timesJoin) extras.joinStartedAt = this.host.scheduler.now();
    this.joinPush.resend(timeoutMs);
  }

  /** Each join push carries a new ref, which becomes the join_ref; the old one is stale from now on. */
  private onJoinSent(ref: string): void {
    const previous = this.currentJoinRef;
    this.currentJoinRef = ref;
    this.host.bindJoinRef(this, ref, previous);
    if (this.host.wants?.('channel:joining') === false) return;
    this.host.emit('channel:joining', {
      measurements: { attempt: (this.rejoinTimer?.attempts ?? 0) + 1 },
      metadata: { topic: this.topic, join_ref: ref },
    });
  }

  private onJoinOk(durationMs: number): void {
    this.rejoinTimer?.reset();
    this.transition('joined');
    this.host.emit('channel:joined', {
      measurements: { duration_ms: durationMs },
      metadata: { topic: this.topic, join_ref: this.currentJoinRef ?? '' },
    });
    this.pushBuffer?.drain((push) => this.flush(push));
  }

  private onJoinFailed(response: unknown, durationMs: number): void {
    this.host.emit('channel:join_failed', {
      measurements: { duration_ms: durationMs },
      metadata: { topic: this.topic, join_ref: this.currentJoinRef ?? '', reason: response },
    });
    if (this.current === 'leaving' || this.current === 'closed') return;
    this.transition('errored');
    if (this.host.isConnected()) this.scheduleRejoin();
  }

  private onJoinTimeout(durationMs: number): void {
    this.host.log('channel', `timeout ${this.topic} (${this.currentJoinRef})`, this.joinPush.timeoutMs);
    this.host.emit('channel:join_failed', {
      measurements: { duration_ms: durationMs },
      metadata: { topic: this.topic, join_ref: this.currentJoinRef ?? '', reason: 'timeout' },
    });
    if (this.current === 'leaving' || this.current === 'closed') return;
    // Tell the server to drop the half-made join; the reply (if any) is not awaited.
    if (this.host.isConnected()) new Push(this, CHANNEL_EVENTS.leave, {}, this.timeoutMs).send();
    this.transition('errored');
    this.joinPush.reset();
    if (this.host.isConnected()) this.scheduleRejoin();
  }

  /** Errors the channel (server `phx_error` or socket down) and schedules a rejoin. */
  private fail(reason: unknown): void {
    if (this.current === 'joining') this.joinPush.reset();
    if (this.current === 'closed' || this.current === 'leaving') return;
    this.transition('errored');
    this.host.emit('channel:error', {
      measurements: {},
      metadata: { topic: this.topic, join_ref: this.currentJoinRef, reason },
    });
    this.emitBound(CHANNEL_EVENTS.error, reason, null, this.currentJoinRef);
    if (this.host.isConnected()) this.scheduleRejoin();
  }

  private scheduleRejoin(): void {
    (this.rejoinTimer ??= new RetryTimer(this.host.scheduler, this)).schedule();
  }

  private buffer(): PushQueue {
    return (this.pushBuffer ??= new PushQueue(this.topic, this.host));
  }

  /** Closes for good: `onClose` handlers get `payload` (`'leave'` after a leave, as in phoenix.js). */
  private close(payload: unknown, ref: string | null = null, joinRef: string | null = this.currentJoinRef): void {
    if (this.current === 'closed') return;
    this.rejoinTimer?.reset();
    this.joinPush.reset();
    this.transition('closed');
    this.host.bindJoinRef(this, null, this.currentJoinRef);
    this.host.remove(this);
    this.pushBuffer?.drain((push) => push.fail(new ChannelClosedError(this.topic, push.event)));
    this.host.emit('channel:left', { measurements: {}, metadata: { topic: this.topic, join_ref: this.currentJoinRef } });
    this.emitBound(CHANNEL_EVENTS.close, payload, ref, joinRef);
  }

  private flush(push: Push): void {
    if (this.canPush()) push.send();
    else this.buffer().hold(push);
  }

  private emitBound(event: string, payload: unknown, ref: string | null, joinRef: string | null): void {
    let handled = payload;
    // The hot path skips the call when onMessage was not overridden (the common case).
    if (this.onMessage !== DEFAULT_ON_MESSAGE) {
      try {
        handled = this.onMessage(event, payload, ref, joinRef);
      } catch (error) {
        this.host.reportError(error, `onMessage of "${this.topic}"`);
        return;
      }
    }
    if (event === this.firstEvent) {
      try {
        (this.firstCallback as BindingCallback)(handled, ref, joinRef);
      } catch (error) {
        this.reportHandlerError(error, event);
      }
    } else {
      this.moreBindings?.dispatch(event, handled, ref, joinRef, this);
    }
  }

  private transition(next: ChannelState): void {
    if (this.current === next) return;
    if (this.host.hasLogger?.() !== false) this.host.log('channel', `${this.topic} ${this.current} -> ${next}`);
    this.current = next;
  }
}

const DEFAULT_ON_MESSAGE = Channel.prototype.onMessage;

/** Per-channel state most channels never need, allocated together on first use. */
class ChannelExtras {
  /** Set for channels whose join params are a function: joins are timed from `joinStartedAt`. */
  timesJoin = false;
  joinStartedAt: number | null = null;
  moreBindings: Bindings | null = null;
  replies: Map<string, ReplyTarget> | null = null;
  pushBuffer: PushQueue | null = null;
  rejoinTimer: RetryTimer | null = null;
}

function asReply(payload: unknown): ReplyPayload {
  if (typeof payload === 'object' && payload !== null && 'status' in payload) return payload as ReplyPayload;
  return { status: 'error', response: { reason: 'malformed_reply' } };
}
