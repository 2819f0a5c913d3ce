/**
 * The socket-level heartbeat on topic `phoenix`. The next beat is scheduled from the reply handler, not
 * from a fixed interval: browsers throttle background timers, and an interval would pile beats up.
 */
import type { Scheduler, TimerHandle } from '@phx-socket/channel';

/** What the heartbeat needs from its socket. */
export interface HeartbeatHooks {
  /** Sends a heartbeat with `ref`. */
  send(ref: string): void;
  makeRef(): string;
  /** A reply came back after `rttMs`. */
  onReply(rttMs: number, ref: string): void;
  /** No reply within `timeoutMs`: the connection is presumed dead. */
  onTimeout(ref: string, timeoutMs: number): void;
}

/** Intervals, ms. `intervalMs` 0 disables the heartbeat. */
export interface HeartbeatOptions {
  intervalMs: number;
  timeoutMs: number;
  scheduler: Scheduler;
}

/**
 * Beat → wait for the reply (at most `timeoutMs`) → wait `intervalMs` → beat. One pending beat at a time.
 *
 * @example
 * const hb = new Heartbeat({ intervalMs: 30_000, timeoutMs: 30_000, scheduler }, hooks);
 * transport.onopen = () => hb.start();
 * // for each inbound message on topic 'phoenix': hb.handleReply(message.ref)
 */
export class Heartbeat {
  #beatTimer: TimerHandle | null = null;
  #timeoutTimer: TimerHandle | null = null;
  #pending: string | null = null;
  #sentAt = 0;
  /** Set while a hibernated socket stretches its beats; null = `options.intervalMs`. */
  #stretchedMs: number | null = null;

  readonly #options: HeartbeatOptions;
  readonly #hooks: HeartbeatHooks;

  constructor(
    options: HeartbeatOptions,
    hooks: HeartbeatHooks,
  ) {
    this.#options = options;
    this.#hooks = hooks;
  }

  /** True when heartbeats run at all (`intervalMs` > 0). */
  get enabled(): boolean {
    return this.#options.intervalMs > 0;
  }

  /** The ref of the beat awaiting its reply, if any. */
  get pendingRef(): string | null {
    return this.#pending;
  }

  /** Starts beating: the first beat goes out after `intervalMs`. Restarts if already running. */
  start(): void {
    this.stop();
    if (this.enabled) this.#scheduleBeat();
  }

  /** Stops beating; a late reply to the pending beat is then ignored. */
  stop(): void {
    const { scheduler } = this.#options;
    if (this.#beatTimer !== null) scheduler.clearTimeout(this.#beatTimer);
    if (this.#timeoutTimer !== null) scheduler.clearTimeout(this.#timeoutTimer);
    this.#beatTimer = null;
    this.#timeoutTimer = null;
    this.#pending = null;
  }

  /**
   * Beats every `intervalMs` from now on (a hibernated socket), or again every `options.intervalMs` with
   * `null`. A beat already waiting is rescheduled; one awaiting its reply is left alone.
   */
  stretch(intervalMs: number | null): void {
    this.#stretchedMs = intervalMs;
    if (this.#beatTimer === null) return;
    this.#options.scheduler.clearTimeout(this.#beatTimer);
    this.#scheduleBeat();
  }

  /** Returns true (and schedules the next beat) when `ref` answers the pending beat. */
  handleReply(ref: string | null): boolean {
    if (ref === null || ref !== this.#pending) return false;
    const rtt = this.#options.scheduler.now() - this.#sentAt;
    this.stop();
    this.#scheduleBeat();
    this.#hooks.onReply(rtt, ref);
    return true;
  }

  #scheduleBeat(): void {
    this.#beatTimer = this.#options.scheduler.setTimeout(() => {
      this.#beatTimer = null;
      this.#beat();
    }, this.#stretchedMs ?? this.#options.intervalMs);
  }

  #beat(): void {
    const { scheduler, timeoutMs } = this.#options;
    const ref = this.#hooks.makeRef();
    this.#pending = ref;
    this.#sentAt = scheduler.now();
    this.#timeoutTimer = scheduler.setTimeout(() => {
      this.#timeoutTimer = null;
      if (this.#pending !== ref) return;
      this.#pending = null;
      this.#hooks.onTimeout(ref, timeoutMs);
    }, timeoutMs);
    this.#hooks.send(ref);
  }
}
