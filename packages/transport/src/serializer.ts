import type { Message } from './message';

/** A raw frame as a transport carries it. */
export type RawFrame = string | ArrayBuffer;

/**
 * Turns messages into frames and back. Implementations are pure: no state between calls.
 * `decode` throws `DecodeError` on malformed input; `encode` throws `EncodeError`.
 *
 * @example
 * const socket = new Socket('/socket', { serializer: v2Serializer });
 */
export interface Serializer {
  /** Name used in telemetry and by the testkit (`'v1'`, `'v2'`, `'msgpack'`...). */
  readonly name: string;
  /** The `vsn` query parameter this serializer needs the server to speak. */
  readonly vsn: string;
  encode(message: Message): RawFrame;
  decode(frame: RawFrame): Message;
}
