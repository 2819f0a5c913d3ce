import { CHANNEL_EVENTS, type Message, type PhxError, type ReplyPayload } from '@phx-socket/transport';
import type { BindingErrorSink } from './bindings';
import { BoundChannel, type EventMap, type PayloadOf } from './bound-channel';
import {
  AlreadyJoinedError,
  ChannelClosedError,
  ChannelCrashedError,
  ConnectionLostError,
  PushBeforeJoinError,
  type CircuitOpenError,
} from './errors';
import type { HostedChannel } from './host';
import { Push, type PushListener, type PushOptions, type ReplyTarget } from './push';
import type { RetryTarget } from './retry-timer';

export type { ChannelErrorReason, EventMap, PayloadOf } from './bound-channel';
export type { ChannelParams } from './packed-channel';

const LIFECYCLE = /* @__PURE__ */ new Set<string>(/* @__PURE__ */ Object.values(CHANNEL_EVENTS));

// A Channel is one object (heap: no per-layer objects) written as a stack of classes, one concept per
// file: PackedChannel (fields, state) ← JoinLifecycle ← BoundChannel (handlers) ← Channel (protocol).
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
  extends BoundChannel<In>
  implements HostedChannel, PushListener, RetryTarget, BindingErrorSink
{
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
   * buffer and is sent once, in order, after the (re)join; its timeout starts when it is actually sent.
   * A push sent but unanswered when the connection drops is not sent again unless it may be resent
   * (`options.maxResends`, or the socket's `inFlightPolicy: 'resend'`): it fails with `ConnectionLostError`.
   * The third argument is the timeout in ms (phoenix.js) or {@link PushOptions}.
   */
  push<K extends string>(event: K, payload?: PayloadOf<Out, K>, options: number | PushOptions = this.timeoutMs): Push {
    if (!this.joinedOnce) throw new PushBeforeJoinError(this.topic, event);
    const timeoutMs = typeof options === 'number' ? options : pushTimeout(options, this.timeoutMs);
    const push = new Push(this, event, payload ?? {}, timeoutMs);
    if (typeof options === 'object' && options.maxResends !== undefined) push.limitResends(resendBudget(options.maxResends));
    if (this.canPush()) this.sendNow(push);
    else if (this.current === 'closed' || this.current === 'leaving') push.fail(new ChannelClosedError(this.topic, event));
    else {
      this.buffer().hold(push);
      // A hibernated socket closed its transport; a waiting push is what brings it back.
      this.host.needConnection?.();
    }
    return push;
  }

  /** @internal Delivers one inbound message routed here by the socket. */
  override dispatch(message: Message): void {
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
      if (this.current !== 'leaving' && this.current !== 'closed') {
        this.recoverInFlight((push) => new ChannelCrashedError(this.topic, push.event));
      }
      this.fail(payload);
      return;
    }
    this.emitBound(event, payload, ref, joinRef);
  }

  /** @internal The socket (re)opened: errored channels rejoin, and joins made while offline go out. */
  override onSocketOpen(): void {
    this.rejoinTimer?.reset();
    if (this.current === 'errored' || (this.current === 'joining' && !this.joinPush.isPending)) this.rejoin();
  }

  /** @internal The transport went away. */
  override onSocketDown(reason: string): void {
    this.rejoinTimer?.reset();
    if (this.current === 'errored' || this.current === 'leaving' || this.current === 'closed') return;
    // A join still waiting for a connection lost nothing: it keeps waiting (its timeout runs).
    if (this.current === 'joining' && !this.joinPush.isPending) return;
    this.recoverInFlight((push) => new ConnectionLostError(this.topic, push.event, push.resends));
    this.fail({ reason });
  }

  /** @internal A push found no open transport when it went to send: it waits for the rejoin. */
  override unsent(push: Push): void {
    // The join goes out when the socket opens (onSocketOpen); a leave offline needs no server.
    if (push === this.joinPush || push.event === CHANNEL_EVENTS.leave) return;
    if (this.current === 'closed' || this.current === 'leaving') push.fail(new ChannelClosedError(this.topic, push.event));
    else {
      this.buffer().hold(push);
      this.host.needConnection?.();
    }
  }

  private recoverInFlight(lost: (push: Push) => PhxError): void {
    if (this.replies && this.replies.size > 0) this.buffer().recover(this.replies.values(), lost);
  }

  /** @internal The channel stopped rejoining for a cool-down: its `onError` handlers get the error. */
  protected override circuitOpened(error: CircuitOpenError): void {
    this.emitBound(CHANNEL_EVENTS.error, error, null, this.currentJoinRef);
  }

  /** @internal */
  override awaitReply(ref: string, target: ReplyTarget): void {
    // The join push is matched by its ref directly; only other pushes need the map.
    if (target !== this.joinPush) (this.replies ??= new Map()).set(ref, target);
  }

  /** @internal */
  override forgetReply(ref: string): void {
    this.replies?.delete(ref);
  }

  /** Errors the channel (server `phx_error` or socket down) and schedules a rejoin. */
  private fail(reason: unknown): void {
    if (this.current === 'closed' || this.current === 'leaving') return;
    // A join lost with its connection keeps a clock, so an awaited join() settles: ok on the rejoin, or
    // join_timeout if none succeeds in time.
    if (this.current === 'joining') this.joinPush.wait();
    this.transition('errored');
    this.host.emit('channel:error', {
      measurements: {},
      metadata: { topic: this.topic, join_ref: this.currentJoinRef, reason },
    });
    this.emitBound(CHANNEL_EVENTS.error, reason, null, this.currentJoinRef);
    if (this.host.isConnected()) this.scheduleRejoin();
  }

  /** Closes for good: `onClose` handlers get `payload` (`'leave'` after a leave, as in phoenix.js). */
  private close(payload: unknown, ref: string | null = null, joinRef: string | null = this.currentJoinRef): void {
    if (this.current === 'closed') return;
    this.rejoinTimer?.reset();
    this.joinPush.reset();
    this.transition('closed');
    // A join still unanswered when the channel closes (left while joining) must not hang its awaiter.
    if (this.joinedOnce && !this.joinPush.settledOnce) this.joinPush.fail(new ChannelClosedError(this.topic, CHANNEL_EVENTS.join));
    this.host.bindJoinRef(this, null, this.currentJoinRef);
    this.host.remove(this);
    this.pushBuffer?.drain((push) => push.fail(new ChannelClosedError(this.topic, push.event)));
    this.settleInFlight();
    this.host.emit('channel:left', { measurements: {}, metadata: { topic: this.topic, join_ref: this.currentJoinRef } });
    this.emitBound(CHANNEL_EVENTS.close, payload, ref, joinRef);
    this.host.channelClosed?.(this, payload, ref, joinRef);
  }

  /** Closed: no reply can come any more. A leave in flight is done; every other push fails at once. */
  private settleInFlight(): void {
    const replies = this.replies;
    if (replies === null || replies.size === 0) return;
    for (const target of [...replies.values()]) {
      if (!(target instanceof Push)) continue;
      if (target.event === CHANNEL_EVENTS.leave) target.reply({ status: 'ok', response: {} });
      else target.fail(new ChannelClosedError(this.topic, target.event));
    }
  }
}

function pushTimeout(options: PushOptions, fallback: number): number {
  if (typeof options !== 'object' || options === null) throw new TypeError('push(event, payload, options): options must be a timeout in ms or an object');
  const { timeoutMs } = options;
  if (timeoutMs === undefined) return fallback;
  if (typeof timeoutMs !== 'number' || !(timeoutMs > 0)) throw new RangeError(`push options: timeoutMs must be a number > 0, got ${String(timeoutMs)}`);
  return timeoutMs;
}

function resendBudget(maxResends: unknown): number {
  if (typeof maxResends !== 'number' || !Number.isInteger(maxResends) || maxResends < 0) {
    throw new RangeError(`push options: maxResends must be an integer >= 0, got ${String(maxResends)}`);
  }
  return maxResends;
}

function asReply(payload: unknown): ReplyPayload {
  if (typeof payload === 'object' && payload !== null && 'status' in payload) return payload as ReplyPayload;
  return { status: 'error', response: { reason: 'malformed_reply' } };
}
