import { CHANNEL_EVENTS, PhxError, type Message, type ReplyPayload } from '@phx-socket/transport';
import type { ChannelHost } from './host';
import type { TimerHandle } from './scheduler';
import { JoinError, ReplyError, TimeoutError, type TimeoutCode } from './errors';

/** The outcomes a `receive` hook can wait for. */
export type PushStatus = 'ok' | 'error' | 'timeout';

/** A payload, or a function producing one at each send (sync or async) — how join params stay fresh. */
export type PayloadSource<P> = P | (() => P | Promise<P>);

/** What a push needs from the channel that owns it. */
export interface PushOwner {
  readonly topic: string;
  readonly host: ChannelHost;
  readonly joinRef: string | null;
  /** Routes the reply with `ref` to `target` until forgotten. */
  awaitReply(ref: string, target: ReplyTarget): void;
  forgetReply(ref: string): void;
}

/** Whatever waits for a `phx_reply` by ref. */
export interface ReplyTarget {
  reply(payload: ReplyPayload): void;
}

/**
 * Notified of a push's sends and outcomes. The channel listens to its join push this way instead of
 * through closures, which keeps a joined channel small.
 */
export interface PushListener {
  pushSent(push: Push, ref: string): void;
  pushSettled(push: Push, status: PushStatus, response: unknown): void;
}

interface Hook {
  status: PushStatus;
  callback: (response: unknown) => void;
}

type Outcome<R> = { ok: true; value: R } | { ok: false; error: PhxError };

/**
 * One outbound message and its reply. Chain `receive()` as in phoenix.js, or `await` it: it resolves with
 * the `ok` response and rejects with `ReplyError` / `JoinError` / `TimeoutError`. The promise is created
 * only when someone awaits, so code that only uses `receive` never sees an unhandled rejection.
 *
 * @example
 * channel.push('new_msg', { body: 'hi' }).receive('ok', (r) => ack(r)).receive('timeout', retry);
 * const reply = await channel.push('new_msg', { body: 'hi' });
 */
export class Push<R = unknown> implements PromiseLike<R>, ReplyTarget {
  readonly event: string;
  /** The ref of the latest send, or null while not sent. */
  ref: string | null = null;
  /** Ms to wait for a reply, counted from when the push is actually sent. */
  timeoutMs: number;
  private readonly owner: PushOwner;
  private readonly payloadSource: PayloadSource<unknown>;
  private readonly listener: PushListener | null;
  private hooks: Hook[] | null = null;
  private received: { status: PushStatus; response: unknown } | null = null;
  /** The latest outcome; unlike `received` it survives `reset()` until the next send, for late awaiters. */
  private lastOutcome: { status: PushStatus; response: unknown } | null = null;
  private timer: TimerHandle | null = null;
  private sentAt = 0;
  private sendSeq = 0;
  private settle: ((outcome: Outcome<R>) => void) | null = null;
  private promise: Promise<R> | null = null;
  private failure: PhxError | null = null;

  constructor(
    owner: PushOwner,
    event: string,
    payload: PayloadSource<unknown>,
    timeoutMs: number,
    listener: PushListener | null = null,
  ) {
    this.owner = owner;
    this.listener = listener;
    this.event = event;
    this.payloadSource = payload;
    this.timeoutMs = timeoutMs;
  }

  /** True once `send()` handed the message to the socket and no reply or timeout came yet. */
  get isPending(): boolean {
    return this.ref !== null && this.received === null;
  }

  /**
   * Calls `callback` when the push ends with `status`. A hook added after that already happened fires at
   * once. Hooks stay across resends (a rejoin fires the join push's hooks again).
   */
  receive(status: PushStatus, callback: (response: unknown) => void): this {
    if (this.received?.status === status) this.invoke(callback, this.received.response);
    (this.hooks ??= []).push({ status, callback });
    return this;
  }

  /** Sends now. A function payload is evaluated (and awaited) first. */
  send(): void {
    const seq = ++this.sendSeq;
    let payload: unknown;
    try {
      payload = typeof this.payloadSource === 'function' ? (this.payloadSource as () => unknown)() : this.payloadSource;
    } catch (error) {
      this.owner.host.reportError(error, `payload of "${this.event}" on "${this.owner.topic}"`);
      payload = {};
    }
    if (isThenable(payload)) {
      payload.then(
        (value) => seq === this.sendSeq && this.transmit(value),
        (error: unknown) => {
          this.owner.host.reportError(error, `payload of "${this.event}" on "${this.owner.topic}"`);
          if (seq === this.sendSeq) this.transmit({});
        },
      );
      return;
    }
    this.transmit(payload);
  }

  /** Forgets the previous send and sends again with a new ref (used by rejoin). */
  resend(timeoutMs: number = this.timeoutMs): void {
    this.timeoutMs = timeoutMs;
    this.reset();
    this.send();
  }

  /** Forgets the current send: no reply or timeout will reach the hooks. */
  reset(): void {
    this.sendSeq++;
    this.cancelTimeout();
    if (this.ref !== null) this.owner.forgetReply(this.ref);
    this.ref = null;
    this.received = null;
  }

