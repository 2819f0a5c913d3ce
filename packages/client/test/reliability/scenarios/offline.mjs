// Offline: the network goes away (connections dropped, new ones refused), the app keeps pushing, the
// network comes back. Pushes made offline must each be delivered once and in order; beyond the send
// buffer's bound, each push given up must get a typed error at once (ours), not vanish.
import { makeClient, sleep, until, within } from '../lib/clients.mjs';
import { audit, startRig } from '../lib/rig.mjs';

export const SCALES = Object.freeze({
  short: { pushes: [50, 2000], offlineMs: 300 },
  long: { pushes: [50, 2000, 10_000], offlineMs: 2000 },
});

/**
 * One round with `count` pushes made offline.
 * @param {'ours' | 'lite' | 'phoenix'} kind
 */
async function round(kind, count, offlineMs) {
  const rig = await startRig();
  const client = makeClient(kind, rig.url, { timeout: 30_000, reconnectAfterMs: () => 50 });
  try {
    client.connect();
    const room = client.channel('rel:offline');
    await room.join(10_000);
    rig.proxy.refuse(Infinity);
    await rig.proxy.dropAll();
    await until(() => !room.joined(), 5000, `${kind}: offline noticed`);
    /** @type {Map<number, import('../lib/clients.mjs').Outcome | undefined>} */
    const outcomes = new Map();
    const pending = [];
    let failedWhileOffline = 0;
    for (let id = 0; id < count; id++) {
      outcomes.set(id, undefined);
      pending.push(within(room.push('msg', { id }, 30_000), 40_000, undefined).then((o) => outcomes.set(id, o)));
    }
    await sleep(offlineMs);
    for (const outcome of outcomes.values()) if (outcome !== undefined && outcome.status !== 'ok') failedWhileOffline++;
    const back = performance.now();
    rig.proxy.accept();
    await Promise.all(pending);
    const deliveredMs = performance.now() - back;
    const result = audit(outcomes, rig.executed);
    const ran = rig.order.get('rel:offline') ?? [];
    const inOrder = ran.every((id, i) => i === 0 || id > ran[i - 1]);
    return {
      pushes: count,
      delivered: ran.length,
      inOrder,
      acked: result.acked,
      executedTwice: result.executedTwice,
      unresolved: result.unresolved,
      untyped: result.untyped,
      failures: result.failures,
      failedWhileOffline,
      deliveredMs: Math.round(deliveredMs),
    };
  } finally {
    await client.disconnect();
    await rig.close();
  }
}

/**
 * @param {'ours' | 'lite' | 'phoenix'} kind
 * @param {{ pushes: number[], offlineMs: number }} scale
 */
export async function run(kind, scale) {
  const rounds = [];
  for (const count of scale.pushes) rounds.push(await round(kind, count, scale.offlineMs));
  return { rounds };
}
