/**
 * The connection supervisor: one transport at a time, opened after params/authToken resolve, kept alive
 * by the heartbeat, replaced with backoff after every close the app did not ask for, and gently handled
 * while a browser page is hidden. It knows nothing of channels; the socket hears about it through hooks.
 */
import {
  HEARTBEAT_EVENT,
  PHOENIX_TOPIC,
  type Message,
  type TransportCloseEvent,
  type TransportConstructor,
  type TransportMessageEvent,
} from '@phx-socket/transport';
import { isThenable, resolveSource } from './connect-attempt';
import { Connection, transportName } from './connection';
import { ConnectionStateMachine, type CloseInfo, type SocketState } from './connection-state';
import { buildEndpointURL } from './endpoint';
import { ConnectError, HeartbeatTimeoutError, ReconnectExhaustedError, TransportError } from './errors';
import type { FallbackEvent } from './fallback';
import { Heartbeat } from './heartbeat';
import type { ResolvedSocketOptions, SocketParams } from './options';
import { Reconnector } from './reconnector';
import type { Telemetry } from './telemetry';
import { TransportChoice } from './transport-choice';
import { isPageHidden, watchPage } from './visibility';

/** What the supervisor tells its socket. */
export interface SupervisorHooks {
  /** The transport opened; the state is already `open`. */
  opened(): void;
  /** A frame arrived on the current transport. */
  frame(event: TransportMessageEvent): void;
  /** The transport is gone or going (`'transport'`, `'heartbeat_timeout'`, `'disconnect'`): error the channels. */
  down(reason: string): void;
  /** The transport closed (or was given up on): run the app's close callbacks. */
  closed(event: TransportCloseEvent): void;
  /** Something went wrong that the app's error callbacks should hear about. */
  error(error: unknown): void;
  /** Encodes and sends on the current transport (heartbeats). */
  transmit(message: Message): void;
  /** The socket's ref counter (heartbeat refs must not collide with push refs). */
  makeRef(): string;
  /** Sends a ping; `callback` runs on its reply (the fallback's health check of a fresh WebSocket). */
  ping(callback: () => void): boolean;
  log(kind: string, msg: string, data?: unknown): void;
  reportError(error: unknown, where: string): void;
}

/** How long `disconnect()` waits for the transport to confirm the close before letting it go, ms. */
const CLOSE_WAIT_MS = 3000;
type Waiting = Extract<SocketState, { status: 'reconnecting' | 'suspended' }>;

/**
 * Drives the connection state machine. `epoch` is bumped by every connect and disconnect so the late
 * result of a superseded attempt (async params, a stale transport's events) does nothing.
 *
 * @example
 * const sup = new Supervisor(endPoint, displayUrl, options, telemetry, () => params, hooks);
 * sup.connect();
 * sup.connection?.send(frame);
 */
export class Supervisor {
  /** Vue's `markRaw` flag: a reactive proxy of a socket or channel (Vue `reactive`/`ref`) stops at this internal object, whose #private members a proxy could not reach (socket.proxy.test.ts). */
  private get __v_skip(): true {
    return true;
  }

  readonly machine: ConnectionStateMachine;
  /** The params of the last attempt, for `endPointURL()` when params are async. */
  lastParams: Record<string, unknown> = {};
  #conn: Connection | null = null;
  readonly #reconnector: Reconnector;
  readonly #heartbeat: Heartbeat;
  #epoch = 0;
  #closeWait: { timer: unknown; callbacks: Array<() => void> } | null = null;
  #stopWatchingPage: (() => void) | null = null;

  /** The primary transport class and the LongPoll fallback, when `longPollFallbackMs` is set. */
  readonly #transports: TransportChoice;

  readonly #endPoint: string;
  readonly #displayUrl: string;
  readonly #options: ResolvedSocketOptions;
  readonly #telemetry: Telemetry;
  readonly #params: () => SocketParams;
  readonly #hooks: SupervisorHooks;

