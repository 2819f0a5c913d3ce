/**
 * The channel a `SocketPool` hands out. It owns what the app gave it — bindings (`on`, `onError`,
 * `onClose`), params, pushes not yet sent — and binds to a real `Channel` on whichever socket the pool
 * placed it. When the pool moves it (its socket failed, its socket was full, or its own socket recovered),
 * it leaves the old real channel, re-binds every handler on the new one and re-issues every push that was
 * never sent, in order; a push already sent keeps its outcome on the old socket, so none runs twice.
 */
import {
  AlreadyJoinedError,
  BufferOverflowError,
  ChannelClosedError,
  ChannelStatus,
  PushBeforeJoinError,
  type BindingCallback,
  type Channel,
  type ChannelParams,
  type ChannelState,
  type EventMap,
  type PayloadOf,
  type PushOptions,
  type PushStatus,
} from '@phx-socket/channel';
import { CHANNEL_EVENTS } from '@phx-socket/transport';
import type { ChannelOptions } from '../channel-options';
import type { Socket } from '../socket';
import { appended, PoolPush, type OutcomeFilter } from './pool-push';
import type { PoolSlot } from './pool-slot';

/** Why a pool channel moved to another socket. */
export type MoveReason = 'failover' | 'rebalance' | 'overflow';

/** What a pool channel needs from its pool. */
export interface PoolChannelHost {
  readonly timeoutMs: number;
  readonly sendBufferLimit: number;
  readonly overflowPolicy: 'drop-oldest' | 'reject';
  /** Places a channel that starts joining; returns its slot's socket. */
  place(channel: PoolChannel<object, object>): Socket;
  /** True when a join refusal means "this connection is full". */
  isFullRefusal(response: unknown): boolean;
  /** A join was refused as "full": true when the pool moved it to another socket. */
  refusedFull(channel: PoolChannel<object, object>, socket: Socket, reason: unknown): boolean;
  /** The channel closed for good (left, or closed by the server). */
  closed(channel: PoolChannel<object, object>): void;
  /** The channel finished a move to `socket`. */
  moved(channel: PoolChannel<object, object>, from: Socket, to: Socket, reason: MoveReason): void;
  reportError(error: unknown, where: string): void;
}

/** `channel.onMessage`: sees an inbound event and returns the payload its handlers get. */
export type MessageHook = (event: string, payload: unknown, ref: string | null, joinRef?: string | null) => unknown;

const passThrough: MessageHook = (_event, payload) => payload;

/** The pool channel of each real channel: one lookup per socket instead of an `onClose` binding per channel. */
const owners = new WeakMap<object, PoolChannel<object, object>>();

/** @internal Set as `socket.channelClosed` of every pool socket: a real channel closed for good. */
export function realChannelClosed(real: object, payload: unknown, ref: string | null, joinRef: string | null): void {
  owners.get(real)?.realClosed(real as Channel, payload, ref, joinRef);
}

interface AppBinding {
  /** The ref `on` returned to the app. */
  readonly ref: number;
  readonly event: string;
  readonly callback: BindingCallback;
  /** Its ref on the current real channel. */
  realRef: number | null;
}

/**
 * A topic joined through a `SocketPool`: the `Channel` API (`join`, `leave`, `push`, `on`, `off`,
 * `onClose`, `onError`, awaitable pushes), on whichever socket the pool chose. Handlers and unsent pushes
 * survive moves between sockets.
 *
 * @example
 * const room = pool.channel<{ new_msg: { body: string } }>('room:lobby');
 * room.on('new_msg', ({ body }) => console.log(body));
 * await room.join();
 * await room.push('new_msg', { body: 'hi' });
 */
