/**
 * The HTTP side of LongPoll: the endpoint URL, one abortable request with a timeout, and reading
 * Phoenix's JSON answer. No transport state lives here.
 */
import { LONGPOLL_STATUS, TRANSPORT_PATHS } from './constants';
import { LongPollError } from './errors';
import type { FetchLike, FetchResponseLike } from './longpoll-options';

/** Phoenix's answer to a poll or a POST: `{status, token, messages}`. */
export interface PollAnswer {
  /** The protocol status (200, 204, 403, 410, 500...). */
  readonly status: number;
  /** The session token, when the answer carries one. */
  readonly token: string | null;
  /** Encoded frames, oldest first (text, for the socket's serializer). */
  readonly messages: readonly string[];
}

/** How a request ended. */
export type RequestOutcome =
  | { readonly kind: 'answer'; readonly answer: PollAnswer }
  | { readonly kind: 'timeout' }
  | { readonly kind: 'failed'; readonly error: LongPollError };

/**
 * The LongPoll URL for a WebSocket-style endpoint URL: `ws:` → `http:`, `wss:` → `https:`, and the last
 * `/websocket` path segment → `/longpoll`; the query string (params, vsn) is kept.
 *
 * @example
 * longPollURL('wss://example.com/socket/websocket?vsn=2.0.0'); // 'https://example.com/socket/longpoll?vsn=2.0.0'
 */
export function longPollURL(endPoint: string): string {
  let url = endPoint;
  if (url.startsWith('ws://')) url = `http://${url.slice('ws://'.length)}`;
  else if (url.startsWith('wss://')) url = `https://${url.slice('wss://'.length)}`;
  const queryAt = url.indexOf('?');
  const path = queryAt === -1 ? url : url.slice(0, queryAt);
  const query = queryAt === -1 ? '' : url.slice(queryAt);
  const segment = `/${TRANSPORT_PATHS.websocket}`;
  const at = path.lastIndexOf(segment);
  if (at === -1 || (at + segment.length < path.length && path[at + segment.length] !== '/')) return url;
  return `${path.slice(0, at)}/${TRANSPORT_PATHS.longpoll}${path.slice(at + segment.length)}${query}`;
}

/** `url` with `token=<session token>` appended, or `url` itself before there is a session. */
export function withSessionToken(url: string, token: string | null): string {
  if (token === null) return url;
  return `${url}${url.includes('?') ? '&' : '?'}token=${encodeURIComponent(token)}`;
}

/**
 * Reads an answer. Phoenix answers HTTP 200 with the real status in the JSON body; a proxy or another server
 * may answer with a bare HTTP status instead, which is used when the body has none. Returns `null` for a
 * 200 whose body is not the protocol's JSON.
 *
 * @example
 * parsePollAnswer(200, '{"status":410,"token":"SFMy"}'); // { status: 410, token: 'SFMy', messages: [] }
 * parsePollAnswer(502, '<html>Bad gateway</html>');     // { status: 502, token: null, messages: [] }
 */
export function parsePollAnswer(httpStatus: number, text: string): PollAnswer | null {
  let body: unknown;
  if (text !== '') {
    try {
      body = JSON.parse(text) as unknown;
    } catch {
      body = undefined;
    }
  }
  if (typeof body === 'object' && body !== null && typeof (body as { status?: unknown }).status === 'number') {
    const { status, token, messages } = body as { status: number; token?: unknown; messages?: unknown };
    return { status, token: typeof token === 'string' ? token : null, messages: readMessages(messages) };
  }
  if (httpStatus === LONGPOLL_STATUS.ok) return null;
  return { status: httpStatus, token: null, messages: [] };
}

/** Frames are JSON text; an object (servers before Phoenix 1.4 sent them unencoded) is encoded back. */
function readMessages(messages: unknown): string[] {
  if (!Array.isArray(messages)) return [];
  return messages.map((m) => (typeof m === 'string' ? m : JSON.stringify(m)));
}

/** What one request needs. */
export interface RequestSpec {
  readonly fetch: FetchLike;
  readonly method: 'GET' | 'POST';
  readonly url: string;
  readonly headers: Record<string, string>;
  readonly body?: string;
  readonly credentials: 'omit' | 'same-origin' | 'include';
  readonly timeoutMs: number;
}

/**
 * One HTTP request with a timeout. `done` is called exactly once, unless `abort()` came first: an aborted
 * request is no longer anyone's, so nothing is reported for it.
 *
 * @example
 * const req = new LongPollRequest(spec, (outcome) => handle(outcome));
 * req.abort(); // on close: `done` is never called
 */
export class LongPollRequest {
  readonly #controller = new AbortController();
  readonly #timer: ReturnType<typeof setTimeout>;
  #finished = false;
  #timedOut = false;

  readonly #done: (outcome: RequestOutcome) => void;

  constructor(spec: RequestSpec, done: (outcome: RequestOutcome) => void) {
    this.#done = done;
    this.#timer = setTimeout(() => {
      this.#timedOut = true;
      this.#controller.abort();
    }, spec.timeoutMs);
    const init = { method: spec.method, headers: spec.headers, signal: this.#controller.signal, credentials: spec.credentials };
    let pending: Promise<FetchResponseLike>;
    try {
      pending = spec.fetch(spec.url, spec.body === undefined ? init : { ...init, body: spec.body });
    } catch (cause) {
      pending = Promise.reject(cause);
    }
    pending
      .then(async (response) => ({ status: response.status, text: await response.text() }))
      .then(
        ({ status, text }) => {
          const answer = parsePollAnswer(status, text);
          if (answer !== null) this.#finish({ kind: 'answer', answer });
          else this.#finish({ kind: 'failed', error: new LongPollError('network_error', 0, `the LongPoll ${spec.method} answered HTTP ${status} without the protocol's JSON body`) });
        },
        (cause: unknown) => {
          if (this.#timedOut) this.#finish({ kind: 'timeout' });
          else this.#finish({ kind: 'failed', error: new LongPollError('network_error', 0, `the LongPoll ${spec.method} failed: ${describe(cause)}`, { cause }) });
        },
      );
  }

  /** Cancels the request; `done` will not be called. */
  abort(): void {
    if (this.#finished) return;
    this.#finished = true;
    clearTimeout(this.#timer);
    this.#controller.abort();
  }

  #finish(outcome: RequestOutcome): void {
    if (this.#finished) return;
    this.#finished = true;
    clearTimeout(this.#timer);
    this.#done(outcome);
  }
}

function describe(cause: unknown): string {
  if (cause instanceof Error) {
    const inner = (cause as { cause?: unknown }).cause;
    return inner instanceof Error ? `${cause.message} (${inner.message})` : cause.message;
  }
  return String(cause);
}
