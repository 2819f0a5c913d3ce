/**
 * The lite `Socket`: phoenix.js's core over one WebSocket — heartbeat, reconnect with jittered backoff,
 * channels that rejoin — and nothing else, for apps where every kilobyte counts. The full
 * `@phx-socket/client` adds telemetry, hooks, LongPoll, bounded send buffers, in-flight resends and the
 * perf features on the same API.
 */
import type { Scheduler, TimerHandle } from '@phx-socket/channel';
import {
  authTokenProtocols,
  HEARTBEAT_EVENT,
  PHOENIX_TOPIC,
  WS_CLOSE_NORMAL,
  type Message,
  type TransportCloseEvent,
  type TransportLike,
} from '@phx-socket/transport';
import type { BackoffSchedule } from '../backoff';
import { buildEndpointURL } from '../endpoint';
import { Channel } from './channel';
import type { Push } from './push';
import { delayOf, resolveLiteOptions, type LiteSocketOptions, type LiteSocketParams, type ResolvedLiteOptions } from './options';

/** What `onClose` callbacks receive: the transport's close event, or ours for closes we decided. */
export interface LiteCloseEvent {
  readonly code: number;
  readonly reason: string;
  readonly wasClean: boolean;
}

type Callbacks = {
  open: () => void;
  close: (event: LiteCloseEvent) => void;
  error: (error: unknown) => void;
  message: (message: Message) => void;
};
type Kind = keyof Callbacks;

/** What the socket needs of a channel, whatever its event maps. */
export interface SocketChannel {
  readonly topic: string;
  isJoined(): boolean;
  isJoining(): boolean;
  leave(): unknown;
  _in(message: Message): void;
  _up(): void;
  _down(reason: unknown): void;
}

const STATES = ['connecting', 'open', 'closing', 'closed'] as const;
const noop = (): void => {};

/**
 * A connection to a Phoenix endpoint multiplexing channels, with phoenix.js's `Socket` API. Heartbeats
 * detect dead connections; every close the app did not ask for is followed by a reconnect (backoff with
 * full jitter) and the rejoin of every channel. Malformed frames are reported to `onError` as
 * `DecodeError` and the connection stays up.
 *
 * @example
 * import { Socket } from '@phx-socket/client/lite';
 * const socket = new Socket('/socket', { params: { token } });
 * socket.connect();
 * const room = socket.channel('room:lobby');
 * room.on('new_msg', (msg) => console.log(msg));
 * await room.join();
 */
export class Socket {
  // `declare`: assigned in the constructor, so the bundle needs no field definitions for these three.
  /** Default push/join/leave timeout, ms. */
  declare readonly timeoutMs: number;
  /** Clock and timers every timer of this socket and its channels goes through. */
  declare readonly scheduler: Scheduler;
  /** @internal Rejoin delay schedule of the channels. */
  declare readonly _rejoinAfterMs: BackoffSchedule;
  #o: ResolvedLiteOptions;
  #params: LiteSocketParams;
  #ws: TransportLike | null = null;
  #ref = 0;
  /** @internal The pushes awaiting a reply, by ref (refs are unique per socket). */
  readonly _replies = new Map<string, Push>();
  /**
   * Each topic's channel, stored as is (no array per topic: the heap and the dispatch's pointer chase are
   * both smaller), or, once a topic has had several, its channels (copy on write).
   */
  #topics = new Map<string, SocketChannel | SocketChannel[]>();
  /**
   * Flat `[kind, ref, callback, …]`, replaced on every change (copy on write) like a channel's bindings:
   * an emit in progress keeps the callbacks it started with, as phoenix.js's does.
   */
  #callbacks: (string | Callbacks[Kind])[] = [];
  #wantClosed = true;
  #tries = 0;
  /** When the current connection becomes healthy (scheduler time: a second after it opened); one closed sooner was a failed try. */
  #healthyAt = Infinity;
  #reconnectTimer: TimerHandle | null = null;
  #heartbeatTimer: TimerHandle | null = null;
  #heartbeatRef: string | null = null;

