/**
 * The socket's outbound wire: encodes a message and sends it on the current transport, logging it and
 * reporting what went wrong (an encode failure, or the transport's typed refusal of the frame). Every
 * push, join, leave, heartbeat and ping goes through here, so it stays direct.
 */
import type { Message, PhxError } from '@phx-socket/transport';
import type { SocketCallbacks } from './callbacks';
import { frameSize } from './message-telemetry';
import type { ResolvedSocketOptions } from './options';
import type { Supervisor } from './supervisor';
import type { Telemetry } from './telemetry';

/** What the outbound wire needs from its socket besides the parts it is handed. */
export interface TransmitterHost {
  log(kind: string, msg: string, data?: unknown): void;
}

/**
 * Sends the frames of one socket on whatever transport its supervisor holds.
 *
 * @example
 * const transmitter = new Transmitter(options, telemetry, callbacks, supervisor, socket);
 * const refused = transmitter.transmit(message); // a PhxError when the transport refused the frame
 */
export class Transmitter {
  /** Vue's `markRaw` flag: a reactive proxy of a socket or channel (Vue `reactive`/`ref`) stops at this internal object, whose #private members a proxy could not reach (socket.proxy.test.ts). */
  private get __v_skip(): true {
    return true;
  }

  readonly #options: ResolvedSocketOptions;
  readonly #telemetry: Telemetry;
  readonly #callbacks: SocketCallbacks;
  readonly #supervisor: Supervisor;
  readonly #host: TransmitterHost;

  constructor(
    options: ResolvedSocketOptions,
    telemetry: Telemetry,
    callbacks: SocketCallbacks,
    supervisor: Supervisor,
    host: TransmitterHost,
  ) {
    this.#options = options;
    this.#telemetry = telemetry;
    this.#callbacks = callbacks;
    this.#supervisor = supervisor;
    this.#host = host;
  }

  /** Encodes and sends; returns the transport's typed refusal of the frame (already reported), if any. */
  transmit(message: Message): PhxError | undefined {
    const conn = this.#supervisor.connection;
    if (conn === null) return undefined;
    if (this.#options.logger !== null) this.#host.log('push', `${message.topic} ${message.event} (${message.joinRef}, ${message.ref})`, message.payload);
    let frame: string | ArrayBuffer;
    try {
      frame = this.#options.serializer.encode(message);
    } catch (error) {
      this.#telemetry.emit('socket:error', { measurements: {}, metadata: { error } });
      this.#callbacks.run('error', error);
      return undefined;
    }
    let sent: boolean;
    try {
      sent = conn.send(frame);
    } catch (error) {
      const refused = error as PhxError;
      this.#host.log('push', refused.message, message);
      this.#telemetry.emit('socket:error', { measurements: {}, metadata: { error: refused } });
      this.#callbacks.run('error', refused);
      return refused;
    }
    if (!sent) return undefined;
    if (this.#telemetry.has('message:sent')) {
      this.#telemetry.emit('message:sent', {
        measurements: { bytes: frameSize(frame) },
        metadata: { topic: message.topic, event: message.event, ref: message.ref },
      });
    }
    return undefined;
  }
}
