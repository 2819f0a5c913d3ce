import { CHANNEL_EVENTS, type PhxError } from '@phx-socket/transport';
import { BufferOverflowError } from './errors';
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
   * Replies to pushes sent on a dead connection (or to a crashed channel) can never arrive: the rejoin gets
   * a new join_ref. Each such push with resends left (`PushOptions.maxResends`, else the socket's
   * `maxResends` under `inFlightPolicy: 'resend'`) goes first after the rejoin, in its original order; every
   * other one fails now with `lost(push)`, so it is never executed twice and never left to time out.
   */
  recover(awaiting: Iterable<ReplyTarget>, lost: (push: Push) => PhxError): void {
    const inFlight: Push[] = [];
    for (const target of awaiting) {
      if (target instanceof Push && target.event !== CHANNEL_EVENTS.leave) inFlight.push(target);
    }
    if (inFlight.length === 0) return;
    const host = this.#host;
    const budget = (host.inFlightPolicy ?? 'fail') === 'resend' ? (host.maxResends ?? 1) : 0;
    const queued: Push[] = [];
    this.#buffer.drain((push) => queued.push(push));
    for (const push of inFlight) {
      if (push.resendsLeft(budget) > 0) {
        push.markResent();
        this.#buffer.push(push);
      } else {
        push.fail(lost(push));
      }
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
