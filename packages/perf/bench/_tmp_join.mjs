import { fileURLToPath } from 'node:url';
import { startBenchServer } from './lib/server.mjs';
import { runClient } from './lib/run-client.mjs';
import { median } from './lib/stats.mjs';
const JOIN = fileURLToPath(new URL('./join.mjs', import.meta.url));
const server = await startBenchServer();
const reps = Number(process.argv[2] ?? 8);
const variants = (process.argv[3] ?? '256').split(',');
const ratios = {}; const walls = {};
for (let r = 0; r < reps; r++) {
  const f = await runClient(JOIN, { client: 'floor', url: server.url, n: 10000 }, {});
  (walls.floor ??= []).push(f.wallMs);
  for (const v of variants) {
    process.env.PHX_CORK = v;
    const o = await runClient(JOIN, { client: 'ours', url: server.url, n: 10000 }, {});
    (walls[v] ??= []).push(o.wallMs); (ratios[v] ??= []).push(o.wallMs / f.wallMs);
  }
}
for (const v of variants) console.log(`cork ${v}: ratio median ${median(ratios[v]).toFixed(2)} [${ratios[v].map(x=>x.toFixed(2)).join(' ')}] wall ${median(walls[v]).toFixed(0)} floor ${median(walls.floor).toFixed(0)}`);
await server.stop(); process.exit(0);
