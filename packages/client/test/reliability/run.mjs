// The long reliability run: every scenario, for every client it applies to, each in its own child
// process (child.mjs) on the built packages, at the long scale; prints the tables and writes them into
// packages/perf/RELIABILITY.md (and the raw reports into packages/perf/bench/results/reliability.json).
//
//   pnpm run reliability                      # build first: `pnpm run build`
//   node packages/client/test/reliability/run.mjs --scale short --only drops,cycles --no-write
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { runChild } from './lib/child-process.mjs';
import { KINDS } from './lib/clients.mjs';
import { VARIANTS as PUSH_VARIANTS } from './scenarios/disconnecting-push.mjs';

const ROOT = join(import.meta.dirname, '..', '..', '..', '..');
const REPORT = join(ROOT, 'packages', 'perf', 'RELIABILITY.md');
const RAW = join(ROOT, 'packages', 'perf', 'bench', 'results', 'reliability.json');

const yesNo = (value) => (value ? 'yes' : '**no**');
const codes = (failures) =>
  Object.entries(failures ?? {})
    .map(([code, n]) => `${n.toLocaleString('en-US')} ${code}`)
    .join(', ') || '—';
const n = (value) => (typeof value === 'number' && Number.isFinite(value) ? value.toLocaleString('en-US') : String(value));

/**
 * Each scenario: what it does (one paragraph for the report), the clients it runs, extra node flags,
 * and its table columns as [heading, (result) => cell].
 */
