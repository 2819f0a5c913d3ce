/**
 * The WebSocket transport for browsers (and any runtime with a global `WebSocket`: Deno, Bun, workers).
 * Same signature as `websocket.node.ts`; browser builds use this file instead of it. The browser owns the
 * TCP socket, TLS and compression, so only `connectTimeoutMs` applies; other options are reported once
 * through `onNotice` and ignored.
 */
import { WebSocketError, WebSocketUnavailableError } from './errors';
import type { RawFrame } from './serializer';
import { checkWebSocketTransportOptions, DEFAULT_CONNECT_TIMEOUT_MS, nodeOnlyOptionsSet, type WebSocketTransportOptions } from './websocket-options';
import { WebSocketTransportBase, type NodeSocketLike, type WebSocketTransportConstructor } from './websocket-transport';

/** The DOM WebSocket as far as this file uses it. */
interface BrowserWebSocket {
  readonly readyState: number;
  binaryType: string;
  readonly extensions: string;
  readonly protocol: string;
  readonly bufferedAmount: number;
  onopen: ((event: unknown) => void) | null;
  onmessage: ((event: { data: unknown }) => void) | null;
  onclose: ((event: { code: number; reason: string; wasClean: boolean }) => void) | null;
  onerror: ((event: unknown) => void) | null;
  send(data: RawFrame): void;
  close(code?: number, reason?: string): void;
}

type BrowserWebSocketClass = new (url: string, protocols?: string | string[]) => BrowserWebSocket;

function globalWebSocket(): BrowserWebSocketClass {
  const candidate = (globalThis as { WebSocket?: unknown }).WebSocket;
  if (typeof candidate !== 'function') throw new WebSocketUnavailableError();
  return candidate as BrowserWebSocketClass;
}

function callNotice(onNotice: ((message: string) => void) | undefined, message: string): void {
  try {
    onNotice?.(message);
  } catch {
    // A diagnostic callback must not break connecting.
  }
}

/**
 * Creates the browser WebSocket transport class for a set of options. Options are validated here, once.
 * `globalThis.WebSocket` is looked up at each `new`, so a polyfill installed later is picked up; when there
 * is none, `new` throws `WebSocketUnavailableError`.
 *
 * @example
 * const Transport = createWebSocketTransport({ connectTimeoutMs: 5_000, onNotice: console.info });
 * const conn = new Transport('wss://example.com/socket/websocket?vsn=2.0.0');
 */
export function createWebSocketTransport(options: WebSocketTransportOptions = {}): WebSocketTransportConstructor {
  checkWebSocketTransportOptions(options);
  const { connectTimeoutMs = DEFAULT_CONNECT_TIMEOUT_MS, onNotice } = options;
  const ignored = nodeOnlyOptionsSet(options);
  let noticeGiven = ignored.length === 0;

  return class BrowserWebSocketTransport extends WebSocketTransportBase {
    /** Name in socket state and telemetry, as phoenix.js reports it (class names do not survive minification). */
    static readonly transportName = 'WebSocket';
    readonly url: string;
    readonly #ws: BrowserWebSocket;

    constructor(url: string, protocols?: string | string[]) {
      super();
      const Native = globalWebSocket();
      if (!noticeGiven) {
        noticeGiven = true;
        callNotice(
          onNotice,
          `transportOptions ${ignored.join(', ')} ${ignored.length === 1 ? 'has' : 'have'} no effect in a browser and ${ignored.length === 1 ? 'is' : 'are'} ignored: the browser manages the TCP socket, TLS, compression and upgrade headers`,
        );
      }
      this.url = url;
      this.#ws = protocols === undefined ? new Native(url) : new Native(url, protocols);
      this.#ws.binaryType = 'arraybuffer';
      this.#ws.onopen = () => this.handleOpen();
      this.#ws.onmessage = (event) => this.handleMessage(event.data as RawFrame);
      // The DOM error event carries no detail on purpose (it would leak cross-origin information).
      this.#ws.onerror = (event) => this.handleError(new WebSocketError('WebSocket error (the browser gives no detail)', { cause: event }));
      this.#ws.onclose = (event) => this.handleClose(event.code, event.reason, event.wasClean);
      this.startConnectTimer(connectTimeoutMs);
    }

    get binaryType(): string {
      return this.#ws.binaryType;
    }
    set binaryType(type: string) {
      this.#ws.binaryType = type;
    }
    get extensions(): string {
      return this.#ws.extensions;
    }
    get protocol(): string {
      return this.#ws.protocol;
    }
    get bufferedAmount(): number {
      return this.#ws.bufferedAmount;
    }
    get nodeSocket(): NodeSocketLike | null {
      return null;
    }

    send(data: RawFrame): void {
      this.#ws.send(data);
    }
    close(code?: number, reason?: string): void {
      this.#ws.close(code, reason);
    }
    protected rawReadyState(): number {
      return this.#ws.readyState;
    }
    protected abort(): void {
      this.#ws.close();
    }
  };
}
