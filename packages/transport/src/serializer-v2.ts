/**
 * The V2 serializer (`vsn=2.0.0`), Phoenix's default since 1.4: JSON array text frames
 * `[join_ref, ref, topic, event, payload]`, and binary frames for binary payloads.
 */
import { decodeBinaryFrame, encodeBinaryPush } from './binary-frame';
import { CHANNEL_EVENTS, VSN } from './constants';
import { DecodeError, EncodeError } from './errors';
import { checkMessage, frameBytes, parseJson, unsupportedFrame } from './frame-input';
import { isBinaryPayload, type Message } from './message';
import type { RawFrame } from './serializer';

const FORMAT = 'V2';

function encode(message: Message): RawFrame {
  const { joinRef, ref, topic, event, payload } = message;
  // phoenix.js sends only a bare ArrayBuffer as binary and silently JSON-encodes typed arrays as `{"0":..}`;
  // every binary shape goes out as binary here.
  if (isBinaryPayload(payload)) return encodeBinaryPush({ joinRef, ref, topic, event, payload });
  try {
    return JSON.stringify([joinRef, ref, topic, event, payload]);
  } catch (cause) {
    throw new EncodeError(
      `cannot encode the payload of "${event}" on "${topic}" as JSON (cyclic value or BigInt?): ${String(cause)}`,
      { cause },
    );
  }
}

function decode(frame: RawFrame | ArrayBufferView): Message {
  if (typeof frame === 'string') {
    const parsed = parseJson(frame, FORMAT);
    if (!Array.isArray(parsed) || parsed.length !== 5) {
      throw shapeError(parsed, frame);
    }
    // Fast path: the shape every well-formed frame has, read straight into the one object we return.
    const joinRef: unknown = parsed[0];
    const ref: unknown = parsed[1];
    const topic: unknown = parsed[2];
    const event: unknown = parsed[3];
    const payload: unknown = parsed[4];
    if (
      (joinRef === null || typeof joinRef === 'string') &&
      (ref === null || typeof ref === 'string') &&
      typeof topic === 'string' &&
      typeof event === 'string' &&
      (event !== CHANNEL_EVENTS.reply || hasStringStatus(payload))
    ) {
      return { joinRef, ref, topic, event, payload };
    }
    // Not well-formed: let the shared checks say what is wrong.
    return checkMessage({ joinRef, ref, topic, event, payload }, FORMAT, frame);
  }
  const bytes = frameBytes(frame);
  if (!bytes) throw unsupportedFrame(frame, FORMAT);
  return decodeBinaryFrame(bytes, frame instanceof ArrayBuffer ? frame : undefined);
}

/** What `checkMessage` requires of a `phx_reply` payload. */
function hasStringStatus(payload: unknown): boolean {
  return typeof payload === 'object' && payload !== null && typeof (payload as { status?: unknown }).status === 'string';
}

function shapeError(parsed: unknown, frame: string): DecodeError {
  const what = Array.isArray(parsed) ? `an array of ${parsed.length} elements` : parsed === null ? 'null' : typeof parsed;
  return new DecodeError(`malformed ${FORMAT} frame: expected [join_ref, ref, topic, event, payload], got ${what}`, frame);
}

/**
 * Serializer for `vsn=2.0.0`. `encode` returns JSON text, or an `ArrayBuffer` (binary kind 0 push) when
 * the payload is an `ArrayBuffer` or any `ArrayBufferView`. `decode` reads JSON text and binary frames
 * (push, reply, broadcast); binary payloads decode as an `ArrayBuffer` holding a copy of exactly the
 * payload bytes, and a binary reply becomes `phx_reply` with `{ status, response: ArrayBuffer }`.
 * `decode` also accepts a `Uint8Array`/`Buffer`. Malformed input throws `DecodeError`; header strings
 * over 255 UTF-8 bytes in a binary push throw `EncodeError`.
 *
 * @example
 * v2Serializer.encode({ joinRef: '1', ref: '2', topic: 'room:1', event: 'msg', payload: { body: 'hi' } });
 * // '["1","2","room:1","msg",{"body":"hi"}]'
 */
export const v2Serializer = /* @__PURE__ */ Object.freeze({ name: 'v2', vsn: '2.0.0' satisfies typeof VSN.v2, encode, decode });
