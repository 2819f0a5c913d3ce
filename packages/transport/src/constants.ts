/**
 * Every literal the Phoenix Channels wire protocol uses, defined once.
 * Facts from Phoenix 1.7/1.8; see PROTOCOL.md.
 */

/** Control events a channel sends and receives. */
export const CHANNEL_EVENTS = /* @__PURE__ */ Object.freeze({
  join: 'phx_join',
  leave: 'phx_leave',
  reply: 'phx_reply',
  error: 'phx_error',
  close: 'phx_close',
} as const);

/** Name of one of the control events. */
export type ChannelEvent = (typeof CHANNEL_EVENTS)[keyof typeof CHANNEL_EVENTS];

/** The topic the socket-level heartbeat travels on. */
export const PHOENIX_TOPIC = 'phoenix' as const;
/** The event name of the socket-level heartbeat. */
export const HEARTBEAT_EVENT = 'heartbeat' as const;

/** Serializer versions the server understands (`vsn` query parameter). */
export const VSN = /* @__PURE__ */ Object.freeze({ v1: '1.0.0', v2: '2.0.0' } as const);
// A literal, not `VSN.v2`: a module-level property read keeps this whole module in every bundle, as
// bundlers cannot prove the read has no side effect. Same in the serializers' `vsn`.
/** The vsn a client sends when none is given. */
export const DEFAULT_VSN = '2.0.0' satisfies typeof VSN.v2;

/** Kind byte at offset 0 of a V2 binary frame. */
export const BINARY_KINDS = /* @__PURE__ */ Object.freeze({ push: 0, reply: 1, broadcast: 2 } as const);

/** Reply statuses in a `phx_reply` payload. */
export const REPLY_STATUS = /* @__PURE__ */ Object.freeze({ ok: 'ok', error: 'error' } as const);

/** WebSocket-compatible readyState values every transport reports. */
export const READY_STATE = /* @__PURE__ */ Object.freeze({ connecting: 0, open: 1, closing: 2, closed: 3 } as const);
/** One of the {@link READY_STATE} values: 0 connecting, 1 open, 2 closing, 3 closed. */
export type ReadyState = (typeof READY_STATE)[keyof typeof READY_STATE];

/** Endpoint path suffixes appended to the socket URL. */
export const TRANSPORT_PATHS = /* @__PURE__ */ Object.freeze({ websocket: 'websocket', longpoll: 'longpoll' } as const);

/** Prefix of the WebSocket subprotocol that carries `authToken` (Phoenix 1.8). */
export const AUTH_TOKEN_PREFIX = 'base64url.bearer.phx.' as const;
/** The plain subprotocol sent beside the auth-token subprotocol. */
export const PHOENIX_SUBPROTOCOL = 'phoenix' as const;
/** Header that carries `authToken` over LongPoll. */
export const AUTH_TOKEN_HEADER = 'X-Phoenix-AuthToken' as const;

/**
 * LongPoll protocol statuses: the `status` field of every JSON answer (Phoenix answers HTTP 200 and puts
 * the real status in the body, a relic of XDomainRequest).
 */
export const LONGPOLL_STATUS = /* @__PURE__ */ Object.freeze({
  /** Messages are in `messages`. */
  ok: 200,
  /** The poll window passed without messages: poll again. */
  noContent: 204,
  /** `connect` refused the connection. */
  forbidden: 403,
  /** No such session: a fresh `token` is in the answer (first poll), or the session ended. */
  gone: 410,
  /** The server failed. */
  serverError: 500,
} as const);
/** Content type of a batched LongPoll POST: one encoded frame per line. */
export const NDJSON_CONTENT_TYPE = 'application/x-ndjson' as const;
/** Phoenix's limit of frames per LongPoll POST (phoenix.js batches at most this many). */
export const MAX_LONGPOLL_BATCH = 100;
/** Close code of a LongPoll session the server forgot (410 after open), as phoenix.js reports it. */
export const LONGPOLL_CLOSE_SESSION_GONE = 3410;

/** Close code of a normal, app-requested close. */
export const WS_CLOSE_NORMAL = 1000;
/** Close code for a connection that ended without a close frame (what browsers report on failures). */
export const WS_CLOSE_ABNORMAL = 1006;
/** Close code for an inbound message over the size limit. */
export const WS_CLOSE_MESSAGE_TOO_BIG = 1009;
/** Close reason reported when the socket did not open within `connectTimeoutMs`. */
export const CONNECT_TIMEOUT_REASON = 'connect_timeout' as const;
