/**
 * The socket-level send buffer: frames handed to the socket while no transport is open wait here (bounded,
 * with the configured overflow policy) and go out in order when one opens.
 */
import { SendBuffer, type HostedChannel, type OverflowPolicy } from '@phx-socket/channel';
import { CHANNEL_EVENTS, type Message } from '@phx-socket/transport';
import type { Telemetry } from './telemetry';

/**
 * A bounded FIFO of messages for the next open transport. A full buffer emits `buffer:overflow`.
 *
 * @example
 * const outbox = new Outbox({ limit: 1000, policy: 'drop-oldest', telemetry, channelFor: (ref, topic) => router.byRef(ref, topic) });
 * if (!outbox.push(message)) throw new BufferOverflowError(message.topic, message.event, 1000);
 * transport.onopen = () => outbox.flush((m) => send(m));
 */
export class Outbox {
  /** Vue's `markRaw` flag: a reactive proxy of a socket or channel (Vue `reactive`/`ref`) stops at this internal object, whose #private members a proxy could not reach (socket.proxy.test.ts). */
  private get __v_skip(): true {
    return true;
  }

  readonly #buffer: SendBuffer<Message>;

  readonly #options: {
      limit: number;
      policy: OverflowPolicy;
      telemetry: Telemetry;
      /** The channel a join_ref (on `topic`) is bound to, if any. */
      channelFor: (joinRef: string, topic: string) => HostedChannel | undefined;
    };
  constructor(
    options: {
      limit: number;
      policy: OverflowPolicy;
      telemetry: Telemetry;
      /** The channel a join_ref (on `topic`) is bound to, if any. */
      channelFor: (joinRef: string, topic: string) => HostedChannel | undefined;
    },
  ) {
    this.#options = options;
    this.#buffer = new SendBuffer<Message>({ limit: options.limit, policy: options.policy, onOverflow: (dropped) => this.#overflowed(dropped) });
  }

  /** Frames waiting. */
  get size(): number {
    return this.#buffer.size;
  }

  /** Queues `message`; false when it was refused (policy `'reject'` and full). */
  push(message: Message): boolean {
    return this.#buffer.push(message);
  }

  /** Hands every still-relevant frame to `send`, oldest first, and empties the buffer. */
  flush(send: (message: Message) => void): void {
    this.#buffer.drain((message) => {
      if (!this.#isSuperseded(message)) send(message);
    });
  }

  /**
   * A join buffered while down is superseded once its channel errored, closed or joined again: the channel
   * rejoins by itself when the socket opens, and sending the old join too would join twice.
   */
  #isSuperseded(message: Message): boolean {
    if (message.event !== CHANNEL_EVENTS.join || message.joinRef === null) return false;
    const channel = this.#options.channelFor(message.joinRef, message.topic);
    return channel === undefined || channel.state !== 'joining' || channel.joinRef !== message.joinRef;
  }

  #overflowed(dropped: Message): void {
    const { telemetry, limit, policy } = this.#options;
    telemetry.emit('buffer:overflow', {
      measurements: { limit, size: this.#buffer.size },
      metadata: { topic: dropped.topic, event: dropped.event, policy },
    });
  }
}
