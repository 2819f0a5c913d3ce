/**
 * The socket's connection state: one string-union vocabulary, a read-only snapshot per state, and a
 * single `transition()` that checks the move and emits the matching telemetry.
 */
import { CircuitOpenError } from '@phx-socket/channel';
import type { Telemetry } from './telemetry';

/** Status of the socket's connection. */
export type ConnectionStatus = 'idle' | 'connecting' | 'open' | 'closing' | 'reconnecting' | 'suspended' | 'closed';

/** How the last transport went away. */
export interface CloseInfo {
  readonly code: number;
  readonly reason: string;
  /** True when the app asked for it (`disconnect()`). */
  readonly requested: boolean;
}

/** Why a socket is `closed` for good (until `connect()`). */
export type ClosedReason = 'disconnected' | 'reconnect_exhausted' | 'reconnect_disabled';

/**
 * A read-only snapshot of the connection, discriminated by `status`. Times come from the socket's
 * scheduler clock (`scheduler.now()`, ms). `url` never includes the query string: params often carry
 * tokens, and snapshots end up in logs.
 *
 * @example
 * const s = socket.state;
 * if (s.status === 'reconnecting' && s.nextAttemptAt !== null) showRetryIn(s.nextAttemptAt - performance.now());
 */
export type SocketState =
  /** Never connected. */
  | { readonly status: 'idle' }
  /** Resolving params/authToken, or waiting for the transport to open. */
  | { readonly status: 'connecting'; readonly attempt: number; readonly url: string; readonly transport: string; readonly startedAt: number }
  | { readonly status: 'open'; readonly attempt: number; readonly url: string; readonly transport: string; readonly connectedAt: number }
  /** `disconnect()` was called; waiting for the transport to confirm the close. */
  | { readonly status: 'closing'; readonly url: string; readonly transport: string; readonly since: number }
  /**
   * Waiting before attempt `attempt`. `nextAttemptAt` is null while the attempt is deferred until the page
   * is visible again.
   */
  | {
      readonly status: 'reconnecting';
      readonly attempt: number;
      readonly delayMs: number | null;
      readonly nextAttemptAt: number | null;
      readonly reason: string;
      readonly lastClose: CloseInfo | null;
    }
  /**
   * The circuit breaker opened: `failures` connections in a row failed or closed within `healthyAfterMs`.
   * No attempt until `resumeAt` (cool-down), `connect()`, or the page coming online/visible.
   */
  | {
      readonly status: 'suspended';
      readonly failures: number;
      readonly coolDownMs: number;
      readonly resumeAt: number;
      readonly reason: string;
      readonly lastClose: CloseInfo | null;
    }
  | { readonly status: 'closed'; readonly reason: ClosedReason; readonly attempts: number; readonly lastClose: CloseInfo | null };

/** Moves each status may make. */
const ALLOWED: Readonly<Record<ConnectionStatus, readonly ConnectionStatus[]>> = /* @__PURE__ */ Object.freeze({
  idle: ['connecting', 'closed'],
  connecting: ['open', 'closing', 'reconnecting', 'suspended', 'closed'],
  open: ['closing', 'reconnecting', 'suspended', 'closed'],
  closing: ['closed', 'connecting'],
  reconnecting: ['connecting', 'reconnecting', 'suspended', 'closed'],
  suspended: ['connecting', 'suspended', 'closed'],
  closed: ['connecting', 'closed'],
});

/** True when `from → to` is a legal move. */
export function canTransition(from: ConnectionStatus, to: ConnectionStatus): boolean {
  return ALLOWED[from].includes(to);
}

/** The phoenix.js `connectionState()` value of a status. */
export function phoenixConnectionState(status: ConnectionStatus): 'connecting' | 'open' | 'closing' | 'closed' {
  switch (status) {
    case 'connecting':
    case 'open':
    case 'closing':
      return status;
    default:
      return 'closed';
  }
}

const TRANSPORT_UP: ReadonlySet<ConnectionStatus> = /* @__PURE__ */ new Set(['connecting', 'open', 'closing']);

/**
 * Holds the current snapshot. `transition()` is the only way to change it; it emits:
 * - `socket:connecting` on entering `connecting`;
 * - `socket:connected` (duration_ms since `connecting` began) on entering `open`;
 * - `socket:disconnected` when a transport went away (leaving connecting/open/closing with a `lastClose`);
 * - `socket:reconnect_scheduled` on entering `reconnecting` with a timer;
 * - `socket:circuit_open` on entering `suspended` (with the `CircuitOpenError` the state carries);
 * - `socket:reconnect_exhausted` on entering `closed` because attempts ran out.
 */
export class ConnectionStateMachine {
  #current: SocketState = Object.freeze({ status: 'idle' });

  readonly #telemetry: Telemetry;
  readonly #onIllegal: (from: ConnectionStatus, to: ConnectionStatus) => void;

  constructor(
    telemetry: Telemetry,
    /** Called on an illegal move (a bug); the move is applied anyway so the socket keeps working. */
    onIllegal: (from: ConnectionStatus, to: ConnectionStatus) => void,
  ) {
    this.#telemetry = telemetry;
    this.#onIllegal = onIllegal;
  }

  get state(): SocketState {
    return this.#current;
  }

  get status(): ConnectionStatus {
    return this.#current.status;
  }

  transition(next: SocketState): void {
    const prev = this.#current;
    if (!canTransition(prev.status, next.status)) this.#onIllegal(prev.status, next.status);
    this.#current = Object.freeze(next);
    const t = this.#telemetry;

    switch (next.status) {
      case 'connecting':
        t.emit('socket:connecting', {
          measurements: { attempt: next.attempt },
          metadata: { url: next.url, transport: next.transport },
        });
        return;
      case 'open':
        t.emit('socket:connected', {
          measurements: { duration_ms: prev.status === 'connecting' ? next.connectedAt - prev.startedAt : 0 },
          metadata: { url: next.url, transport: next.transport },
        });
        return;
      case 'reconnecting':
        this.#emitDisconnected(prev, next.lastClose);
        if (next.delayMs !== null) {
          t.emit('socket:reconnect_scheduled', {
            measurements: { attempt: next.attempt, delay_ms: next.delayMs },
            metadata: { reason: next.reason },
          });
        }
        return;
      case 'suspended':
        this.#emitDisconnected(prev, next.lastClose);
        t.emit('socket:circuit_open', {
          measurements: { failures: next.failures, cool_down_ms: next.coolDownMs },
          metadata: { reason: next.reason, error: this.#circuitError(next.failures, next.coolDownMs) },
        });
        return;
      case 'closed':
        this.#emitDisconnected(prev, next.lastClose);
        if (next.reason === 'reconnect_exhausted') {
          t.emit('socket:reconnect_exhausted', { measurements: { attempts: next.attempts }, metadata: {} });
        }
        return;
      default:
        return;
    }
  }

  /** The error of the last `suspended` transition, for `onError` callbacks (same instance as in telemetry). */
  lastCircuitError: CircuitOpenError | null = null;

  #circuitError(failures: number, coolDownMs: number): CircuitOpenError {
    return (this.lastCircuitError = new CircuitOpenError('socket', failures, coolDownMs));
  }

  #emitDisconnected(prev: SocketState, close: CloseInfo | null): void {
    if (close === null || !TRANSPORT_UP.has(prev.status)) return;
    this.#telemetry.emit('socket:disconnected', {
      measurements: {},
      metadata: { code: close.code, reason: close.reason, requested: close.requested },
    });
  }
}
