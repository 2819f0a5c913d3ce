import { EVENTS } from './constants';
import { MalformedFrameError } from './errors';
import type { Codec } from './codec';
import { decodeClientFrame, encodeServerBroadcast, encodeServerPush, encodeServerReply } from './codec-binary';
import type { InboundMessage, OutboundBroadcast, OutboundMessage, OutboundReply, WireData } from './frame';
import { isBinaryPayload, parseJson, readArrayFrame, toBytes } from './frame';

/**
 * V2 serializer (vsn 2.0.0): text frames are JSON arrays `[join_ref, ref, topic, event, payload]`;
 * binary payloads travel as V2 binary frames (kinds 0/1/2, see codec-binary).
 * Like Phoenix, an array with more than five elements is accepted and the extras ignored.
 */
export const codecV2: Codec = Object.freeze({
  vsn: '2.0.0' as const,

  decode(data: WireData): InboundMessage {
    // The transport hands text frames over as strings and binary frames as bytes.
    if (typeof data !== 'string') return decodeClientFrame(data);
    return readArrayFrame(parseJson(data), 'V2');
  },

  encodeMessage(message: OutboundMessage): WireData {
    if (isBinaryPayload(message.payload)) {
      return encodeServerPush(message.joinRef, message.topic, message.event, toBytes(message.payload));
    }
    return JSON.stringify([message.joinRef, message.ref, message.topic, message.event, message.payload]);
  },

  encodeReply(reply: OutboundReply): WireData {
    if (isBinaryPayload(reply.response)) {
      return encodeServerReply(reply.joinRef, reply.ref, reply.topic, reply.status, toBytes(reply.response));
    }
    const payload = { status: reply.status, response: reply.response };
    return JSON.stringify([reply.joinRef, reply.ref, reply.topic, EVENTS.reply, payload]);
  },

  encodeBroadcast(broadcast: OutboundBroadcast): WireData {
    if (isBinaryPayload(broadcast.payload)) {
      return encodeServerBroadcast(broadcast.topic, broadcast.event, toBytes(broadcast.payload));
    }
    return JSON.stringify([null, null, broadcast.topic, broadcast.event, broadcast.payload]);
  },
});

