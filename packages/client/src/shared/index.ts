/**
 * `@phx-socket/client/shared`: one connection for all tabs of an origin. `SharedSocket` has the `Socket` API;
 * its traffic goes through one real socket in a SharedWorker (`@phx-socket/client/shared-worker`), or through
 * the tab's own socket where SharedWorker is missing or fails.
 */
export { SharedSocket, type SharedModeReason } from './shared-socket';
export { SharedChannel, type SharedChannelOwner } from './shared-channel';
export { SharedPush, type HookErrorSink } from './shared-push';
export {
  DEFAULT_SHARED_OPTIONS,
  type SharedMode,
  type SharedSocketOptions,
  type SharedWorkerLike,
  type TabLocks,
  type TabPort,
} from './options';
export { RemoteError, SharedCloneError, SharedParamsMismatchError } from './errors';
export { SHARED_PROTOCOL_VERSION, type TabMessage, type WorkerMessage, type WireError, type WireSocketOptions } from './protocol';
export type { LinkLossReason } from './link';
// Presence and TypingIndicator work on a SharedChannel; re-exported so the IIFE build has them too.
export { Presence, TypingIndicator } from '@phx-socket/client';
