import type { ConnectHandler, SocketIdHandler } from './types';

/** TLS material for an https/wss server. */
export interface TlsOptions {
  readonly key: string | Buffer;
  readonly cert: string | Buffer;
}

/** permessage-deflate settings, passed to `ws` unchanged (see ws's `WebSocketServer` docs). */
export type PerMessageDeflateOptions = boolean | Record<string, unknown>;

/** Options of {@link startServer}. Every option is optional. */
export interface ServerOptions {
  /** TCP port; `0` picks a free port. @default 0 */
  port?: number;
  /** Interface to bind. @default '127.0.0.1' */
  host?: string;
  /** Socket mount path; the WebSocket endpoint is `<path>/websocket`. @default '/socket' */
  path?: string;
  /**
   * Decides each connection, like `UserSocket.connect/3`: `false` answers the upgrade with HTTP 403,
   * `true` accepts, an object accepts with those assigns. A throw answers HTTP 500.
   * @default accept everyone
   */
  connect?: ConnectHandler;
  /**
   * The socket id of an accepted connection, like `UserSocket.id/1` (e.g. `'user_socket:' + params.user`);
   * `null`/`undefined` for none. `server.disconnectSocket(id)` closes every connection with that id, as
   * Phoenix's `Endpoint.broadcast(id, "disconnect", %{})` does. A throw answers HTTP 500.
   * @default no ids
   */
  id?: SocketIdHandler;
  /** Channels one connection may have joined; join number `maxChannels + 1` gets `{reason: 'too many channels joined'}` (Phoenix ≥ 1.8.9). @default 100 */
  maxChannels?: number;
  /**
   * How join number `maxChannels + 1` is refused: `'phoenix'` answers `{reason: 'too many channels joined'}`
   * (Phoenix ≥ 1.8.9), `'supabase'` answers `{reason: 'too_many_channels'}` (Supabase Realtime's per-connection
   * channel limit). @default 'phoenix'
   */
  maxChannelsRefusal?: ChannelCapRefusalShape;
  /** permessage-deflate, passed to `ws`. Phoenix's default is off. @default false */
  perMessageDeflate?: PerMessageDeflateOptions;
  /** Largest accepted client frame in bytes; larger frames close the connection with 1009 (ws). @default 104857600 (100 MiB) */
  maxPayloadBytes?: number;
  /** Serve https/wss with this key and certificate. @default undefined (http/ws) */
  tls?: TlsOptions;
  /**
   * Close a connection that sent nothing for this long, like Phoenix's 60 s WebSocket timeout
   * (close code 1000). `0` disables it. @default 60000
   */
  heartbeatTimeoutMs?: number;
  /**
   * LongPoll window, ms (Phoenix `window_ms`): a poll is held this long before it is answered 204, and a
   * session nobody polled for this long ends (its channels leave; its next poll gets 410). @default 10000
   */
  longPollWindowMs?: number;
}

/** How a join over the per-connection channel cap is refused (see `maxChannelsRefusal`). */
export type ChannelCapRefusalShape = 'phoenix' | 'supabase';

/** Options after defaults are applied. */
export interface ResolvedServerOptions {
  readonly port: number;
  readonly host: string;
  readonly path: string;
  readonly connect: ConnectHandler;
  readonly id: SocketIdHandler | undefined;
  readonly maxChannels: number;
  readonly maxChannelsRefusal: ChannelCapRefusalShape;
  readonly perMessageDeflate: PerMessageDeflateOptions;
  readonly maxPayloadBytes: number;
  readonly tls: TlsOptions | undefined;
  readonly heartbeatTimeoutMs: number;
  readonly longPollWindowMs: number;
}

/** Defaults of every option. */
export const DEFAULT_SERVER_OPTIONS = Object.freeze({
  port: 0,
  host: '127.0.0.1',
  path: '/socket',
  connect: (() => true) as ConnectHandler,
  maxChannels: 100,
  maxChannelsRefusal: 'phoenix' as ChannelCapRefusalShape,
  perMessageDeflate: false as PerMessageDeflateOptions,
  maxPayloadBytes: 100 * 1024 * 1024,
  tls: undefined as TlsOptions | undefined,
  heartbeatTimeoutMs: 60_000,
  longPollWindowMs: 10_000,
});

function nonNegativeInteger(name: string, value: number, max = Number.MAX_SAFE_INTEGER): number {
  if (!Number.isInteger(value) || value < 0 || value > max) {
    throw new RangeError(`startServer({ ${name} }): expected an integer from 0 to ${max}, got ${String(value)}`);
  }
  return value;
}

function positiveWindow(value: number): number {
  if (!Number.isInteger(value) || value < 1 || value > 2_147_483_647) {
    throw new RangeError(`startServer({ longPollWindowMs }): expected an integer number of ms from 1 to 2147483647, got ${String(value)}`);
  }
  return value;
}

function socketIdOf(id: unknown): SocketIdHandler | undefined {
  if (id !== undefined && typeof id !== 'function') throw new TypeError('startServer({ id }): expected a function (params, info, assigns) => string | null');
  return id as SocketIdHandler | undefined;
}

/** Applies defaults (with `??`) and validates eagerly; throws `TypeError`/`RangeError` naming the option. */
export function resolveServerOptions(options: ServerOptions = {}): ResolvedServerOptions {
  const path = options.path ?? DEFAULT_SERVER_OPTIONS.path;
  if (!path.startsWith('/') || path.endsWith('/')) {
    throw new TypeError(`startServer({ path }): expected a path such as '/socket' (leading '/', no trailing '/'), got '${path}'`);
  }
  const connect = options.connect ?? DEFAULT_SERVER_OPTIONS.connect;
  if (typeof connect !== 'function') throw new TypeError('startServer({ connect }): expected a function');
  const maxChannels = nonNegativeInteger('maxChannels', options.maxChannels ?? DEFAULT_SERVER_OPTIONS.maxChannels);
  if (maxChannels === 0) throw new RangeError('startServer({ maxChannels }): must be at least 1');
  const maxChannelsRefusal = options.maxChannelsRefusal ?? DEFAULT_SERVER_OPTIONS.maxChannelsRefusal;
  if (maxChannelsRefusal !== 'phoenix' && maxChannelsRefusal !== 'supabase') {
    throw new TypeError(`startServer({ maxChannelsRefusal }): expected 'phoenix' or 'supabase', got ${String(maxChannelsRefusal)}`);
  }
  return {
    port: nonNegativeInteger('port', options.port ?? DEFAULT_SERVER_OPTIONS.port, 65535),
    host: options.host ?? DEFAULT_SERVER_OPTIONS.host,
    path,
    connect,
    id: socketIdOf(options.id),
    maxChannels,
    maxChannelsRefusal,
    perMessageDeflate: options.perMessageDeflate ?? DEFAULT_SERVER_OPTIONS.perMessageDeflate,
    maxPayloadBytes: nonNegativeInteger('maxPayloadBytes', options.maxPayloadBytes ?? DEFAULT_SERVER_OPTIONS.maxPayloadBytes),
    tls: options.tls ?? DEFAULT_SERVER_OPTIONS.tls,
    heartbeatTimeoutMs: nonNegativeInteger('heartbeatTimeoutMs', options.heartbeatTimeoutMs ?? DEFAULT_SERVER_OPTIONS.heartbeatTimeoutMs),
    longPollWindowMs: positiveWindow(options.longPollWindowMs ?? DEFAULT_SERVER_OPTIONS.longPollWindowMs),
  };
}
