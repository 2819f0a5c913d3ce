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
 * The shape of a WebSocket: every transport (WebSocket, LongPoll, a custom one) looks like this, so the
 * socket never branches on which transport it has.
 */
export interface TransportLike {
  readonly readyState: ReadyState | number;
  binaryType?: string;
  /** Negotiated extensions (WebSocket only), e.g. `'permessage-deflate'`. */
  readonly extensions?: string;
  /** Negotiated subprotocol (WebSocket only). */
  readonly protocol?: string;
  onopen: ((event?: unknown) => void) | null;
  onmessage: ((event: TransportMessageEvent) => void) | null;
  onclose: ((event: TransportCloseEvent) => void) | null;
  onerror: ((event: unknown) => void) | null;
  send(data: RawFrame): void;
  close(code?: number, reason?: string): void;
}

/** What `new` is called with on a transport class (phoenix.js passes URL and protocols). */
export interface TransportConstructor {
  new (url: string, protocols?: string | string[]): TransportLike;
}
