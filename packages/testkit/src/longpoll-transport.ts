import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { codecFor } from './codec';
import { AUTH_TOKEN_HEADER, LONGPOLL_STATUS, NDJSON_CONTENT_TYPE, VSN } from './constants';
import type { ConnectionSink } from './connection';
import { Connection } from './connection';
import type { RefusedEvent } from './events';
import type { WireData } from './frame';
import type { Hub } from './hub';
import type { ResolvedServerOptions } from './options';
import type { Assigns, ConnectResult } from './types';

/** Phoenix answers every LongPoll request with HTTP 200 and puts the protocol status in the JSON body. */
function answer(response: ServerResponse, status: number, body: { token?: string | null; messages?: readonly string[] } = {}): void {
  if (response.writableEnded || response.destroyed) return;
  const text = JSON.stringify({ status, ...body });
  response.writeHead(200, {
    'content-type': 'application/json; charset=utf-8',
    'content-length': Buffer.byteLength(text),
    'access-control-allow-origin': '*',
    'cache-control': 'no-store',
  });
  response.end(text);
}

/**
 * One LongPoll session under a `Connection`: frames wait in a buffer until a poll takes them. A poll is
 * held until a frame arrives or the window passes (then 204). A session nobody polled for one window
 * ends, as Phoenix's LongPoll server process does.
 */
class LongPollSession implements ConnectionSink {
  readonly extensions = '';
  private buffer: string[] = [];
  private held: { response: ServerResponse; timer: ReturnType<typeof setTimeout> } | undefined;
  private flushScheduled = false;
  private idleTimer: ReturnType<typeof setTimeout> | undefined;
  private paused = false;
  ended = false;

  constructor(
    readonly id: string,
    readonly token: string,
    readonly connection: Connection,
    private readonly windowMs: number,
    private readonly onEnd: (session: LongPollSession) => void,
  ) {
    this.startIdleTimer();
  }

  /** A frame from the connection core. Binary frames cannot travel over LongPoll and are dropped, as in Phoenix. */
  write(data: WireData): void {
    if (this.ended || typeof data !== 'string') return;
    this.buffer.push(data);
    if (this.held === undefined || this.flushScheduled || this.paused) return;
    // Frames written in the same tick (a reply and the pushes it triggered) leave in one answer.
    this.flushScheduled = true;
    setImmediate(() => {
      this.flushScheduled = false;
      this.flush();
    });
  }

  close(code: number, reason: string): void {
    this.end(code, reason);
  }

  /** A GET for this session: answer at once when frames wait, else hold it. */
  poll(response: ServerResponse): void {
    if (this.ended) return answer(response, LONGPOLL_STATUS.gone);
    this.stopIdleTimer();
    // One poll at a time: an older held poll is released empty.
    if (this.held) this.release(LONGPOLL_STATUS.noContent);
    const timer = setTimeout(() => this.release(LONGPOLL_STATUS.noContent), this.windowMs);
    timer.unref();
    this.held = { response, timer };
    // A client that gives up on its poll (timeout, close) takes no frames: they stay for the next poll.
    response.once('close', () => {
      if (this.held?.response !== response) return;
      clearTimeout(this.held.timer);
      this.held = undefined;
      if (!this.ended) this.startIdleTimer();
    });
    if (this.buffer.length > 0 && !this.paused) this.flush();
  }

  /** A POST for this session: keeps it alive. */
  touch(): void {
    if (this.held === undefined) this.startIdleTimer();
  }

  pause(): void {
    this.paused = true;
    this.stopIdleTimer();
  }

  resume(): void {
    this.paused = false;
    if (this.held && this.buffer.length > 0) this.flush();
    else if (!this.held) this.startIdleTimer();
  }

  private flush(): void {
    if (!this.held || this.buffer.length === 0) return;
    const messages = this.buffer;
    this.buffer = [];
    this.release(LONGPOLL_STATUS.ok, messages);
  }

  private release(status: number, messages: readonly string[] = []): void {
    const held = this.held;
    if (!held) return;
    this.held = undefined;
    clearTimeout(held.timer);
    answer(held.response, status, { token: this.token, messages });
    if (!this.ended && !this.paused) this.startIdleTimer();
  }

