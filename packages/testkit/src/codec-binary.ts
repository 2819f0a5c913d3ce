import { BINARY_KIND } from './constants';
import { FieldTooLongError, MalformedFrameError } from './errors';
import type { InboundMessage } from './frame';

/**
 * V2 binary frames, byte-exact. Every header length is a uint8, strings are UTF-8, and the
 * payload is the rest of the frame.
 *
 * | kind | direction | header after the kind byte | strings |
 * |---|---|---|---|
 * | 0 push | client → server | join_ref_len, ref_len, topic_len, event_len | join_ref, ref, topic, event |
 * | 0 push | server → client | join_ref_len, topic_len, event_len | join_ref, topic, event |
 * | 1 reply | server → client | join_ref_len, ref_len, topic_len, status_len | join_ref, ref, topic, status |
 * | 2 broadcast | server → client | topic_len, event_len | topic, event |
 */

const encoder = new TextEncoder();
const decoder = new TextDecoder('utf-8');
const MAX_FIELD_BYTES = 255;

function field(name: string, value: string | null): Uint8Array {
  const bytes = encoder.encode(value ?? '');
  if (bytes.byteLength > MAX_FIELD_BYTES) throw new FieldTooLongError(name, bytes.byteLength);
  return bytes;
}

function assemble(kind: number, fields: Uint8Array[], payload: Uint8Array): Uint8Array {
  const headerLength = 1 + fields.length;
  const stringsLength = fields.reduce((sum, f) => sum + f.byteLength, 0);
  const out = Buffer.allocUnsafe(headerLength + stringsLength + payload.byteLength);
  out[0] = kind;
  let offset = 1;
  for (const f of fields) out[offset++] = f.byteLength;
  for (const f of fields) {
    out.set(f, offset);
    offset += f.byteLength;
  }
  out.set(payload, offset);
  return out;
}

/** Server → client push (kind 0): no ref. */
export function encodeServerPush(joinRef: string | null, topic: string, event: string, payload: Uint8Array): Uint8Array {
  return assemble(BINARY_KIND.push, [field('join_ref', joinRef), field('topic', topic), field('event', event)], payload);
}

/** Server → client reply (kind 1): the payload is the response. */
export function encodeServerReply(
  joinRef: string | null,
  ref: string | null,
  topic: string,
  status: string,
  response: Uint8Array,
): Uint8Array {
  const fields = [field('join_ref', joinRef), field('ref', ref), field('topic', topic), field('status', status)];
  return assemble(BINARY_KIND.reply, fields, response);
}

/** Server → client broadcast (kind 2). */
export function encodeServerBroadcast(topic: string, event: string, payload: Uint8Array): Uint8Array {
  return assemble(BINARY_KIND.broadcast, [field('topic', topic), field('event', event)], payload);
}

/** Client → server push (kind 0). Exported so tests can craft the frames a client would send. */
export function encodeClientPush(
  joinRef: string | null,
  ref: string | null,
  topic: string,
  event: string,
  payload: Uint8Array,
): Uint8Array {
  const fields = [field('join_ref', joinRef), field('ref', ref), field('topic', topic), field('event', event)];
  return assemble(BINARY_KIND.push, fields, payload);
}

/** Reads `count` uint8 lengths then that many strings; returns the strings and the payload offset. */
function readStrings(bytes: Uint8Array, count: number): { strings: string[]; offset: number } {
  if (bytes.byteLength < 1 + count) throw new MalformedFrameError('binary frame is shorter than its header');
  let offset = 1 + count;
  const strings: string[] = [];
  for (let i = 0; i < count; i++) {
    const length = bytes[1 + i] ?? 0;
    if (offset + length > bytes.byteLength) throw new MalformedFrameError('binary frame is truncated');
    strings.push(decoder.decode(bytes.subarray(offset, offset + length)));
    offset += length;
  }
  return { strings, offset };
}

/** Decodes a client → server binary frame. Only kind 0 (push) is valid from a client. */
export function decodeClientFrame(bytes: Uint8Array): InboundMessage {
  const kind = bytes[0];
  if (kind === undefined) throw new MalformedFrameError('binary frame is empty');
  if (kind !== BINARY_KIND.push) throw new MalformedFrameError(`binary frame kind ${kind} is not a client push (0)`);
  const { strings, offset } = readStrings(bytes, 4);
  const [joinRef = '', ref = '', topic = '', event = ''] = strings;
  return {
    joinRef: joinRef === '' ? null : joinRef,
    ref: ref === '' ? null : ref,
    topic,
    event,
    payload: Buffer.from(bytes.subarray(offset)),
    binary: true,
  };
}

/** A server → client binary frame, decoded (for tests and tools). */
export type DecodedServerFrame =
  | { kind: 'push'; joinRef: string; topic: string; event: string; payload: Uint8Array }
  | { kind: 'reply'; joinRef: string; ref: string; topic: string; status: string; payload: Uint8Array }
  | { kind: 'broadcast'; topic: string; event: string; payload: Uint8Array };

/** Decodes a server → client binary frame; throws `MalformedFrameError`. */
export function decodeServerFrame(bytes: Uint8Array): DecodedServerFrame {
  const kind = bytes[0];
  if (kind === BINARY_KIND.push) {
    const { strings, offset } = readStrings(bytes, 3);
    const [joinRef = '', topic = '', event = ''] = strings;
    return { kind: 'push', joinRef, topic, event, payload: bytes.subarray(offset) };
  }
  if (kind === BINARY_KIND.reply) {
    const { strings, offset } = readStrings(bytes, 4);
    const [joinRef = '', ref = '', topic = '', status = ''] = strings;
    return { kind: 'reply', joinRef, ref, topic, status, payload: bytes.subarray(offset) };
  }
  if (kind === BINARY_KIND.broadcast) {
    const { strings, offset } = readStrings(bytes, 2);
    const [topic = '', event = ''] = strings;
    return { kind: 'broadcast', topic, event, payload: bytes.subarray(offset) };
  }
  throw new MalformedFrameError(`unknown binary frame kind ${String(kind)}`);
}
