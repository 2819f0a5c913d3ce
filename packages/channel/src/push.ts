import { Awaitable } from './awaitable';
import { CHANNEL_EVENTS, PhxError, type Message, type ReplyPayload } from '@phx-socket/transport';
import type { ChannelHost } from './host';
import type { TimerHandle } from './scheduler';
import { pushError } from './errors';

/** The outcomes a `receive` hook can wait for. */
export type PushStatus = 'ok' | 'error' | 'timeout';

/** A payload, or a function producing one at each send (sync or async) — how join params stay fresh. */
export type PayloadSource<P> = P | (() => P | Promise<P>);

/**
 * Per-push options, the third argument of `channel.push` (a number there is `timeoutMs`, as in phoenix.js).
 *
 * @example
 * room.push('set_status', { online: true }, { timeoutMs: 5000, maxResends: 2 }); // idempotent: safe to resend
 */
export interface PushOptions {
  /** Ms to wait for the reply, counted from when the push is actually sent. @default the channel's timeout */
  timeoutMs?: number;
  /**
   * How often this push may be sent again after the connection dropped (or the channel crashed) before
   * its reply came. Only for idempotent handlers: a resent push may run twice on the server. `0` fails it
   * at once with `ConnectionLostError`. @default the socket's `maxResends` under `inFlightPolicy: 'resend'`, else 0
   */
  maxResends?: number;
}

/** What a push needs from the channel that owns it. */
export interface PushOwner {
  readonly topic: string;
  readonly host: ChannelHost;
  readonly joinRef: string | null;
  /** Routes the reply with `ref` to `target` until forgotten. */
  awaitReply(ref: string, target: ReplyTarget): void;
  forgetReply(ref: string): void;
  /** The push could not go out (no open transport): keep it for the next send. Absent = it is dropped. */
  unsent?(push: Push): void;
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
  /** `sentAt` (scheduler time) is when the settled send went out; absent for a push failed unsent. */
  pushSettled(push: Push, status: PushStatus, response: unknown, sentAt?: number): void;
}

/**
 * @internal Sees every outcome of a push it follows, as one object instead of a closure per status (a
 * pool push follows the push of whichever socket its channel is on; tens of thousands of them).
 */
export interface PushFollower {
  followed(push: Push, status: PushStatus, response: unknown): void;
}

type HookFn = (response: unknown) => void;
/** The hooks of one status: none, one function, or several in the order they were added (copy-on-write). */
type Hooks = HookFn | readonly HookFn[] | null;

function addHook(hooks: Hooks, callback: HookFn): Hooks {
  if (hooks === null) return callback;
  return typeof hooks === 'function' ? [hooks, callback] : [...hooks, callback];
}

type Outcome<R> = { ok: true; value: R } | { ok: false; error: PhxError };

/** What only some pushes need (a promise, a typed failure, a listener other than the owner), made on demand. */
interface PushExtra<R> {
  settle: ((outcome: Outcome<R>) => void) | null;
  promise: Promise<R> | null;
  failure: PhxError | null;
  listener: PushListener | null;
  follower: PushFollower | null;
  /** Bumped by every send and reset, so a late async payload of a superseded send is dropped. */
  seq: number;
  /** Times resent after a dropped connection, and this push's own budget (null: the socket's). */
  resends: number;
  maxResends: number | null;
}

const STATUSES: readonly (PushStatus | null)[] = [null, 'ok', 'error', 'timeout'];
const statusCode = (status: PushStatus | null): number => (status === null ? 0 : status === 'ok' ? 1 : status === 'error' ? 2 : 3);
/**
 * `flags` bits: the latest outcome's status (0-1), the current send's received status (2-3), owner
 * listens (4), had an outcome at least once (5).
 */
const LAST = 0b11;
const RECEIVED = 0b1100;
const OWNER_LISTENS = 0b10000;
const SETTLED_ONCE = 0b100000;

/**
 * One outbound message and its reply. Chain `receive()` as in phoenix.js, or `await` it: it resolves with
 * the `ok` response and rejects with `ReplyError` / `JoinError` / `TimeoutError`. The promise is created
 * only when someone awaits, so code that only uses `receive` never sees an unhandled rejection.
 *
 * @example
 * channel.push('new_msg', { body: 'hi' }).receive('ok', (r) => ack(r)).receive('timeout', retry);
 * const reply = await channel.push('new_msg', { body: 'hi' });
 */