export class PoolChannel<In extends object = EventMap, Out extends object = EventMap> extends ChannelStatus implements OutcomeFilter {
  readonly topic: string;
  readonly params: ChannelParams | undefined;
  /** @internal */
  readonly channelOptions: ChannelOptions | undefined;
  private readonly host: PoolChannelHost;
  // An array, not a Map: a channel has a handful of bindings, and a pool holds tens of thousands of channels.
  private bindings: AppBinding[] = [];
  private closeHooks: Map<number, BindingCallback> | null = null;
  private nextRef = 0;
  private joinedOnce = false;
  private closedForGood = false;
  private joinTimeoutMs: number;
  private joinPushRef: PoolPush | null = null;
  /** The real channel now, and its socket (null before the join and while moving). */
  private real: Channel | null = null;
  private socketRef: Socket | null = null;
  /** Pushes waiting for a real channel (made while moving). */
  private queue: PoolPush[] = [];
  /** Pushes handed to the current real channel and not settled, in issue order (made on the first push). */
  private live: Set<PoolPush> | null = null;
  /** @internal The pool slot it is placed on, and the one it moves back to when that recovers. */
  slot: PoolSlot | null = null;
  /** @internal */
  home: PoolSlot | null = null;
  private messageHook: MessageHook | null = null;
  /** The current real channel's own `onMessage` (a catch-up tracker's, or the default), before the app's. */
  private realOnMessage: MessageHook | null = null;
  /** A move under way: the real channel being left, where to go, and why. */
  private move: { from: Channel; fromSocket: Socket; to: Socket; reason: MoveReason } | null = null;

  /** @internal Use `pool.channel(topic, params)`. */
  constructor(host: PoolChannelHost, topic: string, params: ChannelParams | undefined, options: ChannelOptions | undefined) {
    super();
    this.host = host;
    this.topic = topic;
    this.params = params;
    this.channelOptions = options;
    this.joinTimeoutMs = host.timeoutMs;
  }

  /** `'joining'` while the pool moves the channel; otherwise the real channel's state. */
  get state(): ChannelState {
    if (this.closedForGood) return 'closed';
    if (this.move !== null) return 'joining';
    return this.real?.state ?? 'closed';
  }

  /** The join_ref of the current real channel, or null. */
  get joinRef(): string | null {
    return this.real?.joinRef ?? null;
  }

  /** The socket the channel is on now (null before its join, and while it moves). */
  get socket(): Socket | null {
    return this.move === null ? this.socketRef : null;
  }

  /** Pushes waiting for a socket (made while the channel moves). */
  get waiting(): number {
    return this.queue.length;
  }

  /** Pushes not sent yet: waiting for a move to end, or buffered in the current channel until it joins. */
  get bufferedCount(): number {
    return this.queue.length + (this.real?.bufferedCount ?? 0);
  }

  /** True when a push would go out now. */
  canPush(): boolean {
    return this.move === null && this.real !== null && this.real.canPush();
  }

  /**
   * Sees every inbound event before its handlers and returns the payload they get (phoenix.js's
   * `channel.onMessage`). Assign your own to transform payloads; it follows the channel across moves.
   */
  get onMessage(): MessageHook {
    return this.messageHook ?? passThrough;
  }
  set onMessage(hook: MessageHook) {
    if (typeof hook !== 'function') throw new TypeError('channel.onMessage must be a function (event, payload, ref, joinRef) => payload');
    this.messageHook = hook;
    if (this.real !== null) this.hookInto(this.real);
  }

  /** Binds a handler to an inbound event; returns a ref for `off`. Kept across moves. */
  on<K extends string>(event: K, callback: BindingCallback<PayloadOf<In, K>>): number {
    if (typeof callback !== 'function') throw new TypeError(`on('${event}', callback): callback must be a function`);
    const ref = ++this.nextRef;
    if (event === CHANNEL_EVENTS.close) {
      (this.closeHooks ??= new Map()).set(ref, callback as BindingCallback);
      return ref;
    }
    const binding: AppBinding = { ref, event, callback: callback as BindingCallback, realRef: null };
    this.bindings = appended(this.bindings, binding);
    if (this.real !== null) binding.realRef = this.real.on(event, binding.callback);
    return ref;
  }

