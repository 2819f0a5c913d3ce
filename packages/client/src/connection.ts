/**
 * One transport instance and the handlers the socket hangs on it. Wrapping it lets the socket forget a
 * transport in one call (`detach`) without ever leaving an `error` event unhandled (which would throw
 * in Node's `ws`).
 */
import {
  authTokenProtocols,
  PhxError,
  type RawFrame,
  type TransportCloseEvent,
  type TransportConstructor,
  type TransportLike,
  type TransportMessageEvent,
} from '@phx-socket/transport';

/** What the socket wants to hear about; each handler gets the connection it came from. */
export interface ConnectionHandlers {
  open(conn: Connection): void;
  message(conn: Connection, event: TransportMessageEvent): void;
  error(conn: Connection, event: unknown): void;
  close(conn: Connection, event: TransportCloseEvent): void;
}

/** A transport that may say it cannot carry heartbeats (phoenix.js's LongPoll sets this). */
interface MaybeHeartbeatless {
  readonly skipHeartbeat?: boolean;
}

/** A transport that can be dropped without a close handshake (`ws` has `terminate()`). */
interface MaybeTerminable {
  terminate?(): void;
}

const ignore = (): void => {};

/**
 * A live transport. Created already connecting; `detach()` silences it for good.
 *
 * @example
 * const conn = new Connection(WebSocket, url, token, 'arraybuffer', handlers);
 * conn.send(frame);
 * conn.detach(); conn.close(1000, 'bye');
 */
export class Connection {
  /** Transport name for state and telemetry (`'WebSocket'`, `'LongPoll'`...). */
  readonly name: string;
  readonly #transport: TransportLike;

  constructor(
    transport: TransportConstructor,
    url: string,
    authToken: string | undefined,
    binaryType: string,
    handlers: ConnectionHandlers,
  ) {
    this.name = transportName(transport);
    this.#transport = new transport(url, authTokenProtocols(authToken));
    this.#transport.binaryType = binaryType;
    this.#transport.onopen = () => handlers.open(this);
    this.#transport.onmessage = (event) => handlers.message(this, event);
    this.#transport.onerror = (event) => handlers.error(this, event);
    this.#transport.onclose = (event) => handlers.close(this, event ?? { code: 1006, reason: '' });
  }

  /** False for transports without heartbeats (LongPoll): the server sees their polls instead. */
  get skipHeartbeat(): boolean {
    return (this.#transport as TransportLike & MaybeHeartbeatless).skipHeartbeat === true;
  }

  /** The transport's WebSocket-style readyState. */
  get readyState(): number {
    return this.#transport.readyState;
  }

  /**
   * Sends a frame; false when the transport refused it because it is closing (a close event follows).
   * A typed refusal of this frame alone (LongPoll's `LongPollBinaryError`) is thrown: the push must fail.
   */
  send(frame: RawFrame): boolean {
    try {
      this.#transport.send(frame);
      return true;
    } catch (error) {
      if (error instanceof PhxError) throw error;
      return false;
    }
  }

  /** phoenix.js sets `timeout` on its transport (LongPoll's request timeout); only where there is one. */
  setRequestTimeout(ms: number): void {
    const target = this.#transport as TransportLike & { timeout?: unknown };
    if (typeof target.timeout === 'number') target.timeout = ms;
  }

  /** Starts a close handshake. Never throws. */
  close(code?: number, reason?: string): void {
    try {
      if (code === undefined) this.#transport.close();
      else this.#transport.close(code, reason);
    } catch {
      // Invalid code/reason from the app, or already closed: either way the transport is done for us.
      try {
        this.#transport.close();
      } catch {
        // Nothing left to do.
      }
    }
  }

  /** Drops the transport at once (no handshake where the transport allows it): the peer is unresponsive. */
  abort(code: number, reason: string): void {
    const terminable = this.#transport as TransportLike & MaybeTerminable;
    if (typeof terminable.terminate === 'function') {
      try {
        terminable.terminate();
        return;
      } catch {
        // Fall back to a normal close.
      }
    }
    this.close(code, reason);
  }

  /** Stops every callback. Handlers become no-ops rather than null so a late `error` never goes unhandled. */
  detach(): void {
    this.#transport.onopen = ignore;
    this.#transport.onmessage = ignore;
    this.#transport.onerror = ignore;
    this.#transport.onclose = ignore;
  }
}

/** A transport class's name for telemetry. */
export function transportName(transport: TransportConstructor): string {
  const named = transport as TransportConstructor & { transportName?: string };
  return named.transportName ?? (transport.name || 'transport');
}
