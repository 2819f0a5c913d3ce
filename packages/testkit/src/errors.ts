/**
 * Errors thrown by the testkit. Each has a stable `code`; the README lists them all.
 *
 * | code | when |
 * |---|---|
 * | `PHX_TESTKIT_MALFORMED_FRAME` | a client frame could not be decoded (the connection is closed with 1011) |
 * | `PHX_TESTKIT_FIELD_TOO_LONG` | a string in a V2 binary frame is longer than 255 UTF-8 bytes |
 * | `PHX_TESTKIT_BINARY_UNSUPPORTED` | a binary payload was pushed to a V1 (JSON object) connection |
 * | `PHX_TESTKIT_TIMEOUT` | `waitFor()` saw no matching event in time |
 * | `PHX_TESTKIT_NOT_LISTENING` | an operation needs a listening server (after `close()`) |
 * | `PHX_TESTKIT_ALREADY_TRACKED` | `track()` of a key this socket already tracks on that topic |
 */
export type TestkitErrorCode =
  | 'PHX_TESTKIT_MALFORMED_FRAME'
  | 'PHX_TESTKIT_FIELD_TOO_LONG'
  | 'PHX_TESTKIT_BINARY_UNSUPPORTED'
  | 'PHX_TESTKIT_TIMEOUT'
  | 'PHX_TESTKIT_NOT_LISTENING'
  | 'PHX_TESTKIT_ALREADY_TRACKED';

/** Base class of every testkit error. */
export class TestkitError extends Error {
  readonly code: TestkitErrorCode;

  constructor(code: TestkitErrorCode, message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'TestkitError';
    this.code = code;
  }
}

/** A client frame that is not valid for the negotiated serializer. */
export class MalformedFrameError extends TestkitError {
  constructor(message: string, options?: { cause?: unknown }) {
    super('PHX_TESTKIT_MALFORMED_FRAME', message, options);
    this.name = 'MalformedFrameError';
  }
}

/** A topic, event, ref or status does not fit the uint8 length of a V2 binary header. */
export class FieldTooLongError extends TestkitError {
  constructor(field: string, byteLength: number) {
    super(
      'PHX_TESTKIT_FIELD_TOO_LONG',
      `${field} is ${byteLength} UTF-8 bytes; V2 binary frames allow at most 255. Use a shorter ${field}.`,
    );
    this.name = 'FieldTooLongError';
  }
}

/** Binary payloads exist only in the V2 serializer. */
export class BinaryUnsupportedError extends TestkitError {
  constructor() {
    super(
      'PHX_TESTKIT_BINARY_UNSUPPORTED',
      'This connection uses the V1 serializer (vsn 1.0.0), which has no binary frames. Connect with vsn=2.0.0 or send JSON.',
    );
    this.name = 'BinaryUnsupportedError';
  }
}

/** `waitFor()` timed out. */
export class WaitTimeoutError extends TestkitError {
  constructor(eventName: string, timeoutMs: number) {
    super(
      'PHX_TESTKIT_TIMEOUT',
      `No matching '${eventName}' event within ${timeoutMs} ms. Check the predicate, or pass a larger timeoutMs.`,
    );
    this.name = 'WaitTimeoutError';
  }
}

/** The server is closed. */
export class NotListeningError extends TestkitError {
  constructor(operation: string) {
    super('PHX_TESTKIT_NOT_LISTENING', `${operation}() needs a listening server; it was closed. Call startServer() again.`);
    this.name = 'NotListeningError';
  }
}

/** `track()` for a (socket, topic, key) that is already tracked; use `update()`. */
export class AlreadyTrackedError extends TestkitError {
  constructor(topic: string, key: string) {
    super('PHX_TESTKIT_ALREADY_TRACKED', `"${key}" is already tracked on "${topic}" by this socket. Use server.update() to change its meta.`);
    this.name = 'AlreadyTrackedError';
  }
}
