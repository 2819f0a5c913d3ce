import type { WireData } from './frame';

interface Queued {
  readonly data: WireData;
  readonly dueMs: number;
}

/**
 * Per-connection outbound order with optional reply delay (`server.delayReplies(ms)`): a reply is
 * due `delayMs` later, and every frame queued after it waits behind it, so the client sees the
 * frames in the order the server produced them, as from a slow server.
 */
export class OutboundQueue {
  private queue: Queued[] = [];
  private timer: ReturnType<typeof setTimeout> | undefined;

  constructor(
    private readonly write: (data: WireData) => void,
    private readonly replyDelayMs: () => number,
    private readonly now: () => number = Date.now,
  ) {}

  /** Queues `data`; writes it at once when nothing is delayed. */
  push(data: WireData, isReply: boolean): void {
    const delayMs = isReply ? this.replyDelayMs() : 0;
    if (delayMs <= 0 && this.queue.length === 0) {
      this.write(data);
      return;
    }
    const last = this.queue[this.queue.length - 1];
    const dueMs = Math.max(this.now() + delayMs, last ? last.dueMs : 0);
    this.queue.push({ data, dueMs });
    this.schedule();
  }

  /** Drops everything queued (the connection closed). */
  clear(): void {
    this.queue = [];
    if (this.timer) clearTimeout(this.timer);
    this.timer = undefined;
  }

  private schedule(): void {
    const first = this.queue[0];
    if (this.timer || !first) return;
    this.timer = setTimeout(() => this.flush(), Math.max(0, first.dueMs - this.now()));
  }

  private flush(): void {
    this.timer = undefined;
    const now = this.now();
    while (this.queue.length > 0 && (this.queue[0] as Queued).dueMs <= now) {
      this.write((this.queue.shift() as Queued).data);
    }
    this.schedule();
  }
}
