import { EVENTS } from './constants';
import { BinaryUnsupportedError, MalformedFrameError } from './errors';
import type { Codec } from './codec';
import type { InboundMessage, OutboundBroadcast, OutboundMessage, OutboundReply, WireData } from './frame';
import { isBinaryPayload, parseJson, readRef } from './frame';

/**
 * V1 serializer (vsn 1.0.0): JSON objects `{topic, event, payload, ref}`.
 * The server never sends `join_ref` in V1; an inbound `join_ref` is read when present.
 */
export const codecV1: Codec = Object.freeze({
  vsn: '1.0.0' as const,

  decode(data: WireData): InboundMessage {
    const value = parseJson(data);
    if (value === null || typeof value !== 'object' || Array.isArray(value)) {
      throw new MalformedFrameError('V1 frames are JSON objects {topic, event, payload, ref}');
    }
    const frame = value as Record<string, unknown>;
    const { topic, event } = frame;
    if (typeof topic !== 'string') throw new MalformedFrameError('V1 frame: "topic" must be a string');
    if (typeof event !== 'string') throw new MalformedFrameError('V1 frame: "event" must be a string');
    if (!('payload' in frame)) throw new MalformedFrameError('V1 frame: "payload" is missing');
    if (!('ref' in frame)) throw new MalformedFrameError('V1 frame: "ref" is missing');
    return {
      joinRef: readRef(frame['join_ref'], 'join_ref'),
      ref: readRef(frame['ref'], 'ref'),
      topic,
      event,
      payload: frame['payload'],
      binary: false,
    };
  },

  encodeMessage(message: OutboundMessage): WireData {
    return encode(message.topic, message.event, message.payload, message.ref);
  },

  encodeReply(reply: OutboundReply): WireData {
    return encode(reply.topic, EVENTS.reply, { status: reply.status, response: reply.response }, reply.ref);
  },

  encodeBroadcast(broadcast: OutboundBroadcast): WireData {
    return encode(broadcast.topic, broadcast.event, broadcast.payload, null);
  },
});

function encode(topic: string, event: string, payload: unknown, ref: string | null): string {
  if (isBinaryPayload(payload)) throw new BinaryUnsupportedError();
  if (payload !== null && typeof payload === 'object' && 'response' in payload && isBinaryPayload(payload.response)) {
    throw new BinaryUnsupportedError();
  }
  return JSON.stringify({ topic, event, payload, ref });
}
