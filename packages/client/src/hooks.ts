/**
 * Message hooks (`socket.use(hook)`): app code that sees every inbound message before it is routed and
 * every outbound message before it is encoded, and may observe, transform or drop it. Hooks run in the
 * order they were added; a throwing hook is reported (`handler:error`) and the message goes on unchanged
 * to the next one. Heartbeats (topic `phoenix`) never reach hooks.
 */
import { PhxError, type Message } from '@phx-socket/transport';

/** Which way a message is travelling. */
export type HookDirection = 'inbound' | 'outbound';

/** A hook's answer: nothing (pass unchanged), a message (replace it), or `null` (drop it). */
export type HookResult = Message | null | undefined | void;

/**
 * A hook per direction; either may be omitted.
 *
 * @example
 * socket.use({
 *   outbound: (m) => ({ ...m, payload: { ...(m.payload as object), sentAt: Date.now() } }),
 *   inbound: (m) => (m.event === 'noise' ? null : undefined),
 * });
 */
export interface MessageHook {
  inbound?(message: Message): HookResult;
  outbound?(message: Message): HookResult;
}

/** One function for both directions. */
export type MessageHookFn = (message: Message, direction: HookDirection) => HookResult;

/** Counters of one direction. */
export interface HookDirectionStats {
  /** Messages that went through the hooks. */
  seen: number;
  /** Messages a hook replaced. */
  transformed: number;
  /** Messages a hook dropped. */
  dropped: number;
  /** Hook calls that threw or returned something that is not a message (the message went on unchanged). */
  errors: number;
}

/** `socket.stats().hooks`. */
export interface HookStats {
  /** Hooks installed now. */
  hooks: number;
  inbound: HookDirectionStats;
  outbound: HookDirectionStats;
}

/**
 * An outbound hook dropped this message: the push fails with it at once rather than time out.
 *
 * @example
 * try { await channel.push('secret', data); } catch (e) { if (e instanceof MessageDroppedError) ... }
 */
export class MessageDroppedError extends PhxError<'message_dropped'> {
  readonly topic: string;
  readonly event: string;
  constructor(topic: string, event: string) {
    super('message_dropped', `a message hook dropped "${event}" on "${topic}"; it was not sent (see socket.use)`);
    this.topic = topic;
    this.event = event;
  }
}

type Step = (message: Message) => HookResult;

const emptyStats = (): HookDirectionStats => ({ seen: 0, transformed: 0, dropped: 0, errors: 0 });

function isMessage(value: unknown): value is Message {
  return typeof value === 'object' && value !== null && typeof (value as Message).topic === 'string' && typeof (value as Message).event === 'string';
}

/**
 * The installed hooks of one socket. Step lists are copy-on-write, so a hook may add or remove hooks
 * while a message is going through them.
 */
export class MessageHooks {
  #inSteps: readonly Step[] = [];
  #outSteps: readonly Step[] = [];
  #count = 0;
  readonly #counters = { inbound: emptyStats(), outbound: emptyStats() };

  readonly #reportError: (error: unknown, where: string) => void;

  constructor(reportError: (error: unknown, where: string) => void) {
    this.#reportError = reportError;
  }

  /** Hooks installed. */
  get size(): number {
    return this.#count;
  }

  /** Installs `hook` last; returns the function that removes it (calling it twice is harmless). */
  add(hook: MessageHook | MessageHookFn): () => void {
    let inbound: Step | undefined;
    let outbound: Step | undefined;
    if (typeof hook === 'function') {
      inbound = (m) => hook(m, 'inbound');
      outbound = (m) => hook(m, 'outbound');
    } else if (typeof hook === 'object' && hook !== null) {
      if (hook.inbound !== undefined && typeof hook.inbound !== 'function') throw new TypeError('use(hook): hook.inbound must be a function');
      if (hook.outbound !== undefined && typeof hook.outbound !== 'function') throw new TypeError('use(hook): hook.outbound must be a function');
      if (hook.inbound) inbound = (m) => hook.inbound?.(m);
      if (hook.outbound) outbound = (m) => hook.outbound?.(m);
      if (!inbound && !outbound) throw new TypeError('use(hook): hook must have an inbound or outbound function');
    } else {
      throw new TypeError('use(hook): hook must be a function (message, direction) or { inbound?, outbound? }');
    }
    if (inbound) this.#inSteps = [...this.#inSteps, inbound];
    if (outbound) this.#outSteps = [...this.#outSteps, outbound];
    this.#count++;
    let removed = false;
    return () => {
      if (removed) return;
      removed = true;
      if (inbound) this.#inSteps = this.#inSteps.filter((s) => s !== inbound);
      if (outbound) this.#outSteps = this.#outSteps.filter((s) => s !== outbound);
      this.#count--;
    };
  }

  /** Runs the inbound hooks; the message to route, or null when one dropped it. */
  inbound(message: Message): Message | null {
    return this.#run(this.#inSteps, message, 'inbound');
  }

  /** Runs the outbound hooks; the message to send, or null when one dropped it. */
  outbound(message: Message): Message | null {
    return this.#run(this.#outSteps, message, 'outbound');
  }

  /** Counters and the number of hooks. */
  stats(): HookStats {
    return { hooks: this.#count, inbound: { ...this.#counters.inbound }, outbound: { ...this.#counters.outbound } };
  }

  #run(steps: readonly Step[], message: Message, direction: HookDirection): Message | null {
    if (steps.length === 0) return message;
    const stats = this.#counters[direction];
    stats.seen++;
    let current = message;
    let changed = false;
    for (let i = 0; i < steps.length; i++) {
      let result: HookResult;
      try {
        result = (steps[i] as Step)(current);
      } catch (error) {
        stats.errors++;
        this.#reportError(error, `${direction} message hook #${i + 1} (on "${current.event}" of "${current.topic}")`);
        continue;
      }
      if (result === undefined || result === current) continue;
      if (result === null) {
        stats.dropped++;
        return null;
      }
      if (!isMessage(result)) {
        stats.errors++;
        this.#reportError(new TypeError('a message hook must return nothing, a message, or null'), `${direction} message hook #${i + 1}`);
        continue;
      }
      current = result;
      changed = true;
    }
    if (changed) stats.transformed++;
    return current;
  }
}
