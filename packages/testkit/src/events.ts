import type { HandlerName } from './channel-process';
import type { MalformedFrameError } from './errors';
import type { InboundMessage, WireData } from './frame';
import type { ConnectionHandle, JoinParams, LeaveReason } from './types';

/** Emitted when a connection closes, for any reason. */
export interface DisconnectEvent {
  readonly connection: ConnectionHandle;
  readonly code: number;
  readonly reason: string;
}

/** Emitted for every join attempt that reached a channel spec (`status` tells the outcome). */
export interface JoinEvent {
  readonly connection: ConnectionHandle;
  readonly topic: string;
  readonly joinRef: string | null;
  readonly params: JoinParams;
  readonly status: 'ok' | 'error';
  readonly response: unknown;
}

/** Emitted when a joined channel ends. */
export interface LeaveEvent {
  readonly connection: ConnectionHandle;
  readonly topic: string;
  readonly joinRef: string | null;
  readonly reason: LeaveReason;
}

/** Emitted for every decoded client frame, heartbeats included. */
export interface MessageEvent {
  readonly connection: ConnectionHandle;
  readonly message: InboundMessage;
}

/** Emitted when a client frame cannot be decoded; the connection is then closed with 1011. */
export interface MalformedEvent {
  readonly connection: ConnectionHandle;
  readonly error: MalformedFrameError;
  readonly data: WireData;
}

/** Emitted when an upgrade request is answered with an HTTP error instead of a WebSocket. */
export interface RefusedEvent {
  readonly status: 403 | 404 | 500;
  readonly url: string;
  readonly reason: string;
}

/** Emitted when a channel callback throws (join → 'join crashed' reply; afterJoin, handleIn → phx_error). */
export interface HandlerErrorEvent {
  readonly connection: ConnectionHandle;
  readonly topic: string;
  readonly callback: HandlerName;
  readonly error: unknown;
}

/** Every server event and its payload. */
export interface ServerEvents {
  connection: ConnectionHandle;
  disconnect: DisconnectEvent;
  join: JoinEvent;
  leave: LeaveEvent;
  message: MessageEvent;
  malformed: MalformedEvent;
  refused: RefusedEvent;
  handlerError: HandlerErrorEvent;
}

/** Names of the server events. */
export type ServerEventName = keyof ServerEvents;
