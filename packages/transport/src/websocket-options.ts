/**
 * Options of the WebSocket transport: the interface, its frozen defaults, and eager validation.
 * Shared by the Node and browser variants so both accept (and validate) the same object.
 */
/**
 * An `http.Agent` or `https.Agent`, described structurally so browser builds need no Node types.
 * Any real agent fits.
 */
export interface AgentLike {
  destroy(): void;
}

/** A PEM string or DER bytes, or a list of them (what Node's `tls` accepts for `ca`/`cert`/`key`). */
export type TlsMaterial = string | Uint8Array | Array<string | Uint8Array>;

/**
 * permessage-deflate settings passed through to `ws` unchanged (its `PerMessageDeflateOptions`).
 * Listed here so the public type does not depend on `@types/ws`.
 */
export interface CompressionOptions {
  /** Ask the server not to reuse its compression context between messages. */
  serverNoContextTakeover?: boolean;
  /** Do not reuse our compression context between messages (less memory, worse ratio). */
  clientNoContextTakeover?: boolean;
  /** Largest LZ77 window the server may use, as a power of two (8–15). */
  serverMaxWindowBits?: number;
  /** Largest LZ77 window we use, as a power of two (8–15). */
  clientMaxWindowBits?: number;
  /** zlib options for compressing, e.g. `{ level: 6 }`. */
  zlibDeflateOptions?: Record<string, unknown>;
  /** zlib options for inflating. */
  zlibInflateOptions?: Record<string, unknown>;
  /** Messages smaller than this many bytes are sent uncompressed. */
  threshold?: number;
  /** How many zlib operations may run at once. */
  concurrencyLimit?: number;
}

/**
 * How the WebSocket transport opens and tunes its connection. In browsers only `connectTimeoutMs` and
 * `onNotice` apply; the rest are ignored (the browser owns the socket), and `onNotice` says so once.
 *
 * @example
 * const transport = createWebSocketTransport({ connectTimeoutMs: 5_000, compression: true, headers: { 'x-app': 'bot' } });
 */
export interface WebSocketTransportOptions {
  /**
   * Disable Nagle's algorithm so small frames (heartbeats, pushes) leave at once instead of waiting up to
   * one round trip to be coalesced. Node only. @default true
   */
  noDelay?: boolean;
  /** Send TCP keep-alive probes on an idle connection, so a dead peer or NAT drop is noticed. Node only. @default true */
  keepAlive?: boolean;
  /**
   * Idle time in milliseconds before the first keep-alive probe (the OS picks the probe interval and
   * count). `0` keeps the OS default. Ignored when `keepAlive` is false. Node only. @default 30000
   */
  keepAliveInitialDelayMs?: number;
  /**
   * Milliseconds from construction until the socket must be open (DNS, TCP, TLS and the upgrade together).
   * When it expires the attempt is aborted and reported as `onerror` (a `ConnectTimeoutError`) then
   * `onclose` with code 1006 and reason `'connect_timeout'`. `0` means no limit. Node and browsers. @default 10000
   */
  connectTimeoutMs?: number;
  /**
   * Offer permessage-deflate: `false` never, `true` with `ws` defaults, or an options object passed to `ws`
   * as is. Helps large JSON payloads; costs CPU and memory per connection. Node only (browsers negotiate
   * it themselves). @default false
   */
  compression?: boolean | CompressionOptions;
  /** Extra HTTP headers on the upgrade request (e.g. `authorization`, `cookie`). Node only. @default {} */
  headers?: Record<string, string>;
  /**
   * Largest inbound message in bytes; a bigger one closes the connection with code 1009. `0` means no limit.
   * Node only. @default 104857600 (100 MiB, the `ws` default)
   */
  maxPayloadBytes?: number;
  /** Certificate authorities to trust for `wss:` (PEM), replacing the system list. Node only. */
  ca?: TlsMaterial;
  /** Client certificate chain for mutual TLS (PEM). Node only. */
  cert?: TlsMaterial;
  /** Private key of `cert` (PEM). Node only. */
  key?: TlsMaterial;
  /**
   * Refuse servers whose certificate does not verify against `ca` (or the system list). Set `false`
   * only for local development. Node only. @default true
   */
  rejectUnauthorized?: boolean;
  /** An `http.Agent`/`https.Agent` for the upgrade request (proxies, connection limits). Node only. */
  agent?: AgentLike;
  /**
   * Receives one human-readable notice when options are ignored on this platform (browsers). Wire it to
   * telemetry or a logger. A throwing callback is ignored.
   */
  onNotice?: (message: string) => void;
}

