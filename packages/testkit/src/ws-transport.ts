import type { IncomingMessage } from 'node:http';
import type { Duplex } from 'node:stream';
import { WebSocketServer, type WebSocket } from 'ws';
import { decodeAuthToken, parseSubprotocols } from './auth-token';
import { codecFor } from './codec';
import { CLOSE_CODE, SUBPROTOCOL, TRANSPORT_PATH } from './constants';
import type { ConnectionSink } from './connection';
import { Connection } from './connection';
import type { RefusedEvent } from './events';
import type { WireData } from './frame';
import type { Hub } from './hub';
import type { ResolvedServerOptions } from './options';
import type { Assigns, ConnectResult } from './types';

/** How long a server-initiated close waits for the client's close frame before destroying the socket. */
const CLOSE_GRACE_MS = 1000;

/** One WebSocket under a `Connection`: writes, closes, stall (pause) and the inbound-idle timeout. */
class WsSink implements ConnectionSink {
  private paused = false;
  private held: WireData[] = [];
  private idleTimer: ReturnType<typeof setTimeout> | undefined;

  constructor(
    readonly ws: WebSocket,
    readonly connection: Connection,
    private readonly idleTimeoutMs: number,
  ) {}

  get extensions(): string {
    return this.ws.extensions;
  }

  write(data: WireData): void {
    if (this.paused) this.held.push(data);
    else this.ws.send(data, { binary: typeof data !== 'string' });
  }

  close(code: number, reason: string): void {
    if (code === CLOSE_CODE.abnormal || this.paused) {
      this.ws.terminate();
      return;
    }
    this.ws.close(code, reason);
    const timer = setTimeout(() => this.ws.terminate(), CLOSE_GRACE_MS);
    timer.unref();
    this.ws.once('close', () => clearTimeout(timer));
  }

  /** Inbound activity: restart the idle timer. */
  touch(): void {
    if (this.idleTimer) this.idleTimer.refresh();
  }

  startIdleTimer(): void {
    if (this.idleTimeoutMs <= 0 || this.idleTimer) return;
    this.idleTimer = setTimeout(() => this.close(CLOSE_CODE.normal, 'heartbeat timeout'), this.idleTimeoutMs);
    this.idleTimer.unref();
  }

  stopIdleTimer(): void {
    if (this.idleTimer) clearTimeout(this.idleTimer);
    this.idleTimer = undefined;
  }

  /** Stop reading and answering; the TCP connection stays open. */
  pause(): void {
    this.paused = true;
    this.stopIdleTimer();
    this.ws.pause();
  }

  resume(): void {
    this.paused = false;
    this.ws.resume();
    const held = this.held;
    this.held = [];
    for (const data of held) this.write(data);
    this.startIdleTimer();
  }
}

/**
 * The WebSocket transport: answers upgrades on `<path>/websocket` (vsn negotiation, `connect`,
 * authToken subprotocol) and binds each WebSocket to a transport-independent `Connection`.
 */
export class WebSocketTransport {
  private readonly wss: WebSocketServer;
  private readonly sinks = new Set<WsSink>();
  private stalled = false;

  constructor(
    private readonly hub: Hub,
    private readonly options: ResolvedServerOptions,
  ) {
    this.wss = new WebSocketServer({
      noServer: true,
      clientTracking: false,
      perMessageDeflate: options.perMessageDeflate,
      maxPayload: options.maxPayloadBytes,
      handleProtocols: (protocols) => (protocols.has(SUBPROTOCOL.phoenix) ? SUBPROTOCOL.phoenix : false),
    });
  }

  /** Live sockets. */
  get size(): number {
    return this.sinks.size;
  }

  /** Handles one upgrade request; never throws. */
  handleUpgrade(request: IncomingMessage, socket: Duplex, head: Buffer): void {
    this.upgrade(request, socket, head).catch(() => socket.destroy());
  }

  /** Pauses every socket (and sockets accepted later) until `resume()`. */
  stall(): void {
    this.stalled = true;
    for (const sink of this.sinks) sink.pause();
  }

