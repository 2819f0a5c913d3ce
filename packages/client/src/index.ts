/**
 * @phx-socket/client: a typed, promise-based, observable Phoenix Channels client. One install brings the
 * transport, channel and perf packages too, re-exported from here.
 */
export { Socket, type RawPush } from './socket';
export {
  DEFAULT_SOCKET_OPTIONS,
  resolveOptions,
  type AuthToken,
  type Logger,
  type ResolvedSocketOptions,
  type SessionStore,
  type SocketCircuitBreakerSettings,
  type SocketOptions,
  type SocketParams,
} from './options';
export {
  backoffDelay,
  DEFAULT_RECONNECT_STEPS_MS,
  DEFAULT_REJOIN_STEPS_MS,
  fullJitter,
  JITTER_FLOOR_MS,
  stepSchedule,
  type BackoffSchedule,
  type JitterMode,
} from './backoff';
export {
  canTransition,
  phoenixConnectionState,
  type CloseInfo,
  type ClosedReason,
  type ConnectionStatus,
  type SocketState,
} from './connection-state';
export { Telemetry, type TelemetryAnyHandler, type TelemetryHandler, type Unsubscribe } from './telemetry';
export { Heartbeat, type HeartbeatHooks, type HeartbeatOptions } from './heartbeat';
export { appendParams, buildEndpointURL, type PageLocation } from './endpoint';
export type { SocketCallbackKind, SocketCallbackMap } from './callbacks';
export type { DropReason } from './router';
export { ConnectError, HeartbeatTimeoutError, ReconnectExhaustedError, TransportError } from './errors';
export {
  MessageDroppedError,
  MessageHooks,
  type HookDirection,
  type HookDirectionStats,
  type HookResult,
  type HookStats,
  type MessageHook,
  type MessageHookFn,
} from './hooks';
export {
  TopicHandlers,
  type AnyChannelHandler,
  type ChannelHandler,
  type ChannelHandlerClass,
  type ChannelHandlerSpec,
  type TopicHandlerMap,
  type TopicHandlerStats,
} from './topic-handlers';
export type { FeatureHost, PerfFeatures, PerfFeatureSet, SocketFeatureOptions, SocketStats } from './socket-features';
export { perfFeatures } from './perf-features';
export { TokenBucket, type BucketClock, type TokenBucketOptions } from './token-bucket';
export {
  DEFAULT_RATE_LIMIT_OPTIONS,
  isRateLimitedReply,
  resolveRateLimit,
  type ChannelRateLimitOptions,
  type LimitedReasons,
  type RateLimiterHost,
  type RateLimitOptions,
  type RateLimitPlan,
  type RateLimitStats,
  type RateSettings,
  type ResolvedRateLimit,
  type SocketRateLimiter,
} from './rate-limit';
export { RateLimiter, rateLimiting } from './rate-limiter';
export { CatchUp, DEFAULT_CATCH_UP_OPTIONS, type CatchUpOptions, type Cursor, type Gap } from './catch-up';
export type { ChannelOptions, CursorTracker } from './channel-options';
export * from '@phx-socket/transport';
export * from '@phx-socket/channel';
export * from '@phx-socket/perf';
export { SocketPool } from './pool/pool';
export { PoolChannel, type MoveReason } from './pool/pool-channel';
export { PoolPush } from './pool/pool-push';
export { DEFAULT_POOL_OPTIONS, PoolOptionError, type FullRefusalTest, type SocketPoolOptions } from './pool/pool-options';
export type { PoolMoveStats, PoolSocketStats, PoolStats } from './pool/pool-stats';
export {
  PoolTelemetry,
  type PoolOwnEventMap,
  type PoolSocketMetadata,
  type PoolTelemetryAnyHandler,
  type PoolTelemetryEventMap,
  type PoolTelemetryEventName,
  type PooledEvent,
} from './pool/pool-telemetry';
export { consistentHash, hash32, leastChannels, rendezvousScore, roundRobin, type PoolSlotInfo, type PoolStrategy, type PoolStrategyName } from './pool/strategy';