  private startIdleTimer(): void {
    this.stopIdleTimer();
    this.idleTimer = setTimeout(() => this.end(1000, 'longpoll session expired'), this.windowMs);
    this.idleTimer.unref();
  }

  private stopIdleTimer(): void {
    if (this.idleTimer) clearTimeout(this.idleTimer);
    this.idleTimer = undefined;
  }

  private end(code: number, reason: string): void {
    if (this.ended) return;
    this.ended = true;
    this.stopIdleTimer();
    this.buffer = [];
    // A held poll learns at once that the session is gone, so the client reconnects without waiting a window.
    const held = this.held;
    this.held = undefined;
    if (held) {
      clearTimeout(held.timer);
      answer(held.response, LONGPOLL_STATUS.gone);
    }
    this.onEnd(this);
    this.connection.closed(code, reason);
  }
}

/**
 * The LongPoll transport: `<path>/longpoll`, the same channels and connection core as the WebSocket
 * endpoint. GET without a token opens a session (status 410 + a signed token, after `connect`); GET with
 * it polls; POST with it delivers frames (ndjson, or one JSON frame). An unknown, forged or expired token
 * gets 410. The auth token comes in the `X-Phoenix-AuthToken` header.
 */
export class LongPollTransport {
  private readonly sessions = new Map<string, LongPollSession>();
  private readonly secret = randomBytes(32);
  private stalled = false;
  private readonly stalledRequests: Array<() => void> = [];

  constructor(
    private readonly hub: Hub,
    private readonly options: ResolvedServerOptions,
  ) {}

  /** Live sessions. */
  get size(): number {
    return this.sessions.size;
  }

  /** Handles one request to `<path>/longpoll`; never throws. */
  handle(request: IncomingMessage, response: ServerResponse): void {
    if (request.method === 'OPTIONS') return this.preflight(request, response);
    if (this.stalled) {
      this.stalledRequests.push(() => this.handle(request, response));
      return;
    }
    this.dispatch(request, response).catch(() => answer(response, LONGPOLL_STATUS.serverError));
  }

  /** Ends every session: held polls get 410 at once, later polls with those tokens 410 too. */
  closeAll(code: number, reason: string): Promise<void> {
    for (const session of [...this.sessions.values()]) session.close(code, reason);
    return Promise.resolve();
  }

  /** Holds new requests and stops answering polls until `resume()`. */
  stall(): void {
    this.stalled = true;
    for (const session of this.sessions.values()) session.pause();
  }

  resume(): void {
    this.stalled = false;
    for (const session of this.sessions.values()) session.resume();
    for (const run of this.stalledRequests.splice(0)) run();
  }

  private async dispatch(request: IncomingMessage, response: ServerResponse): Promise<void> {
    const rawUrl = request.url ?? '/';
    const url = new URL(rawUrl, 'http://testkit.invalid');
    const token = url.searchParams.get('token');
    const session = token === null ? undefined : this.lookup(token);
    if (request.method === 'GET') {
      if (session) return session.poll(response);
      // Phoenix would open a new session here; the client only learns "gone" from it, so just say that.
      if (token !== null) return answer(response, LONGPOLL_STATUS.gone);
      return this.open(request, response, url, rawUrl);
    }
    if (request.method === 'POST') {
      if (!session) return answer(response, LONGPOLL_STATUS.gone);
      const body = await this.readBody(request);
      if (body === null) return answer(response, LONGPOLL_STATUS.payloadTooLarge);
      session.touch();
      const contentType = (request.headers['content-type'] ?? '').split(';')[0]?.trim();
      const frames = contentType === NDJSON_CONTENT_TYPE ? body.split(/\r?\n/).filter((line) => line !== '') : [body];
      for (const frame of frames) session.connection.receive(frame);
      return answer(response, LONGPOLL_STATUS.ok);
    }
    response.writeHead(400, { 'content-type': 'text/plain' }).end('LongPoll accepts GET, POST and OPTIONS');
  }

