/**
 * The `Socket` supervisor: owns one transport at a time, routes frames to channels, keeps the connection
 * alive (heartbeat) and comes back after every close the app did not ask for (backoff with jitter).
 * A drop-in for phoenix.js's `Socket`.
 */
import {
  BufferOverflowError,
  Channel,
  type ChannelHost,
  type ChannelPacer,
  type PacedChannel,
  type ChannelParams,
  type CircuitBreakerSettings,
  type EventMap,
  type HostedChannel,
  type InFlightPolicy, OverflowPolicy,
  type Scheduler,
  type TelemetryEventMap,
  type TelemetryEventName,
} from '@phx-socket/channel';
import { HEARTBEAT_EVENT, PHOENIX_TOPIC, type Message } from '@phx-socket/transport';
import { backoffDelay } from './backoff';
import { SocketCallbacks, type SocketCallbackMap } from './callbacks';
import { phoenixConnectionState, type SocketState } from './connection-state';
import { buildEndpointURL, currentLocation, displayURL, wsProtocol } from './endpoint';
import { InboundDispatch } from './inbound';
import { droppedByHook } from './message-telemetry';
import { Outbox } from './outbox';
import { resolveOptions, type ResolvedSocketOptions, type SocketOptions, type SocketParams } from './options';
import { Router } from './router';
import { isThenable } from './connect-attempt';
import { Supervisor } from './supervisor';
import { Telemetry } from './telemetry';
import { Transmitter } from './transmit';
import { MessageDroppedError, type MessageHook, type MessageHookFn } from './hooks';
import { SocketFeatures, type SocketStats } from './socket-features';
import type { RateLimitStats, SocketRateLimiter } from './rate-limit';
import { checkChannelOptions, type ChannelOptions } from './channel-options';

/**
 * The object behind a Vue reactive proxy (`reactive(socket)`, `ref(channel)`), else `value` itself. A
 * channel whose methods run through such a proxy hands the proxy in as `this`; the router compares
 * channels by identity, so it must get the channel it stored.
 */
function unproxied<T extends object>(value: T): T {
  const raw = (value as { __v_raw?: T }).__v_raw;
  return raw === undefined ? value : unproxied(raw);
}

/** A frame for `socket.push`, in phoenix.js's shape. */
export interface RawPush {
  topic: string;
  event: string;
  payload?: unknown;
  ref?: string | null;
  join_ref?: string | null;
}

/**
 * A connection to a Phoenix endpoint, multiplexing channels. Accepts phoenix.js's options and methods;
 * adds promises, typed events, telemetry, bounded buffers and jittered reconnects.
 *
 * @example
 * import { Socket } from '@phx-socket/client';
 * const socket = new Socket('wss://example.com/socket', { params: { token } });
 * socket.connect();
 * const room = socket.channel<{ new_msg: { body: string } }>('room:lobby');
 * room.on('new_msg', ({ body }) => console.log(body));
 * await room.join();
 */
export class Socket implements ChannelHost {
  /** The endpoint as given (`/socket`, `wss://host/socket`). */
  readonly endPoint: string;
  /** Telemetry: `socket.telemetry.on('socket:connected', fn)`; see `TelemetryEventMap`. */
  readonly telemetry = new Telemetry();
  readonly timeoutMs: number;
  readonly scheduler: Scheduler;
  readonly sendBufferLimit: number;
  readonly overflowPolicy: OverflowPolicy;
  readonly inFlightPolicy: InFlightPolicy;
  /** Resends allowed per push under `inFlightPolicy: 'resend'`. */
  readonly maxResends: number;
  /** A connection or join ending sooner than this counts as failed, ms. */
  readonly healthyAfterMs: number;
  /** When retrying pauses (null: never). */
  readonly circuitBreaker: CircuitBreakerSettings | null;
  /**
   * App data that lives as long as this socket, across reconnects and hibernation: the client side of
   * Phoenix's `socket.assigns`. Functions given as `params` or `authToken` can read it at every connect.
   *
   * @example
   * const socket = new Socket(url, { assigns: { token: 'a' }, params: () => ({ token: socket.assigns.token }) });
   * socket.assigns.token = 'b'; // the next reconnect sends token=b
   */
  readonly assigns: Record<string, unknown>;

