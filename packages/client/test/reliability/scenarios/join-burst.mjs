// A dashboard or a bot that subscribes to thousands of topics at start-up: every join is made before the
// socket opened. All of them must join; none may be dropped by a send buffer.
import { makeClient } from '../lib/clients.mjs';
import { startRig } from '../lib/rig.mjs';

export const SCALES = Object.freeze({
  short: { channels: 3000 },
  long: { channels: 3000 },
});

/**
 * @param {'ours' | 'lite' | 'phoenix'} kind
 * @param {{ channels: number }} scale
 */
export async function run(kind, scale) {
  const rig = await startRig();
  const client = makeClient(kind, rig.url, { timeout: 60_000 });
  try {
    const rooms = Array.from({ length: scale.channels }, (_, i) => client.channel(`rel:${i}`));
    const started = performance.now();
    const joins = rooms.map((room) => room.join(60_000));
    client.connect();
    const outcomes = await Promise.all(joins);
    return {
      channels: scale.channels,
      joined: outcomes.filter((o) => o.status === 'ok').length,
      serverJoins: rig.server.stats().joins,
      allJoinedMs: Math.round(performance.now() - started),
    };
  } finally {
    await client.disconnect();
    await rig.close();
  }
}
