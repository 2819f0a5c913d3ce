// Heap per joined channel: heapUsed after joining N channels (each with one `on` handler) minus
// heapUsed with the socket open and no channel, divided by N. Measured after forced GCs
// (--expose-gc) in a fresh process per repetition; median reported.
import { fileURLToPath } from 'node:url';
import { CLIENTS } from './lib/clients.mjs';
import { runClient } from './lib/run-client.mjs';
import { median } from './lib/stats.mjs';

export const name = 'heap';
export const title = 'Heap bytes per joined channel';
const SELF = fileURLToPath(import.meta.url);
export const describe = `
\`heapUsed\` (after forced GCs, \`--expose-gc\`) with 10 000 joined channels minus \`heapUsed\` with the
socket open and no channel, divided by 10 000. Median of fresh client processes.
`;
const DEFAULTS = { n: 10_000, reps: 2 };
const QUICK = { n: 10_000, reps: 1 };

async function settledHeap() {
  for (let i = 0; i < 4; i++) {
    await new Promise((resolve) => setTimeout(resolve, 25));
    globalThis.gc();
  }
  return process.memoryUsage().heapUsed;
}

export async function child({ client, url, n }) {
  if (typeof globalThis.gc !== 'function') throw new Error('heap benchmark needs --expose-gc');
  const connection = await CLIENTS[client].connect(url);
  const before = await settledHeap();
  const handlers = [];
  const retained = await connection.joinAll(n, (i) => {
    const h = () => {};
    handlers.push(h); // every client holds the same handlers; only the client's own bookkeeping differs
    return h;
  });
  await new Promise((resolve) => setTimeout(resolve, 200));
  const after = await settledHeap();
  const bytesPerChannel = (after - before) / n;
  connection.close();
  return { client, n, bytesPerChannel, before, after, kept: retained?.length ?? 0, handlers: handlers.length };
}

export async function run({ server, clients, options, log }) {
  const plan = options.quick ? QUICK : DEFAULTS;
  const rows = [];
  for (const client of clients) {
    try {
      const samples = [];
      for (let r = 0; r < plan.reps; r++) {
        samples.push(
          await runClient(SELF, { client, url: server.url, n: plan.n }, { execArgv: ['--expose-gc'], name: `heap ${client} #${r + 1}` }),
        );
      }
      const row = { client, n: plan.n, bytesPerChannel: median(samples.map((s) => s.bytesPerChannel)), samples };
      rows.push(row);
      log(`  heap ${client.padEnd(7)} ${row.bytesPerChannel.toFixed(0).padStart(6)} B per joined channel (N=${plan.n}, median of ${samples.length})`);
    } catch (err) {
      rows.push({ client, n: plan.n, error: String(err?.message ?? err) });
      log(`  heap ${client}: FAILED ${String(err?.message ?? err).split('\n')[0]}`);
    }
  }
  return { name, title, plan, rows };
}

export function table(result) {
  const phoenix = result.rows.find((r) => r.client === 'phoenix' && !r.error);
  const floor = result.rows.find((r) => r.client === 'floor' && !r.error);
  const lines = result.rows
    .filter((r) => !r.error)
    .map((r) => [
      r.client,
      r.n.toLocaleString('en-US'),
      r.bytesPerChannel.toFixed(0),
      (r.bytesPerChannel / 1024).toFixed(2),
      floor ? `${(r.bytesPerChannel / floor.bytesPerChannel).toFixed(2)}×` : '—',
      phoenix ? `${(r.bytesPerChannel / phoenix.bytesPerChannel).toFixed(2)}×` : '—',
    ]);
  const notes = [];
  const ours = result.rows.find((r) => r.client === 'ours' && !r.error);
  if (ours) notes.push(`target: ours ≤ 0.5 KB per joined channel → ${(ours.bytesPerChannel / 1024).toFixed(2)} KB ${ours.bytesPerChannel <= 512 ? '(met)' : '(missed)'}`);
  notes.push(
    'heapUsed after 4 forced GCs, joined minus connected-with-no-channel, / N. Included for every client: the harness keeps one handler closure per channel and the topic string. Ours, lite and phoenix run identical app code: `socket.channel(topic)` (no params), `on(event, handler)`, and `join().receive(ok|error|timeout)` with three hook functions shared by all channels (an app would not allocate three closures per topic); each client keeps its join push and those hooks as it would for any app.',
  );
  for (const r of result.rows) if (r.error) notes.push(`${r.client} failed: ${r.error.split('\n')[0]}`);
  return { header: ['client', 'channels', 'heap B / channel', 'KB / channel', 'vs floor', 'vs phoenix'], lines, notes };
}