  constructor(
    endPoint: string,
    displayUrl: string,
    options: ResolvedSocketOptions,
    telemetry: Telemetry,
    params: () => SocketParams,
    hooks: SupervisorHooks,
  ) {
    this.#endPoint = endPoint;
    this.#displayUrl = displayUrl;
    this.#options = options;
    this.#telemetry = telemetry;
    this.#params = params;
    this.#hooks = hooks;
    const { scheduler, heartbeatIntervalMs, heartbeatTimeoutMs, circuitBreaker } = options;
    this.machine = new ConnectionStateMachine(telemetry, (from, to) =>
      hooks.reportError(new Error(`illegal connection transition ${from} -> ${to}`), 'connection state'),
    );
    this.#reconnector = new Reconnector({
      scheduler,
      schedule: options.reconnectAfterMs,
      jitter: options.jitter,
      random: options.random,
      stableAfterMs: options.healthyAfterMs,
      maxAttempts: options.maxReconnectAttempts,
      circuitThreshold: circuitBreaker?.threshold ?? Infinity,
      circuitMinFailingMs: circuitBreaker?.minFailingMs ?? 0,
      onRecovered: (openMs) => telemetry.emit('socket:circuit_closed', { measurements: { open_ms: openMs }, metadata: {} }),
    });
    this.#heartbeat = new Heartbeat(
      { intervalMs: heartbeatIntervalMs, timeoutMs: heartbeatTimeoutMs, scheduler },
      {
        makeRef: () => hooks.makeRef(),
        send: (ref) => hooks.transmit({ joinRef: null, ref, topic: PHOENIX_TOPIC, event: HEARTBEAT_EVENT, payload: {} }),
        onReply: (rtt, ref) => telemetry.emit('heartbeat', { measurements: { rtt_ms: rtt }, metadata: { ref } }),
        onTimeout: (ref, timeoutMs) => this.#heartbeatTimedOut(ref, timeoutMs),
      },
    );
    this.#transports = new TransportChoice(options, telemetry, hooks, (event) => this.#fellBack(event));
  }

  /** The open (or opening) transport, or null. */
  get connection(): Connection | null {
    return this.#conn;
  }

  /** True when the transport is open. */
  isOpen(): boolean {
    return this.#conn !== null && this.machine.status === 'open';
  }

  /** True when `ref` answered our heartbeat (the next beat is then scheduled). */
  heartbeatReply(ref: string | null): boolean {
    return this.#heartbeat.handleReply(ref);
  }

  /** Hibernation: beat every `intervalMs` while hibernated; `null` restores the configured interval. */
  stretchHeartbeat(intervalMs: number | null): void {
    this.#heartbeat.stretch(intervalMs);
  }

  connect(): void {
    const status = this.machine.status;
    if (status === 'connecting' || status === 'open') return;
    if (status === 'closing') this.#finishClosing({ code: 1000, reason: 'replaced by connect()', wasClean: false });
    if (this.#stopWatchingPage === null) this.#stopWatchingPage = watchPage(() => this.#wake());
    // A waiting socket keeps its count (the backoff goes on growing); an open circuit starts over: the app
    // asked for a try now.
    if (status === 'reconnecting') this.#attempt(this.#reconnector.begin());
    else {
      this.#reconnector.reset();
      this.#attempt(0);
    }
  }

  disconnect(callback?: () => void, code?: number, reason?: string): void {
    this.#epoch++;
    this.#reconnector.reset();
    this.#transports.fallback?.stop();
    this.#stopWatchingPage?.();
    this.#stopWatchingPage = null;
    const status = this.machine.status;
    const conn = this.#conn;
    if (conn !== null && (status === 'open' || status === 'connecting')) {
      this.#heartbeat.stop();
      this.machine.transition({ status: 'closing', url: this.#displayUrl, transport: conn.name, since: this.#options.scheduler.now() });
      const fallback = { code: code ?? 1000, reason: reason ?? 'close not confirmed', wasClean: false };
      this.#closeWait = {
        timer: this.#options.scheduler.setTimeout(() => this.#finishClosing(fallback), CLOSE_WAIT_MS),
        callbacks: callback ? [callback] : [],
      };
      this.#hooks.down('disconnect');
      conn.close(code, reason);
      return;
    }
    if (status === 'closing') {
      if (callback) this.#closeWait?.callbacks.push(callback);
      return;
    }
    if (status !== 'closed' && status !== 'idle') {
      this.machine.transition({ status: 'closed', reason: 'disconnected', attempts: this.#reconnector.attempts, lastClose: null });
    }
    if (callback) this.#runIsolated(callback, 'disconnect callback');
  }

  /** Starts attempt `attempt` (0 = first connect): resolves params/authToken, then opens a transport. */
  #attempt(attempt: number): void {
    const epoch = ++this.#epoch;
    const transport = this.#transports.next();
    this.#transports.watchFallback(transport);
    this.machine.transition({
      status: 'connecting',
      attempt,
      url: this.#displayUrl,
      transport: transportName(transport),
      startedAt: this.#options.scheduler.now(),
    });
    const params = resolveSource('params', this.#params());
    const token = resolveSource('auth_token', this.#options.authToken);
    if (!isThenable(params) && !isThenable(token)) {
      this.#open(epoch, attempt, transport, params, token);
      return;
    }
    Promise.all([params, token]).then(
      ([p, t]) => this.#open(epoch, attempt, transport, p, t),
      (error: unknown) => {
        if (epoch === this.#epoch) this.#connectFailed(error instanceof ConnectError ? error : new ConnectError('params', { cause: error }));
      },
    );
  }

  #open(epoch: number, attempt: number, transport: TransportConstructor, params: unknown, token: unknown): void {
    if (epoch !== this.#epoch || this.machine.status !== 'connecting') return;
    if (typeof params !== 'object' || params === null) {
      this.#connectFailed(new ConnectError('params', { cause: new TypeError('params must resolve to an object') }));
      return;
    }
    if (token !== undefined && token !== null && typeof token !== 'string') {
      this.#connectFailed(new ConnectError('auth_token', { cause: new TypeError('authToken must resolve to a string') }));
      return;
    }
    this.lastParams = params as Record<string, unknown>;
    const url = buildEndpointURL(this.#endPoint, this.lastParams, this.#options.vsn);
    this.#hooks.log('transport', `connecting to ${url}`);
    try {
      this.#conn = new Connection(transport, url, (token as string | null | undefined) ?? undefined, this.#options.binaryType, {
        open: (c) => c === this.#conn && this.#onOpen(c, attempt),
        message: (c, event) => c === this.#conn && this.#hooks.frame(event),
        error: (c, event) => c === this.#conn && this.#onError(event),
        close: (c, event) => c === this.#conn && this.#onClose(event),
      });
      this.#conn.setRequestTimeout(this.#options.longpollerTimeout);
    } catch (cause) {
      this.#connectFailed(new ConnectError('transport', { cause }));
    }
  }

  #connectFailed(error: ConnectError): void {
    this.#hooks.log('transport', error.message, error.cause);
    this.#telemetry.emit('socket:error', { measurements: {}, metadata: { error } });
    this.#scheduleReconnect('connect_error', null);
    this.#hooks.error(error);
  }

  #onOpen(conn: Connection, attempt: number): void {
    this.#hooks.log('transport', `connected to ${this.#displayUrl}`);
    this.machine.transition({ status: 'open', attempt, url: this.#displayUrl, transport: conn.name, connectedAt: this.#options.scheduler.now() });
    this.#reconnector.opened();
    if (!conn.skipHeartbeat) this.#heartbeat.start();
    this.#hooks.opened();
    const fallback = this.#transports.fallback;
    if (fallback === null || this.#conn !== conn) return;
    if (fallback.active) fallback.fallbackOpened();
    else {
      // An open WebSocket proves little behind some proxies: only an answered ping settles it.
      fallback.primaryOpened();
      this.#hooks.ping(() => fallback.primaryHealthy());
    }
  }

  #onError(event: unknown): void {
    this.#hooks.log('transport', 'error', event);
    // Aborting a transport that is still connecting makes some report an error; the app asked for it.
    if (this.machine.status === 'closing') return;
    if (this.#transports.fallback?.primaryFailed()) return;
    this.#telemetry.emit('socket:error', { measurements: {}, metadata: { error: new TransportError({ cause: event }) } });
    // phoenix.js hands error callbacks the transport's own event; keep that for drop-in compatibility.
    this.#hooks.error(event);
  }

  #onClose(event: TransportCloseEvent): void {
    this.#hooks.log('transport', 'close', event);
    if (this.machine.status === 'closing') {
      this.#finishClosing(event);
      return;
    }
    if (this.#transports.fallback?.primaryFailed()) return;
    this.#dropConnection();
    this.#scheduleReconnect('transport_close', { code: event.code, reason: event.reason, requested: false });
    this.#hooks.down('transport');
    this.#hooks.closed(event);
  }

  #heartbeatTimedOut(ref: string, timeoutMs: number): void {
    this.#hooks.log('transport', 'heartbeat timeout; reconnecting');
    this.#telemetry.emit('heartbeat:timeout', { measurements: { timeout_ms: timeoutMs }, metadata: { ref } });
    const conn = this.#dropConnection();
    // The peer stopped answering; a close handshake could wait as long as the OS allows.
    conn?.abort(1000, 'heartbeat timeout');
    const event: TransportCloseEvent = { code: 1006, reason: 'heartbeat_timeout', wasClean: false };
    this.#scheduleReconnect('heartbeat_timeout', { code: event.code, reason: event.reason, requested: false });
    this.#telemetry.emit('socket:error', { measurements: {}, metadata: { error: new HeartbeatTimeoutError(timeoutMs) } });
    this.#hooks.down('heartbeat_timeout');
    this.#hooks.closed(event);
  }

  /**
   * The primary did not prove itself: drop it and reconnect on the fallback (a short backoff step; the
   * reconnect path already handles channels, params and the page being hidden).
   */
  #fellBack(event: FallbackEvent): void {
    this.#transports.reportFallback(event);
    const status = this.machine.status;
    if (status !== 'connecting' && status !== 'open') return; // a pending retry picks the fallback up
    const conn = this.#dropConnection();
    conn?.abort(1000, 'transport fallback');
    const close: TransportCloseEvent = { code: 1000, reason: 'transport_fallback', wasClean: false };
    this.#scheduleReconnect('transport_fallback', { code: close.code, reason: close.reason, requested: false });
    if (status === 'open') {
      this.#hooks.down('transport');
      this.#hooks.closed(close);
    }
  }

  /** Forgets the current transport: its late events are ignored from here on. */
  #dropConnection(): Connection | null {
    const conn = this.#conn;
    this.#conn = null;
    this.#heartbeat.stop();
    this.#reconnector.closed();
    conn?.detach();
    return conn;
  }

  #finishClosing(event: TransportCloseEvent): void {
    const wait = this.#closeWait;
    this.#closeWait = null;
    if (wait) this.#options.scheduler.clearTimeout(wait.timer);
    this.#dropConnection();
    this.machine.transition({
      status: 'closed',
      reason: 'disconnected',
      attempts: this.#reconnector.attempts,
      lastClose: { code: event.code, reason: event.reason, requested: true },
    });
    this.#hooks.closed(event);
    for (const callback of wait?.callbacks ?? []) this.#runIsolated(callback, 'disconnect callback');
  }

  /** After an unrequested close: waits (backoff) and tries again, pauses (circuit open), or gives up. */
  #scheduleReconnect(reason: string, lastClose: CloseInfo | null): void {
    const r = this.#reconnector;
    const closed = (why: 'reconnect_disabled' | 'reconnect_exhausted'): void =>
      this.machine.transition({ status: 'closed', reason: why, attempts: r.attempts, lastClose });
    if (!this.#options.reconnect) return closed('reconnect_disabled');
    if (r.exhausted) {
      closed('reconnect_exhausted');
      const error = new ReconnectExhaustedError(r.attempts);
      this.#telemetry.emit('socket:error', { measurements: {}, metadata: { error } });
      this.#hooks.error(error);
      return;
    }
    const breaker = this.#options.circuitBreaker;
    if (breaker !== null && r.circuitOpen) {
      const retry = r.schedule(() => this.#retryNow(), breaker.coolDownMs);
      this.machine.transition({
        status: 'suspended',
        failures: r.attempts,
        coolDownMs: breaker.coolDownMs,
        resumeAt: retry.nextAttemptAt,
        reason,
        lastClose,
      });
      const error = this.machine.lastCircuitError;
      this.#telemetry.emit('socket:error', { measurements: {}, metadata: { error } });
      this.#hooks.error(error);
      return;
    }
    if (isPageHidden()) {
      // Hidden tabs wait: the page-visible signal retries at once, with no storm in the background.
      this.machine.transition({ status: 'reconnecting', attempt: r.nextAttempt, delayMs: null, nextAttemptAt: null, reason, lastClose });
      return;
    }
    const retry = r.schedule(() => this.#retryNow());
    this.machine.transition({ status: 'reconnecting', attempt: retry.attempt, delayMs: retry.delayMs, nextAttemptAt: retry.nextAttemptAt, reason, lastClose });
  }

  #retryNow(): void {
    const status = this.machine.status;
    if (status !== 'reconnecting' && status !== 'suspended') return;
    if (isPageHidden() && status === 'reconnecting') {
      this.machine.transition({ ...(this.machine.state as Waiting & { status: 'reconnecting' }), delayMs: null, nextAttemptAt: null });
      return;
    }
    this.#attempt(this.#reconnector.begin());
  }

  /** The page became visible or came online: a socket waiting to reconnect (or cooling down) tries now. */
  #wake(): void {
    const status = this.machine.status;
    if (status === 'reconnecting' || status === 'suspended') this.#retryNow();
  }

  #runIsolated(fn: () => void, where: string): void {
    try {
      fn();
    } catch (error) {
      this.#hooks.reportError(error, where);
    }
  }
}
