// What the server sends in the dispatch benchmark: V2 broadcast frames
// `[null, null, topic, event, payload]`, one per topic, encoded once and sent round-robin.

export const TOPIC_PREFIX = 'bench:';
export const EVENT = 'msg';

export const topicOf = (i) => `${TOPIC_PREFIX}${i}`;

/** A realistic small chat-like payload (~150 bytes of JSON); `i` is the topic index it is sent to. */
export function payloadFor(i) {
  return {
    id: 100_000 + i,
    i,
    user: { id: 4217, name: 'ada.lovelace', role: 'member' },
    body: 'Shipped the dispatch benchmark, numbers look good',
    ts: 1735689600000 + i,
    tags: ['bench', 'chat'],
  };
}

/** Encoded V2 broadcast frames for topics 0..n-1. */
export function broadcastFrames(n) {
  const frames = new Array(n);
  for (let i = 0; i < n; i++) frames[i] = JSON.stringify([null, null, topicOf(i), EVENT, payloadFor(i)]);
  return frames;
}

export const payloadBytes = () => Buffer.byteLength(JSON.stringify(payloadFor(5_000)));
export const frameBytes = () => Buffer.byteLength(broadcastFrames(5_001)[5_000]);
