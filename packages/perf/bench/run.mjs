#!/usr/bin/env node
// The benchmark suite's one command:
//   npx --yes pnpm@9.15.9 --filter @phx-socket/bench run bench [-- <benchmarks...>] [flags]
//
//   benchmarks   any of: dispatch join heap presence serializers binary rtt reconnect pool socket-pool hooks
//                hibernation bundle (default: all)
//   --topics=N   socket-pool's topic count (default 50 000; 5 000 with --quick; or BENCH_POOL_TOPICS=N)
//   --quick      fewer/shorter repetitions (for trying the harness, not for publishing)
//   --clients=floor,ours,lite,phoenix   --ns=1,100,1000,10000   (dispatch sizes)
//   --profile[=ours]   record V8 CPU profiles of that client's measured dispatch bursts (written
//                      to the OS tmpdir) and print the functions with the most self time
//   --no-write   print only; leave results/*.json and BENCHMARKS.md alone
//   --report     run nothing: rewrite BENCHMARKS.md from the saved results/*.json
//
// Clients run from their built packages (`@phx-socket/client` and `@phx-socket/client/lite` resolve
// to dist/ through its exports): build first with `npx --yes pnpm@9.15.9 run build`.
import { mkdirSync } from 'node:fs';
import os from 'node:os';
import { join } from 'node:path';
import { CLIENT_NAMES } from './lib/clients.mjs';
import { killAllChildren } from './lib/children.mjs';
import { summarizeProfiles } from './lib/profile.mjs';
import { consoleTable, machineInfo, writeBenchmarksMd, writeResult } from './lib/report.mjs';
import { startBenchServer } from './lib/server.mjs';

const REGISTRY = ['dispatch', 'join', 'heap', 'presence', 'serializers', 'binary', 'rtt', 'reconnect', 'pool', 'socket-pool', 'hooks', 'hibernation', 'bundle'];
const modules = [];
for (const name of REGISTRY) modules.push(await import(`./${name}.mjs`));

const args = process.argv.slice(2).filter((a) => a !== '--');
const flags = Object.fromEntries(
  args
    .filter((a) => a.startsWith('--'))
    .map((a) => {
      const [k, v] = a.slice(2).split('=');
      return [k, v ?? true];
    }),
);
const selected = args.filter((a) => !a.startsWith('--'));
for (const s of selected) if (!REGISTRY.includes(s)) throw new Error(`unknown benchmark "${s}" (have: ${REGISTRY.join(', ')})`);
const toRun = modules.filter((m) => selected.length === 0 || selected.includes(m.name));

const command =
  process.env.npm_lifecycle_event === 'bench'
    ? `npx --yes pnpm@9.15.9 --filter @phx-socket/bench run bench${args.length ? ` -- ${args.join(' ')}` : ''}`
    : `node packages/perf/bench/run.mjs${args.length ? ` ${args.join(' ')}` : ''}`;

const log = (line) => console.log(line);

let clients = flags.clients ? String(flags.clients).split(',') : [...CLIENT_NAMES];
for (const c of clients) if (!CLIENT_NAMES.includes(c)) throw new Error(`unknown client "${c}" (have: ${CLIENT_NAMES.join(', ')})`);
// Our clients exist only once built; a missing build drops that client instead of failing every benchmark.
const BUILT = { ours: '@phx-socket/client', lite: '@phx-socket/client/lite' };
const unavailable = {};
for (const [client, specifier] of Object.entries(BUILT)) {
  if (!clients.includes(client)) continue;
  try {
    const mod = await import(specifier);
    if (typeof mod.Socket !== 'function') throw new Error(`${specifier} has no Socket export yet`);
  } catch (err) {
    unavailable[client] = String(err?.message ?? err).split('\n')[0];
    clients = clients.filter((c) => c !== client);
    log(`! ${client} is unavailable (${unavailable[client]}); build with \`npx --yes pnpm@9.15.9 run build\`. Running the others.`);
  }
}

const options = {
  quick: Boolean(flags.quick),
  ns: flags.ns ? String(flags.ns).split(',').map(Number) : undefined,
};

