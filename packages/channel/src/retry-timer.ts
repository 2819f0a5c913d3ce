import type { Scheduler, TimerHandle } from './scheduler';

/** What a {@link RetryTimer} drives: an object rather than two closures, so idle owners stay small. */
export interface RetryTarget {
  /** Delay before try number `tries` (1-based), ms. */
  retryDelayMs(tries: number): number;
  retry(): void;
}

/**
 * Calls `target.retry()` after a delay that grows with each try, until `reset()`. Used for rejoin;
 * tries restart at 1 after a reset.
 */
export class RetryTimer {
  /** Vue's `markRaw` flag: a reactive proxy of a socket or channel (Vue `reactive`/`ref`) stops at this internal object, whose #private members a proxy could not reach (socket.proxy.test.ts). */
  private get __v_skip(): true {
    return true;
  }

  #timer: TimerHandle | null = null;
  #tries = 0;
  /** When the owner last succeeded (scheduler time), until its next failure decides whether that counted. */
  #succeededAt: number | null = null;

  readonly #scheduler: Scheduler;
  readonly #target: RetryTarget;
  constructor(
    scheduler: Scheduler,
    target: RetryTarget,
  ) {
    this.#scheduler = scheduler;
    this.#target = target;
  }

  /** Number of tries scheduled since the last reset. */
  get attempts(): number {
    return this.#tries;
  }

  /** True while a call is scheduled. */
  get pending(): boolean {
    return this.#timer !== null;
  }

  reset(): void {
    this.#tries = 0;
    this.#succeededAt = null;
    this.#cancel();
  }

  /**
   * The owner succeeded at `now` (a channel joined): no try is needed, but the count stays until the
   * success proves itself. A failure within `healthyAfterMs` of it still counts as a failed try (see `failed`).
   */
  succeeded(now: number): void {
    this.#cancel();
    this.#succeededAt = now;
  }

  /**
   * The owner failed at `now`. The tries start over only when the last success lasted `healthyAfterMs`
   * or more: an owner the server drops right after each success keeps backing off instead of retrying
   * at the first delay forever.
   */
  failed(now: number, healthyAfterMs: number): void {
    if (this.#succeededAt !== null && now - this.#succeededAt >= healthyAfterMs) this.#tries = 0;
    this.#succeededAt = null;
  }

  /** Schedules the next try (after `delayMs`, else the target's delay for it), replacing a pending one. */
  schedule(delayMs?: number): void {
    this.#cancel();
    this.#tries++;
    this.#timer = this.#scheduler.setTimeout(() => {
      this.#timer = null;
      this.#target.retry();
    }, delayMs ?? this.#target.retryDelayMs(this.#tries));
  }

  #cancel(): void {
    if (this.#timer !== null) this.#scheduler.clearTimeout(this.#timer);
    this.#timer = null;
  }
}
