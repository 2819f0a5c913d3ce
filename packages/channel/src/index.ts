export { Channel, type ChannelParams, type EventMap, type PayloadOf } from './channel';
export { Awaitable } from './awaitable';
export { ChannelStatus } from './channel-status';
export { Push, type PushOptions, type PushStatus, type PayloadSource, type PushOwner, type PushListener, type PushFollower, type ReplyTarget } from './push';
export type { BindingCallback, BindingErrorSink } from './bindings';
export {
  AlreadyJoinedError,
  BufferOverflowError,
  ChannelClosedError,
  ChannelCrashedError,
  CircuitOpenError,
  ConnectionLostError,
  JoinError,
  PushBeforeJoinError,
  ReplyError,
  TimeoutError,
  pushError,
  type TimeoutCode,
} from './errors';
export type { ChannelHost, ChannelPacer, ChannelState, CircuitBreakerSettings, HostedChannel, InFlightPolicy, OverflowPolicy, PacedChannel } from './host';
export { RetryTimer, type RetryTarget } from './retry-timer';
export { realScheduler, type Scheduler, type TimerHandle } from './scheduler';
export { SendBuffer, type SendBufferOptions } from './send-buffer';
export type { TelemetryEvent, TelemetryEventMap, TelemetryEventName } from './telemetry-events';
export { DEFAULT_PRESENCE_EVENTS, Presence, type PresenceChannel, type PresenceOptions } from './presence';
export {
  applyDiff,
  diffStates,
  emptyPresenceState,
  listPresences,
  syncDiff,
  syncState,
  type OnJoin,
  type OnLeave,
  type PresenceDiff,
  type PresenceEntry,
  type PresenceMeta,
  type PresenceState,
} from './presence-state';
export { DEFAULT_TYPING_INDICATOR_OPTIONS, TypingIndicator, type TypingChannel, type TypingIndicatorOptions } from './typing-indicator';
export { PushQueue } from './push-queue';
