/**
 * One message sent on a lite channel and its outcome: `ok`/`error` from the server's reply, or `timeout`.
 * Hooks (`receive`) and a promise (`await push`) see the same outcome.
 */
import { ChannelClosedError, pushError, type PushStatus, type TimerHandle } from '@phx-socket/channel';
import { CHANNEL_EVENTS, PhxError, type ReplyPayload } from '@phx-socket/transport';
import type { Socket } from './socket';

type Hook = (response: unknown) => void;

/** What a push needs of its channel (any `Channel<In, Out>` is one). */
export interface PushOwner {
  readonly topic: string;
  readonly joinRef: string | null;
  readonly socket: Socket;
  /** Told how its join push settled, before the app's hooks run (join pushes only). */
  _settled(status: PushStatus): void;
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
  /** Flat `[status, callback, status, callback, …]`: the join push keeps its hooks for its channel's life. */
  #hooks: (PushStatus | Hook)[] = [];
  #timer: TimerHandle | null = null;
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
    // A copy of exactly the right size (push() would reserve 16 spare slots); a settle in progress keeps
    // iterating the hooks it started with, as phoenix.js's does.
    this.#hooks = this.#hooks.concat(status, callback);
    return this;
  }

  /** Sends (again) with a fresh ref and timeout; a push that timed out stays timed out. */
  send(): void {
    if (this.#status === 'timeout') return;
    this._wait();
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

  /** Forgets the outcome and the ref so the push can be sent again (a rejoin). */
  reset(): void {
    this._cancel();
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

  then<T1 = R, T2 = never>(
    onfulfilled?: ((value: R) => T1 | PromiseLike<T1>) | null,
    onrejected?: ((reason: unknown) => T2 | PromiseLike<T2>) | null,
  ): Promise<T1 | T2> {
    // The promise settles through hooks of its own, called at once if the push already settled. Only the
    // first outcome counts (a join push settles again after a rejoin): a promise ignores later calls.
    this.#promise ??= new Promise<R>((resolve, reject) => {
      // The status is passed, not read back: a timed-out join push is reset before its hooks run.
      const fail = (status: 'error' | 'timeout') => (): void => reject(this.#error(status));
      this.receive('ok', resolve as Hook).receive('error', fail('error')).receive('timeout', fail('timeout'));
    });
    return this.#promise.then(onfulfilled, onrejected);
  }

  /** @internal Starts the reply timer under a fresh ref without sending (the channel sends later). */
  _wait(): void {
    this._cancel();
    const { socket } = this.channel;
    socket._replies.set((this.ref = socket.makeRef()), this);
    this.#timer = socket.scheduler.setTimeout(() => {
      this.#timer = null;
      this.#trigger('timeout', {});
    }, this.timeoutMs);
  }

  /** @internal Stops waiting for the reply (timer and ref registration); keeps `ref` and the outcome. */
  _cancel(): void {
    const { socket } = this.channel;
    this.#timer = socket._stop(this.#timer);
    socket._replies.delete(this.ref!); // a null ref is simply not there
  }

  #fail(error: PhxError): void {
    this.#failure = error;
    this.#trigger('error', { reason: error.code });
  }

  #trigger(status: PushStatus, response: unknown): void {
    this._cancel();
    this.#status = status;
    this.#response = response;
    const { channel } = this;
    const { socket } = channel;
    const hooks = this.#hooks;
    // Every hook runs isolated: one that throws must not keep the others or `await push` from settling.
    // A join push's channel goes first (joined, buffer flushed, or rejoin scheduled) so the app's hooks see
    // it; one closure per join outcome instead of three hooks per channel kept for the channel's life.
    if (this.event === CHANNEL_EVENTS.join) socket._run(() => channel._settled(status));
    for (let i = 0; i < hooks.length; i += 2) if (hooks[i] === status) socket._run(hooks[i + 1] as Hook, response);
  }

  #error(status: 'error' | 'timeout'): PhxError {
    return this.#failure ?? pushError(this.channel.topic, this.event, status, this.#response, this.timeoutMs);
  }
}