  private async open(request: IncomingMessage, response: ServerResponse, url: URL, rawUrl: string): Promise<void> {
    const vsn = url.searchParams.get('vsn');
    const codec = codecFor(vsn);
    if (!codec || codec.vsn === VSN.msgpack) {
      const why = codec ? 'msgpack frames are binary and LongPoll carries text' : `unsupported vsn ${String(vsn)}`;
      return this.refuse(response, LONGPOLL_STATUS.forbidden, { status: 403, url: rawUrl, reason: why });
    }
    const params: Record<string, string> = Object.fromEntries(url.searchParams);
    const header = request.headers[AUTH_TOKEN_HEADER];
    const authToken = typeof header === 'string' && header !== '' ? header : undefined;
    let result: ConnectResult;
    try {
      const info = { headers: request.headers, subprotocols: [], url: rawUrl, ...(authToken === undefined ? {} : { authToken }) };
      result = await this.options.connect(params, info);
    } catch {
      return this.refuse(response, LONGPOLL_STATUS.serverError, { status: 500, url: rawUrl, reason: 'connect threw' });
    }
    if (result !== true && (result === null || typeof result !== 'object')) {
      return this.refuse(response, LONGPOLL_STATUS.forbidden, { status: 403, url: rawUrl, reason: 'connect refused' });
    }
    const assigns: Assigns = result === true ? {} : { ...result };
    let socketId: string | null;
    try {
      socketId = this.options.id?.(params, { headers: request.headers, subprotocols: [], url: rawUrl, ...(authToken === undefined ? {} : { authToken }) }, assigns) ?? null;
    } catch {
      return this.refuse(response, LONGPOLL_STATUS.serverError, { status: 500, url: rawUrl, reason: 'id threw' });
    }
    const connection = new Connection(this.hub, { params, headers: request.headers, subprotocols: [], authToken, codec, assigns, transport: 'longpoll', socketId });
    const id = randomBytes(12).toString('base64url');
    const session = new LongPollSession(id, `${id}.${this.sign(id)}`, connection, this.options.longPollWindowMs, (s) => this.sessions.delete(s.id));
    this.sessions.set(id, session);
    connection.attach(session);
    if (this.stalled) session.pause();
    answer(response, LONGPOLL_STATUS.gone, { token: session.token });
  }

  /** The live session a token names, if the token is ours (signature checked) and the session still exists. */
  private lookup(token: string): LongPollSession | undefined {
    const dot = token.indexOf('.');
    if (dot <= 0) return undefined;
    const id = token.slice(0, dot);
    const given = Buffer.from(token.slice(dot + 1));
    const expected = Buffer.from(this.sign(id));
    if (given.length !== expected.length || !timingSafeEqual(given, expected)) return undefined;
    return this.sessions.get(id);
  }

  private sign(id: string): string {
    return createHmac('sha256', this.secret).update(id).digest('base64url').slice(0, 22);
  }

  /** The request body as text, or `null` when it is over `maxPayloadBytes`. */
  private readBody(request: IncomingMessage): Promise<string | null> {
    const limit = this.options.maxPayloadBytes;
    return new Promise((resolve, reject) => {
      const chunks: Buffer[] = [];
      let size = 0;
      let over = false;
      request.on('data', (chunk: Buffer) => {
        size += chunk.length;
        if (limit > 0 && size > limit) over = true;
        else chunks.push(chunk);
      });
      request.on('end', () => resolve(over ? null : Buffer.concat(chunks).toString('utf8')));
      request.on('error', reject);
    });
  }

  private refuse(response: ServerResponse, status: number, event: RefusedEvent): void {
    this.hub.stats.refusedConnections++;
    this.hub.events.emit('refused', event);
    answer(response, status);
  }

  /** CORS preflight, as Phoenix answers it: any origin, the requested headers, GET/POST. */
  private preflight(request: IncomingMessage, response: ServerResponse): void {
    response.writeHead(200, {
      'access-control-allow-origin': '*',
      'access-control-allow-headers': request.headers['access-control-request-headers'] ?? '',
      'access-control-allow-methods': 'get, post, options',
      'access-control-max-age': '3600',
      'content-length': 0,
    });
    response.end();
  }
}
