/**
 * One message sent on a lite channel and its outcome: `ok`/`error` from the server's reply, or `timeout`.
 * Hooks (`receive`) and a promise (`await push`) see the same outcome.
 */
import { ChannelClosedError, JoinError, ReplyError, TimeoutError, type PushStatus, type TimerHandle } from '@phx-socket/channel';
import { CHANNEL_EVENTS, PhxError, type ReplyPayload } from '@phx-socket/transport';
import type { Socket } from './socket';

type Hook = [status: PushStatus, callback: (response: unknown) => void];

/** What a push needs of its channel (any `Channel<In, Out>` is one). */
export interface PushOwner {
  readonly topic: string;
  readonly joinRef: string | null;
  readonly socket: Socket;
  _await(ref: string, push: Push): void;
  _forget(ref: string): void;
}

/**
 * A push: `receive(status, callback)` as in phoenix.js, and awaitable. `await` resolves with the `ok`
 * response and rejects with a `PhxError`: `ReplyError`/`JoinError` (`.response` holds the server's
 * answer), `TimeoutError` (codes `'timeout'`, `'join_timeout'`, `'leave_timeout'`), or
 * `ChannelClosedError` for a push still waiting when its channel closed.
 *
 * @example
 * channel.push('new_msg', { body: 'hi' }).receive('ok', (reply) => console.log(reply));
 * const reply = await channel.push('new_msg', { body: 'hi' });
 */
export class Push<R = unknown> implements PromiseLike<R> {
  /** The ref of the latest send; `null` before the first send and after `reset()`. */
  ref: string | null = null;
  /** Whether the latest send reached an open transport. */
  sent = false;
  #status: PushStatus | null = null;
  #response: unknown;
  #failure: PhxError | undefined;
  #hooks: Hook[] = [];
  #timer: TimerHandle | null = null;
  #settle: ((status: PushStatus) => void) | null = null;
  #promise: Promise<R> | null = null;

  constructor(
    readonly channel: PushOwner,
    readonly event: string,
    /** The payload, or a function called at every send (phoenix.js's join params closure). */
    readonly payload: unknown,
    /** Ms to wait for the reply. */
    public timeoutMs: number,
  ) {}

  /** Calls `callback` with the response when the push settles as `status` (at once if it already did). */
  receive(status: PushStatus, callback: (response: unknown) => void): this {
    if (this.#status === status) callback(this.#response);
    this.#hooks.push([status, callback]);
    return this;
  }

  /** Sends (again) with a fresh ref and timeout; a push that timed out stays timed out. */
  send(): void {
    if (this.#status === 'timeout') return;
    this.#start();
    const { channel, event, ref } = this;
    const payload = typeof this.payload === 'function' ? (this.payload as () => unknown)() : this.payload;
    const joinRef = event === CHANNEL_EVENTS.join ? ref : channel.joinRef;
    try {
      this.sent = channel.socket._send({ joinRef, ref, topic: channel.topic, event, payload });
    } catch (error) {
      if (!(error instanceof PhxError)) throw error;
      this.#fail(error);
    }
  }

  /** @internal Starts the reply timer under a fresh ref without sending (the channel sends later). */
  _wait(): void {
    this.#start();
  }

  /** Forgets the outcome and the ref so the push can be sent again (a rejoin). */
  reset(): void {
    this.#cancel();
    this.ref = null;
    this.#status = null;
    this.#failure = undefined;
  }

  /** @internal The server's `phx_reply` for this push. */
  _reply(payload: unknown): void {
    const { status, response } = (payload ?? {}) as Partial<ReplyPayload>;
    this.#trigger(status === 'ok' ? 'ok' : 'error', response);
  }

  /** @internal Fails a push that can no longer be sent (its channel closed), unless it already settled. */
  _abandon(): void {
    if (this.#status === null) this.#fail(new ChannelClosedError(this.channel.topic, this.event));
  }

  /** @internal Stops waiting for the reply (timer and ref registration); keeps `ref` and the outcome. */
  _cancel(): void {
    this.#cancel();
  }

  then<T1 = R, T2 = never>(
    onfulfilled?: ((value: R) => T1 | PromiseLike<T1>) | null,
    onrejected?: ((reason: unknown) => T2 | PromiseLike<T2>) | null,
  ): Promise<T1 | T2> {
    this.#promise ??= new Promise<R>((resolve, reject) => {
      this.#settle = (status) => {
        this.#settle = null;
        if (status === 'ok') resolve(this.#response as R);
        else reject(this.#error(status));
      };
      if (this.#status !== null) this.#settle(this.#status);
    });
    return this.#promise.then(onfulfilled, onrejected);
  }

  #start(): void {
    this.#cancel();
    const { channel } = this;
    const { scheduler } = channel.socket;
    this.ref = channel.socket.makeRef();
    channel._await(this.ref, this);
    this.#timer = scheduler.setTimeout(() => {
      this.#timer = null;
      this.#trigger('timeout', {});
    }, this.timeoutMs);
  }

  #cancel(): void {
    if (this.#timer !== null) this.channel.socket.scheduler.clearTimeout(this.#timer);
    this.#timer = null;
    if (this.ref !== null) this.channel._forget(this.ref);
  }

  #fail(error: PhxError): void {
    this.#failure = error;
    this.#trigger('error', { reason: error.code });
  }

  #trigger(status: PushStatus, response: unknown): void {
    this.#cancel();
    this.#status = status;
    this.#response = response;
    // App hooks run isolated: one that throws must not keep the others or `await push` from settling.
    for (const [on, callback] of this.#hooks) if (on === status) this.channel.socket._run(callback as (...a: unknown[]) => void, response);
    this.#settle?.(status);
  }

  #error(status: PushStatus): PhxError {
    const { channel, event } = this;
    if (this.#failure) return this.#failure;
    if (status === 'timeout') {
      const code = event === CHANNEL_EVENTS.join ? 'join_timeout' : event === CHANNEL_EVENTS.leave ? 'leave_timeout' : 'timeout';
      return new TimeoutError(code, channel.topic, event, this.timeoutMs);
    }
    return event === CHANNEL_EVENTS.join ? new JoinError(channel.topic, this.#response) : new ReplyError(channel.topic, event, this.#response);
  }
}
