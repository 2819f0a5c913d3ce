/**
 * One Phoenix Channels message, as every serializer decodes and encodes it.
 *
 * `joinRef` and `ref` are the strings the client chose (or `null`): V2 frames carry both, V1 frames
 * only `ref`. A reply arrives as event `phx_reply` with payload `{ status, response }`; a binary reply
 * (kind 1) has a binary response. Binary payloads decode as an `ArrayBuffer` holding exactly the payload
 * (`v2Serializer`), or as a `Uint8Array` view over the received frame (`v2ViewSerializer`); on encode any
 * `ArrayBuffer` or `ArrayBufferView` is accepted.
 *
 * @example
 * const msg: Message = { joinRef: '1', ref: '2', topic: 'room:1', event: 'new_msg', payload: { body: 'hi' } };
 */
export interface Message<P = unknown> {
  joinRef: string | null;
  ref: string | null;
  topic: string;
  event: string;
  payload: P;
}

/** The payload of a `phx_reply`. */
export interface ReplyPayload<R = unknown> {
  status: 'ok' | 'error' | (string & {});
  response: R;
}

/** A payload sent as a V2 binary frame when it is one of these. */
export type BinaryPayload = ArrayBuffer | ArrayBufferView;

/** True when a payload goes out as a binary frame. */
export function isBinaryPayload(payload: unknown): payload is BinaryPayload {
  return payload instanceof ArrayBuffer || ArrayBuffer.isView(payload);
}
