/**
 * @phx-socket/testkit: a Phoenix Channels protocol server in Node for testing clients and apps.
 *
 * @example
 * import { startServer } from '@phx-socket/testkit';
 * const server = await startServer();
 * server.channel('room:*', { handleIn: (event, payload) => ({ reply: 'ok', response: payload }) });
 * // connect any Phoenix client to server.url ...
 * await server.close();
 */
export { startServer, TestServer } from './server';
export { DEFAULT_CLUSTER_OPTIONS, startCluster, TestCluster, type ClusterOptions } from './cluster';
export { installDemoChannels } from './demo-channels';
export { DEFAULT_SERVER_OPTIONS } from './options';
export type { ChannelCapRefusalShape, ServerOptions, TlsOptions, PerMessageDeflateOptions } from './options';
export type {
  Assigns,
  ChannelSocket,
  ChannelSpec,
  ConnectHandler,
  ConnectInfo,
  ConnectParams,
  ConnectResult,
  ConnectionHandle,
  HandleResult,
  JoinParams,
  JoinResult,
  LeaveReason,
  NoReplyResult,
  ReplyResult,
  ReplyStatus,
  SocketIdHandler,
  StopResult,
  TransportKind,
} from './types';
export type {
  DisconnectEvent,
  HandlerErrorEvent,
  JoinEvent,
  LeaveEvent,
  MalformedEvent,
  MessageEvent,
  RefusedEvent,
  ServerEventName,
  ServerEvents,
} from './events';
export type { HandlerName } from './channel-process';
export type { SerializerVersion } from './codec';
export type { BinaryPayload, InboundMessage } from './frame';
export type { PresenceDiff, PresenceMeta, PresenceState } from './presence';
export type { ServerStats } from './stats';
export type { DecodedServerFrame } from './codec-binary';
export { decodeServerFrame, encodeClientPush } from './codec-binary';
export { encodeAuthTokenProtocol } from './auth-token';
export {
  AlreadyTrackedError,
  BinaryUnsupportedError,
  FieldTooLongError,
  MalformedFrameError,
  NotListeningError,
  TestkitError,
  WaitTimeoutError,
} from './errors';
export type { TestkitErrorCode } from './errors';
export { ManualScheduler } from './manual-scheduler';
export {
  DEFAULT_FAULT_PROXY_OPTIONS,
  FaultProxy,
  startFaultProxy,
  type FaultProxyOptions,
  type FaultProxyStats,
  type FrameMangler,
  type InjectOptions,
} from './fault-proxy';
export { encodeServerFrame, OPCODE, WsFrameReader, type WsFrame } from './ws-frame-reader';
export {
  ConnectionRateLimiter,
  JOIN_REFUSALS,
  PUSH_REFUSAL,
  type ConnectionRateLimitOptions,
  type ConnectionRateLimitStats,
  type JoinRefusalShape,
} from './rate-limits';
export { ReplayLog, type ReplayBroadcaster, type ReplayEntry, type ReplayLogOptions } from './replay-log';
