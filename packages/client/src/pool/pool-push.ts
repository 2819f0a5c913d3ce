/**
 * The push a `PoolChannel` hands out: phoenix.js's `receive(status, cb)` chain and a promise, like `Push`,
 * but it outlives the socket it was sent on. Until it is sent it waits in its pool channel; when the
 * channel moves to another socket an unsent push is re-issued there, so it is sent once, in order.
 */
import { Awaitable, pushError, type Push, type PushStatus } from '@phx-socket/channel';
import type { PhxError } from '@phx-socket/transport';

type Hook = (response: unknown) => void;

/**
 * Decides whether an outcome of the real push is this push's (true) or the pool's (a "full" refusal it
 * answers by moving the join). Gets the pool push too, so one function serves every push of a channel.
 */
export type OutcomeFilter = (status: PushStatus, response: unknown, push: PoolPush) => boolean;

const acceptAll: OutcomeFilter = () => true;

type Outcome<R> = { ok: true; value: R } | { ok: false; error: unknown };

/** A push (or join, or leave) of a pool channel; awaitable and chainable. */
export class PoolPush<R = unknown> extends Awaitable<R> {
  readonly event: string;
  /** @internal What `channel.push` was given, kept to re-issue the push on another socket. */
  readonly payload: unknown;
  /** @internal */
  readonly options: unknown;
  /** @internal The real push it is bound to now (null while waiting in its pool channel). */
  real: Push | null = null;
  /** @internal Resends made on sockets it left: the next real push starts with these used. */
  resendsUsed = 0;
  private readonly topic: string;
  private readonly timeoutMs: number;
  // Tens of thousands of pool channels each keep their join push: hooks, the promise and the outcome are
  // made only when used.
  private hooks: Array<[PushStatus, Hook]> | null = null;
  private last: { status: PushStatus; response: unknown } | null = null;
  private deferred: { promise: Promise<R>; resolve: (v: R) => void; reject: (e: unknown) => void } | null = null;
  private outcome: Outcome<R> | null = null;

  constructor(topic: string, event: string, payload: unknown, options: unknown, timeoutMs: number) {
    super();
    this.topic = topic;
    this.event = event;
    this.payload = payload;
    this.options = options;
    this.timeoutMs = timeoutMs;
  }

  /** The ref of the real push's latest send, or null while not sent. */
  get ref(): string | null {
    return this.real?.ref ?? null;
  }

  /** Calls `callback` when the push ends with `status`; fires at once if that already happened. */
  receive(status: PushStatus, callback: (response: unknown) => void): this {
    if (typeof callback !== 'function') throw new TypeError(`receive('${status}', callback): callback must be a function`);
    if (this.last?.status === status) callback(this.last.response);
    (this.hooks ??= []).push([status, callback]);
    return this;
  }

  /**
   * @internal Follows `real`: its outcomes reach this push's hooks and promise, with the real push's typed
   * error (`ConnectionLostError`, `ChannelClosedError`...), unless `accept` keeps one for the pool.
   */
  bind(real: Push, accept: OutcomeFilter = acceptAll): void {
    this.real = real;
    const follow = (status: PushStatus) => (response: unknown) => {
      if (this.real !== real || !accept(status, response, this as PoolPush)) return;
      this.fire(status, response, status === 'ok' ? undefined : real.errorFor(status, response));
    };
    real.receive('ok', follow('ok')).receive('error', follow('error')).receive('timeout', follow('timeout'));
  }

  /** @internal Stops following the real push (the pool re-issues it elsewhere). */
  unbind(): void {
    if (this.real !== null) this.resendsUsed += this.real.resends;
    this.real = null;
  }

  /** @internal Ends a push the pool never sent (channel closed, buffer full). */
  fail(error: PhxError): void {
    this.real = null;
    this.fire('error', { reason: error.code }, error);
  }

  /** @internal An outcome: hooks get `response`; the promise settles with the first one. */
  fire(status: PushStatus, response: unknown, error?: unknown): void {
    this.last = { status, response };
    if (this.hooks !== null) {
      for (const [hookStatus, hook] of this.hooks) {
        if (hookStatus !== status) continue;
        try {
          hook(response);
        } catch (thrown) {
          queueMicrotask(() => {
            throw thrown;
          });
        }
      }
    }
    if (this.outcome !== null) return;
    this.outcome = status === 'ok' ? { ok: true, value: response as R } : { ok: false, error: error ?? pushError(this.topic, this.event, status, response, this.timeoutMs) };
    if (this.deferred !== null) this.deliver();
  }

  protected asPromise(): Promise<R> {
    if (this.deferred === null) {
      let resolve!: (v: R) => void;
      let reject!: (e: unknown) => void;
      const promise = new Promise<R>((res, rej) => {
        resolve = res;
        reject = rej;
      });
      this.deferred = { promise, resolve, reject };
      if (this.outcome !== null) this.deliver();
    }
    return this.deferred.promise;
  }

  private deliver(): void {
    const { outcome, deferred } = this;
    if (outcome === null || deferred === null) return;
    if (outcome.ok) deferred.resolve(outcome.value);
    else deferred.reject(outcome.error);
  }
}
