/**
 * The V2 binary frame layout (Phoenix 1.7/1.8): a kind byte, uint8 header lengths, UTF-8 header strings,
 * then the raw payload bytes. Pure functions; `serializer-v2.ts` decides when a frame is binary.
 *
 * | kind | direction | lengths after the kind byte | strings |
 * |---|---|---|---|
 * | 0 push | client → server | join_ref, ref, topic, event | join_ref, ref, topic, event |
 * | 0 push | server → client | join_ref, topic, event | join_ref, topic, event |
 * | 1 reply | server → client | join_ref, ref, topic, status | join_ref, ref, topic, status |
 * | 2 broadcast | server → client | topic, event | topic, event |
 */
import { BINARY_KINDS, CHANNEL_EVENTS } from './constants';
import { DecodeError, EncodeError } from './errors';
import type { BinaryPayload, Message, ReplyPayload } from './message';
import { utf8ByteLength, utf8Decode, utf8EncodeInto } from './text-codec';

/**
 * How a decoded binary payload (push, broadcast, a reply's `response`) is handed over:
 * - `'arraybuffer'`: an `ArrayBuffer` holding a copy of exactly the payload bytes (phoenix.js's shape).
 * - `'view'`: a `Uint8Array` over the payload bytes of the received frame, no copy.
 */
export type BinaryPayloadType = 'arraybuffer' | 'view';

/** Largest header string a binary frame can carry: its length is one unsigned byte. */
export const MAX_BINARY_HEADER_BYTES = 255;

/** Views `payload` as bytes without copying. */
export function binaryPayloadBytes(payload: BinaryPayload): Uint8Array {
  return payload instanceof ArrayBuffer
    ? new Uint8Array(payload)
    : new Uint8Array(payload.buffer, payload.byteOffset, payload.byteLength);
}

function headerLength(field: string, value: string): number {
  const length = utf8ByteLength(value);
  if (length > MAX_BINARY_HEADER_BYTES) {
    throw new EncodeError(
      `binary frame ${field} is ${length} UTF-8 bytes; at most ${MAX_BINARY_HEADER_BYTES} fit in its length byte. ` +
        'Use a shorter value, or send the payload as JSON.',
    );
  }
  return length;
}

/**
 * Encodes a client push as a kind-0 binary frame. A `null` join_ref or ref is written as an empty string.
 * The result is a fresh `ArrayBuffer` of exactly the frame's size; `payload` is copied into it once.
 *
 * @example
 * encodeBinaryPush({ joinRef: '1', ref: '2', topic: 't', event: 'e', payload: new Uint8Array([9]) });
 * // bytes: 0, 1, 1, 1, 1, '1', '2', 't', 'e', 9
 */
export function encodeBinaryPush(message: Message<BinaryPayload>): ArrayBuffer {
  const joinRef = message.joinRef ?? '';
  const ref = message.ref ?? '';
  const lengths = [
    headerLength('join_ref', joinRef),
    headerLength('ref', ref),
    headerLength('topic', message.topic),
    headerLength('event', message.event),
  ] as const;
  const body = binaryPayloadBytes(message.payload);
  const headerSize = 1 + lengths.length + lengths[0] + lengths[1] + lengths[2] + lengths[3];
  const frame = new Uint8Array(headerSize + body.byteLength);
  frame[0] = BINARY_KINDS.push;
  frame.set(lengths, 1);
  let offset = 1 + lengths.length;
  for (const text of [joinRef, ref, message.topic, message.event]) {
    offset += utf8EncodeInto(text, frame, offset);
  }
  frame.set(body, offset);
  return frame.buffer;
}

/** Reads a binary frame front to back; every read checks bounds so truncation is a `DecodeError`. */
class FrameReader {
  #offset = 1;
  readonly #bytes: Uint8Array;
  readonly #frame: ArrayBuffer | undefined;
  readonly #kindName: string;

  constructor(
    bytes: Uint8Array,
    frame: ArrayBuffer | undefined,
    kindName: string,
  ) {
    this.#bytes = bytes;
    this.#frame = frame;
    this.#kindName = kindName;
  }