  private readonly options: ResolvedSocketOptions;
  private readonly supervisor: Supervisor;
  private readonly router = new Router<HostedChannel>();
  private readonly callbacks: SocketCallbacks;
  private readonly outbox: Outbox;

  /** Decodes and routes inbound frames; keeps the pings waiting for their reply. */
  private readonly inbound: InboundDispatch;

  /** Encodes and sends outbound frames on the current transport. */
  private readonly transmitter: Transmitter;
  private params: SocketParams;
  private ref = 0;
  /** Binary pool, topic handlers, hooks, hibernation: each null/empty unless configured. */
  private readonly features: SocketFeatures;
  /** Client-side rate limiting (the `rateLimit` option): null unless configured. */
  private readonly rateLimiter: SocketRateLimiter | null;

  constructor(endPoint: string, options: SocketOptions = {}) {
    if (typeof endPoint !== 'string' || endPoint === '') {
      throw new TypeError('endPoint must be a non-empty URL string, e.g. "wss://example.com/socket"');
    }
    const resolved = resolveOptions(options);
    this.features = new SocketFeatures(options, {
      scheduler: resolved.scheduler,
      channels: () => this.router.all(),
      stretchHeartbeat: (intervalMs) => this.supervisor.stretchHeartbeat(intervalMs),
      closeTransport: () => this.supervisor.disconnect(),
      openTransport: () => this.supervisor.connect(),
      hibernated: (event) => this.telemetry.emit('socket:hibernated', event),
      woke: (event) => this.telemetry.emit('socket:woke', event),
      reportError: (error, where) => this.reportError(error, where),
    });
    const serializer = this.features.serializer(resolved.serializer);
    this.options = serializer === resolved.serializer ? resolved : { ...resolved, serializer };
    this.endPoint = endPoint;
    this.params = this.options.params;
    this.timeoutMs = this.options.timeout;
    this.scheduler = this.options.scheduler;
    this.sendBufferLimit = this.options.sendBufferLimit;
    this.overflowPolicy = this.options.overflowPolicy;
    this.inFlightPolicy = this.options.inFlightPolicy;
    this.maxResends = this.options.maxResends;
    this.healthyAfterMs = this.options.healthyAfterMs;
    this.circuitBreaker = this.options.circuitBreaker;
    this.assigns = { ...this.options.assigns };
    this.callbacks = new SocketCallbacks((error, where) => this.reportError(error, where));
    this.outbox = new Outbox({ limit: this.sendBufferLimit, policy: this.overflowPolicy, telemetry: this.telemetry });
    this.supervisor = new Supervisor(endPoint, displayURL(endPoint), this.options, this.telemetry, () => this.params, {
      opened: () => this.opened(),
      frame: (event) => this.inbound.frame(event),
      down: (reason) => this.down(reason),
      closed: (event) => this.callbacks.run('close', event),
      error: (error) => this.callbacks.run('error', error),
      transmit: (message) => this.transmitter.transmit(message),
      makeRef: () => this.makeRef(),
      ping: (callback) => this.ping(callback),
      log: (kind, msg, data) => this.log(kind, msg, data),
      reportError: (error, where) => this.reportError(error, where),
    });
    this.transmitter = new Transmitter(this.options, this.telemetry, this.callbacks, this.supervisor, this);
    this.inbound = new InboundDispatch(this.options, this.telemetry, this.features, this.router, this.callbacks, this.supervisor, this);
    this.rateLimiter =
      this.options.rateLimit?.create({
        scheduler: this.scheduler,
        random: this.options.random,
        isConnected: () => this.isConnected(),
        emit: (name, event) => this.telemetry.emit(name, event),
      }) ?? null;
    if (this.options.autoConnect) this.connect();
  }

  // ── state ──────────────────────────────────────────────────────────────────────────────────────

  /** A read-only snapshot of the connection (see `SocketState`). */
  get state(): SocketState {
    return this.supervisor.machine.state;
  }

  /** phoenix.js: `'connecting' | 'open' | 'closing' | 'closed'`. */
  connectionState(): 'connecting' | 'open' | 'closing' | 'closed' {
    return phoenixConnectionState(this.supervisor.machine.status);
  }

