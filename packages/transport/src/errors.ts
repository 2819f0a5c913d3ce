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

/** What went wrong with a LongPoll request; `LongPollError.reason`. */
export type LongPollFailure =
  /** A poll or POST took longer than the poll timeout (`longpollerTimeout`); the request was aborted. */
  | 'timeout'
  /** The server refused the connection (status 403: `connect` returned `:error`, or a bad auth token). */
  | 'forbidden'
  /** The server forgot the session (status 410 after the transport opened): channels rejoin on a new one. */
  | 'session_gone'
  /** The server answered 500, or another status the protocol does not define. */
  | 'server_error'
  /** The request never got an answer (DNS, refused connection, CORS, offline), or the body was not the protocol's JSON. */
  | 'network_error'
  /** There is no `fetch` here (pass one with `createLongPollTransport({ fetch })`). */
  | 'fetch_unavailable';

/**
 * A LongPoll request failed. Reported through `onerror` (as `{ type: 'error', error, message }`), followed
 * by `onclose`; the socket then reconnects with backoff, exactly as after a failed WebSocket. `status` is
 * the protocol status (the `status` field of the JSON answer, else the HTTP status; `0` when there was no
 * answer).
 */
export class LongPollError extends PhxError<'longpoll_error'> {
  readonly reason: LongPollFailure;
  readonly status: number;
  constructor(reason: LongPollFailure, status: number, message: string, options?: { cause?: unknown }) {
    super('longpoll_error', message, options);
    this.reason = reason;
    this.status = status;
  }
}

/**
 * A binary frame (an `ArrayBuffer` payload, or a binary serializer such as msgpack) was sent over LongPoll,
 * which carries text only. Thrown by `LongPoll.send`; the socket fails that push with this error and stays
 * connected. Send binary data over the WebSocket, or base64 it into a JSON payload yourself.
 */
export class LongPollBinaryError extends PhxError<'binary_unsupported'> {
  /** Size of the refused frame, bytes. */
  readonly bytes: number;
  constructor(bytes: number) {
    super(
      'binary_unsupported',
      `cannot send a ${bytes}-byte binary frame over LongPoll (text only); use the WebSocket transport for binary payloads and binary serializers, or send the data base64-encoded in a JSON payload`,
    );
    this.bytes = bytes;
  }
}