export class Push<R = unknown> extends Awaitable<R> implements ReplyTarget {
  readonly event: string;
  /** The ref of the latest send, or null while not sent. */
  ref: string | null = null;
  /** Ms to wait for a reply, counted from when the push is actually sent. */
  timeoutMs: number;
  // A joined channel keeps its join push for good, so this class is kept small: hooks per status in
  // three fields (no hook objects, no array for one hook), the outcome in fields (no object), and what
  // few pushes need in `extra`.
  private readonly owner: PushOwner;
  /** `undefined` sends a fresh `{}`. */
  private readonly payloadSource: PayloadSource<unknown> | undefined;
  private okHooks: Hooks = null;
  private errorHooks: Hooks = null;
  private timeoutHooks: Hooks = null;
  /** Packed statuses and whether the owner listens (see LAST / RECEIVED / OWNER_LISTENS). */
  private flags = 0;
  /** The response of the latest outcome. */
  private lastResponse: unknown = undefined;
  /** The current send's timeout timer and start time; null once it is answered or timed out. */
  private pending: PendingSend | null = null;
  private extra: PushExtra<R> | null = null;

  constructor(
    owner: PushOwner,
    event: string,
    payload: PayloadSource<unknown> | undefined,
    timeoutMs: number,
    listener: PushListener | null = null,
  ) {
    super();
    this.owner = owner;
    if (listener !== null && listener === (owner as unknown)) this.flags = OWNER_LISTENS;
    else if (listener !== null) this.more().listener = listener;
    this.event = event;
    this.payloadSource = payload;
    this.timeoutMs = timeoutMs;
  }

  /** True once `send()` handed the message to the socket and no reply or timeout came yet. */
  get isPending(): boolean {
    return this.ref !== null && this.receivedStatus === null;
  }

  /** @internal True once the push had any outcome (a rejoin resends the join push, this stays true). */
  get settledOnce(): boolean {
    return (this.flags & SETTLED_ONCE) !== 0;
  }

  private more(): PushExtra<R> {
    return (this.extra ??= { settle: null, promise: null, failure: null, listener: null, follower: null, seq: 0, resends: 0, maxResends: null });
  }

  private get listener(): PushListener | null {
    return (this.flags & OWNER_LISTENS) !== 0 ? (this.owner as unknown as PushListener) : (this.extra?.listener ?? null);
  }

  /** The status of the reply or timeout of the current send; null while none (or after `reset()`). */
  private get receivedStatus(): PushStatus | null {
    return STATUSES[(this.flags & RECEIVED) >> 2] ?? null;
  }
  private set receivedStatus(status: PushStatus | null) {
    this.flags = (this.flags & ~RECEIVED) | (statusCode(status) << 2);
  }

  /** The latest outcome; unlike `receivedStatus` it survives `reset()` until the next send, for late awaiters. */
  private get lastStatus(): PushStatus | null {
    return STATUSES[this.flags & LAST] ?? null;
  }
  private set lastStatus(status: PushStatus | null) {
    this.flags = (this.flags & ~LAST) | statusCode(status);
  }

  /**
   * Calls `callback` when the push ends with `status`. A hook added after that already happened fires at
   * once. Hooks stay across resends (a rejoin fires the join push's hooks again).
   */
  receive(status: PushStatus, callback: (response: unknown) => void): this {
    if (this.receivedStatus === status) this.invoke(callback, this.lastResponse);
    if (status === 'ok') this.okHooks = addHook(this.okHooks, callback);
    else if (status === 'error') this.errorHooks = addHook(this.errorHooks, callback);
    else if (status === 'timeout') this.timeoutHooks = addHook(this.timeoutHooks, callback);
    return this;
  }

  /**
   * @internal Tells `follower` of every outcome from now on (and at once of the current send's, if it came
   * already), after the `receive` hooks. One follower per push; `null` stops following.
   */
  follow(follower: PushFollower | null): void {
    if (follower === null) {
      if (this.extra !== null) this.extra.follower = null;
      return;
    }
    this.more().follower = follower;
    const status = this.receivedStatus;
    if (status !== null) follower.followed(this as Push, status, this.lastResponse);
  }