  /** True when the transport is open. */
  isConnected(): boolean {
    return this.supervisor.isOpen();
  }

  /** `'wss'` on an https page, else `'ws'`. */
  protocol(): 'ws' | 'wss' {
    return wsProtocol(currentLocation());
  }

  /** The URL the next connection uses, params included (async params: the last resolved ones). */
  endPointURL(): string {
    let params = this.supervisor.lastParams;
    if (typeof this.params !== 'function') params = this.params;
    else {
      try {
        const value = this.params();
        if (!isThenable(value)) params = value;
      } catch {
        // Keep the last params; connect() reports the failure.
      }
    }
    return buildEndpointURL(this.endPoint, params, this.options.vsn);
  }

  // ── connect / disconnect ──────────────────────────────────────────────────────────────────────

  /**
   * Connects (no-op while connecting or open). Params and authToken are re-read, and awaited when they are
   * async, before every attempt. Passing `params` here replaces the constructor's (phoenix.js compat).
   */
  connect(params?: SocketParams): void {
    if (params !== undefined) {
      if (typeof params !== 'function' && (typeof params !== 'object' || params === null)) {
        throw new TypeError('connect(params): params must be an object or a function');
      }
      this.params = params;
    }
    this.features.connected();
    this.supervisor.connect();
  }

  /**
   * Closes the connection and stops reconnecting until `connect()`. `callback` runs once the transport
   * confirmed the close (or after a short grace period). Joined channels error and rejoin after the next
   * `connect()`.
   */
  disconnect(callback?: () => void, code?: number, reason?: string): void {
    this.features.disconnected();
    this.supervisor.disconnect(callback, code, reason);
  }

  /** The transport opened: flush what waited, rejoin channels, tell the app. */
  private opened(): void {
    this.outbox.flush((message) => this.transmitter.transmit(message));
    for (const channel of this.router.all()) this.runIsolated(() => channel.onSocketOpen(), `onSocketOpen of "${channel.topic}"`);
    this.rateLimiter?.opened();
    this.callbacks.run('open');
  }

  /** The transport is gone: pending pings never answer, channels error (and rejoin after reconnect). */
  private down(reason: string): void {
    this.inbound.clearPings();
    for (const channel of this.router.all()) this.runIsolated(() => channel.onSocketDown(reason), `onSocketDown of "${channel.topic}"`);
    // After the channels: pushes that waited for the rate limit go back to their buffers behind recovered ones.
    this.rateLimiter?.down();
  }

  // ── outbound ──────────────────────────────────────────────────────────────────────────────────

  /**
   * phoenix.js's raw push: sends a frame now, or buffers it until the transport opens. With
   * `overflowPolicy: 'reject'` a full buffer throws `BufferOverflowError`.
   */
  push(data: RawPush): void {
    let message: Message | null = { joinRef: data.join_ref ?? null, ref: data.ref ?? null, topic: data.topic, event: data.event, payload: data.payload ?? {} };
    if (this.features.tap !== null && message.topic !== PHOENIX_TOPIC) {
      const original: Message = message;
      message = this.features.tap.outbound(message);
      if (message === null) return droppedByHook(this.telemetry, original);
    }
    if (this.isConnected()) this.transmitter.transmit(message);
    else if (!this.outbox.push(message)) throw new BufferOverflowError(message.topic, message.event, this.sendBufferLimit);
  }

  /**
   * @internal ChannelHost: sends now; false (nothing sent, nothing buffered) while the transport is not
   * open, so the channel keeps the push. Throws the transport's typed refusal of this frame (a binary push
   * over LongPoll: `LongPollBinaryError`), so the push fails with it.
   */
  send(message: Message): boolean {
    if (!this.isConnected()) return false;
    if (this.features.tap !== null) {
      const tapped = this.features.tap.outbound(message);
      if (tapped === null) {
        droppedByHook(this.telemetry, message);
        throw new MessageDroppedError(message.topic, message.event);
      }
      message = tapped;
    }
    const refused = this.transmitter.transmit(message);
    if (refused !== undefined) throw refused;
    return true;
  }

