/**
 * The lite socket's default serializer: V2 JSON text frames only. Binary frames need the full
 * `v2Serializer`, which the app opts into; leaving its binary codec out is most of what keeps the lite
 * bundle small.
 */
import { DecodeError, EncodeError, isBinaryPayload, type Message, type RawFrame, type Serializer } from '@phx-socket/transport';

function encode({ joinRef, ref, topic, event, payload }: Message): RawFrame {
  // JSON.stringify would silently turn the bytes into `{}` (an ArrayBuffer) or `{"0":..}` (a typed array).
  if (isBinaryPayload(payload)) {
    throw new EncodeError(`binary payload of "${event}" on "${topic}": pass serializer: v2Serializer`);
  }
  try {
    return JSON.stringify([joinRef, ref, topic, event, payload]);
  } catch (cause) {
    throw new EncodeError(`cannot encode "${event}" on "${topic}" as JSON: ${String(cause)}`, { cause });
  }
}

function decode(frame: RawFrame): Message {
  if (typeof frame !== 'string') {
    throw new DecodeError('binary frame received: pass serializer: v2Serializer', frame);
  }
  let parsed: unknown;
  try {
    parsed = JSON.parse(frame);
  } catch (cause) {
    throw new DecodeError('a frame is not JSON', frame, { cause });
  }
  if (Array.isArray(parsed) && parsed.length === 5) {
    const [joinRef, ref, topic, event, payload] = parsed as unknown[];
    if (isRef(joinRef) && isRef(ref) && typeof topic === 'string' && typeof event === 'string') {
      return { joinRef, ref, topic, event, payload };
    }
  }
  throw new DecodeError('a frame is not [join_ref, ref, topic, event, payload]', frame);
}

function isRef(value: unknown): value is string | null {
  return value === null || typeof value === 'string';
}

/**
 * V2 (`vsn=2.0.0`) JSON text frames `[join_ref, ref, topic, event, payload]`. Malformed input throws
 * `DecodeError`, an unencodable payload (cyclic, BigInt, binary) `EncodeError`.
 *
 * @example
 * jsonSerializer.encode({ joinRef: '1', ref: '2', topic: 'room:1', event: 'msg', payload: {} });
 * // '["1","2","room:1","msg",{}]'
 */
export const jsonSerializer: Serializer = /* @__PURE__ */ Object.freeze({ name: 'json', vsn: '2.0.0', encode, decode });
