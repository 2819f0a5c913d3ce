/**
 * The socket-level send buffer of raw `socket.push()` frames (phoenix.js's API): frames handed to the
 * socket while no transport is open wait here (bounded, with the configured overflow policy) and go out
 * in order when one opens. Channels never use it: joins wait in their channel and go out when the socket
 * opens, pushes wait in their channel's buffer until the rejoin.
 */
import { SendBuffer, type OverflowPolicy } from '@phx-socket/channel';
import type { Message } from '@phx-socket/transport';
import type { Telemetry } from './telemetry';

/** Settings of an {@link Outbox}. */
export interface OutboxOptions {
  limit: number;
  policy: OverflowPolicy;
  telemetry: Telemetry;
}

/**
 * A bounded FIFO of messages for the next open transport. A full buffer emits `buffer:overflow`.
 *
 * @example
 * const outbox = new Outbox({ limit: 1000, policy: 'drop-oldest', telemetry });
 * if (!outbox.push(message)) throw new BufferOverflowError(message.topic, message.event, 1000);
 * transport.onopen = () => outbox.flush((m) => send(m));
 */
export class Outbox {
  /** Vue's `markRaw` flag: a reactive proxy of a socket or channel (Vue `reactive`/`ref`) stops at this internal object, whose #private members a proxy could not reach (socket.proxy.test.ts). */
  private get __v_skip(): true {
    return true;
  }

  readonly #buffer: SendBuffer<Message>;
  readonly #options: OutboxOptions;

  constructor(options: OutboxOptions) {
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

  /** Hands every frame to `send`, oldest first, and empties the buffer. */
  flush(send: (message: Message) => void): void {
    this.#buffer.drain(send);
  }

  #overflowed(dropped: Message): void {
    const { telemetry, limit, policy } = this.#options;
    telemetry.emit('buffer:overflow', {
      measurements: { limit, size: this.#buffer.size },
      metadata: { topic: dropped.topic, event: dropped.event, policy },
    });
  }
}