  constructor(
    /** The endpoint as given (`/socket`, `wss://host/socket`). */
    readonly endPoint: string,
    options: LiteSocketOptions = {},
  ) {
    if (typeof endPoint !== 'string' || endPoint === '') throw new TypeError('endPoint must be a non-empty string');
    ({ params: this.#params, timeout: this.timeoutMs, scheduler: this.scheduler, rejoinAfterMs: this._rejoinAfterMs } = this.#o = resolveLiteOptions(options));
  }

  /** The WebSocket URL, with params and `vsn`. */
  endPointURL(): string {
    const params = this.#params;
    return buildEndpointURL(this.endPoint, typeof params === 'function' ? params() : params, this.#o.serializer.vsn);
  }

  /** `'connecting'`, `'open'`, `'closing'` or `'closed'`, as the WebSocket's readyState says. */
  connectionState(): (typeof STATES)[number] {
    return STATES[this.#ws?.readyState as number] ?? 'closed';
  }

  isConnected(): boolean {
    return this.#ws?.readyState === 1; // STATES[1], 'open'
  }

  /** A fresh message ref. */
  makeRef(): string {
    // 1 after MAX_SAFE_INTEGER, past which refs would repeat.
    return String((this.#ref = (this.#ref % Number.MAX_SAFE_INTEGER) + 1));
  }

  /** Opens the connection (no-op while one is open or opening); `params` replaces the connect params. */
  connect(params?: LiteSocketParams): void {
    if (params !== undefined) this.#params = params;
    this.#wantClosed = false;
    this.#reconnectTimer = this._stop(this.#reconnectTimer);
    if (this.#ws) return;
    const Transport = this.#o.transport ?? (globalThis as { WebSocket?: LiteSocketOptions['transport'] }).WebSocket;
    if (!Transport) throw new TypeError('no global WebSocket: pass options.transport (in Node 20: WebSocket from "ws")');
    const url = this.endPointURL();
    let ws: TransportLike;
    try {
      ws = new Transport(url, authTokenProtocols(this.#o.authToken));
    } catch (error) {
      this.#emit('error', error);
      this.#closed({ code: 1006, reason: 'connect_failed', wasClean: false });
      return;
    }
    ws.binaryType = 'arraybuffer';
    ws.onopen = () => this.#opened();
    ws.onerror = (error) => this.#emit('error', error);
    ws.onmessage = ({ data }) => this.#received(data);
    ws.onclose = (event) => {
      if (this.#ws === ws) this.#closed(event);
    };
    this.#ws = ws;
  }

  /**
   * Closes the connection and stays closed until `connect()`. `onClose` callbacks run, then `callback`.
   */
  disconnect(callback?: () => void, code: number = WS_CLOSE_NORMAL, reason?: string): void {
    this.#wantClosed = true;
    this.#reconnectTimer = this._stop(this.#reconnectTimer);
    this.#drop(code, reason ?? '');
    callback?.();
  }

  /** Creates a channel for `topic`; call `join()` on it. */
  channel<In extends object = Record<string, unknown>, Out extends object = Record<string, unknown>>(
    topic: string,
    params?: Record<string, unknown> | (() => Record<string, unknown>),
  ): Channel<In, Out> {
    const channel = new Channel<In, Out>(topic, params, this);
    const had = this.#topics.get(topic);
    // A lone channel is stored as is: no array per topic.
    this.#topics.set(topic, had ? [had, channel].flat() : channel);
    return channel;
  }

  /** Forgets a channel (channels call this when they close). */
  remove(channel: SocketChannel): void {
    const rest = this.#channels(channel.topic).filter((c) => c !== channel);
    if (rest.length) this.#topics.set(channel.topic, rest);
    else this.#topics.delete(channel.topic);
  }

  onOpen(callback: Callbacks['open']): string {
    return this.#on('open', callback);
  }
  onClose(callback: Callbacks['close']): string {
    return this.#on('close', callback);
  }
  /** Transport errors, and `DecodeError` for a frame that cannot be decoded (the connection stays up). */
  onError(callback: Callbacks['error']): string {
    return this.#on('error', callback);
  }
  onMessage(callback: Callbacks['message']): string {
    return this.#on('message', callback);
  }

  /** Removes the callbacks registered under `refs`. */
  off(refs: readonly string[]): void {
    this.#callbacks = this.#callbacks.filter((_, i, list) => !refs.includes(list[i - (i % 3) + 1] as string));
  }

  /** @internal Encodes and sends `message` when connected; returns whether it went out. */
  _send(message: Message): boolean {
    if (!this.isConnected()) return false;
    this.#ws!.send(this.#o.serializer.encode(message));
    return true;
  }

  /** @internal Joining a topic leaves any other channel joined or joining on it, as the server would. */
  _leaveOpenTopic(joining: SocketChannel): void {
    for (const other of this.#channels(joining.topic)) {
      if (other !== joining && (other.isJoined() || other.isJoining())) other.leave();
    }
  }

  /** The channels of `topic`, as an array of their own. */
  #channels(topic: string): SocketChannel[] {
    return [this.#topics.get(topic) ?? []].flat();
  }

  #on<K extends Kind>(kind: K, callback: Callbacks[K]): string {
    const ref = this.makeRef();
    this.#callbacks = this.#callbacks.concat(kind, ref, callback);
    return ref;
  }

  #emit<K extends Kind>(kind: K, ...args: Parameters<Callbacks[K]>): void {
    const list = this.#callbacks;
    // Refs are numeric strings, kinds never are: indexOf finds the kind slots only.
    for (let i = list.indexOf(kind); i >= 0; i = list.indexOf(kind, i + 3)) this._run(list[i + 2] as (...a: unknown[]) => void, ...args);
  }

  /**
   * @internal Runs an app callback so that one that throws cannot break the socket or starve the other
   * callbacks; the error goes to the console, as the full client does without telemetry.
   */
  _run<A extends unknown[]>(callback: (...args: A) => void, ...args: A): void {
    try {
      callback(...args);
    } catch (error) {
      console.error('[phx-socket] a callback threw', error);
    }
  }

  #opened(): void {
    this.#healthyAt = this.scheduler.now() + 1e3;
    this.#heartbeatRef = null;
    this.#beatLater();
    this.#emit('open');
    this.#eachChannel((channel) => channel._up());
  }

  #received(data: unknown): void {
    let message: Message;
    try {
      message = this.#o.serializer.decode(data as string);
    } catch (error) {
      this.#emit('error', error);
      return;
    }
    // Refs are unique per socket, so matching the ref alone finds the heartbeat reply (null matching null
    // only when no beat is pending, which changes nothing).
    if (message.ref === this.#heartbeatRef) this.#heartbeatRef = null;
    this.#emit('message', message);
    const target = this.#topics.get(message.topic);
    if (target instanceof Array) for (const channel of target) channel._in(message);
    else target?._in(message);
  }

  #beatLater(): void {
    const interval = this.#o.heartbeatIntervalMs;
    if (interval > 0) this.#heartbeatTimer = this.scheduler.setTimeout(() => this.#beat(), interval);
  }

  #beat(): void {
    this.#heartbeatTimer = null;
    if (this.#heartbeatRef !== null) {
      // No reply to the last beat: the connection is dead even if TCP has not noticed. Replace it now
      // rather than wait for a close handshake a dead peer will never answer.
      this.#drop(WS_CLOSE_NORMAL, 'heartbeat timeout', false);
      return;
    }
    this._send({ joinRef: null, ref: (this.#heartbeatRef = this.makeRef()), topic: PHOENIX_TOPIC, event: HEARTBEAT_EVENT, payload: {} });
    this.#beatLater();
  }

  /** Closes the current transport (if any) and reports the close at once. */
  #drop(code: number, reason: string, wasClean = true): void {
    const ws = this.#ws;
    if (!ws) return;
    // `#closed` forgets the transport. No-ops rather than null: Node's `ws` throws an unhandled 'error'
    // when a still-connecting socket is closed and nothing listens for it.
    ws.onopen = ws.onmessage = ws.onerror = ws.onclose = noop;
    try {
      ws.close(code, reason);
    } catch {
      // A code or reason the WebSocket refuses (e.g. 1006): close anyway rather than leak the connection
      // (without arguments close() never throws).
      ws.close();
    }
    this.#closed({ code, reason, wasClean });
  }

  #closed({ code, reason, wasClean }: TransportCloseEvent | LiteCloseEvent): void {
    this.#ws = null;
    this.#heartbeatTimer = this._stop(this.#heartbeatTimer);
    this.#heartbeatRef = null;
    this.#eachChannel((channel) => channel._down({ reason: 'socket_closed', code }));
    this.#emit('close', { code, reason: reason ?? '', wasClean: wasClean ?? false });
    if (this.#wantClosed) return;
    // A server that accepts and drops at once keeps the backoff growing; a connection that lived resets it.
    if (this.scheduler.now() >= this.#healthyAt) this.#tries = 0;
    this.#healthyAt = Infinity;
    const timer = (this.#reconnectTimer = this.scheduler.setTimeout(
      () => {
        this.#reconnectTimer = null;
        this.connect();
      },
      delayOf(this.#o.reconnectAfterMs, ++this.#tries),
    ));
    // Node's timers here are unref'd; this one must hold the process, or a bot waiting to reconnect exits.
    (timer as { ref?(): void }).ref?.();
  }

  #eachChannel(fn: (channel: SocketChannel) => void): void {
    for (const target of this.#topics.values()) [target].flat().forEach(fn);
  }

  /** @internal Cancels a timer (of this socket, its channels or their pushes); returns the null to store in its place. */
  _stop(handle: TimerHandle | null): null {
    if (handle !== null) this.scheduler.clearTimeout(handle);
    return null;
  }
}
