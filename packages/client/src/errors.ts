/**
 * Errors the socket raises or reports. Each has a stable `code` (match on it, never on `message`);
 * the channel's errors are re-exported so one import covers every code.
 */
import { PhxError } from '@phx-socket/transport';

export {
  AlreadyJoinedError,
  BufferOverflowError,
  ChannelClosedError,
  JoinError,
  PushBeforeJoinError,
  ReplyError,
  TimeoutError,
  type TimeoutCode,
} from '@phx-socket/channel';
export { DecodeError, EncodeError, PhxError } from '@phx-socket/transport';

/**
 * A connection attempt failed before the transport opened: the `params`/`authToken` function threw or
 * rejected, or the transport could not be constructed. The socket retries with backoff.
 *
 * @example
 * socket.onError((e) => { if (e instanceof ConnectError) console.warn('connect failed', e.cause); });
 */
export class ConnectError extends PhxError<'connect_error'> {
  /** Which step failed. */
  readonly stage: 'params' | 'auth_token' | 'transport';
  constructor(stage: 'params' | 'auth_token' | 'transport', options?: { cause?: unknown }) {
    const what =
      stage === 'params'
        ? 'the params function threw or rejected'
        : stage === 'auth_token'
          ? 'the authToken function threw or rejected'
          : 'the transport could not be created';
    super('connect_error', `could not connect: ${what}; the socket retries with backoff (see .cause)`, options);
    this.stage = stage;
  }
}

/**
 * The socket gave up after `maxReconnectAttempts` consecutive failed attempts. Call `connect()` to try
 * again.
 */
export class ReconnectExhaustedError extends PhxError<'reconnect_exhausted'> {
  readonly attempts: number;
  constructor(attempts: number) {
    super(
      'reconnect_exhausted',
      `gave up reconnecting after ${attempts} attempts; call socket.connect() to start over or raise maxReconnectAttempts`,
    );
    this.attempts = attempts;
  }
}

/** No heartbeat reply came in time; the connection was presumed dead, closed, and is being replaced. */
export class HeartbeatTimeoutError extends PhxError<'heartbeat_timeout'> {
  readonly timeoutMs: number;
  constructor(timeoutMs: number) {
    super(
      'heartbeat_timeout',
      `no heartbeat reply within ${timeoutMs} ms; reconnecting (raise heartbeatTimeoutMs on slow links)`,
    );
    this.timeoutMs = timeoutMs;
  }
}

/** The transport reported an error (the original event is `cause`); a close and a reconnect follow. */
export class TransportError extends PhxError<'transport_error'> {
  constructor(options?: { cause?: unknown }) {
    super('transport_error', 'the transport reported an error; the socket reconnects (see .cause)', options);
  }
}
