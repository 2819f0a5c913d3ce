import type { Scheduler, TimerHandle } from './scheduler';

/**
 * Calls `callback` after a delay that grows with each try (`delayMs(tries)`), until `reset()`.
 * Used for rejoin; tries restart at 1 after a reset.
 */
export class RetryTimer {
  private timer: TimerHandle | null = null;
  private tries = 0;

  constructor(
    private readonly scheduler: Scheduler,
    private readonly callback: () => void,
    private readonly delayMs: (tries: number) => number,
  ) {}

  /** Number of tries scheduled since the last reset. */
  get attempts(): number {
    return this.tries;
  }

  /** True while a call is scheduled. */
  get pending(): boolean {
    return this.timer !== null;
  }

  reset(): void {
    this.tries = 0;
    this.cancel();
  }

  /** Schedules the next try, replacing a pending one. */
  schedule(): void {
    this.cancel();
    this.tries++;
    this.timer = this.scheduler.setTimeout(() => {
      this.timer = null;
      this.callback();
    }, this.delayMs(this.tries));
  }

  private cancel(): void {
    if (this.timer !== null) this.scheduler.clearTimeout(this.timer);
    this.timer = null;
  }
}
