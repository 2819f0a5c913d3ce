/**
 * The LongPoll transport: Phoenix's HTTP fallback, shaped like a WebSocket so the socket never branches
 * on which transport it has. A held GET brings frames down; sends are batched per tick into ndjson POSTs.
 * fetch-based, so the same file runs in browsers, Node 18+, Deno, Bun and workers.
 */
import {
  AUTH_TOKEN_HEADER,
  LONGPOLL_CLOSE_SESSION_GONE,
  LONGPOLL_STATUS,
  NDJSON_CONTENT_TYPE,
  READY_STATE,
  type ReadyState,
} from './constants';
import { authTokenFromProtocols } from './auth-token';
import { LongPollBinaryError, LongPollError } from './errors';
import { checkPollTimeout, resolveLongPollOptions, type FetchLike, type LongPollOptions, type ResolvedLongPollOptions } from './longpoll-options';
import { LongPollRequest, longPollURL, withSessionToken, type RequestOutcome } from './longpoll-request';
import type { RawFrame } from './serializer';
import type { TransportCloseEvent, TransportConstructor, TransportLike, TransportMessageEvent } from './transport';

/** What `onerror` receives from LongPoll (the same shape as the WebSocket transports' `TransportErrorEvent`). */
export interface LongPollErrorEvent {
  readonly type: 'error';
  readonly error: LongPollError;
  readonly message: string;
}

/** Close code of a close without a status (what a WebSocket reports for `close()` without a code). */
const NO_STATUS = 1005;

/** Close codes and reasons, as phoenix.js's LongPoll reports them. */
const CLOSES = /* @__PURE__ */ Object.freeze({
  timeout: { code: 1005, reason: 'timeout' },
  forbidden: { code: 1008, reason: 'forbidden' },
  sessionGone: { code: LONGPOLL_CLOSE_SESSION_GONE, reason: 'session_gone' },
  failed: { code: 1011, reason: 'internal server error' },
} as const);

type Timer = ReturnType<typeof setTimeout>;

function globalFetch(): FetchLike | undefined {
  const candidate = (globalThis as { fetch?: unknown }).fetch;
  return typeof candidate === 'function' ? (candidate as FetchLike) : undefined;
}

/**
 * Phoenix's LongPoll transport. Pass the class as the socket's `transport` (or as the LongPoll fallback);
 * `createLongPollTransport(options)` makes a configured variant.
 *
 * - The first GET opens a session (status 410 + token); later GETs are held by the server up to its window
 *   and bring frames (200) or nothing (204, poll again). 410 after open means the server forgot the session:
 *   error + close `3410`, and the socket reconnects and rejoins. 403: error + close `1008`. 500, a network
 *   failure, or a request over the poll timeout: error + close, and the socket reconnects with backoff.
 * - Frames sent in one tick go out as one `application/x-ndjson` POST of at most `maxBatchSize` lines, one
 *   POST at a time, so order is kept.
 * - Text only: `send(ArrayBuffer)` throws `LongPollBinaryError`.
 * - No heartbeat (`skipHeartbeat`): the server sees the polls.
 * - The auth token arrives as the `base64url.bearer.phx.` subprotocol (what the socket gives every transport)
 *   and is sent as the `X-Phoenix-AuthToken` header.
 *
 * @example
 * import { Socket, LongPoll } from '@phx-socket/client';
 * const socket = new Socket('/socket', { transport: LongPoll });
 */
export class LongPoll implements TransportLike {
  /** Name in telemetry and socket state (survives minification, unlike `Function.name`). */
  static readonly transportName: string = 'LongPoll';

  onopen: ((event?: unknown) => void) | null = null;
  onmessage: ((event: TransportMessageEvent) => void) | null = null;
  onclose: ((event: TransportCloseEvent) => void) | null = null;
  onerror: ((event: unknown) => void) | null = null;
  /** Heartbeats are pointless here: every poll proves the client alive. The socket reads this. */
  readonly skipHeartbeat = true;
  /** Accepted for WebSocket compatibility and ignored: LongPoll carries text only. */
  binaryType = 'arraybuffer';
  /** The endpoint URL as given (`ws://…/websocket?…`). */
  readonly url: string;
  /** The poll URL without the session token (`http://…/longpoll?…`). */
  readonly pollURL: string;

  readonly #options: ResolvedLongPollOptions;
  readonly #authToken: string | undefined;
  #state: ReadyState = READY_STATE.connecting;
  #timeoutMs: number;
  #session: string | null = null;
  readonly #requests = new Set<LongPollRequest>();
  readonly #deliveries = new Set<Timer>();
  /** Frames waiting for a POST, oldest first. */
  #outbox: string[] = [];
  #posting = false;
  #batchTimer: Timer | undefined;
  #startTimer: Timer | undefined;

