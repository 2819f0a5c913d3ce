/**
 * The WebSocket transport for Node: `ws` (through `isomorphic-ws`) with TCP tuning, compression, headers,
 * TLS options, an agent, an inbound size limit and a connect timeout. Browser builds swap this file for
 * `websocket.browser.ts`, so nothing here reaches a browser bundle.
 */
import type { IncomingMessage } from 'node:http';
import type { Socket } from 'node:net';
import WebSocket from 'isomorphic-ws';
import type { ClientOptions, RawData } from 'ws';
import { READY_STATE, WS_CLOSE_ABNORMAL, WS_CLOSE_MESSAGE_TOO_BIG } from './constants';
import { WebSocketError } from './errors';
import type { RawFrame } from './serializer';
import {
  resolveWebSocketTransportOptions,
  type ResolvedWebSocketTransportOptions,
  type WebSocketTransportOptions,
} from './websocket-options';
import { WebSocketTransportBase, type NodeSocketLike, type WebSocketTransportConstructor } from './websocket-transport';

/** Maps our options onto `ws`'s client options. */
function wsClientOptions(options: ResolvedWebSocketTransportOptions): ClientOptions {
  const client: ClientOptions = {
    // Always explicit: `ws` offers permessage-deflate by default, we do not.
    perMessageDeflate: options.compression,
    headers: { ...options.headers },
    maxPayload: options.maxPayloadBytes,
    rejectUnauthorized: options.rejectUnauthorized,
  };
  if (options.ca !== undefined) client.ca = options.ca as ClientOptions['ca'];
  if (options.cert !== undefined) client.cert = options.cert as ClientOptions['cert'];
  if (options.key !== undefined) client.key = options.key as ClientOptions['key'];
  if (options.agent !== undefined) client.agent = options.agent as ClientOptions['agent'];
  return client;
}

function describe(error: unknown): { message: string; detail: string | undefined } {
  const err = error as { message?: unknown; code?: unknown } | null;
  return {
    message: typeof err?.message === 'string' && err.message !== '' ? err.message : 'WebSocket error',
    detail: typeof err?.code === 'string' ? err.code : undefined,
  };
}

/**
 * Close codes ws sends when it fails a connection over a bad inbound frame (its documented error codes).
 * ws then reports 1006 locally because the peer's close frame is never read; we report the code we sent,
 * so "message too big" (1009) stays distinguishable from a dropped network.
 */
function closeCodeForWsError(detail: string | undefined): number | undefined {
  if (detail === undefined || !detail.startsWith('WS_ERR_')) return undefined;
  if (detail === 'WS_ERR_UNSUPPORTED_MESSAGE_LENGTH' || detail === 'WS_ERR_UNSUPPORTED_DATA_PAYLOAD_LENGTH') {
    return WS_CLOSE_MESSAGE_TOO_BIG;
  }
  if (detail === 'WS_ERR_INVALID_UTF8') return 1007;
  return 1002;
}

/** Binary frames arrive as `ArrayBuffer` (binaryType 'arraybuffer'); text frames are decoded to strings. */
function toRawFrame(data: RawData, isBinary: boolean): RawFrame {
  const bytes = Array.isArray(data) ? Buffer.concat(data) : data;
  if (isBinary) {
    if (bytes instanceof ArrayBuffer) return bytes;
    return bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength) as ArrayBuffer;
  }
  return (bytes instanceof ArrayBuffer ? Buffer.from(bytes) : bytes).toString('utf8');
}

/** Frames per write in a burst sent within one tick. */
const CORK_FLUSH_FRAMES = 256;

function uncorkLater(transport: { uncork(): void }): void {
  transport.uncork();
}

/**
 * Creates the Node WebSocket transport class for a set of options. Options are validated here, once;
 * every connection made with the returned class uses them.
 *
 * @example
 * import { createWebSocketTransport } from '@phx-socket/transport';
 * const Transport = createWebSocketTransport({ connectTimeoutMs: 5_000, compression: true, ca: readFileSync('ca.pem', 'utf8') });
 * const conn = new Transport('wss://example.com/socket/websocket?vsn=2.0.0');
 * conn.onmessage = ({ data }) => console.log(data);
 */
