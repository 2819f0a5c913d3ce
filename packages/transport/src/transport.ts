import type { ReadyState } from './constants';
import type { RawFrame } from './serializer';

/** The close event a transport reports; a subset of the DOM `CloseEvent`. */
export interface TransportCloseEvent {
  code: number;
  reason: string;
  wasClean?: boolean;
}

/** The message event a transport reports; a subset of the DOM `MessageEvent`. */
export interface TransportMessageEvent {
  data: RawFrame;
}

/**
 * An `on*` handler as a transport declares it, with its own event type: the DOM's `(ev: MessageEvent) => any`,
 * `ws`'s `(event: WebSocket.MessageEvent) => void`, LongPoll's `(event: TransportMessageEvent) => void`.
 * Only the transport calls it, so read through {@link TransportLike} it takes nothing callable.
 */
export type TransportHandler = ((event: never) => unknown) | null;

/**
 * The shape of a WebSocket: every transport (WebSocket, LongPoll, a custom one) looks like this, so the
 * socket never branches on which transport it has. The `on*` handlers are written with the event types
 * below and read back as {@link TransportHandler}: the DOM `WebSocket` and `ws` declare their own event
 * classes (with `type` and `target`), and still fit without a cast.
 */
export interface TransportLike {
  readonly readyState: ReadyState | number;
  binaryType?: string;
  /** Negotiated extensions (WebSocket only), e.g. `'permessage-deflate'`. */
  readonly extensions?: string;
  /** Negotiated subprotocol (WebSocket only). */
  readonly protocol?: string;
  get onopen(): TransportHandler;
  set onopen(handler: ((event?: unknown) => void) | null);
  get onmessage(): TransportHandler;
  set onmessage(handler: ((event: TransportMessageEvent) => void) | null);
  get onclose(): TransportHandler;
  set onclose(handler: ((event: TransportCloseEvent) => void) | null);
  get onerror(): TransportHandler;
  set onerror(handler: ((event: unknown) => void) | null);
  send(data: RawFrame): void;
  close(code?: number, reason?: string): void;
}

/**
 * What `new` is called with on a transport class (phoenix.js passes URL and protocols). The DOM
 * `WebSocket`, `WebSocket` from `ws`, `LongPoll` and `createWebSocketTransport()`'s classes all fit.
 */
export interface TransportConstructor {
  new (url: string, protocols?: string | string[]): TransportLike;
}
