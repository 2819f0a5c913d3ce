/**
 * Every wire literal of the Phoenix Channels protocol the testkit speaks, in one place.
 * Nothing else in the package spells these strings.
 */

/** Control events of the protocol. */
export const EVENTS = Object.freeze({
  join: 'phx_join',
  leave: 'phx_leave',
  reply: 'phx_reply',
  error: 'phx_error',
  close: 'phx_close',
  heartbeat: 'heartbeat',
  presenceState: 'presence_state',
  presenceDiff: 'presence_diff',
} as const);

/** The topic heartbeats travel on. */
export const PHOENIX_TOPIC = 'phoenix' as const;

/** Reply statuses. */
export const STATUS = Object.freeze({ ok: 'ok', error: 'error' } as const);

/** Reasons the server puts in error replies, exactly as Phoenix spells them. */
export const REASONS = Object.freeze({
  unmatchedTopic: 'unmatched topic',
  tooManyChannels: 'too many channels joined',
  /** Supabase Realtime's wording for the same per-connection cap. */
  tooManyChannelsSupabase: 'too_many_channels',
  joinCrashed: 'join crashed',
} as const);

/**
 * Serializer versions (query parameter `vsn`). A missing `vsn` means 1.0.0, as in Phoenix. `msgpack` is
 * phx-socket's convention for its MessagePack serializer (Phoenix itself has none).
 */
export const VSN = Object.freeze({ v1: '1.0.0', v2: '2.0.0', msgpack: '2.0.0-msgpack', fallback: '1.0.0' } as const);

/** V2 binary frame kinds (first byte). */
export const BINARY_KIND = Object.freeze({ push: 0, reply: 1, broadcast: 2 } as const);

/** WebSocket subprotocols used by Phoenix 1.8 `authToken`. */
export const SUBPROTOCOL = Object.freeze({
  phoenix: 'phoenix',
  authTokenPrefix: 'base64url.bearer.phx.',
} as const);

/** Transport path segments below the socket path (`/socket` + `/websocket`). */
export const TRANSPORT_PATH = Object.freeze({ websocket: '/websocket', longpoll: '/longpoll' } as const);

/** Request header that carries `authToken` over LongPoll (Node lower-cases header names). */
export const AUTH_TOKEN_HEADER = 'x-phoenix-authtoken' as const;

/** LongPoll protocol statuses, sent as the `status` field of an HTTP 200 JSON answer (as Phoenix does). */
export const LONGPOLL_STATUS = Object.freeze({
  ok: 200,
  noContent: 204,
  forbidden: 403,
  /** New session (with `token`), or the session is gone. */
  gone: 410,
  payloadTooLarge: 413,
  serverError: 500,
} as const);

/** Content type of a batched LongPoll POST: one frame per line. */
export const NDJSON_CONTENT_TYPE = 'application/x-ndjson' as const;

/** WebSocket close codes the testkit uses. */
export const CLOSE_CODE = Object.freeze({
  /** dropAll() default, heartbeat timeout, `disconnect`: what Phoenix sends for a `{:shutdown, _}` stop. */
  normal: 1000,
  /** server.close(). */
  goingAway: 1001,
  /** Not sendable: dropAll(1006) destroys the TCP socket without a close frame. */
  abnormal: 1006,
  /** A malformed client frame: Phoenix's socket process crashes, the server closes with 1011. */
  internalError: 1011,
  /** restart(): what Phoenix's socket drainer sends while shutting down. */
  serviceRestart: 1012,
} as const);

/** Stop reasons that end a channel gracefully (phx_close); any other reason is a crash (phx_error). */
export const GRACEFUL_STOP = Object.freeze({ normal: 'normal', shutdown: 'shutdown', shutdownPrefix: 'shutdown:' } as const);