  /** Measures a round trip: `callback(rttMs)` on the reply. False (and no call) when not connected. */
  ping(callback: (rttMs: number) => void): boolean {
    if (!this.isConnected()) return false;
    const ref = this.makeRef();
    this.inbound.expectPing(ref, callback);
    this.transmitter.transmit({ joinRef: null, ref, topic: PHOENIX_TOPIC, event: HEARTBEAT_EVENT, payload: {} });
    return true;
  }

  // ── channels ──────────────────────────────────────────────────────────────────────────────────

  /**
   * Creates a channel for `topic` (join it with `channel.join()`). `In`/`Out` type inbound and outbound
   * event payloads. `options` adds a per-channel `rateLimit` and `catchUp` (see `ChannelOptions`).
   */
  channel<In extends object = EventMap, Out extends object = EventMap>(topic: string, params?: ChannelParams, options?: ChannelOptions): Channel<In, Out> {
    if (typeof topic !== 'string' || topic === '') throw new TypeError('channel(topic): topic must be a non-empty string');
    const { rateLimit, catchUp } = checkChannelOptions(options);
    if (rateLimit !== undefined && this.rateLimiter === null) {
      throw new TypeError("channel(topic, params, { rateLimit }) needs the socket option rateLimit: rateLimiting({ ... })");
    }
    const ownRate = rateLimit === undefined ? null : (this.rateLimiter as SocketRateLimiter).channelSettings(rateLimit);
    const channel = new Channel<In, Out>(topic, catchUp === undefined ? params : catchUp.params(params), this);
    if (ownRate !== null) this.rateLimiter?.limitChannel(channel, ownRate);
    catchUp?.attach(channel as unknown as Channel);
    this.router.add(channel);
    const attach = this.features.attach;
    if (attach !== null) attach(channel as unknown as Channel);
    return channel;
  }

  /** @internal ChannelHost: told of every channel that closes for good (a `SocketPool` sets it). */
  channelClosed: ((channel: HostedChannel, payload: unknown, ref: string | null, joinRef: string | null) => void) | undefined = undefined;

  /** Forgets a channel (called when it closes). */
  remove(channel: HostedChannel): void {
    this.router.remove(unproxied(channel));
    this.rateLimiter?.forget(unproxied(channel) as PacedChannel);
  }

  /** @internal ChannelHost: paces pushes and joins when rate limiting is configured. */
  get pacer(): ChannelPacer | null {
    return this.rateLimiter;
  }

  /** Counters of client-side rate limiting; null without the `rateLimit` option. */
  rateLimitStats(): RateLimitStats | null {
    return this.rateLimiter?.stats() ?? null;
  }

  /** @internal ChannelHost: routes `joinRef` to `channel`; `previous` becomes stale. */
  bindJoinRef(channel: HostedChannel, joinRef: string | null, previous: string | null): void {
    this.router.bindJoinRef(unproxied(channel), joinRef, previous);
  }

  /** @internal Channels this socket holds (joined, joining, leaving...), until each closes. */
  get channelCount(): number {
    return this.router.size;
  }

  /** @internal The channels on `topic` that are joined or joining (a `SocketPool` keeps a topic on one socket). */
  openOnTopic(topic: string): readonly HostedChannel[] {
    return this.router.openOnTopic(topic);
  }

  /** @internal ChannelHost: leaves other joined/joining channels on the topic `channel` is joining. */
  leaveOpenTopic(channel: HostedChannel): void {
    for (const other of this.router.openOnTopic(channel.topic, unproxied(channel))) {
      this.log('transport', `leaving duplicate topic "${channel.topic}"`);
      if (other instanceof Channel) other.leave();
    }
  }

  /** @internal ChannelHost: jittered rejoin delay for try `tries`. */
  rejoinAfterMs(tries: number): number {
    return backoffDelay(tries, this.options.rejoinAfterMs, this.options.rejoinJitter, this.options.random, 10_000);
  }

  /** Jittered reconnect delay for try `tries` (what the socket waits before reconnecting). */
  reconnectAfterMs(tries: number): number {
    return backoffDelay(tries, this.options.reconnectAfterMs, this.options.jitter, this.options.random);
  }

  // ── hooks, stats, hibernation ─────────────────────────────────────────────────────────────────

