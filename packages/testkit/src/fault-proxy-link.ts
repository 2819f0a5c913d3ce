/**
 * One client ↔ server pair of TCP sockets inside the fault proxy. Bytes flow both ways through the
 * proxy's faults (stall, latency); after a `101 Switching Protocols` answer, server→client bytes are cut
 * into WebSocket frames so frames can be injected between them and rewritten or dropped.
 */
import type { Socket } from 'node:net';
import { encodeServerFrame, OPCODE, WsFrameReader, type WsFrame } from './ws-frame-reader';

/** Rewrites a server→client data message: a new one, `null` to drop it, `undefined` to keep it. */
export type FrameMangler = (data: string | Buffer) => string | Buffer | null | undefined;

/** What a link reads from its proxy at every chunk. */
export interface LinkFaults {
  readonly stalled: boolean;
  readonly latencyMs: number;
  readonly mangler: FrameMangler | null;
  /** Counts for `proxy.stats()`. */
  count(what: 'mangled' | 'bytesToClient' | 'bytesToServer', by?: number): void;
}

const HEAD_END = Buffer.from('\r\n\r\n');

/**
 * A proxied connection. `close()` destroys both sockets; `closed` resolves once both are gone.
 *
 * @example
 * const link = new FaultLink(client, upstream, faults);
 * link.inject(encodeServerFrame(OPCODE.text, Buffer.from('[null,null,"t","e",{}]')));
 */
export class FaultLink {
  /** True once the server answered the upgrade with 101: frames can be injected. */
  upgraded = false;
  readonly closed: Promise<void>;

  readonly #client: Socket;
  readonly #upstream: Socket;
  readonly #faults: LinkFaults;
  /** Server→client: the response head until it is complete, then frames (after 101) or raw bytes. */
  #serverPhase: 'head' | 'frames' | 'raw' = 'head';
  #clientPhase: 'head' | 'raw' = 'head';
  #serverHead: Buffer = Buffer.alloc(0);
  #clientHead: Buffer = Buffer.alloc(0);
  readonly #frames = new WsFrameReader();

  constructor(client: Socket, upstream: Socket, faults: LinkFaults) {
    this.#client = client;
    this.#upstream = upstream;
    this.#faults = faults;
    const gone = (socket: Socket): Promise<void> => new Promise((resolve) => (socket.destroyed ? resolve() : socket.once('close', () => resolve())));
    this.closed = Promise.all([gone(client), gone(upstream)]).then(() => undefined);
    for (const socket of [client, upstream]) {
      socket.on('error', () => this.close());
      socket.on('close', () => this.close());
    }
    client.on('data', (chunk: Buffer) => this.#fromClient(chunk));
    upstream.on('data', (chunk: Buffer) => this.#fromServer(chunk));
    if (faults.stalled) this.pause();
  }

  /** Half-open: stop reading both ways; TCP stays up and the kernel buffers fill. */
  pause(): void {
    this.#client.pause();
    this.#upstream.pause();
  }

  resume(): void {
    this.#client.resume();
    this.#upstream.resume();
  }

  /** Writes bytes to the client between whole frames (with the proxy's latency). */
  inject(bytes: Buffer): void {
    this.#deliver(this.#client, bytes, 'bytesToClient');
  }

  close(): void {
    this.#client.destroy();
    this.#upstream.destroy();
  }

  #fromClient(chunk: Buffer): void {
    if (this.#clientPhase === 'raw') {
      this.#deliver(this.#upstream, chunk, 'bytesToServer');
      return;
    }
    this.#clientHead = Buffer.concat([this.#clientHead, chunk]);
    const end = this.#clientHead.indexOf(HEAD_END);
    if (end < 0) return;
    const head = this.#clientHead.subarray(0, end).toString('latin1');
    const rest = this.#clientHead.subarray(end + HEAD_END.length);
    this.#clientHead = Buffer.alloc(0);
    this.#clientPhase = 'raw';
    // No permessage-deflate: compressed frames could not be read, injected between or rewritten.
    const kept = head.split('\r\n').filter((line) => !/^sec-websocket-extensions:/i.test(line));
    this.#deliver(this.#upstream, Buffer.concat([Buffer.from(kept.join('\r\n') + '\r\n\r\n', 'latin1'), rest]), 'bytesToServer');
  }

  #fromServer(chunk: Buffer): void {
    if (this.#serverPhase === 'raw') return this.#deliver(this.#client, chunk, 'bytesToClient');
    if (this.#serverPhase === 'frames') return this.#relayFrames(chunk);
    this.#serverHead = Buffer.concat([this.#serverHead, chunk]);
    const end = this.#serverHead.indexOf(HEAD_END);
    if (end < 0) return;
    const head = this.#serverHead.subarray(0, end + HEAD_END.length);
    const rest = this.#serverHead.subarray(end + HEAD_END.length);
    this.#serverHead = Buffer.alloc(0);
    const upgraded = /^HTTP\/1\.1 101/.test(head.toString('latin1'));
    this.#serverPhase = upgraded ? 'frames' : 'raw';
    this.#deliver(this.#client, head, 'bytesToClient');
    this.upgraded = upgraded;
    if (rest.length > 0) this.#fromServer(rest);
  }

  #relayFrames(chunk: Buffer): void {
    for (const frame of this.#frames.push(chunk)) {
      const out = this.#mangle(frame);
      if (out !== null) this.#deliver(this.#client, out, 'bytesToClient');
    }
  }

  /** The bytes to forward for `frame`: as is, rewritten by the mangler, or null when it drops it. */
  #mangle(frame: WsFrame): Buffer | null {
    const mangler = this.#faults.mangler;
    const data = frame.opcode === OPCODE.text || frame.opcode === OPCODE.binary;
    if (mangler === null || !data || !frame.fin) return frame.raw;
    const result = mangler(frame.opcode === OPCODE.text ? frame.payload.toString('utf8') : Buffer.from(frame.payload));
    if (result === undefined) return frame.raw;
    this.#faults.count('mangled');
    if (result === null) return null;
    return typeof result === 'string' ? encodeServerFrame(OPCODE.text, Buffer.from(result, 'utf8')) : encodeServerFrame(OPCODE.binary, result);
  }

  #deliver(to: Socket, bytes: Buffer, counter: 'bytesToClient' | 'bytesToServer'): void {
    const write = (): void => {
      if (to.destroyed) return;
      this.#faults.count(counter, bytes.length);
      to.write(bytes);
    };
    const delay = this.#faults.latencyMs;
    if (delay > 0) setTimeout(write, delay).unref();
    else write();
  }
}
