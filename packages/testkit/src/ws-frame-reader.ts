/**
 * WebSocket framing as a server writes it (RFC 6455, unmasked): a reader that cuts a byte stream into
 * whole frames, and an encoder for frames the fault proxy injects. Only what the proxy needs: no
 * defragmentation, no extensions (the proxy strips `Sec-WebSocket-Extensions`, so none are negotiated).
 */

/** WebSocket opcodes the proxy cares about. */
export const OPCODE = Object.freeze({ continuation: 0, text: 1, binary: 2, close: 8, ping: 9, pong: 10 });

/** One frame read off the wire. */
export interface WsFrame {
  readonly fin: boolean;
  readonly opcode: number;
  readonly payload: Buffer;
  /** The frame's bytes exactly as they came (header included). */
  readonly raw: Buffer;
}

/**
 * Collects chunks and hands out the whole frames they complete, in order.
 *
 * @example
 * const reader = new WsFrameReader();
 * for (const frame of reader.push(chunk)) client.write(frame.raw);
 */
export class WsFrameReader {
  #pending: Buffer = Buffer.alloc(0);

  /** Bytes read but not yet part of a whole frame. */
  get buffered(): number {
    return this.#pending.length;
  }

  push(chunk: Buffer): WsFrame[] {
    this.#pending = this.#pending.length === 0 ? chunk : Buffer.concat([this.#pending, chunk]);
    const frames: WsFrame[] = [];
    for (;;) {
      const frame = this.#next();
      if (frame === null) return frames;
      frames.push(frame);
    }
  }

  #next(): WsFrame | null {
    const buf = this.#pending;
    if (buf.length < 2) return null;
    const b0 = buf[0] as number;
    const b1 = buf[1] as number;
    const masked = (b1 & 0x80) !== 0;
    let length = b1 & 0x7f;
    let offset = 2;
    if (length === 126) {
      if (buf.length < 4) return null;
      length = buf.readUInt16BE(2);
      offset = 4;
    } else if (length === 127) {
      if (buf.length < 10) return null;
      length = Number(buf.readBigUInt64BE(2));
      offset = 10;
    }
    const maskOffset = offset;
    if (masked) offset += 4;
    if (buf.length < offset + length) return null;
    let payload = buf.subarray(offset, offset + length);
    if (masked) {
      const mask = buf.subarray(maskOffset, maskOffset + 4);
      payload = Buffer.from(payload.map((byte, i) => byte ^ (mask[i % 4] as number)));
    }
    const raw = buf.subarray(0, offset + length);
    this.#pending = buf.subarray(offset + length);
    return { fin: (b0 & 0x80) !== 0, opcode: b0 & 0x0f, payload, raw };
  }
}

/** Encodes one unmasked frame (as a server sends it), FIN set unless `fin` is false. */
export function encodeServerFrame(opcode: number, payload: Buffer, fin = true): Buffer {
  const length = payload.length;
  const head = length < 126 ? Buffer.alloc(2) : length < 0x10000 ? Buffer.alloc(4) : Buffer.alloc(10);
  head[0] = (fin ? 0x80 : 0) | (opcode & 0x0f);
  if (length < 126) head[1] = length;
  else if (length < 0x10000) {
    head[1] = 126;
    head.writeUInt16BE(length, 2);
  } else {
    head[1] = 127;
    head.writeBigUInt64BE(BigInt(length), 2);
  }
  return Buffer.concat([head, payload]);
}