const profileClient = flags.profile ? (flags.profile === true ? 'ours' : String(flags.profile)) : null;
const profileDir = join(os.tmpdir(), `phx-bench-profiles-${Date.now()}`);
/** Join profiles: the whole (short-lived) process of that client's first join repetition. */
const execArgvFor = (client, what) => {
  if (client !== profileClient || what !== 'join') return [];
  mkdirSync(profileDir, { recursive: true });
  return ['--cpu-prof', `--cpu-prof-dir=${profileDir}`, `--cpu-prof-name=join-${client}.cpuprofile`];
};
/** Dispatch profiles cover the measured bursts only (the child drives node:inspector itself). */
const profileFileFor = (client, n) => {
  if (client !== profileClient) return undefined;
  mkdirSync(profileDir, { recursive: true });
  return join(profileDir, `dispatch-${client}-${n}.cpuprofile`);
};

const INTRO = `# Benchmarks

Produced by \`npx --yes pnpm@9.15.9 --filter @phx-socket/bench run bench\` (after \`npx --yes pnpm@9.15.9 run build\`):
every client runs from its built package, each in a fresh Node process, against one
\`@phx-socket/testkit\` server in another process. Clients compared:

- **ours** — \`@phx-socket/client\` (\`new Socket(url).channel(topic).on(event, cb)\`, no transport option);
- **lite** — \`@phx-socket/client/lite\` (same API, \`ws\` as its transport, default JSON-text serializer),
  in dispatch, join, heap, rtt and reconnect;
- **phoenix** — the official \`phoenix\` npm client 1.8.16 with \`ws\` as its transport;
- **floor** — raw \`ws\` + \`JSON.parse\` + one \`Map\` get by topic (plus the join_ref and event checks any
  client needs); it joins its channels with real \`phx_join\` frames too. Nothing can dispatch for less.

The harness lives in \`bench/\` (\`run.mjs\`, one file per benchmark, shared code in \`bench/lib/\`).
Sections below are regenerated from \`bench/results/*.json\` on every run. Runs with \`--quick\` are
for trying the harness; publish full runs only.`;

if (flags.report) {
  log(`→ ${writeBenchmarksMd(modules, INTRO)}`);
  process.exit(0);
}

const machine = machineInfo();
log(`phx-socket benchmarks — Node ${machine.node}, ${machine.cpu} × ${machine.cores}, ${machine.platform}`);
const started = performance.now();
let server;
let failed = false;
try {
  server = await startBenchServer();
  const serverDesc = `${server.impl === 'mini' ? 'lib/mini-server.mjs (BENCH_SERVER=mini)' : '@phx-socket/testkit'} in its own process, frames via server.sendRaw(pre-encoded frame, one client)${server.corked ? `, written corked (${process.env.BENCH_CHUNK ? `chunks of ${process.env.BENCH_CHUNK}` : 'a whole burst at once'})` : ', UNCORKED (server may be the bottleneck)'}`;
  log(`server: ${serverDesc} at ${server.url} (pid ${server.pid})\n`);

  for (const mod of toRun) {
    log(`▶ ${mod.title}`);
    const t = performance.now();
    const result = await mod.run({ server, clients, options, log, execArgvFor, profileFileFor });
    result.meta = {
      date: new Date().toISOString(),
      command,
      machine,
      server: serverDesc,
      seconds: Math.round((performance.now() - t) / 100) / 10,
      unavailable,
      quick: options.quick,
    };
    log(`\n${consoleTable(mod.table(result))}\n`);
    if (result.rows?.some((r) => r.error)) failed = true;
    if (!flags['no-write']) log(`  → ${writeResult(mod.name, result)}`);
  }
  if (!flags['no-write']) {
    log(`  → ${writeBenchmarksMd(modules, INTRO)}`);
  }
  if (profileClient) log(`\n${summarizeProfiles(profileDir)}`);
} catch (err) {
  failed = true;
  console.error(`\n✗ ${err?.stack ?? err}`);
} finally {
  await server?.stop().catch(() => {});
  killAllChildren();
}
log(`\ndone in ${((performance.now() - started) / 1000).toFixed(1)} s`);
process.exit(failed ? 1 : 0);