export function createWebSocketTransport(options: WebSocketTransportOptions = {}): WebSocketTransportConstructor {
  const resolved = resolveWebSocketTransportOptions(options);
  const clientOptions = wsClientOptions(resolved);

  return class NodeWebSocketTransport extends WebSocketTransportBase {
    /** Name in socket state and telemetry, as phoenix.js reports it (class names do not survive minification). */
    static readonly transportName = 'WebSocket';
    readonly url: string;
    readonly #ws: WebSocket;
    #tcp: Socket | null = null;
    #opened = false;
    /** True while the TCP socket is corked until the end of the current tick (see `send`). */
    #corked = false;
    /** Frames written since the socket was last flushed while corked. */
    #corkedFrames = 0;
    /** The close code ws sent after a protocol error, with the error's message as reason. */
    #failedWith: { code: number; reason: string } | undefined;

    constructor(url: string, protocols?: string | string[]) {
      super();
      this.url = url;
      this.#ws = new WebSocket(url, protocols, clientOptions);
      this.#ws.binaryType = 'arraybuffer';
      // The upgrade response is the one public place ws shows its TCP socket.
      this.#ws.on('upgrade', (response: IncomingMessage) => {
        this.#tcp = response.socket;
      });
      this.#ws.on('open', () => {
        // ws turns Nagle off itself while setting up the socket, which runs after 'upgrade', so tuning
        // is applied here, once the socket is ours for good.
        this.#opened = true;
        this.#tune();
        this.handleOpen();
      });
      this.#ws.on('message', (data: RawData, isBinary: boolean) => this.handleMessage(toRawFrame(data, isBinary)));
      this.#ws.on('error', (error: Error) => {
        const { message, detail } = describe(error);
        const code = closeCodeForWsError(detail);
        if (code !== undefined && this.#failedWith === undefined) this.#failedWith = { code, reason: message };
        this.handleError(new WebSocketError(message, { cause: error, detail }));
      });
      this.#ws.on('close', (code: number, reason: Buffer) => {
        const failed = code === WS_CLOSE_ABNORMAL ? this.#failedWith : undefined;
        if (failed) this.handleClose(failed.code, failed.reason, false);
        else this.handleClose(code, reason.toString('utf8'), code !== WS_CLOSE_ABNORMAL);
      });
      this.startConnectTimer(resolved.connectTimeoutMs);
    }

    #tune(): void {
      const tcp = this.#tcp;
      if (!tcp) return;
      tcp.setNoDelay(resolved.noDelay);
      // An agent may have turned keep-alive on; `false` must turn it off again.
      tcp.setKeepAlive(resolved.keepAlive, resolved.keepAlive ? resolved.keepAliveInitialDelayMs : 0);
    }

    get binaryType(): string {
      return this.#ws.binaryType;
    }
    set binaryType(type: string) {
      // Frames must reach `onmessage` as a string or bytes; a Blob would need an async read.
      if (type !== 'arraybuffer' && type !== 'nodebuffer' && type !== 'fragments') {
        throw new TypeError(`binaryType must be 'arraybuffer' (or 'nodebuffer'/'fragments' in Node), got '${type}'`);
      }
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
      return this.#opened && this.readyState !== READY_STATE.closed ? this.#tcp : null;
    }

    /**
     * Frames sent in the same tick leave in one write: the first send of a tick corks the TCP socket and
     * uncorks it on `process.nextTick`. Order and content are unchanged; joining 10 000 channels makes one
     * system call instead of 10 000.
     */
    send(data: RawFrame): void {
      const tcp = this.#tcp;
      if (tcp !== null && !this.#corked && this.#ws.readyState === READY_STATE.open) {
        this.#corked = true;
        this.#corkedFrames = 0;
        tcp.cork();
        process.nextTick(uncorkLater, this);
      } else if (this.#corked && ++this.#corkedFrames >= CORK_FLUSH_FRAMES && tcp !== null) {
        // A long burst leaves in chunks, so the server starts on it while the rest is being produced.
        this.#corkedFrames = 0;
        tcp.uncork();
        tcp.cork();
      }
      this.#ws.send(data);
    }

    /** @internal */
    uncork(): void {
      this.#corked = false;
      this.#tcp?.uncork();
    }
    close(code?: number, reason?: string): void {
      this.#ws.close(code, reason);
    }
    protected rawReadyState(): number {
      return this.#ws.readyState;
    }
    protected abort(): void {
      this.#ws.terminate();
    }
  };
}
