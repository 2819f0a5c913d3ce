import { CHANNEL_EVENTS, PhxError } from '@phx-socket/transport';

/**
 * The server answered a push with `{status: "error"}`. `response` is what the server sent.
 *
 * @example
 * try { await channel.push('new_msg', { body }); }
 * catch (e) { if (e instanceof ReplyError) showError(e.response); }
 */
export class ReplyError<R = unknown> extends PhxError<'reply_error'> {
  readonly response: R;
  readonly topic: string;
  readonly event: string;
  constructor(topic: string, event: string, response: R) {
    super('reply_error', `"${event}" on "${topic}" was answered with an error reply; see .response`);
    this.response = response;
    this.topic = topic;
    this.event = event;
  }
}

/** The server refused a join (`{status: "error"}` to `phx_join`); the channel retries with backoff. */
export class JoinError<R = unknown> extends PhxError<'join_error'> {
  readonly response: R;
  readonly topic: string;
  constructor(topic: string, response: R) {
    super('join_error', `joining "${topic}" was refused (see .response); the channel retries until leave()`);
    this.response = response;
    this.topic = topic;
  }
}

/** Which kind of push timed out. */
export type TimeoutCode = 'timeout' | 'join_timeout' | 'leave_timeout';

/** No reply came within the push's timeout, counted from when the push was actually sent. */
export class TimeoutError extends PhxError<TimeoutCode> {
  readonly topic: string;
  readonly event: string;
  readonly timeoutMs: number;
  constructor(code: TimeoutCode, topic: string, event: string, timeoutMs: number) {
    super(code, `no reply to "${event}" on "${topic}" within ${timeoutMs} ms; raise the timeout or check the server`);
    this.topic = topic;
    this.event = event;
    this.timeoutMs = timeoutMs;
  }
}

/** A send buffer was full: with policy `'reject'` this push, with `'drop-oldest'` the oldest buffered one. */
export class BufferOverflowError extends PhxError<'buffer_overflow'> {
  readonly topic: string;
  readonly event: string;
  readonly limit: number;
  constructor(topic: string, event: string, limit: number) {
    super('buffer_overflow', `"${event}" on "${topic}" was dropped: the send buffer holds at most ${limit} messages while offline; raise sendBufferLimit or slow down`);
    this.topic = topic;
    this.event = event;
    this.limit = limit;
  }
}

/** `push()` was called on a channel that was never joined (phoenix.js throws here too). */
export class PushBeforeJoinError extends PhxError<'push_before_join'> {
  constructor(topic: string, event: string) {
    super('push_before_join', `tried to push "${event}" to "${topic}" before joining; call channel.join() first`);
  }
}

/** `join()` was called twice on one channel instance. */
export class AlreadyJoinedError extends PhxError<'already_joined'> {
  constructor(topic: string) {
    super('already_joined', `"${topic}" was already joined; to join again, create a new socket.channel()`);
  }
}

/** The channel was closed (left, or closed by the server) while this push waited in its buffer. */
export class ChannelClosedError extends PhxError<'channel_closed'> {
  readonly topic: string;
  constructor(topic: string, event: string) {
    // A join is sent at once, so for a join the closing came before its answer, not before its sending.
    super('channel_closed', `"${event}" on "${topic}" was never ${event === 'phx_join' ? 'answered' : 'sent'}: the channel closed first`);
    this.topic = topic;
  }
}

/**
 * The connection dropped before this push was answered, and it is not resent (the default,
 * `inFlightPolicy: 'fail'`, or its `maxResends` were used up). The server may or may not have handled it.
 *
 * @example
 * try { await room.push('pay', order); }
 * catch (e) { if (e instanceof ConnectionLostError) await checkOrderStatus(order.id); }
 */
export class ConnectionLostError extends PhxError<'connection_lost'> {
  readonly topic: string;
  readonly event: string;
  /** How often this push was resent before it was given up (0 unless `inFlightPolicy: 'resend'`). */
  readonly resends: number;
  constructor(topic: string, event: string, resends = 0) {
    super('connection_lost', `the connection dropped before "${event}" on "${topic}" was answered; the server may or may not have handled it (check, then push again if needed)`);
    this.topic = topic;
    this.event = event;
    this.resends = resends;
  }
}

/**
 * The channel crashed on the server (`phx_error`) before this push was answered. The channel rejoins by
 * itself; the push is not resent unless `inFlightPolicy: 'resend'`.
 */
export class ChannelCrashedError extends PhxError<'channel_crashed'> {
  readonly topic: string;
  readonly event: string;
  constructor(topic: string, event: string) {
    super('channel_crashed', `"${topic}" crashed on the server before "${event}" was answered; it may or may not have been handled`);
    this.topic = topic;
    this.event = event;
  }
}

/**
 * Retrying stopped for a cool-down: `failures` consecutive connections (scope `'socket'`) or joins (scope
 * `'channel'`) failed or ended within `healthyAfterMs`. The socket (or channel) tries again after
 * `coolDownMs`, on `socket.connect()`, or when the page comes back online or visible.
 *
 * @example
 * socket.onError((e) => { if (e instanceof CircuitOpenError) banner(`offline, retrying in ${e.coolDownMs / 1000} s`); });
 */
export class CircuitOpenError extends PhxError<'circuit_open'> {
  readonly scope: 'socket' | 'channel';
  readonly failures: number;
  readonly coolDownMs: number;
  /** The channel's topic (scope `'channel'`), else null. */
  readonly topic: string | null;
  constructor(scope: 'socket' | 'channel', failures: number, coolDownMs: number, topic: string | null = null) {
    const what = scope === 'socket' ? 'connections' : `joins of "${topic}"`;
    super('circuit_open', `${failures} ${what} in a row failed or ended at once; pausing ${coolDownMs} ms before the next try (check the server, or call socket.connect() to retry now)`);
    this.scope = scope;
    this.failures = failures;
    this.coolDownMs = coolDownMs;
    this.topic = topic;
  }
}

/**
 * The error a push that settled as `'error'` or `'timeout'` rejects with: `JoinError` for a refused join,
 * `ReplyError` for any other error reply, `TimeoutError` with the code of its event. One mapping for every
 * `Push` (the full client's and the lite one).
 *
 * @example
 * pushError('room:1', 'phx_join', 'timeout', {}, 10_000).code; // 'join_timeout'
 */
export function pushError(topic: string, event: string, status: 'error' | 'timeout', response: unknown, timeoutMs: number): PhxError {
  if (status === 'timeout') {
    const code: TimeoutCode = event === CHANNEL_EVENTS.join ? 'join_timeout' : event === CHANNEL_EVENTS.leave ? 'leave_timeout' : 'timeout';
    return new TimeoutError(code, topic, event, timeoutMs);
  }
  return event === CHANNEL_EVENTS.join ? new JoinError(topic, response) : new ReplyError(topic, event, response);
}
