import { VSN } from './constants';
import type { InboundMessage, OutboundBroadcast, OutboundMessage, OutboundReply, WireData } from './frame';
import { codecV1 } from './codec-v1';
import { codecV2 } from './codec-v2';
import { codecMsgpack } from './codec-msgpack';

/** The negotiated serializer versions. */
export type SerializerVersion = typeof VSN.v1 | typeof VSN.v2 | typeof VSN.msgpack;

/**
 * A serializer: decodes client frames and encodes server frames. The connection core only talks
 * to this interface, so a second transport (LongPoll) reuses it unchanged.
 */
export interface Codec {
  readonly vsn: SerializerVersion;
  /** Decodes a client frame; throws `MalformedFrameError` when it is not valid. */
  decode(data: WireData): InboundMessage;
  encodeMessage(message: OutboundMessage): WireData;
  encodeReply(reply: OutboundReply): WireData;
  encodeBroadcast(broadcast: OutboundBroadcast): WireData;
}

const SEMVER = /^(\d+)\.(\d+)\.(\d+)(?:[-+].*)?$/;

/**
 * Picks the codec for a `vsn` query value the way Phoenix's default serializer list does:
 * `~> 1.0.0` → V1, `~> 2.0.0` → V2, missing → 1.0.0; plus exactly `2.0.0-msgpack` → msgpack (a
 * pre-release that `~> 2.0.0` does not match, so a stock Phoenix refuses it rather than misreading it).
 * Anything else (unparsable, 3.x, 2.1.0) returns `undefined`: Phoenix refuses the
 * connection.
 *
 * @example
 * codecFor(undefined)?.vsn // '1.0.0'
 * codecFor('2.0.0')?.vsn   // '2.0.0'
 */
export function codecFor(vsn: string | null | undefined): Codec | undefined {
  if (vsn === VSN.msgpack) return codecMsgpack;
  const match = SEMVER.exec(vsn ?? VSN.fallback);
  if (!match) return undefined;
  const major = Number(match[1]);
  const minor = Number(match[2]);
  if (minor !== 0) return undefined;
  if (major === 1) return codecV1;
  if (major === 2) return codecV2;
  return undefined;
}
