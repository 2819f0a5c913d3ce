/**
 * A TCP fault proxy for reliability tests: put it between any client and any server (the testkit's, or
 * a real Phoenix endpoint on this machine) and make the network misbehave — drop every connection, refuse
 * new ones, stall both directions while TCP stays open (half-open), add latency, inject or rewrite
 * server→client WebSocket frames. Independent of the server: it only sees bytes.
 */
import { connect, createServer, type AddressInfo, type Server, type Socket } from 'node:net';
import { FaultLink, type FrameMangler, type LinkFaults } from './fault-proxy-link';
import { encodeServerFrame, OPCODE } from './ws-frame-reader';

export type { FrameMangler } from './fault-proxy-link';

/** Options of {@link startFaultProxy}. */
export interface FaultProxyOptions {
  /** Where to forward: a `ws://`, `wss://`-less, `http://` URL (its host, port and path are used) or `{ host, port }`. Required. */
  target: string | { host: string; port: number };
  /** Interface to listen on. @default '127.0.0.1' */
  host?: string;
  /** Port to listen on; `0` picks a free one. @default 0 */
  port?: number;
}

/** Defaults of {@link FaultProxyOptions}. */
export const DEFAULT_FAULT_PROXY_OPTIONS = Object.freeze({ host: '127.0.0.1', port: 0 });

/** Counters of a {@link FaultProxy}. */
export interface FaultProxyStats {
  /** TCP connections accepted and forwarded. */
  accepted: number;
  /** Connections reset at once by `refuse()`. */
  refused: number;
  /** Links destroyed by `dropAll()`. */
  dropped: number;
  /** Links alive now. */
  live: number;
  /** Frames written by `inject()`, per link. */
  injected: number;
  /** Server frames the mangler rewrote or dropped. */
  mangled: number;
  bytesToClient: number;
  bytesToServer: number;
}

/** Options of {@link FaultProxy.inject}. */
export interface InjectOptions {
  /** Write the bytes as they are (a truncated or garbage frame) instead of wrapping them in a frame. @default false */
  raw?: boolean;
}

function parseTarget(target: unknown): { host: string; port: number; path: string } {
  if (typeof target === 'string') {
    let url: URL;
    try {
      url = new URL(target);
    } catch {
      throw new TypeError(`startFaultProxy({ target }): expected a URL such as 'ws://127.0.0.1:4000/socket', got '${target}'`);
    }
    const port = Number(url.port || (url.protocol === 'http:' || url.protocol === 'ws:' ? 80 : 443));
    return { host: url.hostname.replace(/^\[|\]$/g, ''), port, path: url.pathname.replace(/\/websocket$|\/$/, '') };
  }
  const t = target as { host?: unknown; port?: unknown } | null;
  if (t === null || typeof t !== 'object' || typeof t.host !== 'string' || typeof t.port !== 'number') {
    throw new TypeError('startFaultProxy({ target }): expected a URL string or { host, port }');
  }
  if (!Number.isInteger(t.port) || t.port < 1 || t.port > 65535) throw new RangeError(`startFaultProxy({ target }): port must be 1..65535, got ${t.port}`);
  return { host: t.host, port: t.port, path: '' };
}

function checkMs(operation: string, ms: number, allowInfinity: boolean): void {
  if (typeof ms !== 'number' || Number.isNaN(ms) || ms < 0 || (!allowInfinity && !Number.isFinite(ms))) {
    throw new RangeError(`${operation}(ms): expected a number of ms >= 0, got ${String(ms)}`);
  }
}

/**
 * A running proxy. Create it with {@link startFaultProxy}; always `await proxy.close()`.
 *
 * @example
 * const server = await startServer();
 * const proxy = await startFaultProxy({ target: server.url });
 * const socket = new Socket(proxy.url);
 * proxy.stall();          // half-open: heartbeats go unanswered
 * proxy.resume();
 * await proxy.dropAll();  // every client sees 1006
 * await proxy.close();
 */
export class FaultProxy {
  readonly #server: Server;
  readonly #target: { host: string; port: number; path: string };
  readonly #links = new Set<FaultLink>();
  readonly #stats: FaultProxyStats = { accepted: 0, refused: 0, dropped: 0, live: 0, injected: 0, mangled: 0, bytesToClient: 0, bytesToServer: 0 };
  #refuseUntil = 0;
  #refuseTimer: NodeJS.Timeout | null = null;
  #stalled = false;
  #latencyMs = 0;
  #mangler: FrameMangler | null = null;
  #listening = false;
  #port = 0;

  /** @internal Use {@link startFaultProxy}. */
  constructor(target: { host: string; port: number; path: string }) {
    this.#target = target;
    this.#server = createServer((client) => this.#accept(client));
  }

