/** An opaque timer handle returned by a {@link Scheduler}. */
export type TimerHandle = unknown;

/**
 * Clock and timers, injected so tests (and hibernation) control time. Every timer phx-socket starts goes
 * through one of these.
 *
 * @example
 * const socket = new Socket(url, { scheduler: myFakeScheduler });
 */
export interface Scheduler {
  setTimeout(fn: () => void, ms: number): TimerHandle;
  clearTimeout(handle: TimerHandle): void;
  /** Milliseconds, monotonic where the platform allows. */
  now(): number;
}

const perf = (globalThis as { performance?: { now(): number } }).performance;

/**
 * The platform's timers. In Node they are `unref()`ed: an idle client never keeps a process alive on
 * its own (the open connection does).
 */
export const realScheduler: Scheduler = /* @__PURE__ */ Object.freeze({
  setTimeout(fn: () => void, ms: number): TimerHandle {
    const handle = globalThis.setTimeout(fn, ms) as unknown as { unref?: () => void };
    handle.unref?.();
    return handle;
  },
  clearTimeout(handle: TimerHandle): void {
    globalThis.clearTimeout(handle as ReturnType<typeof globalThis.setTimeout>);
  },
  now: perf ? () => perf.now() : () => Date.now(),
});
