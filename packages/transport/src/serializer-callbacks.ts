/**
 * Adapts phoenix.js's callback-style `encode`/`decode` socket options to a `Serializer`, so apps
 * migrating from phoenix.js keep their custom serializers unchanged.
 */
import { VSN } from './constants';
import { DecodeError, EncodeError } from './errors';
import { checkMessage, frameBytes, frameForError, unsupportedFrame } from './frame-input';
import type { Message } from './message';
import type { RawFrame, Serializer } from './serializer';

/** A message the way phoenix.js hands it to `encode` and expects it back from `decode`. */
export interface CallbackMessage<P = unknown> {
  join_ref: string | null;
  ref: string | null;
  topic: string;
  event: string;
  payload: P;
}

/** phoenix.js's `encode` option: calls `callback` synchronously with the frame to send. */
export type CallbackEncode = (message: CallbackMessage, callback: (frame: RawFrame | ArrayBufferView) => void) => void;

/** phoenix.js's `decode` option: calls `callback` synchronously with the decoded message. */
export type CallbackDecode = (frame: RawFrame, callback: (message: CallbackMessage) => void) => void;

/** Options of `serializerFromCallbacks`. */
export interface CallbackSerializerOptions {
  /** Name in telemetry. @default 'custom' */
  name?: string;
  /** The `vsn` the callbacks speak; phoenix.js sends 2.0.0 unless told otherwise. @default '2.0.0' */
  vsn?: string;
}

const NOT_CALLED = /* @__PURE__ */ Symbol('not called');

function toFrame(result: unknown): RawFrame | null {
  if (typeof result === 'string' || result instanceof ArrayBuffer) return result;
  if (ArrayBuffer.isView(result)) return frameBytes(result)?.slice().buffer ?? null;
  return null;
}

/**
 * Wraps phoenix.js-style `encode(msg, cb)` / `decode(raw, cb)` functions as a `Serializer`.
 * The callbacks must answer synchronously (phoenix.js's own do). Anything the callbacks throw, a callback
 * never called, or a result of the wrong shape becomes `EncodeError`/`DecodeError` with the original as
 * `cause`.
 *
 * @example
 * const serializer = serializerFromCallbacks(
 *   (msg, cb) => cb(JSON.stringify([msg.join_ref, msg.ref, msg.topic, msg.event, msg.payload])),
 *   (raw, cb) => { const [join_ref, ref, topic, event, payload] = JSON.parse(raw as string); cb({ join_ref, ref, topic, event, payload }); },
 * );
 */
export function serializerFromCallbacks(
  encode: CallbackEncode,
  decode: CallbackDecode,
  options: CallbackSerializerOptions = {},
): Serializer {
  if (typeof encode !== 'function') throw new TypeError('serializerFromCallbacks: encode must be a function (msg, callback) => void');
  if (typeof decode !== 'function') throw new TypeError('serializerFromCallbacks: decode must be a function (raw, callback) => void');
  const name = options.name ?? 'custom';
  const vsn = options.vsn ?? VSN.v2;

  return Object.freeze({
    name,
    vsn,
    encode(message: Message): RawFrame {
      let result: unknown = NOT_CALLED;
      const { joinRef, ref, topic, event, payload } = message;
      try {
        encode({ join_ref: joinRef, ref, topic, event, payload }, (frame) => {
          result = frame;
        });
      } catch (cause) {
        throw new EncodeError(`the custom encode callback threw while encoding "${event}" on "${topic}"`, { cause });
      }
      if (result === NOT_CALLED) {
        throw new EncodeError('the custom encode function did not call its callback synchronously; call it before returning');
      }
      const frame = toFrame(result);
      if (frame === null) throw new EncodeError(`the custom encode callback gave ${typeof result}; give a string or an ArrayBuffer`);
      return frame;
    },
    decode(frame: RawFrame): Message {
      if (typeof frame !== 'string' && !frameBytes(frame)) throw unsupportedFrame(frame, name);
      const forError = frameForError(frame, frameBytes(frame));
      let result: unknown = NOT_CALLED;
      try {
        decode(frame, (message) => {
          result = message;
        });
      } catch (cause) {
        throw new DecodeError(`malformed ${name} frame: the custom decode callback threw`, forError, { cause });
      }
      if (result === NOT_CALLED) {
        throw new DecodeError('the custom decode function did not call its callback synchronously; call it before returning', forError);
      }
      if (typeof result !== 'object' || result === null) {
        throw new DecodeError(`malformed ${name} frame: the custom decode callback gave ${result === null ? 'null' : typeof result}, not a message object`, forError);
      }
      const m = result as Partial<Record<keyof CallbackMessage, unknown>>;
      return checkMessage(
        { joinRef: m.join_ref ?? null, ref: m.ref ?? null, topic: m.topic, event: m.event, payload: m.payload },
        name,
        forError,
      );
    },
  });
}
