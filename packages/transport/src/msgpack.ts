/**
 * The MessagePack serializer (`@phx-socket/transport/msgpack`): the V2 message
 * `[join_ref, ref, topic, event, payload]` as one binary frame, via msgpackr. A separate entry point, so
 * msgpackr (an optional peer dependency) never reaches a bundle that does not import it.
 *
 * Phoenix has no msgpack serializer, so the server side is a convention: the socket sends `vsn=2.0.0-msgpack`
 * and a server (the testkit, or a Phoenix app with its own serializer registered for that vsn) answers in
 * msgpack. A stock Phoenix server refuses that vsn instead of misreading the frames.
 */
import { Packr, Unpackr } from 'msgpackr';
import { DecodeError, EncodeError } from './errors';
import { checkMessage, frameBytes, frameForError, unsupportedFrame } from './frame-input';
import { isBinaryPayload, type Message } from './message';
import type { RawFrame, Serializer } from './serializer';

/** The vsn the msgpack serializer asks for: valid semver that Phoenix's `~> 2.0.0` does not match. */
export const MSGPACK_VSN = '2.0.0-msgpack' as const;

const FORMAT = 'msgpack';

/**
 * How the msgpack serializer encodes.
 *
 * @example
 * const serializer = createMsgpackSerializer({ useFloat32: true });
 */
export interface MsgpackSerializerOptions {
  /**
   * Encode objects as msgpackr records (a shape written once per frame, then only values): smaller frames
   * when a payload repeats one object shape many times (a list of entities), larger for single small
   * objects. Records are a msgpackr extension: only a msgpackr decoder on the server reads them (the testkit
   * does; Elixir's Msgpax does not). @default false (plain MessagePack maps, readable by every implementation)
   */
  useRecords?: boolean;
  /**
   * Encode non-integer numbers as float32 (4 bytes instead of 8, ~7 significant digits). For game state
   * where that precision is enough; never for prices. @default false
   */
  useFloat32?: boolean;
}

/** Defaults of every msgpack option. */
export const DEFAULT_MSGPACK_OPTIONS = /* @__PURE__ */ Object.freeze({ useRecords: false, useFloat32: false });

/** A msgpack `Serializer`; `name` is `'msgpack'`, `vsn` is `MSGPACK_VSN`. */
export interface MsgpackSerializer extends Serializer {
  readonly name: 'msgpack';
  readonly vsn: typeof MSGPACK_VSN;
  encode(message: Message): ArrayBuffer;
  decode(frame: RawFrame | ArrayBufferView): Message;
}

/**
 * msgpackr's `DECIMAL_FIT` float32 mode: a number goes out as float32 only when it reads back as the same
 * decimal (1.1 stays 1.1); the decoder must use the same mode to do that rounding.
 */
const FLOAT32_DECIMAL_FIT = 4;

/**
 * Creates a msgpack serializer. Objects are MessagePack maps (records with `useRecords`); a top-level binary
 * payload (`ArrayBuffer` or any `ArrayBufferView`) is a MessagePack `bin` and decodes as an `ArrayBuffer`,
 * like a V2 binary frame; a binary reply `response` too. Nested binaries travel as `bin` and decode as
 * `Uint8Array`. Map keys decode as strings into plain objects (`__proto__` included, as an own property,
 * exactly as `JSON.parse` does). `undefined` encodes as nil. 64-bit integers decode as numbers when they fit
 * in 2^53, else as `bigint`.
 *
 * @example
 * import { createMsgpackSerializer } from '@phx-socket/transport/msgpack';
 * const socket = new Socket(url, { serializer: createMsgpackSerializer({ useRecords: true }) });
 */
