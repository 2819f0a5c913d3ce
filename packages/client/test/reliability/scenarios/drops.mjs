// Drop every connection `drops` times while 20 joined channels keep pushing messages with unique ids
// (one in flight per channel). Afterwards: did the server run every push the client saw acked, did it
// run any push twice, did every push resolve, and are all channels joined again?
import { makeClient, sleep, until, within } from '../lib/clients.mjs';
import { audit, startRig } from '../lib/rig.mjs';

export const SCALES = Object.freeze({
  short: { channels: 20, drops: 10, intervalMs: 150, timeoutMs: 1000 },
  long: { channels: 20, drops: 100, intervalMs: 300, timeoutMs: 1000 },
});

/**
 * @param {'ours' | 'lite' | 'phoenix'} kind
 * @param {{ channels: number, drops: number, intervalMs: number, timeoutMs: number }} scale
 */
export async function run(kind, scale) {
  const rig = await startRig();
  // Back-to-back drops make every connection short-lived; a connection counts as healthy after 50 ms
  // here so the circuit breaker (on by default) does not open mid-scenario.
  const client = makeClient(kind, rig.url, { timeout: scale.timeoutMs, ours: { healthyAfterMs: 50 } });
  try {
    client.connect();
    const rooms = Array.from({ length: scale.channels }, (_, i) => client.channel(`rel:${i}`));
    const joins = await Promise.all(rooms.map((room) => room.join(10_000)));
    if (joins.some((j) => j.status !== 'ok')) throw new Error(`${kind}: initial joins failed`);

    /** @type {Map<number, import('../lib/clients.mjs').Outcome | undefined>} */
    const outcomes = new Map();
    let nextId = 0;
    let stop = false;
    // A push that has not resolved 3 timeouts later counts as hung (the watchdog's `undefined`).
    const hungAfterMs = scale.timeoutMs * 3 + 2000;
    const loops = rooms.map(async (room) => {
      while (!stop) {
        const id = nextId++;
        outcomes.set(id, undefined);
        outcomes.set(id, await within(room.push('msg', { id }, scale.timeoutMs), hungAfterMs, undefined));
        // A push made while the channel rejoins waits in its buffer; do not spin on a synchronous failure.
        if (outcomes.get(id)?.status !== 'ok') await sleep(5);
      }
    });
    const started = performance.now();
    for (let i = 0; i < scale.drops; i++) {
      await sleep(scale.intervalMs);
      await rig.proxy.dropAll();
    }
    await sleep(scale.intervalMs);
    stop = true;
    await Promise.all(loops);
    const rejoinMs = await until(() => rooms.every((room) => room.joined()), 15_000, `${kind}: all channels joined`).catch(() => NaN);
    const elapsedS = (performance.now() - started) / 1000;
    const result = audit(outcomes, rig.executed);
    return {
      ...result,
      executedUnacked: [...rig.executed.keys()].filter((id) => outcomes.get(id)?.status !== 'ok').length,
      joinedAtEnd: rooms.filter((room) => room.joined()).length,
      channels: scale.channels,
      drops: scale.drops,
      opens: client.opens,
      pushesPerS: Math.round(result.acked / elapsedS),
      rejoinMs: Math.round(rejoinMs),
    };
  } finally {
    await client.disconnect();
    await rig.close();
  }
}
