/**
 * When to try connecting again: counts retries since the last healthy connection, draws each delay from
 * the (jittered) schedule, and forgets the count only once a connection proved itself.
 */
import type { Scheduler, TimerHandle } from '@phx-socket/channel';
import { backoffDelay, type BackoffSchedule, type JitterMode } from './backoff';

/** Settings of a {@link Reconnector}. */
export interface ReconnectorOptions {
  scheduler: Scheduler;
  schedule: BackoffSchedule;
  jitter: JitterMode;
  random: () => number;
  /**
   * A connection open this long counts as healthy and resets the retry count, ms. One that closes
   * sooner counts as a failed attempt.
   */
  stableAfterMs: number;
  /** A connection made after the count reached `circuitThreshold` proved healthy; `openMs` since it tripped. */
  onRecovered?: (openMs: number) => void;
  /** The retry count at which the circuit breaker opens (Infinity: never). */
  circuitThreshold?: number;
  /** How long the failures must have lasted too before the circuit opens, ms. @default 0 */
  circuitMinFailingMs?: number;
  /** Retries allowed since the last healthy connection. */
  maxAttempts: number;
}

/** A scheduled retry. */
export interface ScheduledRetry {
  /** Retry number since the last healthy connection (1 = first retry); what the schedule was called with. */
  attempt: number;
  delayMs: number;
  nextAttemptAt: number;
}

/**
 * Retry bookkeeping. Resetting only after a connection stayed up (`stableAfterMs`) keeps a server that
 * accepts and drops at once (a push that makes it disconnect the socket, a revoked token) from being
 * hammered at the shortest delay: each short-lived connection is one more failed attempt.
 *
 * @example
 * const r = new Reconnector({ scheduler, schedule, jitter: 'full', random: Math.random, stableAfterMs: 30_000, maxAttempts: Infinity });
 * if (!r.exhausted) r.schedule(() => { r.begin(); connect(); });
 */
export class Reconnector {
  #timer: TimerHandle | null = null;
  #stableTimer: TimerHandle | null = null;
  #retries = 0;
  /** When the circuit first opened in this run of failures (scheduler time), else null. */
  #trippedAt: number | null = null;
  /** When this run of failures began (scheduler time), else null. */
  #failingSince: number | null = null;

  readonly #options: ReconnectorOptions;

  constructor(options: ReconnectorOptions) {
    this.#options = options;
  }

  /** Retries started since the last healthy connection. */
  get attempts(): number {
    return this.#retries;
  }

  /** True when no retry is left. */
  get exhausted(): boolean {
    return this.#retries >= this.#options.maxAttempts;
  }

  /** True while a retry timer runs. */
  get pending(): boolean {
    return this.#timer !== null;
  }

  /** The retry number the next `begin()` will return. */
  get nextAttempt(): number {
    return this.#retries + 1;
  }

  /**
   * True when the retry count reached the circuit breaker's threshold and the failures have lasted
   * `circuitMinFailingMs`: a fast app schedule against a server that is down for a moment (a deploy)
   * reaches any count in a second, and suspending for a cool-down then would turn a blip into an outage.
   */
  get circuitOpen(): boolean {
    const { circuitThreshold = Infinity, circuitMinFailingMs = 0, scheduler } = this.#options;
    if (this.#retries < circuitThreshold) return false;
    return this.#failingSince !== null && scheduler.now() - this.#failingSince >= circuitMinFailingMs;
  }

  /**
   * Starts the timer for the next retry (after `delayMs`, else the schedule's delay for it); `run` is
   * called when it fires. Replaces a pending one.
   */
  schedule(run: () => void, delayMs?: number): ScheduledRetry {
    this.cancel();
    const { scheduler, schedule, jitter, random } = this.#options;
    const attempt = this.#retries + 1;
    this.#failingSince ??= scheduler.now();
    if (delayMs === undefined) delayMs = backoffDelay(attempt, schedule, jitter, random);
    else if (this.#trippedAt === null) this.#trippedAt = scheduler.now();
    this.#timer = scheduler.setTimeout(() => {
      this.#timer = null;
      run();
    }, delayMs);
    keepProcessAlive(this.#timer);
    return { attempt, delayMs, nextAttemptAt: scheduler.now() + delayMs };
  }

  /** Counts a retry that starts now (timer fired, or woken early); returns its number. */
  begin(): number {
    this.cancel();
    return ++this.#retries;
  }

  /** Stops a pending retry timer. */
  cancel(): void {
    if (this.#timer !== null) this.#options.scheduler.clearTimeout(this.#timer);
    this.#timer = null;
  }

  /** A connection opened: it becomes healthy after `stableAfterMs` unless `closed()` comes first. */
  opened(): void {
    this.#clearStable();
    this.#stableTimer = this.#options.scheduler.setTimeout(() => {
      this.#stableTimer = null;
      this.#retries = 0;
      this.#failingSince = null;
      const trippedAt = this.#trippedAt;
      this.#trippedAt = null;
      if (trippedAt !== null) this.#options.onRecovered?.(this.#options.scheduler.now() - trippedAt);
    }, this.#options.stableAfterMs);
  }

  /** The connection went away before proving itself (or after; the count is already reset then). */
  closed(): void {
    this.#clearStable();
  }

  /** Forgets everything (an explicit `connect()` or `disconnect()`). */
  reset(): void {
    this.cancel();
    this.#clearStable();
    this.#retries = 0;
    this.#trippedAt = null;
    this.#failingSince = null;
  }

  #clearStable(): void {
    if (this.#stableTimer !== null) this.#options.scheduler.clearTimeout(this.#stableTimer);
    this.#stableTimer = null;
  }
}

/**
 * The platform scheduler unrefs its Node timers so an idle client never pins a process. A pending
 * reconnect is different: the app asked to be connected, and a bot awaiting a join must not exit silently
 * during backoff (phoenix.js's timers keep Node alive too). Only `disconnect()` lets the process go.
 */
function keepProcessAlive(handle: TimerHandle): void {
  const timer = handle as { ref?: () => unknown } | null;
  if (timer !== null && typeof timer === 'object' && typeof timer.ref === 'function') timer.ref();
}
