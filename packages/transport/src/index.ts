export * from './constants';
export * from './errors';
export * from './message';
export type { RawFrame, Serializer } from './serializer';
export type {
  TransportCloseEvent,
  TransportConstructor,
  TransportHandler,
  TransportLike,
  TransportMessageEvent,
} from './transport';
export { v1Serializer } from './serializer-v1';
export { v2Serializer, v2ViewSerializer } from './serializer-v2';
export { MAX_BINARY_HEADER_BYTES } from './binary-frame';
export {
  serializerFromCallbacks,
  type CallbackDecode,
  type CallbackEncode,
  type CallbackMessage,
  type CallbackSerializerOptions,
} from './serializer-callbacks';
export { authTokenFromProtocols, authTokenProtocols, decodeAuthTokenProtocol, encodeAuthTokenProtocol } from './auth-token';
export {
  DEFAULT_WEBSOCKET_TRANSPORT_OPTIONS,
  resolveWebSocketTransportOptions,
  type AgentLike,
  type CompressionOptions,
  type ResolvedWebSocketTransportOptions,
  type TlsMaterial,
  type WebSocketTransportOptions,
} from './websocket-options';
export {
  isTransportErrorEvent,
  type NodeSocketLike,
  type TransportErrorEvent,
  type WebSocketTransport,
  type WebSocketTransportConstructor,
} from './websocket-transport';
export { createWebSocketTransport } from './websocket.node';
export { createLongPollTransport, LongPoll, type LongPollErrorEvent } from './longpoll';
export {
  DEFAULT_LONGPOLL_OPTIONS,
  resolveLongPollOptions,
  type FetchLike,
  type FetchResponseLike,
  type LongPollOptions,
  type ResolvedLongPollOptions,
} from './longpoll-options';
export { longPollURL, parsePollAnswer, type PollAnswer } from './longpoll-request';
