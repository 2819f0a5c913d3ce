import type { IncomingHttpHeaders } from 'node:http';
import type { SerializerVersion } from './codec';

/** Connect params: the query string of the WebSocket URL (including `vsn`, as in Phoenix). */
export type ConnectParams = Record<string, string>;

/** Mutable per-connection / per-channel state, like `socket.assigns` in Phoenix. */
export type Assigns = Record<string, unknown>;

/** Join params: the `phx_join` payload (`{}` when the client sent something that is not an object). */
export type JoinParams = Record<string, unknown>;

/** What `connect` receives besides the params. */
export interface ConnectInfo {
  /** Decoded `authToken` (Phoenix 1.8 `auth_token: true`), if the client sent one. */
  readonly authToken?: string;
  readonly headers: IncomingHttpHeaders;
  /** Every subprotocol the client offered, token subprotocol included. */
  readonly subprotocols: string[];
  /** The request URL (path + query). */
  readonly url: string;
}

/** `connect` result: `false` refuses (HTTP 403), `true` accepts, an object accepts with those assigns. */
export type ConnectResult = boolean | Assigns;

/** Decides whether a WebSocket upgrade is accepted, like `UserSocket.connect/3`. */
export type ConnectHandler = (params: ConnectParams, info: ConnectInfo) => ConnectResult | Promise<ConnectResult>;

/** Picks an accepted connection's socket id, like `UserSocket.id/1`; `null`/`undefined` = none. */
export type SocketIdHandler = (params: ConnectParams, info: ConnectInfo, assigns: Assigns) => string | null | undefined;

/** Which endpoint a connection came through: `<path>/websocket` or `<path>/longpoll`. */
export type TransportKind = 'websocket' | 'longpoll';

/** A live client connection, as tests see it. */
export interface ConnectionHandle {
  /** Unique per server: `'c1'`, `'c2'`, ... */
  readonly id: string;
  /** The socket id from the `id` server option (Phoenix's `UserSocket.id/1`), or null. */
  readonly socketId: string | null;
  readonly params: ConnectParams;
  readonly headers: IncomingHttpHeaders;
  readonly subprotocols: readonly string[];
  readonly authToken: string | undefined;
  readonly vsn: SerializerVersion;
  /** The transport the client connected with. */
  readonly transport: TransportKind;
  /** Negotiated WebSocket extensions (`'permessage-deflate'` or `''`). */
  readonly extensions: string;
  /** Assigns returned by `connect` (each channel gets its own copy). */
  readonly assigns: Assigns;
  /** Topics currently joined on this connection. */
  readonly topics: readonly string[];
  /** Closes the connection (default code 1000). */
  close(code?: number, reason?: string): void;
}

/** Join outcome: `{ ok }` (reply payload, default `{}`), `{ error }`, or `undefined` = ok with `{}`. */
export type JoinResult = { ok?: unknown } | { error: unknown } | undefined | void;

/** Reply statuses a handler may answer with. */
export type ReplyStatus = 'ok' | 'error';

/** Answer a push: `phx_reply` with that status and response (default `{}`; bytes go out as binary kind 1). */
export interface ReplyResult {
  readonly reply: ReplyStatus;
  readonly response?: unknown;
}

/** Do not answer the push. */
export interface NoReplyResult {
  readonly noreply: true;
}

/**
 * Stop the channel, optionally replying first. Like Phoenix, `'normal'`, `'shutdown'` and
 * `'shutdown:<anything>'` end it gracefully (client gets `phx_close`); any other reason is an
 * abnormal exit (client gets `phx_error` and rejoins).
 */
export interface StopResult {
  readonly stop: string;
  readonly reply?: ReplyResult;
}

/** What `handleIn` returns; `undefined` means no reply. */
export type HandleResult = ReplyResult | NoReplyResult | StopResult | undefined | void;

/** Why a channel ended. */
export type LeaveReason =
  | 'left'
  | 'duplicate_join'
  | 'closed'
  | 'crashed'
  | `stop:${string}`;

/** The server side of one joined channel, passed to every callback. */
export interface ChannelSocket {
  readonly topic: string;
  /** Ref of the join that created this channel (`null` for V1 clients). */
  readonly joinRef: string | null;
  /** Mutable, seeded with a copy of the connection's assigns. */
  readonly assigns: Assigns;
  /** The connect params. */
  readonly params: ConnectParams;
  readonly connection: ConnectionHandle;
  /** Pushes to this client: `[join_ref, null, topic, event, payload]` (bytes → binary kind 0). */
  push(event: string, payload?: unknown): void;
  /** Sends to every subscriber of the topic, this one included: `[null, null, topic, event, payload]` (bytes → kind 2). */
  broadcast(event: string, payload?: unknown): void;
  /** Like `broadcast`, but not to this channel. */
  broadcastFrom(event: string, payload?: unknown): void;
}

/** How a topic pattern is served; see `server.channel()`. */
export interface ChannelSpec {
  /** Accept or refuse the join. Throwing answers `{reason: 'join crashed'}`. Default: ok `{}`. */
  join?(topic: string, params: JoinParams, socket: ChannelSocket): JoinResult | Promise<JoinResult>;
  /**
   * Handle a client push. Throwing crashes the channel: the client gets `phx_error` and the channel
   * is removed. Without `handleIn`, pushes get no reply.
   */
  handleIn?(event: string, payload: unknown, socket: ChannelSocket): HandleResult | Promise<HandleResult>;
  /** Called once when the channel ends, whatever the reason. */
  handleLeave?(socket: ChannelSocket, reason: LeaveReason): void;
  /**
   * Runs right after the join reply was sent (and after `presence_state` when `presence` is set),
   * like the `send(self(), :after_join)` idiom of Phoenix apps: track presence, push a welcome.
   * A throw crashes the channel (`phx_error`).
   */
  afterJoin?(socket: ChannelSocket): void;
  /** Push `presence_state` to the joiner right after the join reply (Phoenix apps do this in after_join). */
  presence?: boolean;
}
