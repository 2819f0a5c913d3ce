/** Promise helpers over a transport's `on*` callbacks, so tests read top to bottom. */
import type { TransportCloseEvent, TransportLike } from '../../src/transport';
import type { TransportErrorEvent } from '../../src/websocket-transport';

/** What happened to a connection attempt: it opened, or it closed (with the errors seen before). */
export type Outcome =
  | { kind: 'open' }
  | { kind: 'closed'; close: TransportCloseEvent; errors: TransportErrorEvent[]; afterMs: number };

/** Waits for open or close, whichever comes first, collecting errors. */
export function outcome(conn: TransportLike): Promise<Outcome> {
  const started = Date.now();
  const errors: TransportErrorEvent[] = [];
  return new Promise((resolve) => {
    conn.onopen = () => resolve({ kind: 'open' });
    conn.onerror = (event) => errors.push(event as TransportErrorEvent);
    conn.onclose = (close) => resolve({ kind: 'closed', close, errors, afterMs: Date.now() - started });
  });
}

/** Resolves once open; rejects with the close event if the connection closes first. */
export async function opened(conn: TransportLike): Promise<void> {
  const result = await outcome(conn);
  if (result.kind !== 'open') {
    throw new Error(`expected open, got close ${result.close.code} ${result.close.reason} ${result.errors.map((e) => e.message).join('; ')}`);
  }
}

/** Resolves with the next close event, collecting errors seen before it. */
export function closed(conn: TransportLike): Promise<{ close: TransportCloseEvent; errors: TransportErrorEvent[] }> {
  const errors: TransportErrorEvent[] = [];
  return new Promise((resolve) => {
    conn.onerror = (event) => errors.push(event as TransportErrorEvent);
    conn.onclose = (close) => resolve({ close, errors });
  });
}

/** Resolves with the next inbound frame matching `predicate`. */
export function frame(conn: TransportLike, predicate: (data: string | ArrayBuffer) => boolean = () => true): Promise<string | ArrayBuffer> {
  return new Promise((resolve) => {
    conn.onmessage = ({ data }) => {
      if (predicate(data)) resolve(data);
    };
  });
}

/** Sends a V2 `phx_join` for `topic` and waits for its reply. */
export async function join(conn: TransportLike, topic: string, joinRef = '1'): Promise<unknown[]> {
  const reply = frame(conn, (data) => typeof data === 'string' && data.includes('"phx_reply"') && data.includes(`"${topic}"`));
  conn.send(JSON.stringify([joinRef, joinRef, topic, 'phx_join', {}]));
  return JSON.parse((await reply) as string) as unknown[];
}
