// Connect, join, push, disconnect, thousands of times in one process: what a test suite or a bot that
// reconnects per job does. After warm-up the heap must stop growing (nothing kept per socket: timers,
// listeners, registries), and once the last cycle ends the process must exit by itself. Run with
// `node --expose-gc child.mjs cycles <kind>`; the server runs in the same process, so its leaks count too.
import { makeClient, until } from '../lib/clients.mjs';
import { startRig } from '../lib/rig.mjs';

export const SCALES = Object.freeze({
  short: { warmup: 100, cycles: 300 },
  long: { warmup: 200, cycles: 2000 },
});

const gc = globalThis.gc;
const SAMPLES = 10;

/** Slope of the least-squares line through [x, y] points. */
function leastSquaresSlope(points) {
  const n = points.length;
  const meanX = points.reduce((sum, [x]) => sum + x, 0) / n;
  const meanY = points.reduce((sum, [, y]) => sum + y, 0) / n;
  let num = 0;
  let den = 0;
  for (const [x, y] of points) {
    num += (x - meanX) * (y - meanY);
    den += (x - meanX) ** 2;
  }
  return den === 0 ? 0 : num / den;
}

async function settledHeap() {
  for (let i = 0; i < 3; i++) {
    gc();
    await new Promise((resolve) => setImmediate(resolve));
  }
  return process.memoryUsage().heapUsed;
}

/**
 * @param {'ours' | 'lite' | 'phoenix'} kind
 * @param {{ warmup: number, cycles: number }} scale
 */
export async function run(kind, scale) {
  if (typeof gc !== 'function') throw new Error('cycles: run node with --expose-gc');
  const rig = await startRig({ proxy: false });
  let failed = 0;
  const cycle = async (i) => {
    const client = makeClient(kind, rig.url);
    client.connect();
    const room = client.channel('rel:cycle');
    const joined = await room.join(5000);
    const echo = await room.push('echo', { i }, 5000);
    if (joined.status !== 'ok' || echo.status !== 'ok') failed++;
    await client.disconnect();
  };
  try {
    for (let i = 0; i < scale.warmup; i++) await cycle(i);
    // One end-minus-start difference is dominated by where the collector happened to leave the heap;
    // a least-squares line through ten settled samples measures what each cycle keeps.
    const samples = [[0, await settledHeap()]];
    const step = Math.max(1, Math.floor(scale.cycles / SAMPLES));
    const started = performance.now();
    for (let i = 1; i <= scale.cycles; i++) {
      await cycle(i);
      if (i % step === 0 || i === scale.cycles) {
        await until(() => rig.server.stats().connections === 0, 5000, 'the server to see every socket close');
        samples.push([i, await settledHeap()]);
      }
    }
    const ms = performance.now() - started;
    const slope = leastSquaresSlope(samples);
    return {
      cycles: scale.cycles,
      failed,
      heapGrowthBytes: Math.round(slope * scale.cycles),
      bytesPerCycle: Number(slope.toFixed(1)),
      endMinusStartBytes: samples.at(-1)[1] - samples[0][1],
      perCycleMs: Number((ms / scale.cycles).toFixed(2)),
      serverConnections: rig.server.stats().totalConnections,
    };
  } finally {
    await rig.close();
  }
}
