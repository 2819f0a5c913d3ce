import { Packr, Unpackr } from 'msgpackr';
import { EVENTS, VSN } from './constants';
import type { Codec } from './codec';
import { MalformedFrameError } from './errors';
import type { InboundMessage, OutboundBroadcast, OutboundMessage, OutboundReply, WireData } from './frame';
import { isBinaryPayload, readArrayFrame, toBytes } from './frame';

/**
 * Plain MessagePack maps out (readable by any implementation); msgpackr records are still read in, so a
 * client using `createMsgpackSerializer({ useRecords: true })` works too.
 */
const packr = new Packr({ useRecords: false, variableMapSize: true, encodeUndefinedAsNil: true });
const unpackr = new Unpackr({ mapsAsObjects: true });

/** Binary payloads go out as MessagePack `bin` (typed arrays would otherwise take msgpackr's own extension). */
function wirePayload(payload: unknown): unknown {
  return isBinaryPayload(payload) ? toBytes(payload) : payload;
}

function pack(value: unknown[]): Uint8Array {
  // msgpackr reuses its output buffer on the next call; ws may still hold the frame, so copy it.
  return new Uint8Array(packr.pack(value));
}

/**
 * msgpack serializer (vsn `2.0.0-msgpack`, the phx-socket convention: Phoenix has no msgpack serializer):
 * every frame is one binary MessagePack array `[join_ref, ref, topic, event, payload]`, in both directions.
 * A `bin` payload arrives as a `Uint8Array` (`binary: true`), like a V2 binary push.
 */
export const codecMsgpack: Codec = Object.freeze({
  vsn: VSN.msgpack,

  decode(data: WireData): InboundMessage {
    if (typeof data === 'string') throw new MalformedFrameError('msgpack frames are binary; got a text frame');
    let value: unknown;
    try {
      value = unpackr.unpack(data);
    } catch (cause) {
      throw new MalformedFrameError('frame is not valid MessagePack', { cause });
    }
    return readArrayFrame(value, 'msgpack');
  },

  encodeMessage(message: OutboundMessage): WireData {
    return pack([message.joinRef, message.ref, message.topic, message.event, wirePayload(message.payload)]);
  },

  encodeReply(reply: OutboundReply): WireData {
    const payload = { status: reply.status, response: wirePayload(reply.response) };
    return pack([reply.joinRef, reply.ref, reply.topic, EVENTS.reply, payload]);
  },

  encodeBroadcast(broadcast: OutboundBroadcast): WireData {
    return pack([null, null, broadcast.topic, broadcast.event, wirePayload(broadcast.payload)]);
  },
});