export function createMsgpackSerializer(options: MsgpackSerializerOptions = {}): MsgpackSerializer {
  const useRecords = options.useRecords ?? DEFAULT_MSGPACK_OPTIONS.useRecords;
  const useFloat32 = options.useFloat32 ?? DEFAULT_MSGPACK_OPTIONS.useFloat32;
  if (typeof useRecords !== 'boolean') throw new TypeError(`useRecords must be a boolean, got ${typeof useRecords}`);
  if (typeof useFloat32 !== 'boolean') throw new TypeError(`useFloat32 must be a boolean, got ${typeof useFloat32}`);

  const packr = new Packr({
    useRecords,
    // Smallest map headers (fixmap for < 16 keys) instead of msgpackr's fixed map16.
    variableMapSize: true,
    encodeUndefinedAsNil: true,
    ...(useFloat32 ? { useFloat32: FLOAT32_DECIMAL_FIT } : {}),
  });
  const common = {
    useRecords,
    // A number when exact, else a bigint; implemented by msgpackr but missing from its typings.
    int64AsType: 'auto' as 'bigint',
    ...(useFloat32 ? { useFloat32: FLOAT32_DECIMAL_FIT } : {}),
  };
  // msgpackr's object mode renames a `__proto__` key to `__proto_` (a presence key from the network must
  // come through unchanged), so frames holding that text decode through `Map`s and `toPlain`. That path
  // costs ~50% more; a byte scan keeps every other frame on the fast one.
  const objects = new Unpackr({ ...common, mapsAsObjects: true });
  const maps = new Unpackr({ ...common, mapsAsObjects: false });

  function encode(message: Message): ArrayBuffer {
    const { joinRef, ref, topic, event } = message;
    const payload = isBinaryPayload(message.payload) ? bytesOf(message.payload) : message.payload;
    let packed: Uint8Array;
    try {
      packed = packr.pack([joinRef, ref, topic, event, payload]);
    } catch (cause) {
      throw new EncodeError(`cannot encode the payload of "${event}" on "${topic}" as MessagePack: ${String(cause)}`, { cause });
    }
    // msgpackr reuses its output buffer on the next pack: the frame must be a copy of exactly these bytes.
    // (`new Uint8Array(view)` copies; `Buffer#slice` would not.)
    return new Uint8Array(packed).buffer;
  }

  function decode(frame: RawFrame | ArrayBufferView): Message {
    const bytes = frameBytes(frame);
    if (bytes === null) {
      if (typeof frame === 'string') throw new DecodeError(`malformed ${FORMAT} frame: got text; the server must send binary frames (is it speaking vsn ${MSGPACK_VSN}?)`, frame);
      throw unsupportedFrame(frame, FORMAT);
    }
    const forError = (): string | ArrayBuffer => frameForError(frame, bytes);
    let value: unknown;
    try {
      value = containsProtoKey(bytes) ? toPlain(maps.unpack(bytes)) : objects.unpack(bytes);
    } catch (cause) {
      throw new DecodeError(`malformed ${FORMAT} frame: ${cause instanceof Error ? cause.message : String(cause)}`, forError(), { cause });
    }
    if (!Array.isArray(value) || value.length !== 5) {
      const what = Array.isArray(value) ? `an array of ${value.length} elements` : value === null ? 'nil' : typeof value;
      throw new DecodeError(`malformed ${FORMAT} frame: expected [join_ref, ref, topic, event, payload], got ${what}`, forError());
    }
    const [joinRef, ref, topic, event, raw] = value as unknown[];
    const message = checkMessage({ joinRef, ref, topic, event, payload: topPayload(raw) }, FORMAT, forError());
    if (message.event === 'phx_reply') {
      const reply = message.payload as { status: string; response?: unknown };
      if (reply.response instanceof Uint8Array) message.payload = { status: reply.status, response: toArrayBuffer(reply.response) };
    }
    return message;
  }

  return Object.freeze({ name: 'msgpack' as const, vsn: MSGPACK_VSN, encode, decode });
}

/**
 * The default msgpack serializer: plain MessagePack (no records, float64), readable by any implementation.
 *
 * @example
 * import { msgpackSerializer } from '@phx-socket/transport/msgpack';
 * const socket = new Socket('wss://example.com/socket', { serializer: msgpackSerializer });
 */
export const msgpackSerializer: MsgpackSerializer = /* @__PURE__ */ createMsgpackSerializer();

function bytesOf(payload: ArrayBuffer | ArrayBufferView): Uint8Array {
  // Typed arrays other than Uint8Array would otherwise go through msgpackr's typed-array handling.
  return payload instanceof ArrayBuffer ? new Uint8Array(payload) : new Uint8Array(payload.buffer, payload.byteOffset, payload.byteLength);
}

/** A copy of exactly `bytes` (in Node they are a `Buffer`, whose `slice` is a view, not a copy). */
function toArrayBuffer(bytes: Uint8Array): ArrayBuffer {
  return new Uint8Array(bytes).buffer;
}

/** The payload as messages carry it: a top-level `bin` as an `ArrayBuffer`. */
function topPayload(raw: unknown): unknown {
  return raw instanceof Uint8Array ? toArrayBuffer(raw) : raw;
}

/** UTF-8 bytes of `__proto__`. */
const PROTO_KEY = [0x5f, 0x5f, 0x70, 0x72, 0x6f, 0x74, 0x6f, 0x5f, 0x5f];

/** True when the frame holds the bytes of `__proto__` anywhere (a key, or just a string: then merely slower). */
function containsProtoKey(bytes: Uint8Array): boolean {
  const last = bytes.length - PROTO_KEY.length;
  next: for (let i = bytes.indexOf(0x5f); i !== -1 && i <= last; i = bytes.indexOf(0x5f, i + 1)) {
    for (let j = 1; j < PROTO_KEY.length; j++) if (bytes[i + j] !== PROTO_KEY[j]) continue next;
    return true;
  }
  return false;
}

/** Turns decoded `Map`s into plain objects (string keys, as JSON would give them), recursively. */
function toPlain(value: unknown): unknown {
  if (typeof value !== 'object' || value === null) return value;
  if (value instanceof Map) {
    const out: Record<string, unknown> = {};
    for (const [key, item] of value) {
      const name = typeof key === 'string' ? key : String(key);
      if (name === '__proto__') Object.defineProperty(out, name, { value: toPlain(item), enumerable: true, writable: true, configurable: true });
      else out[name] = toPlain(item);
    }
    return out;
  }
  if (Array.isArray(value)) {
    for (let i = 0; i < value.length; i++) value[i] = toPlain(value[i]);
    return value;
  }
  return value;
}
