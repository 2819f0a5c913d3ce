/**
 * `@phx-socket/client/lite`: phoenix.js's `Socket`, `Channel` and `Push` API over one WebSocket, for apps
 * where bundle size comes first. Same names and options as the full `@phx-socket/client`; what the full
 * client adds (telemetry, hooks, LongPoll, bounded send buffers, in-flight resends, perf features) is left
 * out. `Presence` and `v2Serializer` (binary payloads) are here for the apps that import them, and cost
 * nothing in the bundles that do not.
 *
 * @example
 * import { Socket } from '@phx-socket/client/lite';
 * const socket = new Socket('/socket', { params: { token } });
 * socket.connect();
 */
export { Socket, type LiteCloseEvent, type SocketChannel } from './socket';
export { Channel } from './channel';
export { Push, type PushOwner } from './push';
export { DEFAULT_LITE_OPTIONS, resolveLiteOptions, type LiteSocketOptions, type LiteSocketParams, type ResolvedLiteOptions } from './options';
export { jsonSerializer } from './json-serializer';
export {
  AlreadyJoinedError,
  ChannelClosedError,
  JoinError,
  Presence,
  PushBeforeJoinError,
  ReplyError,
  TimeoutError,
  type ChannelState,
  type EventMap,
  type PushStatus,
  type TimeoutCode,
} from '@phx-socket/channel';
export { DecodeError, EncodeError, PhxError, v2Serializer, type Message, type Serializer } from '@phx-socket/transport';
