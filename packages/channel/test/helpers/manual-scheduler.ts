import type { Scheduler, TimerHandle } from '../../src/scheduler';

interface Entry {
  id: number;
  at: number;
  fn: () => void;
}

/** A clock that moves only when the test says so. */
export class ManualScheduler implements Scheduler {
  private time = 0;
  private nextId = 1;
  private entries: Entry[] = [];

  setTimeout(fn: () => void, ms: number): TimerHandle {
    const entry = { id: this.nextId++, at: this.time + ms, fn };
    this.entries.push(entry);
    return entry.id;
  }

  clearTimeout(handle: TimerHandle): void {
    this.entries = this.entries.filter((e) => e.id !== handle);
  }

  now(): number {
    return this.time;
  }

  /** Timers waiting. */
  get pending(): number {
    return this.entries.length;
  }

  /** Moves time forward, firing due timers in order. */
  advance(ms: number): void {
    const until = this.time + ms;
    for (;;) {
      const due = this.entries.filter((e) => e.at <= until).sort((a, b) => a.at - b.at || a.id - b.id)[0];
      if (!due) break;
      this.entries = this.entries.filter((e) => e !== due);
      this.time = due.at;
      due.fn();
    }
    this.time = until;
  }
}