/** Default of `connectTimeoutMs`, alone so the browser build does not bundle the Node defaults. */
export const DEFAULT_CONNECT_TIMEOUT_MS = 10_000;

/** Defaults merged under the options given; options not listed here default to `undefined`. */
export const DEFAULT_WEBSOCKET_TRANSPORT_OPTIONS = /* @__PURE__ */ Object.freeze({
  noDelay: true,
  keepAlive: true,
  keepAliveInitialDelayMs: 30_000,
  connectTimeoutMs: DEFAULT_CONNECT_TIMEOUT_MS,
  compression: false,
  headers: /* @__PURE__ */ Object.freeze({}) as Readonly<Record<string, string>>,
  // 100 MiB written out: bundlers keep a module-level product (it could call valueOf), and this object with it.
  maxPayloadBytes: 104_857_600,
  rejectUnauthorized: true,
} as const);

/** Options after defaults are merged and every value checked. */
export interface ResolvedWebSocketTransportOptions extends WebSocketTransportOptions {
  noDelay: boolean;
  keepAlive: boolean;
  keepAliveInitialDelayMs: number;
  connectTimeoutMs: number;
  compression: boolean | CompressionOptions;
  headers: Readonly<Record<string, string>>;
  maxPayloadBytes: number;
  rejectUnauthorized: boolean;
}

/** Options that only mean something where we own the TCP socket (Node). */
export const NODE_ONLY_OPTIONS = /* @__PURE__ */ Object.freeze([
  'noDelay',
  'keepAlive',
  'keepAliveInitialDelayMs',
  'compression',
  'headers',
  'maxPayloadBytes',
  'ca',
  'cert',
  'key',
  'rejectUnauthorized',
  'agent',
] as const satisfies ReadonlyArray<keyof WebSocketTransportOptions>);

const name = (option: string) => `transportOptions.${option}`;

function checkBoolean(options: WebSocketTransportOptions, key: keyof WebSocketTransportOptions): void {
  const value = options[key];
  if (value !== undefined && typeof value !== 'boolean') {
    throw new TypeError(`${name(key)} must be a boolean, got ${typeof value}`);
  }
}

function checkMs(options: WebSocketTransportOptions, key: keyof WebSocketTransportOptions, what: string): void {
  const value = options[key];
  if (value === undefined) return;
  if (typeof value !== 'number') throw new TypeError(`${name(key)} must be a number of ${what}, got ${typeof value}`);
  if (!Number.isInteger(value) || value < 0) {
    throw new RangeError(`${name(key)} must be a non-negative integer number of ${what} (0 = ${key === 'maxPayloadBytes' ? 'no limit' : key === 'connectTimeoutMs' ? 'no timeout' : 'OS default'}), got ${value}`);
  }
  // Node timers overflow above 2^31-1 ms and fire at once instead.
  if (key !== 'maxPayloadBytes' && value > 2_147_483_647) {
    throw new RangeError(`${name(key)} must be at most 2147483647 (about 24.8 days), got ${value}`);
  }
}

function checkTls(options: WebSocketTransportOptions, key: 'ca' | 'cert' | 'key'): void {
  const value = options[key];
  if (value === undefined) return;
  const ok = (v: unknown) => typeof v === 'string' || v instanceof Uint8Array;
  if (!(ok(value) || (Array.isArray(value) && value.every(ok)))) {
    throw new TypeError(`${name(key)} must be a PEM string, bytes, or an array of them`);
  }
}