  /** @internal */
  async listen(host: string, port: number): Promise<this> {
    await new Promise<void>((resolve, reject) => {
      this.#server.once('error', reject);
      this.#server.listen(port, host, () => {
        this.#server.off('error', reject);
        resolve();
      });
    });
    this.#listening = true;
    this.#port = (this.#server.address() as AddressInfo).port;
    return this;
  }

  /** The listening port. */
  get port(): number {
    return this.#port;
  }

  /** The target's socket URL through the proxy, e.g. `ws://127.0.0.1:PORT/socket`. */
  get url(): string {
    return `ws://127.0.0.1:${this.port}${this.#target.path}`;
  }

  /** The same over HTTP (LongPoll), e.g. `http://127.0.0.1:PORT/socket`. */
  get httpUrl(): string {
    return `http://127.0.0.1:${this.port}${this.#target.path}`;
  }

  /** Live links. */
  get connections(): number {
    return this.#links.size;
  }

  /** True while `refuse()` is in force. */
  get refusing(): boolean {
    return Date.now() < this.#refuseUntil;
  }

  stats(): FaultProxyStats {
    return { ...this.#stats, live: this.#links.size };
  }

  /** Destroys every live link (client and server side, no close frame: the client sees 1006). */
  async dropAll(): Promise<void> {
    const links = [...this.#links];
    this.#stats.dropped += links.length;
    for (const link of links) link.close();
    await Promise.all(links.map((link) => link.closed));
  }

  /** For `ms` ms (Infinity: until `accept()`), new TCP connections are reset at once. */
  refuse(ms: number): void {
    checkMs('refuse', ms, true);
    this.#refuseUntil = ms === Infinity ? Infinity : Date.now() + ms;
    if (this.#refuseTimer) clearTimeout(this.#refuseTimer);
    this.#refuseTimer = null;
  }

  /** Ends `refuse()` early. */
  accept(): void {
    this.#refuseUntil = 0;
  }

  /** Half-open: both directions stop (TCP stays open) on every link, and new links start stalled. */
  stall(): void {
    this.#stalled = true;
    for (const link of this.#links) link.pause();
  }

  /** Undoes `stall()`: what waited flows on. */
  resume(): void {
    this.#stalled = false;
    for (const link of this.#links) link.resume();
  }

  /** Delays every chunk by `ms` ms, both ways (order kept while the latency does not change). `0` = off. */
  latency(ms: number): void {
    checkMs('latency', ms, false);
    this.#latencyMs = ms;
  }

  /**
   * Sends a frame to every upgraded client link, between whole server frames: a string as a text frame,
   * bytes as a binary frame, or with `{ raw: true }` the bytes as they are. Returns how many links got it.
   */
  inject(frame: string | Uint8Array, options: InjectOptions = {}): number {
    const bytes = typeof frame === 'string' ? Buffer.from(frame, 'utf8') : Buffer.from(frame.buffer, frame.byteOffset, frame.byteLength);
    const out = options.raw ? bytes : encodeServerFrame(typeof frame === 'string' ? OPCODE.text : OPCODE.binary, bytes);
    let count = 0;
    for (const link of this.#links) {
      if (!link.upgraded) continue;
      link.inject(out);
      count++;
    }
    this.#stats.injected += count;
    return count;
  }

  /** Passes every server→client data message through `fn` (see {@link FrameMangler}); `null` turns it off. */
  mangle(fn: FrameMangler | null): void {
    if (fn !== null && typeof fn !== 'function') throw new TypeError('mangle(fn): expected a function or null');
    this.#mangler = fn;
  }

  /** Stops listening and destroys every link. Idempotent; leaves no handle behind. */
  async close(): Promise<void> {
    if (!this.#listening) return;
    this.#listening = false;
    if (this.#refuseTimer) clearTimeout(this.#refuseTimer);
    const stopped = new Promise<void>((resolve) => this.#server.close(() => resolve()));
    const links = [...this.#links];
    for (const link of links) link.close();
    await Promise.all([stopped, ...links.map((link) => link.closed)]);
  }

  #accept(client: Socket): void {
    client.on('error', () => client.destroy());
    if (this.refusing) {
      this.#stats.refused++;
      if (typeof client.resetAndDestroy === 'function') client.resetAndDestroy();
      else client.destroy();
      return;
    }
    this.#stats.accepted++;
    client.pause();
    const upstream = connect({ host: this.#target.host, port: this.#target.port });
    upstream.setNoDelay(true);
    client.setNoDelay(true);
    const faults: LinkFaults = {
      stalled: false,
      latencyMs: 0,
      mangler: null,
      count: (what, by = 1) => {
        this.#stats[what] += by;
      },
    };
    Object.defineProperties(faults, {
      stalled: { get: () => this.#stalled },
      latencyMs: { get: () => this.#latencyMs },
      mangler: { get: () => this.#mangler },
    });
    const link = new FaultLink(client, upstream, faults);
    this.#links.add(link);
    void link.closed.then(() => this.#links.delete(link));
    upstream.once('connect', () => {
      if (!this.#stalled) client.resume();
    });
  }
}

/**
 * Starts a fault proxy in front of `options.target` on 127.0.0.1 and a free port (by default).
 *
 * @example
 * const proxy = await startFaultProxy({ target: server.url });
 * new Socket(proxy.url).connect();
 */
export async function startFaultProxy(options: FaultProxyOptions): Promise<FaultProxy> {
  if (options === null || typeof options !== 'object') throw new TypeError('startFaultProxy(options): expected { target }');
  const target = parseTarget(options.target);
  const host = options.host ?? DEFAULT_FAULT_PROXY_OPTIONS.host;
  if (typeof host !== 'string') throw new TypeError('startFaultProxy({ host }): expected a string');
  const port = options.port ?? DEFAULT_FAULT_PROXY_OPTIONS.port;
  if (!Number.isInteger(port) || port < 0 || port > 65535) throw new RangeError(`startFaultProxy({ port }): expected 0..65535, got ${String(port)}`);
  return new FaultProxy(target).listen(host, port);
}