  /** Sends now. A function payload is evaluated (and awaited) first. */
  send(): void {
    if (this.extra !== null) this.extra.seq++;
    let payload: unknown;
    try {
      const source = this.payloadSource;
      payload = source === undefined ? {} : typeof source === 'function' ? (source as () => unknown)() : source;
    } catch (error) {
      this.owner.host.reportError(error, `payload of "${this.event}" on "${this.owner.topic}"`);
      payload = {};
    }
    if (isThenable(payload)) {
      const extra = this.more();
      const seq = ++extra.seq;
      payload.then(
        (value) => seq === extra.seq && this.transmit(value),
        (error: unknown) => {
          this.owner.host.reportError(error, `payload of "${this.event}" on "${this.owner.topic}"`);
          if (seq === extra.seq) this.transmit({});
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

  /**
   * Starts the timeout without sending: the push is due but there is no connection to send it on (a join
   * made before the socket opened). `send()`/`resend()` replace the wait; if neither comes in time the
   * push times out as if it had been sent, so an awaited join never hangs.
   */
  wait(timeoutMs: number = this.timeoutMs): void {
    this.timeoutMs = timeoutMs;
    this.reset();
    this.lastStatus = null;
    const pending = new PendingSend(this.owner.host.scheduler.now());
    this.pending = pending;
    pending.timer = this.owner.host.scheduler.setTimeout(() => this.onTimeout(pending), timeoutMs);
  }

  /**
   * Due, but held back by client-side rate limiting: forgets any earlier send and waits with no timer. The
   * timeout starts when `send()`/`resend()` finally sends it.
   */
  hold(timeoutMs: number = this.timeoutMs): void {
    this.timeoutMs = timeoutMs;
    this.reset();
    this.lastStatus = null;
  }

  /** The resends this push may still make: its own `maxResends`, else `fallback`, less those made. */
  resendsLeft(fallback: number): number {
    const extra = this.extra;
    if (extra === null) return fallback;
    return (extra.maxResends ?? fallback) - extra.resends;
  }

  /** Times this push was resent after a dropped connection. */
  get resends(): number {
    return this.extra?.resends ?? 0;
  }

  /** Sets this push's own resend budget (see `PushOptions.maxResends`). */
  limitResends(maxResends: number): void {
    this.more().maxResends = maxResends;
  }

  /**
   * @internal Counts `count` resends made by an earlier push this one replaces (a `SocketPool` channel
   * re-issues a push on another socket), so the budget is not refilled by a move.
   */
  inheritResends(count: number): void {
    if (count > 0) this.more().resends += count;
  }

  /** Counts a resend (the caller checked `resendsLeft`) and forgets the send that was lost. */
  markResent(): void {
    this.more().resends++;
    this.reset();
  }

  /** Forgets the current send: no reply or timeout will reach the hooks. */
  reset(): void {
    if (this.extra !== null) this.extra.seq++;
    this.cancelTimeout();
    this.pending = null;
    if (this.ref !== null) this.owner.forgetReply(this.ref);
    this.ref = null;
    this.receivedStatus = null;
  }

  /** Stops waiting for the reply without forgetting the ref. */
  cancelTimeout(): void {
    const pending = this.pending;
    if (pending !== null && pending.timer !== null) {
      this.owner.host.scheduler.clearTimeout(pending.timer);
      pending.timer = null;
    }
  }

  /** Delivers a reply payload `{status, response}` (called by the channel). */
  reply(payload: ReplyPayload): void {
    if (this.receivedStatus !== null) return;
    const status: PushStatus = payload.status === 'ok' ? 'ok' : 'error';
    const sentAt = this.pending?.sentAt;
    const rtt = this.owner.host.scheduler.now() - (sentAt ?? 0);
    this.cancelTimeout();
    this.pending = null;
    if (this.ref !== null) this.owner.forgetReply(this.ref);
    if (this.ref !== null && this.owner.host.wants?.('push:reply') !== false) {
      this.owner.host.emit('push:reply', {
        measurements: { rtt_ms: rtt },
        metadata: { topic: this.owner.topic, event: this.event, ref: this.ref, status: String(payload.status) },
      });
    }
    this.trigger(status, payload.response, sentAt);
  }

  /**
   * Ends a push that will never be sent (buffer overflow, channel closed): `receive('error')` hooks get
   * `{ reason: error.code }` and the promise rejects with `error`.
   */
  fail(error: PhxError): void {
    this.reset();
    this.more().failure = error;
    this.trigger('error', { reason: error.code });
  }

  protected asPromise(): Promise<R> {
    const extra = this.more();
    if (extra.promise) return extra.promise;
    const promise = new Promise<R>((resolve, reject) => {
      extra.settle = (outcome) => {
        extra.settle = null;
        if (outcome.ok) resolve(outcome.value);
        else reject(outcome.error);
      };
    });
    extra.promise = promise;
    if (this.lastStatus !== null) this.settleFrom(this.lastStatus, this.lastResponse);
    return promise;
  }

  private transmit(payload: unknown): void {
    const { host, topic } = this.owner;
    if (!host.isConnected()) {
      // Offline (a payload function resolved after the connection dropped): the owner keeps the push for
      // its next send; nothing waits in a socket-level buffer.
      this.reset();
      this.owner.unsent?.(this as Push);
      return;
    }
    const ref = host.makeRef();
    this.ref = ref;
    this.lastStatus = null;
    if (this.receivedStatus === null) this.lastResponse = undefined;
    this.owner.awaitReply(ref, this);
    const pending = new PendingSend(host.scheduler.now());
    this.pending = pending;
    pending.timer = host.scheduler.setTimeout(() => this.onTimeout(pending), this.timeoutMs);
    this.listener?.pushSent(this as Push, ref);
    const joinRef = this.event === CHANNEL_EVENTS.join ? ref : this.owner.joinRef;
    const message: Message = { joinRef, ref, topic, event: this.event, payload };
    try {
      if (host.send(message) === false) {
        this.reset();
        this.owner.unsent?.(this as Push);
      }
    } catch (error) {
      // The transport refused this one frame (a binary push over LongPoll): fail the push with that typed
      // error now rather than let it time out. Anything else is a bug and propagates.
      if (!(error instanceof PhxError)) throw error;
      this.fail(error);
    }
  }

  private onTimeout(pending: PendingSend): void {
    pending.timer = null;
    if (this.receivedStatus !== null || this.pending !== pending) return;
    this.pending = null;
    this.owner.host.emit('push:timeout', {
      measurements: { timeout_ms: this.timeoutMs },
      metadata: { topic: this.owner.topic, event: this.event, ref: this.ref ?? '' },
    });
    this.trigger('timeout', {}, pending.sentAt);
  }

  private trigger(status: PushStatus, response: unknown, sentAt?: number): void {
    this.flags |= SETTLED_ONCE;
    this.receivedStatus = status;
    this.lastStatus = status;
    this.lastResponse = response;
    this.listener?.pushSettled(this as Push, status, response, sentAt);
    // Read after the listener ran, as before; a snapshot, so hooks added by a hook run once (at once).
    const hooks = status === 'ok' ? this.okHooks : status === 'error' ? this.errorHooks : this.timeoutHooks;
    if (typeof hooks === 'function') this.invoke(hooks, response);
    else if (hooks !== null) for (const hook of hooks) this.invoke(hook, response);
    this.extra?.follower?.followed(this as Push, status, response);
    this.settleFrom(status, response);
  }

  private settleFrom(status: PushStatus, response: unknown): void {
    const settle = this.extra?.settle;
    if (!settle) return;
    if (status === 'ok') settle({ ok: true, value: response as R });
    else settle({ ok: false, error: this.errorFor(status, response) });
  }

  /** @internal The typed error of a failed outcome: the failure it was given, else one made from the reply. */
  errorFor(status: 'error' | 'timeout', response: unknown): PhxError {
    return this.extra?.failure ?? pushError(this.owner.topic, this.event, status, response, this.timeoutMs);
  }

  private invoke(callback: (response: unknown) => void, response: unknown): void {
    try {
      callback(response);
    } catch (error) {
      this.owner.host.reportError(error, `receive hook of "${this.event}" on "${this.owner.topic}"`);
    }
  }
}

class PendingSend {
  timer: TimerHandle | null = null;
  constructor(readonly sentAt: number) {}
}

function isThenable(value: unknown): value is PromiseLike<unknown> {
  return typeof value === 'object' && value !== null && typeof (value as { then?: unknown }).then === 'function';
}
