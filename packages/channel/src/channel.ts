import { CHANNEL_EVENTS, type Message, type ReplyPayload } from '@phx-socket/transport';
import type { BindingErrorSink } from './bindings';
import { BoundChannel, type EventMap, type PayloadOf } from './bound-channel';
import { AlreadyJoinedError, ChannelClosedError, PushBeforeJoinError } from './errors';
import type { HostedChannel } from './host';
import { Push, type PushListener, type ReplyTarget } from './push';
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
      this.fail(payload);
      return;
    }
    this.emitBound(event, payload, ref, joinRef);
  }

  /** @internal The socket (re)opened. */
  override onSocketOpen(): void {
    this.rejoinTimer?.reset();
    if (this.current === 'errored') this.rejoin();
  }

  /** @internal The transport went away. */
  override onSocketDown(reason: string): void {
    this.rejoinTimer?.reset();
    if (this.current === 'errored' || this.current === 'leaving' || this.current === 'closed') return;
    this.recoverInFlight();
    this.fail({ reason });
  }

  private recoverInFlight(): void {
    if (this.replies && this.replies.size > 0) this.buffer().recover(this.replies.values());
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
}

function asReply(payload: unknown): ReplyPayload {
  if (typeof payload === 'object' && payload !== null && 'status' in payload) return payload as ReplyPayload;
  return { status: 'error', response: { reason: 'malformed_reply' } };
}
