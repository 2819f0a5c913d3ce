/**
 * The V2 serializer (`vsn=2.0.0`), Phoenix's default since 1.4: JSON array text frames
 * `[join_ref, ref, topic, event, payload]`, and binary frames for binary payloads.
 */
import { decodeBinaryFrame, encodeBinaryPush, type BinaryPayloadType } from './binary-frame';
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

/** A V2 text frame: `[join_ref, ref, topic, event, payload]` as JSON. */
function decodeText(frame: string): Message {
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

function decodeBinary(frame: unknown, payloadType: BinaryPayloadType): Message {
  const bytes = frameBytes(frame);
  if (!bytes) throw unsupportedFrame(frame, FORMAT);
  return decodeBinaryFrame(bytes, frame instanceof ArrayBuffer ? frame : undefined, payloadType);
}

function decode(frame: RawFrame | ArrayBufferView): Message {
  return typeof frame === 'string' ? decodeText(frame) : decodeBinary(frame, 'arraybuffer');
}

function decodeView(frame: RawFrame | ArrayBufferView): Message {
  return typeof frame === 'string' ? decodeText(frame) : decodeBinary(frame, 'view');
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
 * payload bytes, and a binary reply becomes `phx_reply` with `{ status, response: ArrayBuffer }`
 * (`v2ViewSerializer` hands them over as `Uint8Array` views instead, no copy).
 * `decode` also accepts a `Uint8Array`/`Buffer`. Malformed input throws `DecodeError`; header strings
 * over 255 UTF-8 bytes in a binary push throw `EncodeError`.
 *
 * @example
 * v2Serializer.encode({ joinRef: '1', ref: '2', topic: 'room:1', event: 'msg', payload: { body: 'hi' } });
 * // '["1","2","room:1","msg",{"body":"hi"}]'
 */
export const v2Serializer = /* @__PURE__ */ Object.freeze({ name: 'v2', vsn: '2.0.0' satisfies typeof VSN.v2, encode, decode });

/**
 * `v2Serializer` with zero-copy binary payloads: a binary push (kind 0), broadcast (kind 2) or reply
 * `response` (kind 1) decodes as a `Uint8Array` view over the received frame instead of an `ArrayBuffer`
 * copy, so channel handlers get a `Uint8Array`. Everything else (text frames, encoding, errors, `vsn`)
 * is `v2Serializer`'s; only the `name` differs (`'v2-view'`, for telemetry).
 *
 * Why no copy is safe: every WebSocket message is its own buffer. Browsers hand each binary message to
 * `onmessage` as a new `ArrayBuffer`. In Node, `ws` with `binaryType = 'arraybuffer'` (what this
 * package's Node transport sets) hands an `ArrayBuffer` of exactly the message: the backing store of
 * the received `Buffer` when the message fills it, otherwise a copy of its bytes, never a window into a
 * pool. (With `'nodebuffer'`, `ws` hands a `Buffer` that may be a slice of a larger socket read or
 * pooled allocation; the Node transport copies such a `Buffer` into an exact `ArrayBuffer` before
 * decoding.) Nothing else holds or reuses that buffer, so the view's bytes stay as received.
 *
 * The rule: the view's `byteOffset`/`byteLength` cover exactly the payload; read it through the view
 * (or `view.byteOffset`/`view.byteLength`), never as `new Uint8Array(view.buffer)`. `view.buffer` is the
 * whole frame, header included, and when `decode` is given a `Uint8Array`/`Buffer` that is a window into
 * a larger buffer, `view.buffer` is that larger buffer. A view keeps its whole frame alive: copy it
 * (`view.slice()`) to keep a small payload from a large frame, and to get an `ArrayBuffer` of just the
 * payload, `view.slice().buffer`.
 *
 * @example
 * import { Socket, v2ViewSerializer } from '@phx-socket/client';
 * const socket = new Socket('/socket', { serializer: v2ViewSerializer });
 * socket.channel('game:1').on('state', (bytes: Uint8Array) => render(new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength)));
 */
export const v2ViewSerializer = /* @__PURE__ */ Object.freeze({
  name: 'v2-view',
  vsn: '2.0.0' satisfies typeof VSN.v2,
  encode,
  decode: decodeView,
});
