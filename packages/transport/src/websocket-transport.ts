/**
 * What the Node and browser WebSocket transports share: the `TransportLike` surface, event dispatch, and
 * the connect timeout. Each platform file subclasses it and only says how to talk to its socket.
 */
import { CONNECT_TIMEOUT_REASON, READY_STATE, WS_CLOSE_ABNORMAL, type ReadyState } from './constants';
import { ConnectTimeoutError, PhxError, type LongPollError, type WebSocketError } from './errors';
import type { RawFrame } from './serializer';
import type { TransportCloseEvent, TransportConstructor, TransportLike, TransportMessageEvent } from './transport';

/** The parts of a Node `net.Socket` the transport tunes; exposed for diagnostics. */
export interface NodeSocketLike {
  readonly localPort?: number | undefined;
  readonly remotePort?: number | undefined;
  setNoDelay(noDelay?: boolean): unknown;
  setKeepAlive(enable?: boolean, initialDelay?: number): unknown;
}

/**
 * What the WebSocket and LongPoll transports pass to `onerror`: the error as a typed `PhxError`. (`onerror` is typed
 * `unknown` because any `TransportLike`, a native `WebSocket` included, may be plugged in; narrow with
 * `isTransportErrorEvent`.)
 */
export interface TransportErrorEvent {
  readonly type: 'error';
  readonly error: WebSocketError | ConnectTimeoutError | LongPollError;
  readonly message: string;
}

/**
 * True when an `onerror` argument came from these transports and carries a typed error.
 *
 * @example
 * transport.onerror = (e) => { if (isTransportErrorEvent(e) && e.error.code === 'connect_timeout') retryElsewhere(); };
 */
export function isTransportErrorEvent(event: unknown): event is TransportErrorEvent {
  return (
    typeof event === 'object' && event !== null && (event as { type?: unknown }).type === 'error' &&
    (event as { error?: unknown }).error instanceof PhxError
  );
}

/**
 * A WebSocket transport instance: a `TransportLike` plus a few WebSocket properties and, in Node, the
 * TCP socket for diagnostics.
 */
export interface WebSocketTransport extends TransportLike {
  readonly url: string;
  readonly readyState: ReadyState;
  readonly extensions: string;
  readonly protocol: string;
  /** Bytes queued by `send` and not yet handed to the network. */
  readonly bufferedAmount: number;
  /** The connected TCP (or TLS) socket in Node once open, for diagnostics; always `null` in browsers. */
  readonly nodeSocket: NodeSocketLike | null;
}

/** What `createWebSocketTransport` returns: a class to pass as the socket's `transport`. */
export interface WebSocketTransportConstructor extends TransportConstructor {
  new (url: string, protocols?: string | string[]): WebSocketTransport;
}

/**
 * Base of both platform transports. Subclasses forward their socket's events to the `handle*` methods;
 * this class enforces the connect timeout and makes sure nothing is reported after it fired.
 */
export abstract class WebSocketTransportBase implements WebSocketTransport {
  onopen: ((event?: unknown) => void) | null = null;
  onmessage: ((event: TransportMessageEvent) => void) | null = null;
  onclose: ((event: TransportCloseEvent) => void) | null = null;
  onerror: ((event: unknown) => void) | null = null;

  /** Set once a close has been reported; later events from the socket are stale and dropped. */
  #finished = false;
  #connectTimer: ReturnType<typeof setTimeout> | undefined;

  abstract readonly url: string;
  abstract get binaryType(): string;
  abstract set binaryType(type: string);
  abstract get extensions(): string;
  abstract get protocol(): string;
  abstract get bufferedAmount(): number;
  abstract get nodeSocket(): NodeSocketLike | null;
  abstract send(data: RawFrame): void;
  abstract close(code?: number, reason?: string): void;
  /** The platform socket's own readyState. */
  protected abstract rawReadyState(): number;
  /** Tears the connection down at once, without a closing handshake. */
  protected abstract abort(): void;

  get readyState(): ReadyState {
    return this.#finished ? READY_STATE.closed : (this.rawReadyState() as ReadyState);
  }

  /** Subclasses call this at the end of their constructor, once their socket exists. */
  protected startConnectTimer(timeoutMs: number): void {
    if (timeoutMs <= 0) return;
    this.#connectTimer = setTimeout(() => this.#timeOut(timeoutMs), timeoutMs);
    // A pending connect attempt alone should not keep a Node process alive.
    (this.#connectTimer as { unref?: () => void }).unref?.();
  }

  #timeOut(timeoutMs: number): void {
    this.#connectTimer = undefined;
    if (this.#finished || this.rawReadyState() !== READY_STATE.connecting) return;
    this.#finished = true;
    this.abort();
    const error = new ConnectTimeoutError(timeoutMs);
    this.onerror?.({ type: 'error', error, message: error.message });
    this.onclose?.({ code: WS_CLOSE_ABNORMAL, reason: CONNECT_TIMEOUT_REASON, wasClean: false });
  }

  #clearConnectTimer(): void {
    if (this.#connectTimer !== undefined) clearTimeout(this.#connectTimer);
    this.#connectTimer = undefined;
  }

  protected handleOpen(): void {
    if (this.#finished) return;
    this.#clearConnectTimer();
    this.onopen?.({ type: 'open' });
  }

  protected handleMessage(data: RawFrame): void {
    if (this.#finished) return;
    this.onmessage?.({ data });
  }

  protected handleError(error: WebSocketError): void {
    if (this.#finished) return;
    this.onerror?.({ type: 'error', error, message: error.message });
  }

  protected handleClose(code: number, reason: string, wasClean: boolean): void {
    if (this.#finished) return;
    this.#finished = true;
    this.#clearConnectTimer();
    this.onclose?.({ code, reason, wasClean });
  }
}
