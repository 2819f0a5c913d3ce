/**
 * Eager option checks shared by the perf components: each throws `TypeError` (wrong type) or
 * `RangeError` (out of range) naming the option, e.g. `binaryPool.size`.
 */

/** The longest delay a platform timer accepts (2^31 - 1 ms). */
export const MAX_TIMER_MS = 2_147_483_647;

function shown(value: unknown): string {
  if (typeof value === 'number' || typeof value === 'string') return JSON.stringify(value);
  return value === null ? 'null' : typeof value;
}

/** Throws the error every check uses, naming `option`. */
export function invalid(kind: 'type' | 'range', option: string, expected: string, got: unknown): never {
  const message = `${option} must be ${expected}, got ${shown(got)}`;
  throw kind === 'type' ? new TypeError(message) : new RangeError(message);
}

/** A plain object (or undefined); anything else is a TypeError naming `option`. */
export function optionsObject<T extends object>(option: string, value: unknown): Partial<T> {
  if (value === undefined) return {};
  if (typeof value !== 'object' || value === null || Array.isArray(value)) invalid('type', option, 'an object', value);
  return value as Partial<T>;
}

/** A positive integer (entry counts). */
export function positiveInt(option: string, value: unknown, fallback: number): number {
  if (value === undefined) return fallback;
  if (typeof value !== 'number' || Number.isNaN(value)) invalid('type', option, 'a number', value);
  if (!Number.isInteger(value) || value < 1) invalid('range', option, 'an integer >= 1', value);
  return value;
}

/** A duration in ms; `0` allowed only where it means "off". */
export function durationMs(option: string, value: unknown, fallback: number, allowZero: boolean): number {
  if (value === undefined) return fallback;
  if (typeof value !== 'number' || Number.isNaN(value)) invalid('type', option, 'a number of milliseconds', value);
  if (!Number.isFinite(value) || value < 0 || (!allowZero && value === 0) || value > MAX_TIMER_MS) {
    invalid('range', option, `${allowZero ? '>= 0' : '> 0'} and <= ${MAX_TIMER_MS} ms`, value);
  }
  return value;
}

/** A byte count; `Infinity` allowed (no limit). */
export function bytes(option: string, value: unknown, fallback: number): number {
  if (value === undefined) return fallback;
  if (typeof value !== 'number' || Number.isNaN(value)) invalid('type', option, 'a number of bytes', value);
  if (value !== Infinity && (!Number.isInteger(value) || value < 1)) invalid('range', option, 'an integer >= 1 or Infinity', value);
  return value;
}

/** A boolean. */
export function flag(option: string, value: unknown, fallback: boolean): boolean {
  if (value === undefined) return fallback;
  if (typeof value !== 'boolean') invalid('type', option, 'a boolean', value);
  return value;
}

/** Minimal clock + timers (structurally the channel package's `Scheduler`; perf does not depend on it). */
export interface PerfScheduler {
  setTimeout(fn: () => void, ms: number): unknown;
  clearTimeout(handle: unknown): void;
  now(): number;
}

/**
 * The monotonic clock, picked on first use (not at module load, so importing reads no global): the
 * platform's `performance.now`, or `Date.now` where there is none. Cached, so one process never mixes
 * the two clocks.
 */
let clock: (() => number) | undefined;
function pickClock(): () => number {
  const perf = (globalThis as { performance?: { now(): number } }).performance;
  return perf ? () => perf.now() : () => Date.now();
}

/** Platform timers, `unref()`ed in Node so a cache cleanup never keeps a process alive. */
export const platformScheduler: PerfScheduler = /* @__PURE__ */ Object.freeze({
  setTimeout(fn: () => void, ms: number): unknown {
    const handle = globalThis.setTimeout(fn, ms) as unknown as { unref?: () => void };
    handle.unref?.();
    return handle;
  },
  clearTimeout(handle: unknown): void {
    globalThis.clearTimeout(handle as ReturnType<typeof globalThis.setTimeout>);
  },
  now: (): number => (clock ??= pickClock())(),
});

/**
 * A repeating cleanup (`cleanupIntervalMs`) on a one-shot scheduler: re-armed after each run, stopped
 * while a hibernated socket has nothing to clean. `0` never runs.
 */
export class CleanupTimer {
  #handle: unknown = null;

  readonly #scheduler: PerfScheduler;
  readonly #intervalMs: number;
  readonly #run: () => void;
  constructor(
    scheduler: PerfScheduler,
    intervalMs: number,
    run: () => void,
  ) {
    this.#scheduler = scheduler;
    this.#intervalMs = intervalMs;
    this.#run = run;}

  /** True while armed. */
  get running(): boolean {
    return this.#handle !== null;
  }

  start(): void {
    if (this.#handle !== null || this.#intervalMs === 0) return;
    this.#handle = this.#scheduler.setTimeout(() => {
      this.#handle = null;
      this.#run();
      this.start();
    }, this.#intervalMs);
  }

  stop(): void {
    if (this.#handle === null) return;
    this.#scheduler.clearTimeout(this.#handle);
    this.#handle = null;
  }
}