  constructor(endPoint: string, protocols?: string | string[], options?: LongPollOptions) {
    if (typeof endPoint !== 'string' || endPoint === '') throw new TypeError('LongPoll endPoint must be a non-empty URL string');
    this.#options = resolveLongPollOptions(options);
    this.#timeoutMs = this.#options.pollTimeoutMs;
    this.url = endPoint;
    this.pollURL = longPollURL(endPoint);
    this.#authToken = authTokenFromProtocols(protocols);
    // The caller sets its handlers (and may close us) after `new`; the first poll waits for that.
    this.#startTimer = setTimeout(() => {
      this.#startTimer = undefined;
      this.#poll();
    }, 0);
  }

  /** WebSocket-style state: connecting until the session exists, open, closing, closed. */
  get readyState(): ReadyState {
    return this.#state;
  }

  /** The session token Phoenix issued, or `null` before the first answer. */
  get sessionToken(): string | null {
    return this.#session;
  }

  /**
   * Per-request timeout in ms (phoenix.js name; phoenix.js's socket sets it from `longpollerTimeout`).
   * Applies from the next request on.
   */
  get timeout(): number {
    return this.#timeoutMs;
  }
  set timeout(ms: number) {
    checkPollTimeout('timeout', ms);
    this.#timeoutMs = ms;
  }

  /**
   * Queues a text frame for the next POST. Throws `LongPollBinaryError` for binary frames. Frames sent while
   * connecting go out once the session opens; frames sent after `close()` are dropped, as on a WebSocket.
   */
  send(data: RawFrame): void {
    if (typeof data !== 'string') throw new LongPollBinaryError(binaryLength(data));
    if (!this.#isActive()) return;
    this.#outbox.push(data);
    this.#scheduleFlush();
  }

  /**
   * Stops polling and reports `onclose` on the next tick (as a WebSocket does), with `code` (default 1005,
   * "no status", as phoenix.js) and `reason`. Phoenix has no close request: the server ends the session
   * once its window passes without a poll. Unsent frames are dropped.
   */
  close(code?: number, reason?: string): void {
    if (!this.#isActive()) return;
    this.#stop(READY_STATE.closing);
    setTimeout(() => {
      this.#state = READY_STATE.closed;
      this.onclose?.({ code: code ?? NO_STATUS, reason: reason ?? '', wasClean: true });
    }, 0);
  }

  #isActive(): boolean {
    return this.#state === READY_STATE.connecting || this.#state === READY_STATE.open;
  }

  #poll(): void {
    if (!this.#isActive()) return;
    this.#request('GET', { Accept: 'application/json' }, undefined, (outcome) => this.#polled(outcome));
  }

  #polled(outcome: RequestOutcome): void {
    if (outcome.kind === 'timeout') return this.#fail(this.#timeoutError('GET'), CLOSES.timeout);
    if (outcome.kind === 'failed') return this.#fail(outcome.error, CLOSES.failed);
    const { status, token, messages } = outcome.answer;
    switch (status) {
      case LONGPOLL_STATUS.gone:
        if (this.#session !== null) {
          return this.#fail(new LongPollError('session_gone', status, 'the server ended the LongPoll session (410); the socket reconnects and channels rejoin'), CLOSES.sessionGone);
        }
        if (token === null) return this.#fail(new LongPollError('server_error', status, 'the LongPoll server opened a session (410) without a token'), CLOSES.failed);
        this.#session = token;
        this.#state = READY_STATE.open;
        this.onopen?.({ type: 'open' });
        // onopen may have closed us; poll() checks. Frames sent while connecting go out now.
        this.#scheduleFlush();
        return this.#poll();
      case LONGPOLL_STATUS.ok:
        if (token !== null) this.#session = token;
        this.#deliver(messages);
        return this.#poll();
      case LONGPOLL_STATUS.noContent:
        return this.#poll();
      case LONGPOLL_STATUS.forbidden:
        return this.#fail(new LongPollError('forbidden', status, 'the server refused the LongPoll connection (403): check the connect params and auth token'), CLOSES.forbidden);
      default:
        return this.#fail(new LongPollError('server_error', status, `the LongPoll poll answered status ${status}`), CLOSES.failed);
    }
  }

  /**
   * Each frame is delivered in its own task, as WebSocket messages are: promise callbacks a handler starts
   * run before the next frame arrives, exactly as over a WebSocket.
   */
  #deliver(messages: readonly string[]): void {
    for (const data of messages) {
      const timer = setTimeout(() => {
        this.#deliveries.delete(timer);
        this.onmessage?.({ data });
      }, 0);
      this.#deliveries.add(timer);
    }
  }

  #scheduleFlush(): void {
    if (this.#state !== READY_STATE.open || this.#posting || this.#batchTimer !== undefined || this.#outbox.length === 0) return;
    // One tick of grace batches back-to-back pushes (a join storm after reconnect) into one POST.
    this.#batchTimer = setTimeout(() => {
      this.#batchTimer = undefined;
      this.#flush();
    }, 0);
  }

  /** POSTs the oldest queued frames; the next POST starts when this one is acknowledged, so order holds. */
  #flush(): void {
    if (this.#state !== READY_STATE.open || this.#posting || this.#outbox.length === 0) return;
    const { body, count, contentType } = nextBatch(this.#outbox, this.#options.maxBatchSize);
    this.#outbox = this.#outbox.slice(count);
    this.#posting = true;
    this.#request('POST', { 'Content-Type': contentType }, body, (outcome) => {
      this.#posting = false;
      if (outcome.kind === 'timeout') return this.#fail(this.#timeoutError('POST'), CLOSES.timeout);
      if (outcome.kind === 'failed') return this.#fail(outcome.error, CLOSES.failed);
      const { status } = outcome.answer;
      if (status === LONGPOLL_STATUS.ok) return this.#flush();
      if (status === LONGPOLL_STATUS.gone) {
        return this.#fail(new LongPollError('session_gone', status, 'the server ended the LongPoll session (410 on POST); the socket reconnects and channels rejoin'), CLOSES.sessionGone);
      }
      return this.#fail(new LongPollError('server_error', status, `the LongPoll POST answered status ${status}; ${count} frame(s) may be lost`), CLOSES.failed);
    });
  }

  #request(method: 'GET' | 'POST', headers: Record<string, string>, body: string | undefined, done: (outcome: RequestOutcome) => void): void {
    const fetch = this.#options.fetch ?? globalFetch();
    if (fetch === undefined) {
      return this.#fail(new LongPollError('fetch_unavailable', 0, 'globalThis.fetch is not defined; pass one with createLongPollTransport({ fetch })'), CLOSES.failed);
    }
    const all: Record<string, string> = { ...this.#options.headers, ...headers };
    if (this.#authToken !== undefined && this.#authToken !== '') all[AUTH_TOKEN_HEADER] = this.#authToken;
    const spec = { fetch, method, url: withSessionToken(this.pollURL, this.#session), headers: all, credentials: this.#options.credentials, timeoutMs: this.#timeoutMs };
    const request: LongPollRequest = new LongPollRequest(body === undefined ? spec : { ...spec, body }, (outcome) => {
      // A request still in the set is ours; stop() empties the set, so late answers are ignored.
      if (this.#requests.delete(request)) done(outcome);
    });
    this.#requests.add(request);
  }

  #timeoutError(method: 'GET' | 'POST'): LongPollError {
    return new LongPollError('timeout', 0, `the LongPoll ${method} took longer than ${this.#timeoutMs} ms; the socket reconnects (raise longpollerTimeout above the server's window)`);
  }

  /** Like a failed WebSocket: not open any more when the error and then the close are reported. */
  #fail(error: LongPollError, close: { code: number; reason: string }): void {
    if (!this.#isActive()) return;
    this.#stop(READY_STATE.closed);
    const event: LongPollErrorEvent = { type: 'error', error, message: error.message };
    this.onerror?.(event);
    this.onclose?.({ code: close.code, reason: close.reason, wasClean: false });
  }

  /** Cancels requests, queued deliveries and outgoing batches. */
  #stop(state: ReadyState): void {
    this.#state = state;
    const requests = [...this.#requests];
    this.#requests.clear();
    for (const request of requests) request.abort();
    for (const timer of this.#deliveries) clearTimeout(timer);
    this.#deliveries.clear();
    if (this.#batchTimer !== undefined) clearTimeout(this.#batchTimer);
    if (this.#startTimer !== undefined) clearTimeout(this.#startTimer);
    this.#batchTimer = undefined;
    this.#startTimer = undefined;
    this.#outbox = [];
    this.#posting = false;
  }
}

/**
 * The next POST body: up to `max` frames joined by newlines. A frame that itself contains a line break (a
 * custom serializer's pretty JSON) cannot be an ndjson line, so it goes alone as `application/json`, which
 * Phoenix reads as one frame.
 */
export function nextBatch(outbox: readonly string[], max: number): { body: string; count: number; contentType: string } {
  const first = outbox[0] ?? '';
  if (hasLineBreak(first)) return { body: first, count: 1, contentType: 'application/json' };
  let count = 1;
  while (count < max && count < outbox.length && !hasLineBreak(outbox[count]!)) count++;
  return { body: outbox.slice(0, count).join('\n'), count, contentType: NDJSON_CONTENT_TYPE };
}

function hasLineBreak(frame: string): boolean {
  return frame.includes('\n') || frame.includes('\r');
}

function binaryLength(data: unknown): number {
  if (data instanceof ArrayBuffer) return data.byteLength;
  if (ArrayBuffer.isView(data)) return data.byteLength;
  return 0;
}

/**
 * A LongPoll class with these options, validated now. Use it where a class is expected (`transport`, the
 * LongPoll fallback).
 *
 * @example
 * const LongPoll = createLongPollTransport({ pollTimeoutMs: 30_000, fetch: myFetch });
 * new Socket(url, { transport: LongPoll });
 */
export function createLongPollTransport(options: LongPollOptions = {}): TransportConstructor & { readonly transportName: string } {
  resolveLongPollOptions(options);
  return class ConfiguredLongPoll extends LongPoll {
    constructor(endPoint: string, protocols?: string | string[]) {
      super(endPoint, protocols, options);
    }
  };
}
