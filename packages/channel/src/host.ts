import type { Message } from '@phx-socket/transport';
import type { Push } from './push';
import type { Scheduler } from './scheduler';
import type { TelemetryEventMap } from './telemetry-events';

/** What to do when a send buffer is full. */
export type OverflowPolicy = 'drop-oldest' | 'reject';

/**
 * What happens to pushes sent but not yet answered when the connection drops (or the channel crashes):
 * `'fail'` them at once with `ConnectionLostError` / `ChannelCrashedError` (at-most-once: a push is never
 * executed twice; the app decides), or `'resend'` them after the rejoin, each at most `maxResends` times
 * (at-least-once: the server may see a push twice, so its handler must be idempotent).
 */
export type InFlightPolicy = 'resend' | 'fail';

/**
 * When to stop retrying: after `threshold` consecutive failed or short-lived attempts, wait `coolDownMs`
 * before trying again (one probe; another failure waits again).
 */
export interface CircuitBreakerSettings {
  /** Consecutive failed or short-lived attempts that open the circuit. */
  readonly threshold: number;
  /** How long an open circuit waits before the next attempt, ms. */
  readonly coolDownMs: number;
}

/**
 * The seam between a `Channel` and the socket that owns it. The client's `Socket` implements it; a test
 * can implement it with a fake. Channels never import the socket.
 */
export interface ChannelHost {
  /** Default push/join/leave timeout, ms. */
  readonly timeoutMs: number;
  readonly scheduler: Scheduler;
  /** Per-buffer bound on pushes held while a channel is not joined. */
  readonly sendBufferLimit: number;
  readonly overflowPolicy: OverflowPolicy;
  /** Pushes awaiting a reply when the transport drops. Absent = `'fail'`. */
  readonly inFlightPolicy?: InFlightPolicy;
  /** Under `inFlightPolicy: 'resend'`, how often one push may be resent. Absent = 1. */
  readonly maxResends?: number;
  /**
   * A channel erroring sooner than this after its join counts as a failed join: the rejoin backoff keeps
   * growing and the circuit breaker counts it. Absent = 1000 ms.
   */
  readonly healthyAfterMs?: number;
  /** Stops rejoining a channel that keeps failing, for a cool-down. Absent or null = never stops. */
  readonly circuitBreaker?: CircuitBreakerSettings | null;
  /**
   * Client-side rate limiting. When set, an app push that could go out now and every (re)join made while
   * connected are handed to it instead of being sent; it sends them when the rate allows. Absent or null =
   * everything goes out at once.
   */
  readonly pacer?: ChannelPacer | null;
  /** Rejoin delay after `tries` failed joins, ms. */
  rejoinAfterMs(tries: number): number;
  /** Next message ref (increasing decimal string). */
  makeRef(): string;
  /** True when the transport is open. */
  isConnected(): boolean;
  /**
   * Encodes and sends now. False when the transport is not open: nothing is buffered at the socket level
   * for channels, the caller keeps the push (joins wait for the socket to open, pushes for the rejoin).
   */
  send(message: Message): boolean | void;
  /** False when nobody listens to `name`, so callers can skip building the event. Absent = always true. */
  wants?(name: keyof TelemetryEventMap): boolean;
  /**
   * A push is waiting in a channel buffer for the connection. A socket whose transport hibernation
   * closed reconnects now. Absent = nothing to do.
   */
  needConnection?(): void;
  /** Emits a telemetry event. */
  emit<K extends keyof TelemetryEventMap>(name: K, event: TelemetryEventMap[K]): void;
  /** A user callback threw: report it (telemetry `handler:error`, logger) and go on. */
  reportError(error: unknown, where: string): void;
  /** False when no logger is configured, so callers can skip building log lines. Absent = always true. */
  hasLogger?(): boolean;
  /** Debug logging through the socket's logger (phoenix.js `logger(kind, msg, data)`). */
  log(kind: string, msg: string, data?: unknown): void;
  /**
   * Routes messages carrying `joinRef` to `channel`. Called when a channel sends a new `phx_join`
   * (`previous` is its old join_ref, now stale) and with `joinRef = null` when it closes.
   */
  bindJoinRef(channel: HostedChannel, joinRef: string | null, previous: string | null): void;
  /** Forgets a closed channel. */
  remove(channel: HostedChannel): void;
  /**
   * A channel closed for good, after its own `onClose` handlers ran: one callback for every channel of a
   * socket (a `SocketPool` follows tens of thousands this way, without a binding each). Absent = nobody asks.
   */
  readonly channelClosed?: ((channel: HostedChannel, payload: unknown, ref: string | null, joinRef: string | null) => void) | undefined;
  /** Leaves any other open channel on `topic` before `channel` joins it (phoenix.js semantics). */
  leaveOpenTopic(channel: HostedChannel): void;
}

/**
 * Paces a socket's outbound app pushes and joins (see `ChannelHost.pacer`). Leaves and heartbeats never
 * wait in it.
 */
export interface ChannelPacer {
  /** `push` could go out now: send it when the rate allows (`channel.sendPaced(push)`), in order per channel. */
  push(channel: PacedChannel, push: Push): void;
  /** `channel` wants to (re)join now: call `channel.sendPacedJoin()` when the join rate allows. */
  join(channel: PacedChannel): void;
}

/** What a {@link ChannelPacer} calls back on the channels it paces. */
export interface PacedChannel extends HostedChannel {
  /** The push's turn came: sends it, keeps it for the rejoin (not joined), or fails it (closed). */
  sendPaced(push: Push): void;
  /** The join's turn came: sends the join if the channel still waits to join on an open socket. */
  sendPacedJoin(): void;
  /** The join push: its hooks fire on every (re)join reply. */
  readonly joinPush: Push;
}

/** The state of a channel. */
export type ChannelState = 'closed' | 'errored' | 'joining' | 'joined' | 'leaving';

/** What a socket calls on the channels it owns. */
export interface HostedChannel {
  readonly topic: string;
  readonly state: ChannelState;
  /** The ref of the current `phx_join`, or null before the first join. */
  readonly joinRef: string | null;
  /** Delivers one inbound message already routed to this channel (by join_ref, or by topic when null). */
  dispatch(message: Message): void;
  /** The socket (re)opened: an errored channel rejoins at once. */
  onSocketOpen(): void;
  /** The transport went away (`reason`: `'transport'`, `'heartbeat_timeout'`...): errors the channel. */
  onSocketDown(reason: string): void;
}
