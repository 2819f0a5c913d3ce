/**
 * A lite channel: one topic joined over the socket, with phoenix.js's lifecycle (join, rejoin with
 * backoff after errors, leave), event bindings, and pushes buffered until the channel is joined.
 */
import { AlreadyJoinedError, PushBeforeJoinError, type ChannelState, type EventMap, type PayloadOf, type PushStatus, type TimerHandle } from '@phx-socket/channel';
import { delayOf } from './options';
import { CHANNEL_EVENTS, type Message } from '@phx-socket/transport';
import { Push } from './push';
import type { Socket } from './socket';

type Callback = (payload: unknown, ref: string | null, joinRef: string | null) => void;

const { join: JOIN, leave: LEAVE, reply: REPLY, error: ERROR, close: CLOSE } = CHANNEL_EVENTS;

/**
 * A channel from `socket.channel(topic, params)` of `@phx-socket/client/lite`: phoenix.js's `Channel` API.
 * `In` maps inbound event names to payload types, `Out` the pushed ones.
 *
 * @example
 * const room = socket.channel<{ new_msg: { body: string } }>('room:lobby', { token });
 * room.on('new_msg', ({ body }) => console.log(body));
 * await room.join();
 * await room.push('new_msg', { body: 'hi' });
 */
export class Channel<In extends object = EventMap, Out extends object = EventMap> {
  #state: ChannelState = 'closed';
  #joinedOnce = false;
  #joinPush: Push;
  #leavePush: Push | undefined;
  /**
   * Flat `[event, ref, callback, event, ref, callback, …]`, replaced on every change (copy on write): a
   * dispatch in progress keeps iterating the list it started with. One small array is far lighter than a
   * Map of lists of tuples, and a scan of a channel's few bindings is no slower than a Map lookup.
   */
  #bindings: (string | number | Callback)[] = [];
  #bindingRef = 0;
  #buffer: Push[] = [];
  #rejoinTimer: TimerHandle | null = null;
  #tries = 0;

  constructor(
    readonly topic: string,
    params: Record<string, unknown> | (() => Record<string, unknown>) = {},
    /** The socket this channel lives on. */
    readonly socket: Socket,
  ) {
    // The join push reports its outcome to `_settled`: no closures per channel.
    this.#joinPush = new Push(this, JOIN, params, socket.timeoutMs);
  }

  /** `'closed'`, `'joining'`, `'joined'`, `'leaving'` or `'errored'`. */
  get state(): ChannelState {
    return this.#state;
  }

  /** The ref of the current join; messages carrying another join_ref belong to an older join. */
  get joinRef(): string | null {
    return this.#joinPush.ref;
  }

  isClosed(): boolean {
    return this.#state === 'closed';
  }
  isErrored(): boolean {
    return this.#state === 'errored';
  }
  isJoined(): boolean {
    return this.#state === 'joined';
  }
  isJoining(): boolean {
    return this.#state === 'joining';
  }
  isLeaving(): boolean {
    return this.#state === 'leaving';
  }

