/** A pending timer of a {@link ManualScheduler}. */
interface ManualTimer {
  id: number;
  at: number;
  fn: () => void;
}

/**
 * A clock that moves only when the test says so. Pass it as the client's `scheduler` option (it has the
 * `setTimeout` / `clearTimeout` / `now` shape every phx-socket component takes) to test heartbeats,
 * reconnect backoff, rejoin, push timeouts or hibernation without waiting for real time.
 *
 * @example
 * const clock = new ManualScheduler();
 * const socket = new Socket(server.url, { scheduler: clock, heartbeatIntervalMs: 30_000 });
 * clock.advance(30_000); // the heartbeat goes out now
 */
export class ManualScheduler {
  private time = 0;
  private nextId = 1;
  private timers: ManualTimer[] = [];

  /** Ms since the scheduler was made, moved only by `advance`. */
  now(): number {
    return this.time;
  }

  setTimeout(fn: () => void, ms: number): unknown {
    const timer = { id: this.nextId++, at: this.time + Math.max(0, ms), fn };
    this.timers.push(timer);
    return timer.id;
  }

  clearTimeout(handle: unknown): void {
    this.timers = this.timers.filter((t) => t.id !== handle);
  }

  /** Timers waiting to fire. */
  get pending(): number {
    return this.timers.length;
  }

  /** Moves time forward by `ms`, firing due timers in order (including ones they schedule on the way). */
  advance(ms: number): void {
    const end = this.time + ms;
    for (;;) {
      let due: ManualTimer | undefined;
      for (const t of this.timers) if (t.at <= end && (!due || t.at < due.at || (t.at === due.at && t.id < due.id))) due = t;
      if (!due) break;
      this.timers = this.timers.filter((t) => t !== due);
      this.time = due.at;
      due.fn();
    }
    this.time = end;
  }
}
