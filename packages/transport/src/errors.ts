/**
 * Base class of every error phx-socket raises or reports. `code` is stable across versions: match on it,
 * never on `message`. Each package adds subclasses; the README lists every code.
 *
 * @example
 * try { await channel.join(); } catch (e) { if (e instanceof PhxError && e.code === 'join_timeout') retry(); }
 */
export class PhxError<Code extends string = string> extends Error {
  readonly code: Code;
  constructor(code: Code, message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.code = code;
    this.name = new.target.name;
  }
}

/** A frame could not be decoded: bad JSON, wrong arity, unknown kind byte, truncated binary. */
export class DecodeError extends PhxError<'decode_error'> {
  /** The raw frame (or the first bytes of it) that failed, for logging. */
  readonly frame: string | ArrayBuffer;
  constructor(message: string, frame: string | ArrayBuffer, options?: { cause?: unknown }) {
    super('decode_error', message, options);
    this.frame = frame;
  }
}

/** A message could not be encoded (a string over 255 bytes in a binary header, a cyclic payload...). */
export class EncodeError extends PhxError<'encode_error'> {
  constructor(message: string, options?: { cause?: unknown }) {
    super('encode_error', message, options);
  }
}

/**
 * The WebSocket did not open within `connectTimeoutMs`. Reported through `onerror`, followed by `onclose`
 * with code 1006 and reason `'connect_timeout'`. Raise the timeout, or check that the server answers the
 * upgrade (a proxy holding the request looks exactly like this).
 */
export class ConnectTimeoutError extends PhxError<'connect_timeout'> {
  /** The limit that expired, in milliseconds. */
  readonly timeoutMs: number;
  constructor(timeoutMs: number) {
    super('connect_timeout', `the WebSocket did not open within ${timeoutMs} ms; raise transportOptions.connectTimeoutMs or check the server and any proxy`);
    this.timeoutMs = timeoutMs;
  }
}

/**
 * The WebSocket reported an error (refused connection, failed TLS, HTTP 403 on the upgrade, a message over
 * `maxPayloadBytes`...). `cause` holds the platform's error where there is one; `detail` its own code
 * (e.g. ws's `'WS_ERR_UNSUPPORTED_MESSAGE_LENGTH'`, Node's `'ECONNREFUSED'`).
 */
export class WebSocketError extends PhxError<'websocket_error'> {
  readonly detail: string | undefined;
  constructor(message: string, options?: { cause?: unknown; detail?: string }) {
    super('websocket_error', message, options);
    this.detail = options?.detail;
  }
}

/** No WebSocket implementation exists here (an old runtime, or a server-side render in a browser build). */
export class WebSocketUnavailableError extends PhxError<'websocket_unavailable'> {
  constructor() {
    super(
      'websocket_unavailable',
      'globalThis.WebSocket is not defined; run in a browser, install a WebSocket polyfill, or use the Node build of @phx-socket/transport',
    );
  }
}
