import type { Scheduler, TimerHandle } from './scheduler';

/** What the indicator needs of a channel; any `Channel<In, Out>` fits. */
export interface TypingChannel {
  readonly host: { readonly scheduler: Scheduler };
  push(event: string, payload: Record<string, unknown>): { receive(status: 'error', callback: () => void): unknown };
}

/** Options of a {@link TypingIndicator}. */
export interface TypingIndicatorOptions {
  /**
   * Event pushed on start and stop.
   * @default 'typing'
   */
  event?: string;
  /**
   * After this long without `typing()` the indicator stops by itself, so none gets stuck on when a tab
   * closes mid-sentence or the app forgets to call `stop()`. Ms; must be > 0.
   * @default 3000
   */
  timeoutMs?: number;
  /**
   * The payload sent for a state change.
   * @default (typing) => ({ typing })
   */
  payload?: (typing: boolean) => Record<string, unknown>;
}

/** Defaults of {@link TypingIndicatorOptions}. */
export const DEFAULT_TYPING_INDICATOR_OPTIONS = /* @__PURE__ */ Object.freeze({
  event: 'typing',
  timeoutMs: 3000,
  payload: (typing: boolean): Record<string, unknown> => ({ typing }),
});

/**
 * Sends "started typing" once per burst of keystrokes and "stopped typing" after `timeoutMs` of quiet
 * (or on `stop()`), so a chat shows typing indicators without a push per keystroke.
 *
 * @example
 * const typing = new TypingIndicator(room);
 * input.addEventListener('input', () => typing.typing());
 * form.addEventListener('submit', () => typing.stop());
 */
export class TypingIndicator {
  private readonly channel: TypingChannel;
  private readonly event: string;
  private readonly timeoutMs: number;
  private readonly payload: (typing: boolean) => Record<string, unknown>;
  private active = false;
  private timer: TimerHandle | null = null;

  constructor(channel: TypingChannel, options: TypingIndicatorOptions = {}) {
    const d = DEFAULT_TYPING_INDICATOR_OPTIONS;
    this.channel = channel;
    this.event = options.event ?? d.event;
    this.timeoutMs = options.timeoutMs ?? d.timeoutMs;
    this.payload = options.payload ?? d.payload;
    if (typeof this.event !== 'string' || this.event === '') throw new TypeError('typingIndicator.event must be a non-empty string');
    if (!(this.timeoutMs > 0) || !Number.isFinite(this.timeoutMs)) {
      throw new RangeError(`typingIndicator.timeoutMs must be a positive number of ms, got ${String(this.timeoutMs)}`);
    }
  }

  /** True between a start and the matching stop. */
  get isTyping(): boolean {
    return this.active;
  }

  /** Call on every keystroke: sends the start once and pushes the automatic stop further out. */
  typing(): void {
    if (!this.active) {
      this.active = true;
      this.send(true);
    }
    this.rearm();
  }

  /** Sends the stop now (if typing). */
  stop(): void {
    this.clearTimer();
    if (!this.active) return;
    this.active = false;
    this.send(false);
  }

  /** Stops (telling the server) and releases the timer. */
  dispose(): void {
    this.stop();
  }

  private send(typing: boolean): void {
    // Fire and forget: a lost typing hint is harmless, an unhandled rejection is not.
    this.channel.push(this.event, this.payload(typing)).receive('error', () => {});
  }

  private rearm(): void {
    this.clearTimer();
    this.timer = this.channel.host.scheduler.setTimeout(() => {
      this.timer = null;
      this.stop();
    }, this.timeoutMs);
  }

  private clearTimer(): void {
    if (this.timer !== null) this.channel.host.scheduler.clearTimeout(this.timer);
    this.timer = null;
  }
}
