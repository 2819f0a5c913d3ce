/**
 * `@phx-socket/client/shared`: one connection for all tabs of an origin. `SharedSocket` has the `Socket` API;
 * its traffic goes through one real socket in a SharedWorker (`@phx-socket/client/shared-worker`); where
 * SharedWorker is missing, through the socket of a leader tab (Web Locks + BroadcastChannel); or through the
 * tab's own socket where those are missing too, or fail.
 */
export { SharedSocket, type SharedModeMetadata, type SharedModeReason } from './shared-socket';
export { SharedChannel, type SharedChannelOwner } from './shared-channel';
export { SharedPush, type HookErrorSink } from './shared-push';
export {
  DEFAULT_SHARED_OPTIONS,
  type BroadcastChannelLike,
  type SharedMode,
  type SharedSocketOptions,
  type SharedWorkerLike,
  type TabLocks,
  type TabPort,
} from './options';
export { RemoteError, SharedCloneError, SharedParamsMismatchError } from './errors';
export { SHARED_PROTOCOL_VERSION, type LeaderEnvelope, type TabMessage, type WorkerMessage, type WireError, type WireSocketOptions } from './protocol';
export type { LinkLossReason } from './link';
// Presence and TypingIndicator work on a SharedChannel; re-exported so the IIFE build has them too.
export { Presence, TypingIndicator } from '@phx-socket/client';