  /** Stops waiting for the reply without forgetting the ref. */
  cancelTimeout(): void {
    if (this.timer !== null) this.owner.host.scheduler.clearTimeout(this.timer);
    this.timer = null;
  }

  /** Delivers a reply payload `{status, response}` (called by the channel). */
  reply(payload: ReplyPayload): void {
    if (this.received !== null) return;
    const status: PushStatus = payload.status === 'ok' ? 'ok' : 'error';
    const rtt = this.owner.host.scheduler.now() - this.sentAt;
    this.cancelTimeout();
    if (this.ref !== null) this.owner.forgetReply(this.ref);
    if (this.ref !== null && this.owner.host.wants?.('push:reply') !== false) {
      this.owner.host.emit('push:reply', {
        measurements: { rtt_ms: rtt },
        metadata: { topic: this.owner.topic, event: this.event, ref: this.ref, status: String(payload.status) },
      });
    }
    this.trigger(status, payload.response);
  }

  /**
   * Ends a push that will never be sent (buffer overflow, channel closed): `receive('error')` hooks get
   * `{ reason: error.code }` and the promise rejects with `error`.
   */
  fail(error: PhxError): void {
    this.reset();
    this.failure = error;
    this.trigger('error', { reason: error.code });
  }

  then<T1 = R, T2 = never>(
    onfulfilled?: ((value: R) => T1 | PromiseLike<T1>) | null,
    onrejected?: ((reason: unknown) => T2 | PromiseLike<T2>) | null,
  ): Promise<T1 | T2> {
    return this.asPromise().then(onfulfilled, onrejected);
  }

  catch<T = never>(onrejected?: ((reason: unknown) => T | PromiseLike<T>) | null): Promise<R | T> {
    return this.asPromise().catch(onrejected);
  }

  finally(onfinally?: (() => void) | null): Promise<R> {
    return this.asPromise().finally(onfinally);
  }

  private asPromise(): Promise<R> {
    if (this.promise) return this.promise;
    this.promise = new Promise<R>((resolve, reject) => {
      this.settle = (outcome) => {
        this.settle = null;
        if (outcome.ok) resolve(outcome.value);
        else reject(outcome.error);
      };
    });
    if (this.lastOutcome) this.settleFrom(this.lastOutcome.status, this.lastOutcome.response);
    return this.promise;
  }

  private transmit(payload: unknown): void {
    const { host, topic } = this.owner;
    const ref = host.makeRef();
    this.ref = ref;
    this.lastOutcome = null;
    this.owner.awaitReply(ref, this);
    this.sentAt = host.scheduler.now();
    this.timer = host.scheduler.setTimeout(() => this.onTimeout(), this.timeoutMs);
    this.listener?.pushSent(this as Push, ref);
    const joinRef = this.event === CHANNEL_EVENTS.join ? ref : this.owner.joinRef;
    const message: Message = { joinRef, ref, topic, event: this.event, payload };
    try {
      host.send(message);
    } catch (error) {
      // The transport refused this one frame (a binary push over LongPoll): fail the push with that typed
      // error now rather than let it time out. Anything else is a bug and propagates.
      if (!(error instanceof PhxError)) throw error;
      this.fail(error);
    }
  }

  private onTimeout(): void {
    this.timer = null;
    if (this.received !== null || this.ref === null) return;
    this.owner.host.emit('push:timeout', {
      measurements: { timeout_ms: this.timeoutMs },
      metadata: { topic: this.owner.topic, event: this.event, ref: this.ref },
    });
    this.trigger('timeout', {});
  }

  private trigger(status: PushStatus, response: unknown): void {
    this.received = { status, response };
    this.lastOutcome = this.received;
    this.listener?.pushSettled(this as Push, status, response);
    if (this.hooks) for (const hook of this.hooks) if (hook.status === status) this.invoke(hook.callback, response);
    this.settleFrom(status, response);
  }

  private settleFrom(status: PushStatus, response: unknown): void {
    if (!this.settle) return;
    if (status === 'ok') this.settle({ ok: true, value: response as R });
    else this.settle({ ok: false, error: this.errorFor(status, response) });
  }

  private errorFor(status: PushStatus, response: unknown): PhxError {
    const { topic } = this.owner;
    if (this.failure) return this.failure;
    if (status === 'timeout') {
      const code: TimeoutCode =
        this.event === CHANNEL_EVENTS.join ? 'join_timeout' : this.event === CHANNEL_EVENTS.leave ? 'leave_timeout' : 'timeout';
      return new TimeoutError(code, topic, this.event, this.timeoutMs);
    }
    return this.event === CHANNEL_EVENTS.join ? new JoinError(topic, response) : new ReplyError(topic, this.event, response);
  }

  private invoke(callback: (response: unknown) => void, response: unknown): void {
    try {
      callback(response);
    } catch (error) {
      this.owner.host.reportError(error, `receive hook of "${this.event}" on "${this.owner.topic}"`);
    }
  }
}

function isThenable(value: unknown): value is PromiseLike<unknown> {
  return typeof value === 'object' && value !== null && typeof (value as { then?: unknown }).then === 'function';
}
