import { CHANNEL_EVENTS } from '@phx-socket/transport';
import { BufferOverflowError, ConnectionLostError } from './errors';
import type { ChannelHost } from './host';
import { Push, type ReplyTarget } from './push';
import { SendBuffer } from './send-buffer';

/**
 * The pushes a channel holds because it cannot send them now: made while not joined (or offline), or sent
 * on a connection that dropped before answering. Bounded by the socket's `sendBufferLimit` and
 * `overflowPolicy`; a channel creates one only when it first needs it.
 */
export class PushQueue {
  /** Vue's `markRaw` flag: a reactive proxy of a socket or channel (Vue `reactive`/`ref`) stops at this internal object, whose #private members a proxy could not reach (socket.proxy.test.ts). */
  private get __v_skip(): true {
    return true;
  }

  readonly #buffer: SendBuffer<Push>;

  readonly #topic: string;
  readonly #host: ChannelHost;
  constructor(
    topic: string,
    host: ChannelHost,
  ) {
    this.#topic = topic;
    this.#host = host;
    this.#buffer = new SendBuffer<Push>({
      limit: host.sendBufferLimit,
      policy: host.overflowPolicy,
      onOverflow: (dropped) => this.#overflow(dropped),
    });
  }

  /** Pushes waiting. */
  get size(): number {
    return this.#buffer.size;
  }

  /** Holds a push until `drain`; a full queue gives one up (telemetry `buffer:overflow`). */
  hold(push: Push): void {
    this.#buffer.push(push);
  }

  /** Hands every held push to `fn`, oldest first. */
  drain(fn: (push: Push) => void): void {
    this.#buffer.drain(fn);
  }

  /**
   * Replies to pushes sent on a dead connection can never arrive (the rejoin gets a new join_ref), so
   * rather than let them time out, queue them to go first after the rejoin, in their original order, or
   * fail them now, as the socket's `inFlightPolicy` says.
   */
  recover(awaiting: Iterable<ReplyTarget>): void {
    const inFlight: Push[] = [];
    for (const target of awaiting) {
      if (target instanceof Push && target.event !== CHANNEL_EVENTS.leave) inFlight.push(target);
    }
    if (inFlight.length === 0) return;
    const resend = (this.#host.inFlightPolicy ?? 'resend') === 'resend';
    const queued: Push[] = [];
    this.#buffer.drain((push) => queued.push(push));
    for (const push of inFlight) {
      push.reset();
      if (resend) this.#buffer.push(push);
      else push.fail(new ConnectionLostError(this.#topic, push.event));
    }
    for (const push of queued) this.#buffer.push(push);
  }

  #overflow(dropped: Push): void {
    const limit = this.#host.sendBufferLimit;
    this.#host.emit('buffer:overflow', {
      measurements: { limit, size: this.#buffer.size },
      metadata: { topic: this.#topic, event: dropped.event, policy: this.#host.overflowPolicy },
    });
    dropped.fail(new BufferOverflowError(this.#topic, dropped.event, limit));
  }
}
