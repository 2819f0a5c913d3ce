/**
 * The LongPoll fallback (phoenix.js's `longPollFallbackMs`): while the WebSocket has not proven itself,
 * a deadline runs; if it passes, or the WebSocket fails before it ever opened, the socket switches to the
 * fallback transport for good and remembers that for the page session. The fallback class is passed in
 * (`longPollTransport`), so a socket that never falls back never bundles LongPoll.
 */
import type { Scheduler, TimerHandle } from '@phx-socket/channel';
import type { TransportConstructor } from '@phx-socket/transport';
import type { SessionStore } from './options';

/** What a fallback decision tells the socket. */
export interface FallbackEvent {
  /** Milliseconds from the start of the primary attempt to the switch (0 when remembered). */
  readonly afterMs: number;
  readonly from: string;
  readonly to: string;
  /** Why: the deadline passed, the primary failed before opening, or an earlier switch was remembered. */
  readonly reason: 'timeout' | 'primary_failed' | 'remembered';
}

/** Wiring of one socket's fallback. */
export interface FallbackOptions {
  readonly afterMs: number;
  readonly transport: TransportConstructor;
  readonly transportName: string;
  readonly store: SessionStore | undefined;
  readonly scheduler: Scheduler;
  /** Called when the socket must drop its primary attempt and connect with `transport`. */
  readonly onFallback: (event: FallbackEvent) => void;
}

/** Prefix of the session key, as phoenix.js spells it: `phx:fallback:<transport name>`. */
export const FALLBACK_KEY_PREFIX = 'phx:fallback:';

/**
 * One socket's fallback state: `armed` (watching the primary), `active` (on the fallback for good) or
 * `settled` (the primary passed its health check: never fall back on this socket).
 *
 * @example
 * const fb = new TransportFallback({ afterMs: 2500, transport: LongPoll, ... });
 * if (fb.active) useLongPoll(); else { fb.primaryStarted(primaryName); }
 */
export class TransportFallback {
  #state: 'armed' | 'active' | 'settled' = 'armed';
  #timer: TimerHandle | null = null;
  #startedAt = 0;
  #primaryName = '';
  #primaryOpen = false;
  /** The store said "fall back" at construction; announced once with the first attempt. */
  #rememberedUnannounced: boolean;

  readonly #options: FallbackOptions;

  constructor(options: FallbackOptions) {
    this.#options = options;
    this.#rememberedUnannounced = this.#readStore();
    if (this.#rememberedUnannounced) this.#state = 'active';
  }

  /** True once the socket should connect with the fallback transport. */
  get active(): boolean {
    return this.#state === 'active';
  }

  /** The fallback transport class. */
  get transport(): TransportConstructor {
    return this.#options.transport;
  }

  /** Once, when the session store made the socket start on the fallback: the event to report. */
  rememberedEvent(from: string): FallbackEvent | null {
    if (!this.#rememberedUnannounced) return null;
    this.#rememberedUnannounced = false;
    return { afterMs: 0, from, to: this.#options.transportName, reason: 'remembered' };
  }

  /** The session key (`phx:fallback:LongPoll`). */
  get key(): string {
    return FALLBACK_KEY_PREFIX + this.#options.transportName;
  }

  /** A primary attempt started (or restarted): the deadline runs from now while the primary is unproven. */
  primaryStarted(primaryName: string): void {
    if (this.#state !== 'armed') return;
    this.#primaryName = primaryName;
    this.#primaryOpen = false;
    this.#startedAt = this.#options.scheduler.now();
    this.#arm();
  }

  /**
   * The primary opened. It is not trusted yet (a proxy may accept the upgrade and drop frames): the deadline
   * restarts and only `primaryHealthy()` (a ping answered) settles it.
   */
  primaryOpened(): void {
    if (this.#state !== 'armed') return;
    this.#primaryOpen = true;
    this.#startedAt = this.#options.scheduler.now();
    this.#arm();
  }

  /** A round trip over the primary worked: keep it, never fall back on this socket. */
  primaryHealthy(): void {
    if (this.#state !== 'armed') return;
    this.#state = 'settled';
    this.#disarm();
  }

  /**
   * The primary errored or closed. Before it ever opened, that means: switch now (phoenix.js does the same).
   * Returns true if it switched; the socket then must not handle the failure itself.
   */
  primaryFailed(): boolean {
    if (this.#state !== 'armed' || this.#primaryOpen) return false;
    this.#switch('primary_failed');
    return true;
  }

  /** The fallback transport opened: remember the choice for the page session. */
  fallbackOpened(): void {
    if (this.#state !== 'active') return;
    try {
      this.#options.store?.setItem(this.key, 'true');
    } catch {
      // Storage may be full or blocked (private mode): the state still holds the choice for this socket.
    }
  }

  /** The socket disconnected on purpose: stop watching (the next connect starts over). */
  stop(): void {
    this.#disarm();
  }

  /** True when an earlier page settled on the fallback (read once, at construction). */
  #readStore(): boolean {
    try {
      return this.#options.store?.getItem(this.key) === 'true';
    } catch {
      return false;
    }
  }

  #arm(): void {
    this.#disarm();
    this.#timer = this.#options.scheduler.setTimeout(() => {
      this.#timer = null;
      this.#switch('timeout');
    }, this.#options.afterMs);
  }

  #disarm(): void {
    if (this.#timer !== null) this.#options.scheduler.clearTimeout(this.#timer);
    this.#timer = null;
  }

  #switch(reason: FallbackEvent['reason']): void {
    this.#disarm();
    this.#state = 'active';
    const afterMs = this.#options.scheduler.now() - this.#startedAt;
    this.#options.onFallback({ afterMs, from: this.#primaryName, to: this.#options.transportName, reason });
  }
}
