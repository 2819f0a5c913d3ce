/**
 * Helpers every decoder shares: turning an inbound frame into bytes or text, and checking the fields of
 * a decoded JSON message. Each failure is a `DecodeError`; nothing here throws anything else.
 */
import { CHANNEL_EVENTS } from './constants';
import { DecodeError } from './errors';
import type { Message } from './message';

/**
 * Views a binary frame as bytes without copying, or returns `null` when `frame` is not binary.
 * `Uint8Array` and Node `Buffer` are accepted besides `ArrayBuffer`, for transports that do not set
 * `binaryType = 'arraybuffer'`.
 */
export function frameBytes(frame: unknown): Uint8Array | null {
  if (frame instanceof ArrayBuffer) return new Uint8Array(frame);
  if (ArrayBuffer.isView(frame)) return new Uint8Array(frame.buffer, frame.byteOffset, frame.byteLength);
  return null;
}

/** The frame as `DecodeError.frame` wants it: text or an `ArrayBuffer` (views are copied). */
export function frameForError(frame: unknown, bytes: Uint8Array | null): string | ArrayBuffer {
  if (typeof frame === 'string' || frame instanceof ArrayBuffer) return frame;
  if (bytes) return bytes.slice().buffer;
  return String(frame);
}

/** Parses JSON text, turning a `SyntaxError` into a `DecodeError`. */
export function parseJson(text: string, format: string): unknown {
  try {
    return JSON.parse(text) as unknown;
  } catch (cause) {
    throw new DecodeError(`malformed ${format} frame: not valid JSON`, text, { cause });
  }
}

/** A `DecodeError` for a frame of a type no serializer reads (a `Blob`, a number...). */
export function unsupportedFrame(frame: unknown, format: string): DecodeError {
  const type = frame === null ? 'null' : typeof frame === 'object' ? frame.constructor?.name ?? 'object' : typeof frame;
  return new DecodeError(
    `malformed ${format} frame: got ${type}; expected a string or an ArrayBuffer (set binaryType = 'arraybuffer')`,
    String(frame),
  );
}

/**
 * Checks the field types of a decoded message: refs are strings or null, topic and event are strings,
 * and a `phx_reply` payload is an object with a string `status`, so later code can read it blindly.
 */
export function checkMessage(
  candidate: { joinRef: unknown; ref: unknown; topic: unknown; event: unknown; payload: unknown },
  format: string,
  frame: string | ArrayBuffer,
): Message {
  const { joinRef, ref, topic, event, payload } = candidate;
  if (joinRef !== null && typeof joinRef !== 'string') throw malformed(format, frame, `join_ref must be a string or null, got ${typeof joinRef}`);
  if (ref !== null && typeof ref !== 'string') throw malformed(format, frame, `ref must be a string or null, got ${typeof ref}`);
  if (typeof topic !== 'string') throw malformed(format, frame, `topic must be a string, got ${typeof topic}`);
  if (typeof event !== 'string') throw malformed(format, frame, `event must be a string, got ${typeof event}`);
  if (event === CHANNEL_EVENTS.reply) {
    const status = typeof payload === 'object' && payload !== null ? (payload as { status?: unknown }).status : undefined;
    if (typeof status !== 'string') throw malformed(format, frame, 'a phx_reply payload must be an object with a string status');
  }
  return { joinRef, ref, topic, event, payload };
}

function malformed(format: string, frame: string | ArrayBuffer, what: string): DecodeError {
  return new DecodeError(`malformed ${format} frame: ${what}`, frame);
}
