import { MalformedFrameError } from './errors';

/**
 * The decoded shapes that flow between the connection core and a codec. A codec turns bytes into
 * an {@link InboundMessage} and these outbound shapes into bytes; nothing else knows the framing.
 */

/** A binary payload as the testkit accepts it. Inbound binary payloads arrive as `Uint8Array` (a Node `Buffer`). */
export type BinaryPayload = ArrayBuffer | ArrayBufferView;

/** A frame decoded from a client. */
export interface InboundMessage {
  /** Ref of the channel's current join (`null` for heartbeats, V1 clients and broadcasts). */
  readonly joinRef: string | null;
  /** Ref chosen by the client for this push; replies echo it. */
  readonly ref: string | null;
  readonly topic: string;
  readonly event: string;
  /** Decoded JSON, or a `Uint8Array` for a V2 binary push. */
  readonly payload: unknown;
  /** True when the frame was a V2 binary push. */
  readonly binary: boolean;
}

/** A message from a channel to its client: a push (`ref` null), `phx_close` or `phx_error` (`ref` = join ref). */
export interface OutboundMessage {
  readonly joinRef: string | null;
  readonly ref: string | null;
  readonly topic: string;
  readonly event: string;
  readonly payload: unknown;
}

/** A `phx_reply`. */
export interface OutboundReply {
  readonly joinRef: string | null;
  readonly ref: string | null;
  readonly topic: string;
  readonly status: string;
  readonly response: unknown;
}

/** A broadcast: no join ref, no ref. */
export interface OutboundBroadcast {
  readonly topic: string;
  readonly event: string;
  readonly payload: unknown;
}

/** What a transport writes: a string is a text frame, bytes are a binary frame. */
export type WireData = string | Uint8Array;

/** True for `ArrayBuffer` and every `ArrayBufferView` (typed arrays, `DataView`, `Buffer`). */
export function isBinaryPayload(value: unknown): value is BinaryPayload {
  return value instanceof ArrayBuffer || ArrayBuffer.isView(value);
}

/** A view over the bytes of a binary payload (no copy). */
export function toBytes(value: BinaryPayload): Uint8Array {
  if (value instanceof ArrayBuffer) return new Uint8Array(value);
  return new Uint8Array(value.buffer, value.byteOffset, value.byteLength);
}

/** Byte length of a wire frame (UTF-8 for text). */
export function wireByteLength(data: WireData): number {
  return typeof data === 'string' ? Buffer.byteLength(data, 'utf8') : data.byteLength;
}

const utf8 = new TextDecoder('utf-8');

/** Parses a JSON text frame (bytes are read as UTF-8); throws `MalformedFrameError`. */
export function parseJson(data: WireData): unknown {
  const text = typeof data === 'string' ? data : utf8.decode(data);
  try {
    return JSON.parse(text) as unknown;
  } catch (cause) {
    throw new MalformedFrameError('frame is not valid JSON', { cause });
  }
}

/** Reads a ref field: a string, `null`/absent, or a number (kept as its decimal string). */
export function readRef(value: unknown, field: string): string | null {
  if (value === null || value === undefined) return null;
  if (typeof value === 'string') return value;
  if (typeof value === 'number' && Number.isFinite(value)) return String(value);
  throw new MalformedFrameError(`${field} must be a string or null`);
}

/**
 * Reads a decoded `[join_ref, ref, topic, event, payload]` array (V2 JSON and msgpack alike); extra
 * elements are ignored, as Phoenix does. `kind` names the format in error messages. Only msgpack can carry
 * bytes inside the array; a JSON-parsed payload is never a `Uint8Array`.
 */
export function readArrayFrame(value: unknown, kind: string): InboundMessage {
  if (!Array.isArray(value) || value.length < 5) {
    throw new MalformedFrameError(`${kind} frames are arrays [join_ref, ref, topic, event, payload]`);
  }
  const [joinRef, ref, topic, event, payload] = value as unknown[];
  if (typeof topic !== 'string') throw new MalformedFrameError(`${kind} frame: topic must be a string`);
  if (typeof event !== 'string') throw new MalformedFrameError(`${kind} frame: event must be a string`);
  return {
    joinRef: readRef(joinRef, 'join_ref'),
    ref: readRef(ref, 'ref'),
    topic,
    event,
    payload,
    binary: payload instanceof Uint8Array,
  };
}