  lengths(count: number): number[] {
    if (this.#offset + count > this.#bytes.byteLength) {
      throw this.fail(`needs ${count} header length bytes but the frame is ${this.#bytes.byteLength} bytes`);
    }
    const out = Array.from(this.#bytes.subarray(this.#offset, this.#offset + count));
    this.#offset += count;
    return out;
  }

  text(field: string, length: number | undefined): string {
    const size = length ?? 0;
    const end = this.#offset + size;
    if (end > this.#bytes.byteLength) {
      throw this.fail(`${field} (${size} bytes at offset ${this.#offset}) runs past the end of the ${this.#bytes.byteLength}-byte frame`);
    }
    let value: string;
    try {
      value = utf8Decode(this.#bytes.subarray(this.#offset, end));
    } catch (cause) {
      throw this.fail(`${field} is not valid UTF-8`, cause);
    }
    this.#offset = end;
    return value;
  }

  /**
   * The rest of the frame: copied once into an `ArrayBuffer` of exactly the payload's size, or (`view`)
   * a plain `Uint8Array` whose byteOffset/byteLength cover exactly the payload, over the same memory.
   */
  rest(view: boolean): ArrayBuffer | Uint8Array {
    const bytes = this.#bytes;
    const start = bytes.byteOffset + this.#offset;
    const end = bytes.byteOffset + bytes.byteLength;
    // Not `subarray`: on a Node Buffer it returns a Buffer; the view is a plain Uint8Array either way.
    if (view) return new Uint8Array(bytes.buffer, start, end - start);
    return bytes.buffer.slice(start, end) as ArrayBuffer;
  }

  fail(reason: string, cause?: unknown): DecodeError {
    return new DecodeError(`malformed binary ${this.#kindName} frame: ${reason}`, this.#frame ?? copyOf(this.#bytes), { cause });
  }
}

const copyOf = (bytes: Uint8Array): ArrayBuffer => bytes.slice().buffer;

const nullIfEmpty = (value: string): string | null => (value === '' ? null : value);

/**
 * Decodes a server → client binary frame. `frame`, when the caller has the bytes as an `ArrayBuffer`
 * already, is what a `DecodeError` carries; otherwise the error gets a copy (made only on failure). Empty
 * join_ref / ref strings decode as `null` (the server writes `nil` as an empty string).
 *
 * The payload (a reply's `response`) depends on `payloadType`:
 * - `'arraybuffer'` (default): an `ArrayBuffer` copy of exactly the payload bytes; an `ArrayBuffer`
 *   cannot be a window into a larger one, and the header always precedes the payload.
 * - `'view'`: a `Uint8Array` over `bytes`' memory, bounded to the payload (`byteOffset` just past the
 *   header, `byteLength` to the end of `bytes`), no copy. Its `.buffer` is `bytes.buffer`: the frame
 *   itself when `bytes` covers a whole `ArrayBuffer`, but possibly a larger allocation when `bytes` is a
 *   window (a pooled Node `Buffer`), so bytes outside the view must only ever be reached through `.buffer`.
 *
 * @example
 * const msg = decodeBinaryFrame(new Uint8Array(frame), frame, 'view');
 * (msg.payload as Uint8Array).buffer === frame; // true: no copy
 */
export function decodeBinaryFrame(bytes: Uint8Array, frame?: ArrayBuffer, payloadType: BinaryPayloadType = 'arraybuffer'): Message {
  const view = payloadType === 'view';
  if (bytes.byteLength === 0) throw new DecodeError('malformed binary frame: it is empty', frame ?? copyOf(bytes));
  const kind = bytes[0];
  switch (kind) {
    case BINARY_KINDS.push: {
      const r = new FrameReader(bytes, frame, 'push');
      const [joinRefLen, topicLen, eventLen] = r.lengths(3);
      const joinRef = nullIfEmpty(r.text('join_ref', joinRefLen));
      const topic = r.text('topic', topicLen);
      const event = r.text('event', eventLen);
      return { joinRef, ref: null, topic, event, payload: r.rest(view) };
    }
    case BINARY_KINDS.reply: {
      const r = new FrameReader(bytes, frame, 'reply');
      const [joinRefLen, refLen, topicLen, statusLen] = r.lengths(4);
      const joinRef = nullIfEmpty(r.text('join_ref', joinRefLen));
      const ref = nullIfEmpty(r.text('ref', refLen));
      const topic = r.text('topic', topicLen);
      const status = r.text('status', statusLen);
      const payload: ReplyPayload<ArrayBuffer | Uint8Array> = { status, response: r.rest(view) };
      return { joinRef, ref, topic, event: CHANNEL_EVENTS.reply, payload };
    }
    case BINARY_KINDS.broadcast: {
      const r = new FrameReader(bytes, frame, 'broadcast');
      const [topicLen, eventLen] = r.lengths(2);
      const topic = r.text('topic', topicLen);
      const event = r.text('event', eventLen);
      return { joinRef: null, ref: null, topic, event, payload: r.rest(view) };
    }
    default:
      throw new DecodeError(
        `malformed binary frame: unknown kind byte ${kind} (expected 0 push, 1 reply or 2 broadcast)`,
        frame ?? copyOf(bytes),
      );
  }
}