  /**
   * Installs a message hook, run after those already installed: `inbound(message)` sees each message
   * from the server before it is routed, `outbound(message)` each push/join/leave before it is encoded
   * (heartbeats excluded). Return nothing to pass it on, a new message to replace it, `null` to drop it
   * (`message:dropped` telemetry with reason `'hook'`; a dropped push fails with `MessageDroppedError`).
   * A throwing hook is reported as `handler:error` and the message goes on unchanged. With no hook
   * installed the socket pays nothing. Returns the function that removes the hook.
   *
   * @example
   * const off = socket.use({
   *   outbound: (m) => ({ ...m, payload: { ...(m.payload as object), trace: traceId() } }),
   *   inbound: (m) => (m.event === 'typing' && muted.has(m.topic) ? null : undefined),
   * });
   * socket.use((m, direction) => console.debug(direction, m.topic, m.event)); // observe both ways
   * off();
   */
  use(hook: MessageHook | MessageHookFn): () => void {
    return this.features.use(hook);
  }

  /**
   * A snapshot of the optional components: `binaryPool`, `routeCache` (with topic handler counts),
   * `hibernation` (null when not configured) and `hooks`.
   *
   * @example
   * const { binaryPool } = socket.stats();
   * if (binaryPool) console.log(`pool: ${binaryPool.hits} hits, ${binaryPool.bytes} bytes`);
   */
  stats(): SocketStats {
    return this.features.stats();
  }

  /** @internal ChannelHost: a push waits in a channel buffer; a hibernated socket reconnects. */
  needConnection(): void {
    this.features.demand();
  }

  // ── callbacks, refs, logging ──────────────────────────────────────────────────────────────────

  /** Called each time the transport opens. Returns a ref for `off`. */
  onOpen(callback: SocketCallbackMap['open']): string {
    return this.callbacks.add('open', this.makeRef(), callback);
  }
  /** Called each time the transport closes (and on heartbeat timeout). Returns a ref for `off`. */
  onClose(callback: SocketCallbackMap['close']): string {
    return this.callbacks.add('close', this.makeRef(), callback);
  }
  /** Called on transport errors, undecodable frames, failed connects and exhausted reconnects. */
  onError(callback: SocketCallbackMap['error']): string {
    return this.callbacks.add('error', this.makeRef(), callback);
  }
  /** Called with every decoded inbound message. Returns a ref for `off`. */
  onMessage(callback: SocketCallbackMap['message']): string {
    return this.callbacks.add('message', this.makeRef(), callback);
  }
  /** Removes callbacks by the refs `onOpen`/`onClose`/`onError`/`onMessage` returned. */
  off(refs: readonly string[]): void {
    this.callbacks.off(refs);
  }

  /** Next message ref: an increasing decimal string. */
  makeRef(): string {
    this.ref = this.ref >= Number.MAX_SAFE_INTEGER ? 1 : this.ref + 1;
    return String(this.ref);
  }

  /** True when a logger is configured. */
  hasLogger(): boolean {
    return this.options.logger !== null;
  }

  /** Logs through the `logger` option (phoenix.js signature). */
  log(kind: string, msg: string, data?: unknown): void {
    const logger = this.options.logger;
    if (logger === null) return;
    try {
      logger(kind, msg, data);
    } catch {
      // A broken logger must not break the socket.
    }
  }

  /** @internal ChannelHost: telemetry from channels. */
  emit<K extends TelemetryEventName>(name: K, event: TelemetryEventMap[K]): void {
    this.telemetry.emit(name, event);
  }

  /** True when someone listens to telemetry `name`; lets callers skip building the event. */
  wants(name: TelemetryEventName): boolean {
    return this.telemetry.has(name);
  }

  /** @internal ChannelHost: a user callback threw; report it and go on. */
  reportError(error: unknown, where: string): void {
    this.log('error', `${where} threw`, error);
    if (this.telemetry.has('handler:error')) this.telemetry.emit('handler:error', { measurements: {}, metadata: { error, where } });
    else if (this.options.logger === null) console.error(`[phx-socket] ${where} threw`, error);
  }

  private runIsolated(fn: () => void, where: string): void {
    try {
      fn();
    } catch (error) {
      this.reportError(error, where);
    }
  }
}