const SCENARIOS = [
  {
    name: 'drops',
    title: 'Connections dropped under load',
    what: (s) =>
      `20 joined channels each keep one push with a unique id in flight; the proxy drops every connection ${s.drops} times, ${s.intervalMs} ms apart; push timeout ${s.timeoutMs} ms. The server's ledger is compared with what each client was told. Pushes/s is lower for lite and phoenix.js mostly because a push in flight at a drop waits out its timeout there, where ours fails it at once (without drops the three run at 35–76 k pushes/s through the proxy).`,
    variants: KINDS,
    columns: [
      ['pushes', (r) => n(r.pushes)],
      ['acked', (r) => n(r.acked)],
      ['acked but lost', (r) => n(r.ackedLost)],
      ['run twice', (r) => n(r.executedTwice)],
      ['never resolved', (r) => n(r.unresolved)],
      ['failed with', (r) => codes(r.failures)],
      ['untyped failures', (r) => n(r.untyped)],
      ['ran, reply lost', (r) => n(r.executedUnacked)],
      ['joined at end', (r) => `${r.joinedAtEnd}/${r.channels}`],
      ['connections', (r) => n(r.opens)],
      ['acked pushes/s', (r) => n(r.pushesPerS)],
    ],
  },
  {
    name: 'half-open',
    title: 'Half-open connection (TCP up, nothing flowing)',
    what: (s) =>
      `The proxy stalls both directions ${s.rounds} times while ${s.channels} channels are joined; heartbeat every ${s.heartbeatIntervalMs} ms (ours: heartbeatTimeoutMs ${s.heartbeatTimeoutMs}). "Noticed" is the longest time until a channel left \`joined\`; the bound is interval + timeout + 1 s (lite and phoenix.js have no separate timeout: a beat is late when the next is due). "Rejoined" is the longest time from the network's return to every channel joined.`,
    variants: KINDS,
    columns: [
      ['noticed (max ms)', (r) => n(r.detectMaxMs)],
      ['bound ms', (r) => n(r.boundMs)],
      ['within bound', (r) => yesNo(r.detectMaxMs <= r.boundMs)],
      ['rejoined (max ms)', (r) => n(r.rejoinMaxMs)],
      ['joined at end', (r) => `${r.joinedAtEnd}/${r.channels}`],
      ['push after', (r) => (r.pushAfterOk ? 'ok' : '**failed**')],
    ],
  },
  {
    name: 'offline',
    title: 'Pushes made offline',
    what: (s) =>
      `Connections dropped and refused; the app pushes ${s.pushes.map(n).join(', ')} messages (one run each), waits ${s.offlineMs} ms, then the network returns. Ours bounds its send buffer at 1 000 pushes and rejects each push beyond it at once with \`buffer_overflow\`; lite and phoenix.js buffer without a bound.`,
    variants: KINDS,
    rows: (result) => result.rounds,
    columns: [
      ['pushed offline', (r) => n(r.pushes)],
      ['delivered', (r) => n(r.delivered)],
      ['in order', (r) => yesNo(r.inOrder)],
      ['run twice', (r) => n(r.executedTwice)],
      ['never resolved', (r) => n(r.unresolved)],
      ['failed with', (r) => codes(r.failures)],
      ['failed while offline', (r) => n(r.failedWhileOffline)],
      ['all resolved in ms', (r) => n(r.deliveredMs)],
    ],
  },
  {
    name: 'disconnecting-push',
    title: 'A push that makes the server disconnect the socket',
    what: (s) =>
      `The push's handler disconnects the socket by its id (Phoenix's socket-id \`disconnect\` broadcast); reconnectAfterMs \`() => 200\`, push timeout 2 000 ms, counted over ${n(s.windowMs)} ms. Before this release ours resent it after every rejoin: 69 connects in 8 s.`,
    variants: Object.keys(PUSH_VARIANTS),
    columns: [
      ['server ran it', (r) => n(r.serverRuns)],
      ['reconnects', (r) => n(r.reconnects)],
      ['push outcome', (r) => `${r.outcome}${r.outcome !== 'ok' && !r.typed ? ' (untyped)' : ''}`],
      ['resolved in ms', (r) => n(r.resolvedMs)],
      ['joined at end', (r) => yesNo(r.joinedAtEnd)],
    ],
  },
  {
    name: 'join-burst',
    title: 'Joins made before the socket opens',
    what: (s) => `${n(s.channels)} \`channel(...).join()\` calls, then \`connect()\`. Before this release ours dropped 2 000 of them in its send buffer.`,
    variants: KINDS,
    columns: [
      ['joined', (r) => `${n(r.joined)}/${n(r.channels)}`],
      ['joins the server saw', (r) => n(r.serverJoins)],
      ['all joined in ms', (r) => n(r.allJoinedMs)],
    ],
  },
  {
    name: 'hostile-frames',
    title: 'Malformed and hostile server frames',
    what: (s) =>
      `${n(s.frames)} hostile frames written by the proxy on a joined channel, each followed by a valid broadcast: bad JSON, wrong arity, non-arrays, wrong types, unknown refs and topics, \`phx_error\`/\`phx_close\` with a stale join ref, bad presence payloads, \`__proto__\` keys, a 100 000-deep array, a 2 MB payload every ${n(s.hugeEvery)} frames, truncated and unknown binary frames. Heartbeat 1 s. phoenix.js throws out of its message handler on the first bad JSON; in Node that stops \`ws\` reading the connection, so every later frame is lost until the heartbeat replaces it (in a browser the throw is only logged).`,
    variants: KINDS,
    columns: [
      ['uncaught exceptions', (r, c) => n(c.uncaught)],
      ['unhandled rejections', (r, c) => n(c.unhandled)],
      ['valid delivered', (r) => `${n(r.delivered)}/${n(r.validBroadcasts)}`],
      ['delivered twice', (r) => n(r.deliveredTwice)],
      ['reconnects', (r) => n(r.reconnects)],
      ['errors reported to the app', (r) => n(r.errorsReported)],
      ['joined at end', (r) => yesNo(r.joinedAtEnd)],
      ['push after', (r) => (r.pushAfterOk ? 'ok' : '**failed**')],
    ],
  },
  {
    name: 'cycles',
    title: 'Connect, join, push, disconnect cycles',
    what: (s) =>
      `${n(s.warmup)} warm-up cycles, then ${n(s.cycles)} measured, server in the same process, \`--expose-gc\`. Heap growth is the least-squares slope through ten settled samples times the cycles (a single end-minus-start difference mostly measures where the collector left the heap). phoenix.js calls its disconnect callback only after polling the close every 150 ms, hence its time per cycle.`,
    variants: KINDS,
    nodeArgs: ['--expose-gc'],
    columns: [
      ['failed cycles', (r) => n(r.failed)],
      ['heap growth KB', (r) => n(Math.round(r.heapGrowthBytes / 1024))],
      ['under 1 MB', (r) => yesNo(r.heapGrowthBytes < 1024 * 1024)],
      ['bytes/cycle', (r) => n(r.bytesPerCycle)],
      ['ms/cycle', (r) => n(r.perCycleMs)],
    ],
  },
];

