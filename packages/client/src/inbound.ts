/**
 * The socket's inbound path: every frame of the current transport is decoded, passed through the inbound
 * hooks, routed to its channel (or reported dropped) and shown to `onMessage` callbacks. Replies on the
 * `phoenix` topic answer the heartbeat or a `socket.ping()`. This runs once per message, so it stays
 * direct: no closures, and each optional step costs one check when unused.
 */
import type { HostedChannel } from '@phx-socket/channel';
import { DecodeError, PHOENIX_TOPIC, type Message, type TransportMessageEvent } from '@phx-socket/transport';
import type { SocketCallbacks } from './callbacks';
import { droppedByHook, frameSize } from './message-telemetry';
import type { ResolvedSocketOptions } from './options';
import type { Router } from './router';
import type { SocketFeatures } from './socket-features';
import type { Supervisor } from './supervisor';
import type { Telemetry } from './telemetry';

/** What the inbound path needs from its socket besides the parts it is handed. */
export interface InboundHost {
  log(kind: string, msg: string, data?: unknown): void;
  reportError(error: unknown, where: string): void;
}

/**
 * Decodes and dispatches the frames of one socket, and keeps the pings waiting for their reply.
 *
 * @example
 * const inbound = new InboundDispatch(options, telemetry, features, router, callbacks, supervisor, socket);
 * inbound.frame(event); // from the transport's message event
 */
export class InboundDispatch {
  /** Vue's `markRaw` flag: a reactive proxy of a socket or channel (Vue `reactive`/`ref`) stops at this internal object, whose #private members a proxy could not reach (socket.proxy.test.ts). */
  private get __v_skip(): true {
    return true;
  }

  readonly #pings = new Map<string, { sentAt: number; callback: (rttMs: number) => void }>();

  readonly #options: ResolvedSocketOptions;
  readonly #telemetry: Telemetry;
  readonly #features: SocketFeatures;
  readonly #router: Router<HostedChannel>;
  readonly #callbacks: SocketCallbacks;
  readonly #supervisor: Supervisor;
  readonly #host: InboundHost;

  constructor(
    options: ResolvedSocketOptions,
    telemetry: Telemetry,
    features: SocketFeatures,
    router: Router<HostedChannel>,
    callbacks: SocketCallbacks,
    supervisor: Supervisor,
    host: InboundHost,
  ) {
    this.#options = options;
    this.#telemetry = telemetry;
    this.#features = features;
    this.#router = router;
    this.#callbacks = callbacks;
    this.#supervisor = supervisor;
    this.#host = host;
  }

  /** Waits for the reply to the ping sent with `ref`: `callback(rttMs)` runs when it arrives. */
  expectPing(ref: string, callback: (rttMs: number) => void): void {
    this.#pings.set(ref, { sentAt: this.#options.scheduler.now(), callback });
  }

  /** The transport is gone: pending pings never answer. */
  clearPings(): void {
    this.#pings.clear();
  }

  /** One frame from the current transport. */
  frame(event: TransportMessageEvent): void {
    const frame = event.data;
    let message: Message;
    try {
      message = this.#options.serializer.decode(frame);
    } catch (error) {
      this.#decodeFailed(error, frame);
      return;
    }
    if (this.#telemetry.has('message:received')) {
      this.#telemetry.emit('message:received', {
        measurements: { bytes: frameSize(frame) },
        metadata: { topic: message.topic, event: message.event, ref: message.ref },
      });
    }
    if (this.#features.tap !== null && message.topic !== PHOENIX_TOPIC) {
      const tapped = this.#features.tap.inbound(message);
      if (tapped === null) {
        droppedByHook(this.#telemetry, message);
        return;
      }
      message = tapped;
    }
    if (this.#options.logger !== null) this.#host.log('receive', `${message.topic} ${message.event} ${message.ref ?? ''}`, message.payload);
    if (message.topic === PHOENIX_TOPIC) this.#onPhoenixMessage(message);
    else {
      const channel = this.#router.route(message);
      if (channel !== undefined) {
        try {
          channel.dispatch(message);
        } catch (error) {
          this.#host.reportError(error, `dispatch to "${message.topic}"`);
        }
      } else if (this.#telemetry.has('message:dropped')) {
        this.#telemetry.emit('message:dropped', {
          measurements: {},
          metadata: { topic: message.topic, event: message.event, join_ref: message.joinRef, reason: this.#router.dropReason(message) },
        });
      }
    }
    if (this.#callbacks.has('message')) this.#callbacks.run('message', message);
  }

  #onPhoenixMessage(message: Message): void {
    if (this.#supervisor.heartbeatReply(message.ref)) return;
    const ping = message.ref !== null ? this.#pings.get(message.ref) : undefined;
    if (ping === undefined || message.ref === null) return;
    this.#pings.delete(message.ref);
    const rtt = this.#options.scheduler.now() - ping.sentAt;
    try {
      ping.callback(rtt);
    } catch (error) {
      this.#host.reportError(error, 'ping callback');
    }
  }

  #decodeFailed(error: unknown, frame: string | ArrayBuffer): void {
    const decodeError = error instanceof DecodeError ? error : new DecodeError('the serializer could not decode a frame', frame, { cause: error });
    this.#host.log('receive', decodeError.message, decodeError.frame);
    this.#telemetry.emit('decode:error', { measurements: { bytes: frameSize(frame) }, metadata: { error: decodeError } });
    this.#callbacks.run('error', decodeError);
  }
}
