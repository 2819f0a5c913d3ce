/**
 * The seam between a `SharedSocket` and what carries its traffic: the SharedWorker or a leader tab ({@link WorkerLink}) or
 * the tab's own socket ({@link LocalLink}). The socket swaps links on a fallback; channels never notice.
 */
import type { SocketState, TelemetryEventMap, TelemetryEventName } from '@phx-socket/client';
import type { SharedMode } from './options';
import type { PhxError, ChannelState } from '@phx-socket/client';
import type { ResolveWhat, WireParams } from './protocol';
import type { SharedPush } from './shared-push';

/** What a link sees of a tab's channel object (`LinkChannel` implements it). */
export interface LinkChannel {
  readonly id: number;
  readonly topic: string;
  readonly params: WireParams;
  readonly timeoutMs: number;
  readonly state: ChannelState;
  /** The shared channel (re)joined. */
  sinkJoined(joinRef: string | null, response: unknown): void;
  /** A (re)join failed; `final` (params mismatch) closes the tab's channel. */
  sinkJoinFailed(status: 'error' | 'timeout', response: unknown, error: PhxError, final: boolean): void;
  /** The shared channel errored; it rejoins by itself. */
  sinkErrored(reason: unknown): void;
  /** The server closed the shared channel. */
  sinkClosed(payload: unknown): void;
  /** One inbound event. */
  sinkEvent(event: string, payload: unknown, ref: string | null, joinRef: string | null): void;
  /** True when the channel should be joined on a new link. */
  wantsJoin(): boolean;
}

/** A push the link carries, kept so a link that never started can hand it to the next one. */
export interface LinkPush {
  readonly channel: LinkChannel;
  readonly push: SharedPush;
  readonly payload: unknown;
  readonly maxResends: number | null;
}

/** Why a link gave up. `released`: the worker dropped this tab (it was silent); a new worker link follows. */
export type LinkLossReason = 'worker_error' | 'worker_start_timeout' | 'worker_gone' | 'worker_silent' | 'version' | 'released' | 'post_failed';

/** What a link calls back on its socket. */
export interface LinkOwner {
  channelById(id: number): LinkChannel | undefined;
  /** The connection state changed (already on the tab's clock). */
  linkState(state: SocketState): void;
  emitTelemetry<K extends TelemetryEventName>(name: K, event: TelemetryEventMap[K]): void;
  /** The link is dead. `unsent`: pushes that surely never reached the server (the worker never started). */
  linkLost(reason: LinkLossReason, unsent: readonly LinkPush[]): void;
  /** Calls the tab's params / authToken function for the worker. */
  resolveOption(what: ResolveWhat): Promise<unknown>;
  reportError(error: unknown, where: string): void;
}

/** One way to reach the server. */
export interface SharedLink {
  readonly mode: SharedMode;
  readonly state: SocketState;
  isConnected(): boolean;
  connect(params: WireParams | null): void;
  disconnect(): void;
  join(channel: LinkChannel): void;
  leave(channel: LinkChannel): void;
  push(item: LinkPush): void;
  /** Ends the link (bye to the worker, or disconnect the own socket). No callbacks after this. */
  dispose(): void;
}
