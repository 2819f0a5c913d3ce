/**
 * Backoff as pure functions: a schedule maps the attempt number to a base delay, jitter spreads it.
 * Randomness is injected so tests (and simulations) are deterministic.
 */

/** Base delay in ms before attempt `tries` (1 = the first retry). */
export type BackoffSchedule = (tries: number) => number;

/** `'full'`: uniform in (floor, base]; `'none'`: the base delay itself. */
export type JitterMode = 'full' | 'none';

/** phoenix.js's reconnect steps, ms; 5000 after the last. */
export const DEFAULT_RECONNECT_STEPS_MS: readonly number[] = /* @__PURE__ */ Object.freeze([10, 50, 100, 150, 200, 250, 500, 1000, 2000]);
/** phoenix.js's rejoin steps, ms; 10000 after the last. */
export const DEFAULT_REJOIN_STEPS_MS: readonly number[] = /* @__PURE__ */ Object.freeze([1000, 2000, 5000]);

/**
 * Jittered delays never go below this (unless the base is smaller), so a random draw near 0 cannot turn
 * a backoff into a busy loop.
 */
export const JITTER_FLOOR_MS = 10;

/**
 * A schedule that walks `steps` and then stays at `after`.
 *
 * @example
 * const s = stepSchedule([10, 50], 5000); s(1) === 10; s(2) === 50; s(3) === 5000;
 */
export function stepSchedule(steps: readonly number[], after: number): BackoffSchedule {
  return (tries) => steps[tries - 1] ?? after;
}

/**
 * Full jitter (AWS architecture blog, "Exponential Backoff and Jitter"): a delay drawn uniformly below the
 * base, one draw per attempt, floored at `min(base, JITTER_FLOOR_MS)`.
 *
 * @example
 * fullJitter(1000, () => 0.5); // 500
 */
export function fullJitter(baseMs: number, random: () => number): number {
  const base = Math.max(0, baseMs);
  const floor = Math.min(base, JITTER_FLOOR_MS);
  const r = random();
  const unit = Number.isFinite(r) ? Math.min(Math.max(r, 0), 1) : 0.5;
  return Math.round(floor + (base - floor) * unit);
}

/**
 * The delay for attempt `tries`: the schedule's base, jittered per `jitter`. A schedule that throws or
 * returns a non-number falls back to `fallbackMs` rather than stopping reconnects.
 *
 * @example
 * const delay = backoffDelay(3, stepSchedule(DEFAULT_RECONNECT_STEPS_MS, 5000), 'full', Math.random); // 10..100
 */
export function backoffDelay(
  tries: number,
  schedule: BackoffSchedule,
  jitter: JitterMode,
  random: () => number,
  fallbackMs = 5000,
): number {
  let base: number;
  try {
    base = schedule(tries);
  } catch {
    base = fallbackMs;
  }
  if (typeof base !== 'number' || Number.isNaN(base)) base = fallbackMs;
  base = Math.min(Math.max(base, 0), 2_147_483_647);
  return jitter === 'full' ? fullJitter(base, random) : base;
}