function table(scenario, runs) {
  const headings = ['client', ...scenario.columns.map(([heading]) => heading), 'exits by itself'];
  const lines = [`| ${headings.join(' | ')} |`, `|${headings.map(() => '---').join('|')}|`];
  for (const { variant, child } of runs) {
    if (!child.report?.result) {
      const why = child.report?.failed?.split('\n')[0] ?? (child.stderr.trim().split('\n').pop() || `exit ${child.exitCode}`);
      lines.push(`| ${variant} | **did not finish**: ${why.replace(/\|/g, '\\|')} |`);
      continue;
    }
    const rows = scenario.rows ? scenario.rows(child.report.result) : [child.report.result];
    for (const row of rows) {
      const cells = scenario.columns.map(([, cell]) => cell(row, child.report));
      lines.push(`| ${variant} | ${cells.join(' | ')} | ${yesNo(child.exitedByItself && child.exitCode === 0)} |`);
    }
  }
  return lines.join('\n');
}

const { values } = parseArgs({
  options: { scale: { type: 'string', default: 'long' }, only: { type: 'string' }, 'no-write': { type: 'boolean', default: false } },
});
const only = values.only ? new Set(values.only.split(',')) : null;
const started = Date.now();
const sections = [];
const raw = {};
for (const scenario of SCENARIOS) {
  if (only && !only.has(scenario.name)) continue;
  const { SCALES } = await import(`./scenarios/${scenario.name}.mjs`);
  const scale = SCALES[values.scale];
  const runs = [];
  for (const variant of scenario.variants) {
    process.stderr.write(`${scenario.name} · ${variant} … `);
    const child = await runChild(scenario.name, variant, { scale: values.scale, nodeArgs: scenario.nodeArgs, deadlineMs: 15 * 60_000 });
    process.stderr.write(`${(child.ms / 1000).toFixed(1)} s\n`);
    runs.push({ variant, child });
    raw[`${scenario.name} · ${variant}`] = { ms: child.ms, exitCode: child.exitCode, exitedByItself: child.exitedByItself, ...child.report };
  }
  const section = `### ${scenario.title}\n\n${scenario.what(scale)}\n\n${table(scenario, runs)}\n`;
  console.log(`\n${section}`);
  sections.push(section);
}

const minutes = ((Date.now() - started) / 60_000).toFixed(1);
const header = `# Reliability

What each client does when the network and the server misbehave, measured by the reliability suite
(\`packages/client/test/reliability\`): every scenario runs \`@phx-socket/client\` ("ours", default
options unless the row says otherwise), \`@phx-socket/client/lite\`, and the official \`phoenix\` npm client
(phoenix.js) against the testkit server through the testkit's TCP fault proxy, each in its own Node
process. \`npm test\` runs the short versions of the same scenarios as assertions; this file is the long
run.

The rules these tables check (see "Delivery semantics" in the root README):

- a push acked by the server ran there; no push runs twice unless the app opted into resending;
- every push resolves: ok, or an error with a stable \`code\` (phoenix.js reports a status string only,
  counted here as "untyped");
- joins are never dropped; a push the bounded buffer gives up rejects at once with \`buffer_overflow\`;
- no hostile frame throws out of the client; the process exits by itself when the app is done.

Generated by \`pnpm run reliability\` (after \`pnpm run build\`) on ${new Date().toISOString().slice(0, 10)},
Node ${process.version}, ${values.scale} scale, ${minutes} min. Raw reports:
\`packages/perf/bench/results/reliability.json\`.
`;
if (values['no-write'] || only) {
  process.stderr.write(`\nnot written (${only ? '--only' : '--no-write'})\n`);
} else {
  writeFileSync(REPORT, `${header}\n${sections.join('\n')}`);
  writeFileSync(RAW, `${JSON.stringify({ scale: values.scale, node: process.version, date: new Date().toISOString(), runs: raw }, null, 2)}\n`);
  process.stderr.write(`\n→ ${REPORT}\n→ ${RAW}\n`);
}