/**
 * Checks every option, Node-only ones included (so a browser app gets the same errors as a Node one).
 * Throws `TypeError` for a wrong type and `RangeError` for a value out of range; each message names the
 * option (`transportOptions.connectTimeoutMs ...`). The browser transport calls only this; the Node one
 * merges the defaults after it (`resolveWebSocketTransportOptions`).
 *
 * @example
 * checkWebSocketTransportOptions({ connectTimeoutMs: -1 }); // RangeError: transportOptions.connectTimeoutMs must be ...
 */
export function checkWebSocketTransportOptions(options: WebSocketTransportOptions): void {
  if (typeof options !== 'object' || options === null || Array.isArray(options)) {
    throw new TypeError(`transportOptions must be an object, got ${options === null ? 'null' : typeof options}`);
  }
  checkBoolean(options, 'noDelay');
  checkBoolean(options, 'keepAlive');
  checkBoolean(options, 'rejectUnauthorized');
  checkMs(options, 'keepAliveInitialDelayMs', 'milliseconds');
  checkMs(options, 'connectTimeoutMs', 'milliseconds');
  checkMs(options, 'maxPayloadBytes', 'bytes');
  const { compression, headers, agent, onNotice } = options;
  if (compression !== undefined && typeof compression !== 'boolean' && (typeof compression !== 'object' || compression === null || Array.isArray(compression))) {
    throw new TypeError(`${name('compression')} must be true, false or a permessage-deflate options object`);
  }
  if (headers !== undefined) {
    if (typeof headers !== 'object' || headers === null || Array.isArray(headers)) {
      throw new TypeError(`${name('headers')} must be an object of header name → string value`);
    }
    for (const [header, value] of Object.entries(headers)) {
      if (typeof value !== 'string') throw new TypeError(`${name('headers')}["${header}"] must be a string, got ${typeof value}`);
    }
  }
  checkTls(options, 'ca');
  checkTls(options, 'cert');
  checkTls(options, 'key');
  if (agent !== undefined && (typeof agent !== 'object' || agent === null)) {
    throw new TypeError(`${name('agent')} must be an http.Agent or https.Agent`);
  }
  if (onNotice !== undefined && typeof onNotice !== 'function') {
    throw new TypeError(`${name('onNotice')} must be a function (message: string) => void`);
  }
}

/**
 * Checks every option (see `checkWebSocketTransportOptions`) and merges the defaults once.
 *
 * @example
 * resolveWebSocketTransportOptions({ connectTimeoutMs: -1 }); // RangeError: transportOptions.connectTimeoutMs must be ...
 */
export function resolveWebSocketTransportOptions(options: WebSocketTransportOptions = {}): ResolvedWebSocketTransportOptions {
  checkWebSocketTransportOptions(options);
  const d = DEFAULT_WEBSOCKET_TRANSPORT_OPTIONS;
  return {
    ...options,
    noDelay: options.noDelay ?? d.noDelay,
    keepAlive: options.keepAlive ?? d.keepAlive,
    keepAliveInitialDelayMs: options.keepAliveInitialDelayMs ?? d.keepAliveInitialDelayMs,
    connectTimeoutMs: options.connectTimeoutMs ?? d.connectTimeoutMs,
    compression: options.compression ?? d.compression,
    headers: options.headers ?? d.headers,
    maxPayloadBytes: options.maxPayloadBytes ?? d.maxPayloadBytes,
    rejectUnauthorized: options.rejectUnauthorized ?? d.rejectUnauthorized,
  };
}

/** Which Node-only options the caller set explicitly (an empty list when none). */
export function nodeOnlyOptionsSet(options: WebSocketTransportOptions): string[] {
  return NODE_ONLY_OPTIONS.filter((key) => options[key] !== undefined);
}