  /** Removes one handler (by ref) or every handler of `event`. */
  off(event: string, ref?: number): void {
    const real = this.real;
    this.bindings = this.bindings.filter((binding) => {
      if (binding.event !== event || (ref !== undefined && binding.ref !== ref)) return true;
      if (real !== null && binding.realRef !== null) real.off(event, binding.realRef);
      return false;
    });
    if (event === CHANNEL_EVENTS.close) {
      if (ref === undefined) this.closeHooks = null;
      else this.closeHooks?.delete(ref);
    }
  }

  /** Called when the channel closes for good (left, or closed by the server); never for a move. */
  onClose(callback: (payload: unknown, ref: string | null, joinRef: string | null) => void): number {
    return this.on(CHANNEL_EVENTS.close, callback);
  }

  /** Called when the channel errors (server crash, socket down); it then rejoins, maybe elsewhere. */
  onError(callback: (reason: unknown) => void): number {
    return this.on(CHANNEL_EVENTS.error, (reason) => callback(reason));
  }

  /**
   * Joins on the socket the pool picks. Resolves with the join response; rejects with `JoinError` or
   * `TimeoutError`. A "full" refusal is not an outcome: the pool retries the join on another socket.
   */
  join(timeoutMs: number = this.joinTimeoutMs): PoolPush {
    if (this.joinedOnce) throw new AlreadyJoinedError(this.topic);
    this.joinedOnce = true;
    this.joinTimeoutMs = timeoutMs;
    this.joinPushRef = new PoolPush(this.topic, CHANNEL_EVENTS.join, this.params, undefined, timeoutMs);
    this.bindTo(this.host.place(this as unknown as PoolChannel<object, object>));
    return this.joinPushRef;
  }

  /**
   * Sends an event on the current socket. While the channel is not joined (or is moving) the push waits and
   * is sent once, in order, after the (re)join, wherever that is.
   */
  push<K extends string>(event: K, payload?: PayloadOf<Out, K>, options?: number | PushOptions): PoolPush {
    if (!this.joinedOnce) throw new PushBeforeJoinError(this.topic, event);
    const timeoutMs = typeof options === 'number' ? options : (options?.timeoutMs ?? this.host.timeoutMs);
    const push = new PoolPush(this.topic, event, payload, options, timeoutMs);
    if (this.closedForGood || this.real?.state === 'leaving') push.fail(new ChannelClosedError(this.topic, event));
    else if (this.real !== null && this.move === null) this.issue(push);
    else this.hold(push);
    return push;
  }

  /** Leaves the topic for good; pushes still waiting fail with `ChannelClosedError`. */
  leave(timeoutMs: number = this.joinTimeoutMs): PoolPush {
    const push = new PoolPush(this.topic, CHANNEL_EVENTS.leave, {}, undefined, timeoutMs);
    for (const waiting of this.queue.splice(0)) waiting.fail(new ChannelClosedError(this.topic, waiting.event));
    const current = this.move?.from ?? this.real;
    this.move = null;
    if (current === null || this.closedForGood) {
      this.finish('leave', null, null);
      push.fire('ok', {});
      return push;
    }
    this.real = current;
    push.bind(current.leave(timeoutMs));
    return push;
  }

  /** @internal Moves the channel to `to` (the pool decided); unsent pushes follow it. */
  moveTo(to: Socket, reason: MoveReason): boolean {
    const from = this.real;
    const fromSocket = this.socketRef;
    if (this.closedForGood || from === null || fromSocket === null || this.move !== null || to === fromSocket) return false;
    if (from.state === 'leaving' || from.state === 'closed') return false;
    this.move = { from, fromSocket, to, reason };
    this.real = null;
    // A push the old socket never sent goes to the new one; one it sent keeps its outcome there.
    const unsent: PoolPush[] = [];
    for (const push of this.live ?? []) {
      if (push.real !== null && !push.real.isPending) {
        push.unbind();
        unsent.push(push);
      }
    }
    for (const push of unsent) this.live?.delete(push);
    if (unsent.length > 0) this.queue = [...unsent, ...this.queue];
    this.joinPushRef?.unbind();
    // Offline this closes at once; online the server's leave reply (which follows every earlier reply) does.
    from.leave();
    return true;
  }

