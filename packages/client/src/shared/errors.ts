/**
 * Errors of the shared socket. Each has a stable `code`; errors raised inside the worker reach the tab as
 * the same classes where the channel package defines them, and as {@link RemoteError} otherwise.
 */
import {
  ChannelClosedError,
  ChannelCrashedError,
  ConnectionLostError,
  PhxError,
  pushError,
} from '@phx-socket/client';
import { toWireError, type WireError } from './protocol';

/**
 * A tab joined a topic that another tab already shares with different join params. One connection can
 * hold one channel per topic, so the join is refused and the tab's channel closes.
 *
 * @example
 * room.join().catch((e) => { if (e instanceof SharedParamsMismatchError) useOwnSocketFor(room.topic); });
 */
export class SharedParamsMismatchError extends PhxError<'shared_params_mismatch'> {
  readonly topic: string;
  /** The params the shared channel was joined with. */
  readonly sharedParams: Record<string, unknown>;
  constructor(topic: string, sharedParams: Record<string, unknown>) {
    super(
      'shared_params_mismatch',
      `"${topic}" is already joined on the shared connection with other params (${JSON.stringify(sharedParams)}); ` +
        'join it with the same params in every tab, or give this SharedSocket its own shareKey',
    );
    this.topic = topic;
    this.sharedParams = sharedParams;
  }
}

/**
 * A value could not cross to the worker: a push payload or join param that structured clone rejects (a
 * function, a DOM node, a class instance with private state).
 */
export class SharedCloneError extends PhxError<'shared_clone_error'> {
  constructor(what: string, options?: { cause?: unknown }) {
    super('shared_clone_error', `${what} cannot be sent to the SharedWorker (structured clone failed); send plain data`, options);
  }
}

/** An error raised inside the worker whose class does not cross the port: `code`, `name` and message kept. */
export class RemoteError extends PhxError<string> {
  /** The class name in the worker (`ConnectError`, `HeartbeatTimeoutError`...). */
  readonly remoteName: string;
  constructor(wire: WireError) {
    super(wire.code, wire.message);
    this.remoteName = wire.name;
  }
}

/**
 * Rebuilds a push's error in the tab: the channel package's classes where known, else {@link RemoteError}
 * (`buffer_overflow` among them: its limit is not on the wire).
 */
export function fromWireError(wire: WireError, topic: string, event: string, timeoutMs: number): PhxError {
  switch (wire.code) {
    case 'reply_error':
      return pushError(topic, event, 'error', wire.response, timeoutMs);
    case 'join_error':
      return pushError(topic, 'phx_join', 'error', wire.response, timeoutMs);
    case 'timeout':
    case 'join_timeout':
    case 'leave_timeout':
      return pushError(topic, event, 'timeout', {}, timeoutMs);
    case 'connection_lost':
      return new ConnectionLostError(topic, event, wire.resends ?? 0);
    case 'channel_closed':
      return new ChannelClosedError(topic, event);
    case 'channel_crashed':
      return new ChannelCrashedError(topic, event);
    case 'shared_params_mismatch':
      return new SharedParamsMismatchError(topic, (wire.response ?? {}) as Record<string, unknown>);
    default:
      return new RemoteError(wire);
  }
}

/** Anything thrown, as a `PhxError` (a non-`PhxError` becomes a {@link RemoteError} with its name kept). */
export function toPhxError(error: unknown): PhxError {
  return error instanceof PhxError ? error : new RemoteError(toWireError(error));
}
