/**
 * The V1 serializer (`vsn=1.0.0`, and what a server assumes when no vsn is sent): one JSON object per
 * text frame. Kept for servers pinned to V1; it cannot carry binary payloads.
 */
import { VSN } from './constants';
import { DecodeError, EncodeError } from './errors';
import { checkMessage, frameBytes, parseJson, unsupportedFrame } from './frame-input';
import { isBinaryPayload, type Message } from './message';
import type { RawFrame } from './serializer';

const FORMAT = 'V1';

/** The V1 wire object. The server reads `join_ref` when present and never sends it back. */
interface V1Frame {
  topic: string;
  event: string;
  payload: unknown;
  ref: string | null;
  join_ref?: string;
}

function encode(message: Message): RawFrame {
  const { joinRef, ref, topic, event, payload } = message;
  if (isBinaryPayload(payload)) {
    throw new EncodeError(
      `the V1 serializer cannot send the binary payload of "${event}" on "${topic}"; use v2Serializer (vsn 2.0.0)`,
    );
  }
  // The server fetches `ref` and `payload` unconditionally, so both keys are always written; `join_ref`
  // is optional for it and written only when set.
  const wire: V1Frame = { topic, event, payload, ref };
  if (joinRef !== null) wire.join_ref = joinRef;
  try {
    return JSON.stringify(wire);
  } catch (cause) {
    throw new EncodeError(
      `cannot encode the payload of "${event}" on "${topic}" as JSON (cyclic value or BigInt?): ${String(cause)}`,
      { cause },
    );
  }
}

function decode(frame: RawFrame | ArrayBufferView): Message {
  if (typeof frame !== 'string') {
    const bytes = frameBytes(frame);
    if (!bytes) throw unsupportedFrame(frame, FORMAT);
    throw new DecodeError(
      'malformed V1 frame: V1 has no binary frames; connect with vsn 2.0.0 and v2Serializer to receive binary',
      frame instanceof ArrayBuffer ? frame : bytes.slice().buffer,
    );
  }
  const parsed = parseJson(frame, FORMAT);
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) {
    const what = Array.isArray(parsed) ? 'an array (is the server speaking V2?)' : parsed === null ? 'null' : typeof parsed;
    throw new DecodeError(`malformed V1 frame: expected an object {topic, event, payload, ref}, got ${what}`, frame);
  }
  const obj = parsed as Record<string, unknown>;
  if (!('payload' in obj)) throw new DecodeError('malformed V1 frame: the payload key is missing', frame);
  return checkMessage(
    { joinRef: obj.join_ref ?? null, ref: obj.ref ?? null, topic: obj.topic, event: obj.event, payload: obj.payload },
    FORMAT,
    frame,
  );
}

/**
 * Serializer for `vsn=1.0.0`: frames are JSON objects `{topic, event, payload, ref}`, plus `join_ref`
 * on outbound frames that have one (Phoenix reads it; without it a V1 server cannot tell one join of a
 * topic from the next). Inbound frames carry no `join_ref`, so `joinRef` decodes as `null` unless a
 * server sends one. Binary payloads throw `EncodeError`; binary frames throw `DecodeError`.
 *
 * @example
 * const socket = new Socket('/socket', { serializer: v1Serializer }); // connects with vsn=1.0.0
 */
export const v1Serializer = /* @__PURE__ */ Object.freeze({ name: 'v1', vsn: '1.0.0' satisfies typeof VSN.v1, encode, decode });
