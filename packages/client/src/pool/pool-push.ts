/**
 * The push a `PoolChannel` hands out: phoenix.js's `receive(status, cb)` chain and a promise, like `Push`,
 * but it outlives the socket it was sent on. Until it is sent it waits in its pool channel; when the
 * channel moves to another socket an unsent push is re-issued there, so it is sent once, in order.
 */
import { Awaitable, pushError, type Push, type PushStatus } from '@phx-socket/channel';
import type { PhxError } from '@phx-socket/transport';

type Hook = (response: unknown) => void;

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
  private readonly hooks: { ok: Hook[]; error: Hook[]; timeout: Hook[] } = { ok: [], error: [], timeout: [] };
  private last: { status: PushStatus; response: unknown } | null = null;
  private deferred: { promise: Promise<R>; resolve: (v: R) => void; reject: (e: unknown) => void } | null = null;
  private outcome: { ok: true; value: R } | { ok: false; error: unknown } | null = null;

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
    this.hooks[status].push(callback);
    return this;
  }

  /**
   * @internal Follows `real`: its outcomes reach this push's hooks and promise, unless `accept` says the
   * outcome belongs to the pool (a "full" refusal the pool answers by moving the join).
   */
  bind(real: Push, accept: (status: PushStatus, response: unknown) => boolean = () => true): void {
    this.real = real;
    const follow = (status: PushStatus) => (response: unknown) => {
      if (this.real !== real || !accept(status, response)) return;
      this.fire(status, response);
    };
    real.receive('ok', follow('ok')).receive('error', follow('error')).receive('timeout', follow('timeout'));
    // The real push's promise carries the typed error (ConnectionLostError, ChannelClosedError...).
    real.then(
      (value) => {
        if (this.real === real && this.outcome === null) this.settle({ ok: true, value: value as R });
      },
      (error: unknown) => {
        if (this.real === real && this.outcome === null && this.last !== null) this.settle({ ok: false, error });
      },
    );
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
    for (const hook of this.hooks[status]) {
      try {
        hook(response);
      } catch (thrown) {
        queueMicrotask(() => {
          throw thrown;
        });
      }
    }
    if (this.outcome !== null) return;
    if (status === 'ok') this.settle({ ok: true, value: response as R });
    else if (error !== undefined || this.real === null) {
      this.settle({ ok: false, error: error ?? pushError(this.topic, this.event, status, response, this.timeoutMs) });
    }
    // Otherwise the real push's promise settles it with its own typed error (see bind).
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

  private settle(outcome: { ok: true; value: R } | { ok: false; error: unknown }): void {
    if (this.outcome !== null) return;
    this.outcome = outcome;
    if (this.deferred !== null) this.deliver();
  }

  private deliver(): void {
    const { outcome, deferred } = this;
    if (outcome === null || deferred === null) return;
    if (outcome.ok) deferred.resolve(outcome.value);
    else deferred.reject(outcome.error);
  }
}
