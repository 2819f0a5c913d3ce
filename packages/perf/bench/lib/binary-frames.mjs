// V2 binary frames for the binary benchmark (Phoenix 1.7/1.8 layout, ASCII header strings only):
//
//   broadcast (server → client, kind 2): 2, topicLen, eventLen, topic, event, payload
//   push      (client → server, kind 0): 0, joinRefLen, refLen, topicLen, eventLen, joinRef, ref, topic, event, payload
//
// Each broadcast payload carries its topic index in its first two bytes (little endian) so a handler
// can check that the frame reached the right channel; the rest is a fixed pattern.
import { EVENT, topicOf } from './frames.mjs';

export const BINARY_KIND = { push: 0, reply: 1, broadcast: 2 };

/** `size` payload bytes for topic index `i` (size ≥ 2). */
export function binaryPayloadFor(i, size) {
  const bytes = new Uint8Array(size);
  for (let k = 2; k < size; k++) bytes[k] = k & 0xff;
  bytes[0] = i & 0xff;
  bytes[1] = (i >>> 8) & 0xff;
  return bytes;
}

/** One kind-2 broadcast frame (a Buffer) for `topic`, `event` and `payload` bytes. */
export function encodeBinaryBroadcast(topic, event, payload) {
  const topicLen = Buffer.byteLength(topic, 'latin1');
  const eventLen = Buffer.byteLength(event, 'latin1');
  const frame = Buffer.allocUnsafe(3 + topicLen + eventLen + payload.byteLength);
  frame[0] = BINARY_KIND.broadcast;
  frame[1] = topicLen;
  frame[2] = eventLen;
  frame.write(topic, 3, 'latin1');
  frame.write(event, 3 + topicLen, 'latin1');
  frame.set(payload, 3 + topicLen + eventLen);
  return frame;
}

/** Encoded kind-2 broadcast frames of `size`-byte payloads for topics bench:0..n-1. */
export function binaryBroadcastFrames(n, size) {
  const frames = new Array(n);
  for (let i = 0; i < n; i++) frames[i] = encodeBinaryBroadcast(topicOf(i), EVENT, binaryPayloadFor(i, size));
  return frames;
}

/** A kind-0 push frame, written the way a hand-rolled client would: one allocation, header then payload. */
export function encodeBinaryPush(joinRef, ref, topic, event, payload) {
  const jl = joinRef.length;
  const rl = ref.length;
  const tl = topic.length;
  const el = event.length;
  const header = 5 + jl + rl + tl + el;
  const frame = Buffer.allocUnsafe(header + payload.byteLength);
  frame[0] = BINARY_KIND.push;
  frame[1] = jl;
  frame[2] = rl;
  frame[3] = tl;
  frame[4] = el;
  let o = 5;
  o += frame.write(joinRef, o, 'latin1');
  o += frame.write(ref, o, 'latin1');
  o += frame.write(topic, o, 'latin1');
  frame.write(event, o, 'latin1');
  frame.set(payload instanceof ArrayBuffer ? new Uint8Array(payload) : payload, header);
  return frame;
}
