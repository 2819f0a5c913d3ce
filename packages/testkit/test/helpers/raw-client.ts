import WebSocket from 'ws';

/** One frame as a raw client received it. */
export interface RawFrame {
  readonly data: string | Buffer;
  readonly binary: boolean;
}

/** A V2 array frame `[join_ref, ref, topic, event, payload]`. */
export type V2Frame = [string | null, string | null, string, string, unknown];

export interface RawConnectOptions {
  vsn?: string | null;
  params?: Record<string, string>;
  protocols?: string[];
  headers?: Record<string, string>;
  perMessageDeflate?: boolean;
}

/** Builds the WebSocket endpoint URL for a socket URL. */
export function endpoint(socketUrl: string, options: RawConnectOptions = {}): string {
  const query = new URLSearchParams(options.params ?? {});
  const vsn = options.vsn === undefined ? '2.0.0' : options.vsn;
  if (vsn !== null) query.set('vsn', vsn);
  const qs = query.toString();
  return `${socketUrl}/websocket${qs ? `?${qs}` : ''}`;
}

/**
 * A bare `ws` client that records every frame, for protocol tests: no Phoenix client logic at all.
 */
export class RawClient {
  readonly frames: RawFrame[] = [];
  readonly closed: Promise<{ code: number; reason: string }>;
  private waiters: Array<() => void> = [];
  private ref = 100;

  private constructor(readonly ws: WebSocket) {
    ws.binaryType = 'nodebuffer';
    ws.on('message', (data: Buffer, binary: boolean) => {
      this.frames.push({ data: binary ? data : data.toString('utf8'), binary });
      for (const wake of this.waiters.splice(0)) wake();
    });
    this.closed = new Promise((resolve) => {
      ws.on('close', (code, reason) => {
        resolve({ code, reason: reason.toString() });
        for (const wake of this.waiters.splice(0)) wake();
      });
    });
    ws.on('error', () => undefined);
  }

  /** Opens a connection; rejects with the HTTP status when the upgrade is refused. */
  static connect(socketUrl: string, options: RawConnectOptions = {}): Promise<RawClient> {
    const ws = new WebSocket(endpoint(socketUrl, options), options.protocols ?? [], {
      headers: options.headers,
      perMessageDeflate: options.perMessageDeflate ?? false,
      rejectUnauthorized: false,
    });
    return new Promise((resolve, reject) => {
      const client = new RawClient(ws);
      ws.once('open', () => resolve(client));
      ws.once('unexpected-response', (_req, res) => {
        reject(new RefusedError(res.statusCode ?? 0));
        ws.terminate();
      });
      ws.once('error', (error) => reject(error));
    });
  }

  /** Next ref, as phoenix.js numbers them. */
  nextRef(): string {
    this.ref += 1;
    return String(this.ref);
  }

  send(frame: unknown): void {
    if (typeof frame === 'string' || Buffer.isBuffer(frame) || frame instanceof Uint8Array) this.ws.send(frame);
    else this.ws.send(JSON.stringify(frame));
  }

  /** Text frames parsed as JSON. */
  json(): unknown[] {
    return this.frames.filter((f) => !f.binary).map((f) => JSON.parse(f.data as string) as unknown);
  }

  /** Waits for a frame (already received or future) matching `predicate`. */
  async waitFrame(predicate: (frame: RawFrame) => boolean, timeoutMs = 2000): Promise<RawFrame> {
    const deadline = Date.now() + timeoutMs;
    let seen = 0;
    for (;;) {
      for (; seen < this.frames.length; seen++) {
        const frame = this.frames[seen] as RawFrame;
        if (predicate(frame)) return frame;
      }
      const remaining = deadline - Date.now();
      if (remaining <= 0) throw new Error(`no matching frame within ${timeoutMs} ms; got ${JSON.stringify(this.frames.map((f) => (f.binary ? '<binary>' : f.data)))}`);
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, remaining);
        this.waiters.push(() => {
          clearTimeout(timer);
          resolve();
        });
      });
    }
  }

  /** Waits for a JSON text frame matching `predicate`. */
  async waitJson<T = unknown>(predicate: (message: T) => boolean, timeoutMs = 2000): Promise<T> {
    const frame = await this.waitFrame((f) => !f.binary && predicate(JSON.parse(f.data as string) as T), timeoutMs);
    return JSON.parse(frame.data as string) as T;
  }

  /** Waits for the V2 reply with `ref`. */
  reply(ref: string, timeoutMs?: number): Promise<V2Frame> {
    return this.waitJson<V2Frame>((m) => Array.isArray(m) && m[1] === ref && m[3] === 'phx_reply', timeoutMs);
  }

  /** V2 join; resolves with the reply frame. */
  async join(topic: string, params: unknown = {}, joinRef = this.nextRef()): Promise<V2Frame> {
    this.send([joinRef, joinRef, topic, 'phx_join', params]);
    return this.reply(joinRef);
  }

  /** V2 push; returns its ref. */
  push(topic: string, event: string, payload: unknown, joinRef: string | null): string {
    const ref = this.nextRef();
    this.send([joinRef, ref, topic, event, payload]);
    return ref;
  }

  close(): void {
    this.ws.close();
  }
}

/** The upgrade was answered with an HTTP error status. */
export class RefusedError extends Error {
  constructor(readonly status: number) {
    super(`upgrade refused with HTTP ${status}`);
  }
}

/** Resolves after `ms`. */
export function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
