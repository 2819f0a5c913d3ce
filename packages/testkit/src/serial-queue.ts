/**
 * Runs tasks one at a time, in order, like an Erlang process mailbox. A task that returns
 * synchronously runs at once; a task that returns a promise holds the tasks queued after it until
 * it settles. A task's error goes to `onError`, never out of the queue.
 */
export class SerialQueue {
  private pending: Array<() => unknown> = [];
  private busy = false;

  constructor(private readonly onError: (error: unknown) => void) {}

  /** Queues `task`. */
  run(task: () => unknown): void {
    this.pending.push(task);
    if (!this.busy) this.drain();
  }

  /** Drops every queued task that has not started. */
  clear(): void {
    this.pending = [];
  }

  private drain(): void {
    this.busy = true;
    while (this.pending.length > 0) {
      const task = this.pending.shift() as () => unknown;
      let result: unknown;
      try {
        result = task();
      } catch (error) {
        this.onError(error);
        continue;
      }
      if (result instanceof Promise) {
        result.then(
          () => this.drain(),
          (error: unknown) => {
            this.onError(error);
            this.drain();
          },
        );
        return;
      }
    }
    this.busy = false;
  }
}
