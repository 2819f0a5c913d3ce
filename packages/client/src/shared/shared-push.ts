/**
 * A push made through a `SharedSocket`: phoenix.js's chainable `receive(status, cb)` and a promise, like
 * `Push`. The worker's real push owns the timeout; this one only waits for its outcome. A join push hears
 * every (re)join outcome, as `Push` does; its promise settles with the first.
 */
import { Awaitable, type PhxError, type PushStatus } from '@phx-socket/client';

type Hook = (response: unknown) => void;
type Outcome = { status: PushStatus; response: unknown; error: PhxError | null };

/** Reports a throwing `receive` hook (the socket's `handler:error` telemetry). */
export type HookErrorSink = (error: unknown, where: string) => void;

/**
 * Resolves with the `ok` response; rejects with the same typed errors as `Push` (`ReplyError`, `JoinError`,
 * `TimeoutError`, `ConnectionLostError`...). The promise is made only when awaited, so code that uses only
 * `receive` never sees an unhandled rejection.
 */
export class SharedPush<R = unknown> extends Awaitable<R> {
  readonly event: string;
  /** Ms the worker waits for the reply, counted from when the push is sent. */
  readonly timeoutMs: number;
  private readonly hooks: { status: PushStatus; fn: Hook }[] = [];
  private last: Outcome | null = null;
  private first: Outcome | null = null;
  private promise: Promise<R> | null = null;
  private settlePromise: ((outcome: Outcome) => void) | null = null;
  private readonly onHookError: HookErrorSink;

  constructor(event: string, timeoutMs: number, onHookError: HookErrorSink) {
    super();
    this.event = event;
    this.timeoutMs = timeoutMs;
    this.onHookError = onHookError;
  }

  /** True until the first outcome. */
  get isPending(): boolean {
    return this.first === null;
  }

  /** Runs `callback` on `status` (at once when that was the latest outcome, as phoenix.js does). */
  receive(status: PushStatus, callback: (response: unknown) => void): this {
    if (this.last?.status === status) this.invoke(callback, this.last.response);
    this.hooks.push({ status, fn: callback });
    return this;
  }

  /** @internal An outcome arrived (ok / error / timeout). A join push may get several. */
  settle(status: PushStatus, response: unknown, error: PhxError | null): void {
    const outcome: Outcome = { status, response, error };
    this.last = outcome;
    this.first ??= outcome;
    for (const hook of [...this.hooks]) if (hook.status === status) this.invoke(hook.fn, response);
    if (this.settlePromise !== null && this.first === outcome) this.settlePromise(outcome);
  }

  protected asPromise(): Promise<R> {
    if (this.promise !== null) return this.promise;
    this.promise = new Promise<R>((resolve, reject) => {
      this.settlePromise = (outcome) => {
        this.settlePromise = null;
        if (outcome.status === 'ok') resolve(outcome.response as R);
        else reject(outcome.error ?? new Error(`push "${this.event}" ended with ${outcome.status}`));
      };
    });
    if (this.first !== null) this.settlePromise?.(this.first);
    return this.promise;
  }

  private invoke(fn: Hook, response: unknown): void {
    try {
      fn(response);
    } catch (error) {
      this.onHookError(error, `receive hook of "${this.event}"`);
    }
  }
}
