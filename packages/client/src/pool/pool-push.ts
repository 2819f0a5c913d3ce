/**
 * The push a `PoolChannel` hands out: phoenix.js's `receive(status, cb)` chain and a promise, like `Push`,
 * but it outlives the socket it was sent on. Until it is sent it waits in its pool channel; when the
 * channel moves to another socket an unsent push is re-issued there, so it is sent once, in order.
 */
import { Awaitable, pushError, type Push, type PushFollower, type PushStatus } from '@phx-socket/channel';
import type { PhxError } from '@phx-socket/transport';

type Hook = (response: unknown) => void;

/**
 * Decides whether an outcome of the real push is this push's (true) or the pool's (a "full" refusal it
 * answers by moving the join). An object (the pool channel), not a closure: one serves every push of a
 * channel, and a pool holds tens of thousands of channels.
 */
export interface OutcomeFilter {
  accepts(status: PushStatus, response: unknown, push: PoolPush): boolean;
}

/**
 * @internal `list` with `items` added, in a new array of exactly that length. A pool keeps a few hooks and
 * bindings for each of tens of thousands of channels, and V8 gives an array grown by `push` or spread
 * room for 16 more elements (about 130 B each time).
 */
export function appended<T>(list: readonly T[] | null, ...items: T[]): T[] {
  const head = list?.length ?? 0;
  const next = new Array<T>(head + items.length);
  for (let i = 0; i < head; i++) next[i] = (list as readonly T[])[i] as T;
  for (let i = 0; i < items.length; i++) next[head + i] = items[i] as T;
  return next;
}

/** `settled`: no outcome yet, the first was ok (`result` is the response), or it failed (`result` is the error). */
const PENDING = 0;
const RESOLVED = 1;
const REJECTED = 2;

/** A push (or join, or leave) of a pool channel; awaitable and chainable. */
export class PoolPush<R = unknown> extends Awaitable<R> implements PushFollower {
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
  private filter: OutcomeFilter | null = null;
  // Tens of thousands of pool channels each keep their join push: the outcome lives in fields (no
  // objects), hooks in one flat array of status, hook pairs made on the first, the promise when awaited.
  private hooks: (PushStatus | Hook)[] | null = null;
  private lastStatus: PushStatus | null = null;
  private lastResponse: unknown = undefined;
  private settled: typeof PENDING | typeof RESOLVED | typeof REJECTED = PENDING;
  private result: unknown = undefined;
  private deferred: { promise: Promise<R>; resolve: (v: R) => void; reject: (e: unknown) => void } | null = null;

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
    if (this.lastStatus === status) callback(this.lastResponse);
    this.hooks = appended<PushStatus | Hook>(this.hooks, status, callback);
    return this;
  }

  /**
   * @internal Follows `real`: its outcomes reach this push's hooks and promise, with the real push's typed
   * error (`ConnectionLostError`, `ChannelClosedError`...), unless `filter` keeps one for the pool.
   */
  bind(real: Push, filter: OutcomeFilter | null = null): void {
    this.real = real;
    this.filter = filter;
    real.follow(this);
  }

  /** @internal PushFollower: an outcome of a real push. */
  followed(real: Push, status: PushStatus, response: unknown): void {
    if (this.real !== real || (this.filter !== null && !this.filter.accepts(status, response, this as PoolPush))) return;
    this.fire(status, response, status === 'ok' ? undefined : real.errorFor(status, response));
  }

  /** @internal Stops following the real push (the pool re-issues it elsewhere). */
  unbind(): void {
    const real = this.real;
    if (real === null) return;
    this.resendsUsed += real.resends;
    real.follow(null);
    this.real = null;
  }

  /** @internal Ends a push the pool never sent (channel closed, buffer full). */
  fail(error: PhxError): void {
    this.real?.follow(null);
    this.real = null;
    this.fire('error', { reason: error.code }, error);
  }

  /** @internal An outcome: hooks get `response`; the promise settles with the first one. */
  fire(status: PushStatus, response: unknown, error?: unknown): void {
    this.lastStatus = status;
    this.lastResponse = response;
    const hooks = this.hooks;
    if (hooks !== null) {
      for (let i = 0; i < hooks.length; i += 2) {
        if (hooks[i] !== status) continue;
        try {
          (hooks[i + 1] as Hook)(response);
        } catch (thrown) {
          queueMicrotask(() => {
            throw thrown;
          });
        }
      }
    }
    if (this.settled !== PENDING) return;
    if (status === 'ok') {
      this.settled = RESOLVED;
      this.result = response;
    } else {
      this.settled = REJECTED;
      this.result = error ?? pushError(this.topic, this.event, status, response, this.timeoutMs);
    }
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
      if (this.settled !== PENDING) this.deliver();
    }
    return this.deferred.promise;
  }

  private deliver(): void {
    const deferred = this.deferred;
    if (deferred === null || this.settled === PENDING) return;
    if (this.settled === RESOLVED) deferred.resolve(this.result as R);
    else deferred.reject(this.result);
  }
}
