import { createServer as createHttpServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { createServer as createHttpsServer } from 'node:https';
import type { AddressInfo, Socket } from 'node:net';
import type { Duplex } from 'node:stream';
import { ChannelProcess } from './channel-process';
import { CLOSE_CODE, REASONS, TRANSPORT_PATH } from './constants';
import type { Connection } from './connection';
import { NotListeningError } from './errors';
import type { ServerEventName, ServerEvents } from './events';
import type { BinaryPayload } from './frame';
import { toBytes } from './frame';
import { Hub } from './hub';
import type { ResolvedServerOptions, ServerOptions } from './options';
import { resolveServerOptions } from './options';
import type { PresenceState } from './presence';
import type { ServerStats } from './stats';
import type { ChannelSocket, ChannelSpec, ConnectionHandle } from './types';
import { UpgradeGate } from './upgrade-gate';
import { LongPollTransport } from './longpoll-transport';
import { WebSocketTransport } from './ws-transport';

/** How long `close()`/`restart()` wait for clients to answer the close frame before destroying sockets. */
const SHUTDOWN_GRACE_MS = 250;

function channelOf(socket: ChannelSocket, operation: string): ChannelProcess {
  if (!(socket instanceof ChannelProcess)) {
    throw new TypeError(`${operation}(socket, ...): socket must be the ChannelSocket a channel callback received`);
  }
  return socket;
}

function urlHost(host: string): string {
  if (host === '0.0.0.0' || host === '::' || host === '') return '127.0.0.1';
  return host.includes(':') ? `[${host}]` : host;
}

/**
 * A Phoenix Channels server for tests: real WebSockets and LongPoll, the V1/V2/binary (and msgpack) wire
 * protocol, channels, presence, and fault injection. Create it with {@link startServer}; always `await server.close()`.
 */
export class TestServer {
  private readonly options: ResolvedServerOptions;
  private readonly hub: Hub;
  private readonly transport: WebSocketTransport;
  private readonly longPoll: LongPollTransport;
  private readonly gate: UpgradeGate;
  private readonly http: Server;
  private readonly tcpSockets = new Set<Socket>();
  private boundPort = 0;
  private listening = false;

  /** @internal Use {@link startServer}. */
  constructor(options: ServerOptions = {}) {
    this.options = resolveServerOptions(options);
    const capReason = this.options.maxChannelsRefusal === 'supabase' ? REASONS.tooManyChannelsSupabase : REASONS.tooManyChannels;
    this.hub = new Hub(this.options.maxChannels, Object.freeze({ reason: capReason }));
    this.transport = new WebSocketTransport(this.hub, this.options);
    this.longPoll = new LongPollTransport(this.hub, this.options);
    this.gate = new UpgradeGate((request, socket, head) => this.transport.handleUpgrade(request, socket, head));
    const onRequest = (request: IncomingMessage, response: ServerResponse): void => this.onRequest(request, response);
    this.http = this.options.tls
      ? createHttpsServer({ key: this.options.tls.key, cert: this.options.tls.cert }, onRequest)
      : createHttpServer(onRequest);
    this.http.on('connection', (socket: Socket) => {
      this.tcpSockets.add(socket);
      socket.once('close', () => this.tcpSockets.delete(socket));
    });
    this.http.on('upgrade', (request: IncomingMessage, socket: Duplex, head: Buffer) => this.gate.admit(request, socket, head));
    this.http.on('clientError', (_error, socket: Duplex) => socket.destroy());
  }

  /** The bound port. */
  get port(): number {
    return this.boundPort;
  }

  /** Socket URL for clients, e.g. `'ws://127.0.0.1:PORT/socket'` (`wss` with `tls`). */
  get url(): string {
    return `${this.options.tls ? 'wss' : 'ws'}://${urlHost(this.options.host)}:${this.boundPort}${this.options.path}`;
  }

  /** The same endpoint over HTTP, e.g. `'http://127.0.0.1:PORT/socket'` (for LongPoll). */
  get httpUrl(): string {
    return `${this.options.tls ? 'https' : 'http'}://${urlHost(this.options.host)}:${this.boundPort}${this.options.path}`;
  }

  /** Live connections. */
  get connections(): readonly ConnectionHandle[] {
    return this.hub.connections;
  }

  /** Starts listening (called by `startServer`). */
  async listen(): Promise<this> {
    await new Promise<void>((resolve, reject) => {
      const onError = (error: Error): void => reject(error);
      this.http.once('error', onError);
      this.http.listen(this.boundPort || this.options.port, this.options.host, () => {
        this.http.off('error', onError);
        resolve();
      });
    });
    this.boundPort = (this.http.address() as AddressInfo).port;
    this.listening = true;
    return this;
  }

  /**
   * Serves topics matching `pattern` (an exact topic, or a prefix ending in `*`) with `spec`.
   * The first registered match wins. Returns a function that removes the route.
   *
   * @example
   * server.channel('room:*', {
   *   join: (topic, params) => (params.token === 'ok' ? { ok: {} } : { error: { reason: 'unauthorized' } }),
   *   handleIn: (event, payload, socket) => {
   *     socket.broadcast(event, payload);
   *     return { reply: 'ok' };
   *   },
   * });
   */
  channel(pattern: string, spec: ChannelSpec): () => void {
    return this.hub.registry.add(pattern, spec);
  }

  /** Broadcasts `[null, null, topic, event, payload]` to every subscriber of `topic` (bytes → binary kind 2). */
  broadcast(topic: string, event: string, payload: unknown = {}): void {
    this.hub.broadcast(topic, event, payload);
  }

  /**
   * Tracks `key` with `meta` on `topic` for the channel `socket`; subscribers get `presence_diff`.
   * The presence leaves when that channel ends. Returns the new `phx_ref`.
   *
   * @example
   * server.channel('room:*', { presence: true, join(topic, params, socket) { server.track(socket, topic, String(params.user), { online_at: Date.now() }); } });
   */
  track(socket: ChannelSocket, topic: string, key: string, meta: Record<string, unknown> = {}): string {
    const diff = this.hub.presence.track(channelOf(socket, 'track'), topic, key, meta);
    this.hub.broadcastDiff(diff);
    return (diff.diff.joins[key]?.metas[0]?.phx_ref) ?? '';
  }

  /** Untracks `key` on `topic` for `socket`; returns false if it was not tracked. */
  untrack(socket: ChannelSocket, topic: string, key: string): boolean {
    const diff = this.hub.presence.untrack(channelOf(socket, 'untrack'), topic, key);
    this.hub.broadcastDiff(diff);
    return diff !== undefined;
  }

  /** Replaces the meta (new `phx_ref`, `phx_ref_prev` = old); returns false if it was not tracked. */
  update(socket: ChannelSocket, topic: string, key: string, meta: Record<string, unknown>): boolean {
    const diff = this.hub.presence.update(channelOf(socket, 'update'), topic, key, meta);
    this.hub.broadcastDiff(diff);
    return diff !== undefined;
  }

  /** Pushes `presence_state` of `socket.topic` to that client (what Phoenix apps do in after_join). */
  pushPresenceState(socket: ChannelSocket): void {
    this.hub.pushPresenceState(channelOf(socket, 'pushPresenceState'));
  }

  /** The current presence state of `topic`. */
  listPresence(topic: string): PresenceState {
    return this.hub.presenceList(topic);
  }

  // Fault injection

  /**
   * Closes every connection with `code` (default 1000, what Phoenix sends when it disconnects a
   * socket; clients reconnect anyway). `1006` destroys the TCP sockets without a close frame.
   * LongPoll sessions end too: a held poll is answered 410 at once, as is the next poll with that token.
   * Resolves when all are closed.
   */
  dropAll(code: number = CLOSE_CODE.normal, reason = 'dropped'): Promise<void> {
    return Promise.all([this.transport.closeAll(code, reason), this.longPoll.closeAll(code, reason)]).then(() => undefined);
  }

  /**
   * Stops reading and answering on every socket (TCP stays open) and holds new upgrades, until `resume()`.
   * LongPoll requests are held unanswered too.
   */
  stall(): void {
    this.transport.stall();
    this.longPoll.stall();
    this.gate.close('stall');
  }

  /** Undoes `stall()`: queued frames are read and answered, held upgrades and LongPoll requests proceed. */
  resume(): void {
    this.transport.resume();
    this.longPoll.resume();
    this.gate.open('stall');
  }

  /**
   * Accepts TCP connections but leaves HTTP upgrade requests unanswered (connect-timeout and LongPoll
   * fallback tests). The LongPoll endpoint keeps answering.
   */
  holdUpgrades(): void {
    this.gate.close('hold');
  }

  /** Answers the held upgrades (still-connected ones) and every later one. */
  releaseUpgrades(): void {
    this.gate.open('hold');
  }

  /** Delays every `phx_reply` (joins and heartbeats included) by `ms`; later frames of that connection wait behind it. `0` turns it off. */
  delayReplies(ms: number): void {
    if (!Number.isFinite(ms) || ms < 0) throw new RangeError(`delayReplies(ms): expected ms >= 0, got ${String(ms)}`);
    this.hub.replyDelayMs = ms;
  }

  /**
   * Writes `frame` as-is to every connection (or those `filter` accepts): a string is a text
   * frame, bytes a binary frame. Returns how many connections it was written to.
   */
  sendRaw(frame: string | BinaryPayload, filter?: (connection: ConnectionHandle) => boolean): number {
    const data = typeof frame === 'string' ? frame : Buffer.from(toBytes(frame));
    let count = 0;
    for (const connection of this.hub.connections as readonly Connection[]) {
      if (filter && !filter(connection)) continue;
      connection.writeFrame(data);
      count++;
    }
    return count;
  }

  /**
   * Closes every connection whose socket id (server option `id`) is `id`, with code 1001 — what Phoenix
   * does on `Endpoint.broadcast(id, "disconnect", %{})`, e.g. from a `handle_in` after revoking a token.
   * LongPoll sessions with that id end too. Returns how many connections it closed.
   *
   * @example
   * const server = await startServer({ id: (params) => `user_socket:${params.user}` });
   * server.channel('room:*', { handleIn: (_e, _p, socket) => { server.disconnectSocket(socket.connection.socketId!); } });
   */
  disconnectSocket(id: string): number {
    if (typeof id !== 'string') throw new TypeError('disconnectSocket(id): id must be a string');
    let count = 0;
    for (const connection of this.hub.connections) {
      if (connection.socketId !== id) continue;
      connection.close(CLOSE_CODE.goingAway, 'disconnected');
      count++;
    }
    return count;
  }

  /** Closes every connection (code 1012, as a draining Phoenix does) and listens again on the same port. */
  async restart(): Promise<void> {
    if (!this.listening) throw new NotListeningError('restart');
    await this.shutdown(CLOSE_CODE.serviceRestart, 'restart');
    this.transport.resume();
    this.gate.open('stall');
    await this.listen();
  }

  /**
   * Listens again on the same port after `close()` (a node coming back); channels and routes are kept.
   *
   * @example
   * await server.close(); // clients reconnect and fail
   * await server.reopen(); // ...and now succeed
   */
  async reopen(): Promise<void> {
    if (this.listening) return;
    this.transport.resume();
    this.gate.open('stall');
    await this.listen();
  }

  /** @internal The hub, for `startCluster`. */
  get node(): Hub {
    return this.hub;
  }

  /** A snapshot of the counters. */
  stats(): ServerStats {
    return { ...this.hub.stats };
  }

  /**
   * Subscribes to a server event; returns the unsubscribe function.
   *
   * @example
   * const off = server.on('message', ({ message }) => seen.push(message.event));
   */
  on<K extends ServerEventName>(name: K, listener: (event: ServerEvents[K]) => void): () => void {
    return this.hub.events.on(name, listener);
  }

  /**
   * Resolves with the next `name` event matching `predicate`; rejects after `timeoutMs` (default 5000)
   * with a `WaitTimeoutError`.
   *
   * @example
   * await server.waitFor('join', (e) => e.topic === 'room:1' && e.status === 'ok');
   */
  waitFor<K extends ServerEventName>(
    name: K,
    predicate?: (event: ServerEvents[K]) => boolean,
    timeoutMs?: number,
  ): Promise<ServerEvents[K]> {
    return this.hub.events.waitFor(name, predicate, timeoutMs);
  }

  /** Closes every connection (1001), stops listening. Idempotent. */
  async close(): Promise<void> {
    if (!this.listening) return;
    await this.shutdown(CLOSE_CODE.goingAway, 'server closing');
  }

  private async shutdown(code: number, reason: string): Promise<void> {
    this.listening = false;
    this.gate.destroyAll();
    const stopped = new Promise<void>((resolve) => this.http.close(() => resolve()));
    const grace = new Promise<void>((resolve) => setTimeout(resolve, SHUTDOWN_GRACE_MS).unref());
    await Promise.race([this.transport.closeAll(code, reason), grace]);
    await this.longPoll.closeAll(code, reason);
    for (const socket of this.tcpSockets) socket.destroy();
    this.http.closeAllConnections();
    await stopped;
  }

  private onRequest(request: IncomingMessage, response: ServerResponse): void {
    const path = (request.url ?? '').split('?')[0];
    if (path === this.options.path + TRANSPORT_PATH.longpoll) {
      this.longPoll.handle(request, response);
      return;
    }
    const expectsUpgrade = (request.url ?? '').startsWith(this.options.path + '/websocket');
    response.writeHead(expectsUpgrade ? 400 : 404, { 'content-type': 'text/plain', connection: 'close' });
    response.end(expectsUpgrade ? 'expected a WebSocket upgrade' : 'not found');
  }
}

/**
 * Starts a Phoenix-protocol server on `127.0.0.1` and a free port (by default).
 *
 * @example
 * const server = await startServer();
 * server.channel('room:*', { join: () => ({ ok: {} }) });
 * const socket = new Socket(server.url, { transport: WebSocket });
 * // ...
 * await server.close();
 */
export async function startServer(options: ServerOptions = {}): Promise<TestServer> {
  return new TestServer(options).listen();
}