  resume(): void {
    this.stalled = false;
    for (const sink of this.sinks) sink.resume();
  }

  /** Closes every socket with `code` (1006 destroys the TCP socket without a close frame). */
  closeAll(code: number, reason: string): Promise<void> {
    const closing = [...this.sinks].map(
      (sink) =>
        new Promise<void>((resolve) => {
          sink.ws.once('close', () => resolve());
          sink.close(code, reason);
        }),
    );
    return Promise.all(closing).then(() => undefined);
  }

  private async upgrade(request: IncomingMessage, socket: Duplex, head: Buffer): Promise<void> {
    socket.on('error', () => socket.destroy());
    const rawUrl = request.url ?? '/';
    const url = new URL(rawUrl, 'http://testkit.invalid');
    if (url.pathname !== this.options.path + TRANSPORT_PATH.websocket) {
      this.refuse(socket, { status: 404, url: rawUrl, reason: `no socket at ${url.pathname}` });
      return;
    }
    const codec = codecFor(url.searchParams.get('vsn'));
    if (!codec) {
      this.refuse(socket, { status: 403, url: rawUrl, reason: `unsupported vsn ${String(url.searchParams.get('vsn'))}` });
      return;
    }
    const params: Record<string, string> = Object.fromEntries(url.searchParams);
    const subprotocols = parseSubprotocols(request.headers['sec-websocket-protocol']);
    const authToken = decodeAuthToken(subprotocols);
    let result: ConnectResult;
    try {
      const info = { headers: request.headers, subprotocols, url: rawUrl, ...(authToken === undefined ? {} : { authToken }) };
      result = await this.options.connect(params, info);
    } catch {
      this.refuse(socket, { status: 500, url: rawUrl, reason: 'connect threw' });
      return;
    }
    if (result !== true && (result === null || typeof result !== 'object')) {
      this.refuse(socket, { status: 403, url: rawUrl, reason: 'connect refused' });
      return;
    }
    if (socket.destroyed) return;
    const assigns: Assigns = result === true ? {} : { ...result };
    let socketId: string | null;
    try {
      socketId = this.options.id?.(params, { headers: request.headers, subprotocols, url: rawUrl, ...(authToken === undefined ? {} : { authToken }) }, assigns) ?? null;
    } catch {
      this.refuse(socket, { status: 500, url: rawUrl, reason: 'id threw' });
      return;
    }
    this.wss.handleUpgrade(request, socket, head, (ws) => {
      const connection = new Connection(this.hub, { params, headers: request.headers, subprotocols, authToken, codec, assigns, transport: 'websocket', socketId });
      this.bind(ws, connection);
    });
  }

  private bind(ws: WebSocket, connection: Connection): void {
    const sink = new WsSink(ws, connection, this.options.heartbeatTimeoutMs);
    this.sinks.add(sink);
    ws.on('message', (data, isBinary) => {
      sink.touch();
      const bytes = Buffer.isBuffer(data) ? data : Array.isArray(data) ? Buffer.concat(data) : Buffer.from(data);
      connection.receive(isBinary ? bytes : bytes.toString('utf8'));
    });
    ws.on('ping', () => sink.touch());
    ws.on('pong', () => sink.touch());
    ws.on('error', () => undefined);
    ws.on('close', (code, reason) => {
      this.sinks.delete(sink);
      sink.stopIdleTimer();
      connection.closed(code, reason.toString('utf8'));
    });
    connection.attach(sink);
    if (this.stalled) sink.pause();
    else sink.startIdleTimer();
  }

  private refuse(socket: Duplex, event: RefusedEvent): void {
    this.hub.stats.refusedConnections++;
    this.hub.events.emit('refused', event);
    if (socket.destroyed) return;
    const text = { 403: 'Forbidden', 404: 'Not Found', 500: 'Internal Server Error' }[event.status];
    socket.once('finish', () => socket.destroy());
    socket.end(`HTTP/1.1 ${event.status} ${text}\r\nConnection: close\r\nContent-Type: text/plain\r\nContent-Length: ${Buffer.byteLength(text)}\r\n\r\n${text}`);
  }
}