  /**
   * Joins the topic; the returned push settles with the server's answer. After an error, a timeout or a
   * lost connection the channel rejoins by itself until `leave()`. Throws `AlreadyJoinedError` when
   * called twice.
   */
  join(timeoutMs: number = this.#joinPush.timeoutMs): Push {
    if (this.#joinedOnce) throw new AlreadyJoinedError(this.topic);
    this.#joinedOnce = true;
    this.#joinPush.timeoutMs = timeoutMs;
    this.#rejoin();
    return this.#joinPush;
  }

  /** Leaves the topic; the channel closes when the server answers or the push times out. */
  leave(timeoutMs: number = this.#joinPush.timeoutMs): Push {
    this.#clearRejoin();
    // Stop waiting for the join but keep its ref: the server only honours a phx_leave carrying the join_ref
    // of the join it is leaving (Phoenix ignores one with another join_ref, or none).
    this.#joinPush._cancel();
    this.#state = 'leaving';
    const close = () => this.#close('leave', null);
    const push = (this.#leavePush = new Push(this, LEAVE, {}, timeoutMs).receive('ok', close).receive('timeout', close));
    push.send();
    if (!push.sent) push._reply({ status: 'ok', response: {} });
    return push;
  }

  /**
   * Sends `event` once the channel is joined: at once when it is, else buffered (the timeout already
   * runs). Throws `PushBeforeJoinError` before `join()`.
   */
  push<K extends string>(event: K, payload?: PayloadOf<Out, K>, timeoutMs: number = this.#joinPush.timeoutMs): Push {
    if (!this.#joinedOnce) throw new PushBeforeJoinError(this.topic, event);
    const push = new Push(this, event, payload ?? {}, timeoutMs);
    if (this.#state === 'joined' && this.socket.isConnected()) push.send();
    // Left or closed by the server: nothing will send it, so fail it now rather than let it time out.
    else if (this.#state === 'closed') push._abandon();
    else {
      push._wait();
      this.#buffer.push(push);
    }
    return push;
  }

  /** Calls `callback` for every `event`; returns the ref for `off(event, ref)`. */
  on<K extends string>(event: K, callback: (payload: PayloadOf<In, K>, ref: string | null, joinRef: string | null) => void): number {
    const ref = ++this.#bindingRef;
    // concat allocates exactly the size needed (a spread or push() would reserve spare slots).
    this.#bindings = this.#bindings.concat(event, ref, callback as Callback);
    return ref;
  }

  /** Removes the binding `ref` of `event`, or every binding of `event` without a ref. */
  off(event: string, ref?: number): void {
    this.#bindings = this.#bindings.filter((_, i, list) => {
      i -= i % 3; // the event slot of the binding this slot belongs to
      return list[i] !== event || (ref !== undefined && list[i + 1] !== ref);
    });
  }

  /** Calls `callback` when the channel closes (left, or closed by the server). */
  onClose(callback: (payload: unknown, ref: string | null, joinRef: string | null) => void): number {
    return this.on(CLOSE, callback);
  }

  /** Calls `callback` when the channel errors (the server process crashed, or the connection dropped). */
  onError(callback: (reason: unknown) => void): number {
    return this.on(ERROR, callback);
  }

  /** phoenix.js's hook to transform inbound payloads before the bindings see them. */
  onMessage(_event: string, payload: unknown, _ref: string | null, _joinRef: string | null): unknown {
    return payload;
  }

  /** @internal A message for this topic. */
  _in({ joinRef, ref, event, payload }: Message): void {
    // As in phoenix.js, anything carrying another join_ref belongs to an older join of this topic.
    if (joinRef !== null && joinRef !== this.joinRef) return;
    if (event === REPLY) {
      // Refs are unique per socket, so one map there serves every channel; the push must still be ours.
      const push = this.socket._replies.get(ref!);
      if (push?.channel === this) push._reply(payload);
    } else if (event === CLOSE) {
      this.#close(payload, ref);
    } else if (event === ERROR) {
      this.#lost(payload);
    } else {
      this.#emit(event, payload, ref, joinRef);
    }
  }

  /** @internal The socket (re)opened: rejoin what the connection loss interrupted. */
  _up(): void {
    this.#clearRejoin();
    this.#tries = 0;
    // A join sent on this very connection (from an onOpen callback) is not sent twice.
    if (this.#state === 'errored' || (this.#state === 'joining' && !this.#joinPush.sent)) this.#rejoin();
  }

  /** @internal The socket closed. */
  _down(reason: unknown): void {
    if (this.#state === 'joined' || this.#state === 'joining') this.#lost(reason);
  }

  /** @internal The join push settled (before the app's hooks run). */
  _settled(status: PushStatus): void {
    if (status === 'ok') {
      this.#state = 'joined';
      this.#tries = 0;
      this.#clearRejoin();
      for (const push of this.#buffer.splice(0)) push.send();
    } else {
      // The server may have joined after all: leave that join so it does not linger beside the rejoin, and
      // forget its ref so the phx_close answering that leave is an old join's message, not this channel's.
      if (status === 'timeout') {
        new Push(this, LEAVE, {}, this.#joinPush.timeoutMs).send();
        this.#joinPush.reset();
      }
      this.#errored();
    }
  }

  #rejoin(): void {
    if (this.#state === 'leaving') return;
    this.socket._leaveOpenTopic(this);
    this.#state = 'joining';
    this.#joinPush.reset();
    this.#joinPush.send();
  }

  /** The join was refused or timed out. */
  #errored(): void {
    this.#state = 'errored';
    if (this.socket.isConnected()) this.#scheduleRejoin();
  }

  /** The server's channel process crashed, or the connection dropped: tell `onError` and rejoin. */
  #lost(reason: unknown): void {
    if (this.#state === 'leaving' || this.#state === 'closed') return;
    // A join in flight died with the connection; the rejoin sends a fresh one (and restarts its timer).
    const joinRef = this.joinRef;
    if (this.#state === 'joining') this.#joinPush.reset();
    this.#errored();
    this.#emit(ERROR, reason, null, joinRef);
  }

  #scheduleRejoin(): void {
    this.#clearRejoin();
    this.#rejoinTimer = this.socket.scheduler.setTimeout(
      () => {
        this.#rejoinTimer = null;
        if (this.socket.isConnected()) this.#rejoin();
      },
      delayOf(this.socket._rejoinAfterMs, ++this.#tries),
    );
  }

  #clearRejoin(): void {
    this.#rejoinTimer = this.socket._stop(this.#rejoinTimer);
  }

  #close(payload: unknown, ref: string | null): void {
    // The server's phx_close and the answer to our leave can both arrive: close once.
    if (this.#state === 'closed') return;
    const joinRef = this.joinRef;
    this.#clearRejoin();
    this.#joinPush.reset();
    this.#state = 'closed';
    this.socket.remove(this);
    for (const push of this.#buffer.splice(0)) push._abandon();
    // A leave still waiting for its reply (the server closed the channel first) is answered: the channel
    // is gone. A push waits exactly as long as it sits in the socket's reply map.
    const leave = this.#leavePush;
    if (leave && this.socket._replies.get(leave.ref!) === leave) leave._reply({ status: 'ok', response: {} });
    this.#emit(CLOSE, payload, ref, joinRef);
  }

  #emit(event: string, payload: unknown, ref: string | null, joinRef: string | null): void {
    const list = this.#bindings;
    // Only event slots hold strings, so indexOf finds bindings of `event` and nothing else.
    let i = list.indexOf(event);
    if (i < 0) return;
    const data = this.onMessage(event, payload, ref, joinRef);
    for (; i >= 0; i = list.indexOf(event, i + 3)) this.socket._run(list[i + 2] as Callback, data, ref, joinRef);
  }
}