  /** Binds to a new real channel on `socket`: handlers, the join, then the waiting pushes. */
  private bindTo(socket: Socket): void {
    const real = socket.channel(this.topic, this.params, this.channelOptions) as unknown as Channel;
    this.real = real;
    this.socketRef = socket;
    for (const binding of this.bindings) binding.realRef = real.on(binding.event, binding.callback);
    this.realOnMessage = real.onMessage;
    if (this.messageHook !== null) this.hookInto(real);
    owners.set(real, this as unknown as PoolChannel<object, object>);
    const joinPush = real.join(this.joinTimeoutMs);
    this.joinPushRef?.bind(joinPush, this);
    for (const push of this.queue.splice(0)) this.issue(push);
  }

  /** Runs the app's hook after the real channel's own (a catch-up tracker watches through it). */
  private hookInto(real: Channel): void {
    const inner = this.realOnMessage as MessageHook;
    real.onMessage = (event, payload, ref, joinRef) => this.onMessage(event, inner.call(real, event, payload, ref, joinRef), ref, joinRef);
  }

  /**
   * @internal OutcomeFilter of every push bound to a real one (the pool push checks that the outcome is of
   * the real push it is bound to now): a "full" join refusal is the pool's, which moves the join; any
   * other outcome ends the push's time as "live" here.
   */
  accepts(status: PushStatus, response: unknown, push: PoolPush): boolean {
    if (push !== this.joinPushRef) {
      this.live?.delete(push);
      return true;
    }
    const socket = this.socketRef;
    if (status !== 'error' || socket === null || this.move !== null || !this.host.isFullRefusal(response)) return true;
    const reason = typeof response === 'object' && response !== null ? (response as { reason?: unknown }).reason : response;
    return !this.host.refusedFull(this as unknown as PoolChannel<object, object>, socket, reason);
  }

  private issue(push: PoolPush): void {
    const real = this.real as Channel;
    const sent = real.push(push.event, push.payload as never, push.options as PushOptions | number | undefined);
    sent.inheritResends(push.resendsUsed);
    (this.live ??= new Set()).add(push);
    push.bind(sent, this);
  }

  private hold(push: PoolPush): void {
    const limit = this.host.sendBufferLimit;
    if (this.queue.length >= limit) {
      if (this.host.overflowPolicy === 'reject') {
        push.fail(new BufferOverflowError(this.topic, push.event, limit));
        return;
      }
      const dropped = this.queue.shift() as PoolPush;
      dropped.fail(new BufferOverflowError(this.topic, dropped.event, limit));
    }
    this.queue.push(push);
  }

  /** @internal Its real channel `real` closed (see {@link realChannelClosed}). */
  realClosed(real: Channel, payload: unknown, ref: string | null, joinRef: string | null): void {
    owners.delete(real);
    const move = this.move;
    if (move !== null && move.from === real) {
      this.move = null;
      for (const binding of this.bindings) binding.realRef = null;
      this.bindTo(move.to);
      this.host.moved(this as unknown as PoolChannel<object, object>, move.fromSocket, move.to, move.reason);
      return;
    }
    if (real !== this.real) return;
    this.finish(payload, ref, joinRef);
  }

  private finish(payload: unknown, ref: string | null, joinRef: string | null): void {
    if (this.closedForGood) return;
    this.closedForGood = true;
    this.real = null;
    for (const waiting of this.queue.splice(0)) waiting.fail(new ChannelClosedError(this.topic, waiting.event));
    this.host.closed(this as unknown as PoolChannel<object, object>);
    for (const hook of this.closeHooks?.values() ?? []) {
      try {
        hook(payload, ref, joinRef);
      } catch (error) {
        this.host.reportError(error, `"phx_close" handler of "${this.topic}"`);
      }
    }
  }
}
