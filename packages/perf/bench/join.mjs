// Join: wall time (and client CPU) from the first phx_join sent to the last join acknowledged, for
// N channels on one socket. Each repetition is a fresh client process (a process joins once);
// the median of the repetitions is reported. The server's work on the joins is inside the wall
// time and is the same for every client.
import { fileURLToPath } from 'node:url';
import { CLIENTS } from './lib/clients.mjs';
import { runClient } from './lib/run-client.mjs';
import { median } from './lib/stats.mjs';

export const name = 'join';
export const title = 'Join 10 000 channels';
const SELF = fileURLToPath(import.meta.url);
export const describe = `
Wall time from the first \`phx_join\` sent to the last join acknowledged, 10 000 channels on one
socket (each with one handler), and the client process's CPU over the same span. Median of fresh
client processes. \`-- join --profile\` writes a CPU profile of ours' first repetition.
`;
const DEFAULTS = { n: 10_000, reps: 3 };
const QUICK = { n: 10_000, reps: 1 };

export async function child({ client, url, n }) {
  const connection = await CLIENTS[client].connect(url);
  await new Promise((resolve) => setTimeout(resolve, 50));
  const cpu0 = process.cpuUsage();
  const t0 = performance.now();
  await connection.joinAll(n, () => () => {});
  const wallMs = performance.now() - t0;
  const cpu = process.cpuUsage(cpu0);
  connection.close();
  return { client, n, wallMs, cpuMs: (cpu.user + cpu.system) / 1_000 };
}

export async function run({ server, clients, options, log, execArgvFor = () => [] }) {
  const plan = options.quick ? QUICK : DEFAULTS;
  const rows = [];
  for (const client of clients) {
    const samples = [];
    try {
      for (let r = 0; r < plan.reps; r++) {
        samples.push(
          await runClient(SELF, { client, url: server.url, n: plan.n }, { name: `join ${client} #${r + 1}`, execArgv: r === 0 ? execArgvFor(client, 'join') : [] }),
        );
      }
      const row = {
        client,
        n: plan.n,
        wallMs: median(samples.map((s) => s.wallMs)),
        cpuMs: median(samples.map((s) => s.cpuMs)),
        samples,
      };
      rows.push(row);
      log(`  join ${plan.n} ${client.padEnd(7)} ${row.wallMs.toFixed(0).padStart(6)} ms wall  ${row.cpuMs.toFixed(0).padStart(6)} ms client CPU  (median of ${samples.length})`);
    } catch (err) {
      rows.push({ client, n: plan.n, error: String(err?.message ?? err) });
      log(`  join ${client}: FAILED ${String(err?.message ?? err).split('\n')[0]}`);
    }
  }
  return { name, title, plan, rows };
}

export function table(result) {
  const floor = result.rows.find((r) => r.client === 'floor' && !r.error);
  const lines = result.rows
    .filter((r) => !r.error)
    .map((r) => [
      r.client,
      r.n.toLocaleString('en-US'),
      r.wallMs.toFixed(0),
      floor ? `${(r.wallMs / floor.wallMs).toFixed(2)}×` : '—',
      r.cpuMs.toFixed(0),
      floor ? `${(r.cpuMs / floor.cpuMs).toFixed(2)}×` : '—',
    ]);
  const notes = [];
  const ours = result.rows.find((r) => r.client === 'ours' && !r.error);
  if (ours && floor) notes.push(`target: ours ≤ 1.5× floor wall time → ${(ours.wallMs / floor.wallMs).toFixed(2)}× ${ours.wallMs / floor.wallMs <= 1.5 ? '(met)' : '(missed)'}`);
  for (const r of result.rows) if (r.error) notes.push(`${r.client} failed: ${r.error.split('\n')[0]}`);
  return {
    header: ['client', 'channels', 'wall ms to all joined', 'wall / floor', 'client CPU ms', 'CPU / floor'],
    lines,
    notes,
  };
}
