// Dispatch: client CPU µs per broadcast dispatched to an `on(event)` handler, with N channels joined.
//
// One server process (lib/server-worker.mjs) serves every client. For each N, each client gets a
// fresh process that connects, joins bench:0..N-1 with one handler each, and then, when told to,
// asks the server for a burst of pre-encoded broadcast frames sent round-robin over its N topics
// (so the cost at N includes finding one channel among N). The client measures process.cpuUsage()
// (user + system, all threads) and wall time from the first to the last message of the burst.
//
// The clients' bursts are interleaved: round r runs one burst of every client back to back (order
// rotated each round), and only one client receives at a time. The ratio vs the floor is the
// median of the per-round ratios, so slow drifts of the machine (on a shared VM a CPU-bound loop
// can change speed by 1.5× from one second to the next) cancel out instead of landing on whichever
// client happened to run then. One warm-up burst per client (not reported) sizes its bursts to
// ~targetCpuMs of CPU each.
//
// Every handler checks that the message was meant for its channel and every burst must arrive in
// full, so a client that drops or misroutes messages fails instead of looking fast.
import { fileURLToPath } from 'node:url';
import { burstSink } from './lib/burst-sink.mjs';
import { CLIENT_NAMES, CLIENTS } from './lib/clients.mjs';
import { frameBytes, payloadBytes } from './lib/frames.mjs';
import { DrivenClient } from './lib/driven-client.mjs';
import { median, quantile, round } from './lib/stats.mjs';

export const name = 'dispatch';
export const title = 'Dispatch: CPU µs per broadcast';
const SELF = fileURLToPath(import.meta.url);
export const describe = `
Client CPU per broadcast frame dispatched to a \`channel.on(event, cb)\` handler, with N channels
joined on one socket and frames sent round-robin over all N topics. How it is measured:

- One testkit server process; each client in its own fresh process (connect, join N, one handler per
  channel). The server sends pre-encoded V2 frames with \`server.sendRaw(frame, filter)\` to one client
  at a time, a whole burst produced at once with the TCP socket corked, so the server is idle while
  the client is being measured and never the bottleneck ("busy" ≈ 100% in the console output).
- Bursts are interleaved: every round runs one burst of each client back to back, in rotating order.
  On this 2-vCPU VM a plain \`JSON.parse\` loop switches between ~0.8 and ~1.3 µs per call from one
  second to the next, so absolute µs move ±30% between runs; the ratios, taken per round, are stable.
- Every handler checks the message was for its channel and every burst must arrive complete.
- \`-- dispatch --profile\` records V8 CPU profiles of ours during the measured bursts only and prints
  the functions with the most self time, mapped to \`packages/*/src\` through the dist source maps.
`;

export const DEFAULTS = {
  ns: [1, 100, 1_000, 10_000],
  rounds: 9,
  targetCpuMs: 200, // CPU per measured burst
  warmupMinCount: 30_000,
  minCount: 5_000,
  maxCount: 200_000,
};
export const QUICK = { ...DEFAULTS, rounds: 3, targetCpuMs: 80, warmupMinCount: 10_000, minCount: 2_000, maxCount: 50_000 };

// ---------------------------------------------------------------- child (measured client process)

const sink = burstSink();

async function burst(n, count, ask) {
  const done = sink.expect(count);
  const sent = ask({ op: 'send', n, count });
  const [m, server] = await sink.judge(Promise.all([done, sent]), count, `burst at N=${n}`);
  const msgs = count - 1; // measured from the first message to the last
  return {
    count,
    cpuUsPerMsg: m.cpuUs / msgs,
    wallUsPerMsg: m.wallUs / msgs,
    utilization: m.cpuUs / m.wallUs,
    systemShare: m.systemUs / Math.max(1, m.cpuUs),
    serverSendMs: server.ms,
  };
}

/**
 * With `profileFile`, the V8 CPU profiler (node:inspector) records the measured bursts only (not
 * the joins, not the warm-up) and writes a .cpuprofile there.
 */
async function profiler(profileFile) {
  if (!profileFile) return { start() {}, async stop() {} };
  const { Session } = await import('node:inspector');
  const { writeFileSync } = await import('node:fs');
  const session = new Session();
  session.connect();
  const post = (method, params) =>
    new Promise((resolve, reject) => session.post(method, params, (err, res) => (err ? reject(err) : resolve(res))));
  await post('Profiler.enable');
  await post('Profiler.setSamplingInterval', { interval: 100 });
  let started = false;
  return {
    async start() {
      if (started) return;
      started = true;
      await post('Profiler.start');
    },
    async stop() {
      if (!started) return;
      const { profile } = await post('Profiler.stop');
      writeFileSync(profileFile, JSON.stringify(profile));
    },
  };
}

/** Joins, then runs the bursts the harness asks for until it says done. */
export async function child({ client, url, n, profileFile }, { ask }) {
  const prof = await profiler(profileFile);
  const connection = await CLIENTS[client].connect(url);
  const joinStart = performance.now();
  await connection.joinAll(n, sink.handlerFor);
  let report = { joinMs: performance.now() - joinStart };
  for (;;) {
    const action = await ask({ op: 'next', report });
    if (action.done) break;
    if (action.measured) await prof.start();
    report = await burst(n, action.count, ask);
  }
  await prof.stop();
  connection.close();
  return { checksum: sink.checksum };
}

// ---------------------------------------------------------------- parent (harness)


function summarize(client, n, joinMs, bursts) {
  const cpu = bursts.map((x) => x.cpuUsPerMsg);
  return {
    client,
    n,
    cpuUsPerMsg: median(cpu),
    cpuUsPerMsgP25: quantile(cpu, 0.25),
    cpuUsPerMsgP75: quantile(cpu, 0.75),
    wallUsPerMsg: median(bursts.map((x) => x.wallUsPerMsg)),
    utilization: median(bursts.map((x) => x.utilization)),
    systemShare: median(bursts.map((x) => x.systemShare)),
    joinMs,
    messagesPerBurst: bursts[0]?.count,
    bursts: bursts.length,
    raw: bursts.map((x) => ({
      cpu: round(x.cpuUsPerMsg),
      wall: round(x.wallUsPerMsg),
      busy: round(x.utilization, 2),
      serverMs: round(x.serverSendMs, 0),
    })),
  };
}

async function measureN({ server, clients, plan, n, log, execArgvFor, profileFileFor }) {
  const sessions = [];
  const joins = new Map();
  try {
    for (const client of clients) {
      const session = new DrivenClient(SELF, { client, url: server.url, n, profileFile: profileFileFor(client, n) }, {
        execArgv: execArgvFor(client, n),
        name: `dispatch ${client} N=${n}`,
        send: (m) => server.send(m.n, m.count, client).then((r) => ({ ms: r.ms })),
      });
      sessions.push(session);
      joins.set(client, (await session.nextReport()).joinMs);
    }
    const counts = new Map();
    for (const s of sessions) {
      const warm = await s.step({ count: Math.max(plan.warmupMinCount, 2 * n) });
      const sized = Math.round((plan.targetCpuMs * 1_000) / warm.cpuUsPerMsg);
      counts.set(s.client, Math.min(plan.maxCount, Math.max(plan.minCount, n, sized)));
    }
    const bursts = new Map(clients.map((c) => [c, []]));
    for (let r = 0; r < plan.rounds; r++) {
      for (let k = 0; k < sessions.length; k++) {
        const s = sessions[(r + k) % sessions.length];
        bursts.get(s.client).push(await s.step({ count: counts.get(s.client), measured: true }));
      }
    }
    for (const s of sessions) await s.finish();
    const rows = clients.map((c) => summarize(c, n, joins.get(c), bursts.get(c)));
    // Per-round ratios vs the floor: the two bursts of a round ran seconds apart at most.
    const floor = bursts.get('floor');
    for (const row of rows) {
      if (!floor || row.client === 'floor') continue;
      const own = bursts.get(row.client);
      const ratios = own.map((b, r) => b.cpuUsPerMsg / floor[r].cpuUsPerMsg);
      row.vsFloor = median(ratios);
      row.vsFloorP25 = quantile(ratios, 0.25);
      row.vsFloorP75 = quantile(ratios, 0.75);
    }
    for (const row of rows) {
      log(
        `  dispatch N=${String(n).padStart(5)} ${row.client.padEnd(7)} ${row.cpuUsPerMsg.toFixed(3).padStart(8)} µs/msg CPU` +
          ` ${row.wallUsPerMsg.toFixed(3).padStart(8)} µs/msg wall` +
          `${row.vsFloor ? `  ${row.vsFloor.toFixed(2)}× floor [${row.vsFloorP25.toFixed(2)}–${row.vsFloorP75.toFixed(2)}]` : ''}` +
          `  (busy ${(row.utilization * 100).toFixed(0)}%, ${row.bursts}×${row.messagesPerBurst} msgs)`,
      );
    }
    return rows;
  } catch (err) {
    for (const s of sessions) s.finish().catch(() => {});
    throw err;
  }
}

export async function run({ server, clients, options, log, execArgvFor = () => [], profileFileFor = () => undefined }) {
  const plan = options.quick ? QUICK : DEFAULTS;
  const ns = options.ns ?? plan.ns;
  const rows = [];
  for (const n of ns) {
    await server.prepare(n);
    try {
      rows.push(...(await measureN({ server, clients, plan, n, log, execArgvFor, profileFileFor })));
    } catch (err) {
      const message = String(err?.message ?? err);
      for (const client of clients) rows.push({ client, n, error: message });
      log(`  dispatch N=${n}: FAILED ${message.split('\n')[0]}`);
    }
  }
  return {
    name,
    title,
    plan: { ...plan, ns },
    payloadBytes: payloadBytes(),
    frameBytes: frameBytes(),
    clients: Object.fromEntries(clients.map((c) => [c, CLIENTS[c].label])),
    rows,
  };
}

/** Table rows for the console and BENCHMARKS.md: absolute figures and ratios vs the floor. */
export function table(result) {
  const by = (client, n) => result.rows.find((r) => r.client === client && r.n === n && !r.error);
  const fmt = (x, d = 2) => (x == null || !Number.isFinite(x) ? '—' : x.toFixed(d));
  const ratio = (row) => (row?.vsFloor ? `${fmt(row.vsFloor)}× (${fmt(row.vsFloorP25)}–${fmt(row.vsFloorP75)})` : '—');
  // One column per known client (— where a client did not run), so every table has the same layout.
  const others = CLIENT_NAMES.filter((c) => c !== 'floor');
  const header = [
    'channels',
    ...CLIENT_NAMES.map((c) => `${c} µs/msg`),
    ...others.map((c) => `${c} / floor`),
    `wall µs/msg ${CLIENT_NAMES.join(' · ')}`,
  ];
  const lines = result.plan.ns.map((n) => {
    const rows = CLIENT_NAMES.map((c) => by(c, n));
    return [
      n.toLocaleString('en-US'),
      ...rows.map((r) => fmt(r?.cpuUsPerMsg)),
      ...others.map((c) => ratio(by(c, n))),
      rows.map((r) => fmt(r?.wallUsPerMsg)).join(' · '),
    ];
  });
  const notes = [
    `CPU = process.cpuUsage() user+system of the client process (all its threads) from the first to the last message of a burst, per message; median of ${result.plan.rounds} interleaved bursts per client. Ratios: median of per-round ratios (interquartile range in parentheses). Payload ${result.payloadBytes} B, frame ${result.frameBytes} B.`,
  ];
  const first = result.plan.ns[0];
  const last = result.plan.ns.at(-1);
  const o1 = by('ours', first);
  const oN = by('ours', last);
  const fN = by('floor', last);
  if (o1 && oN && first !== last) {
    const f1 = by('floor', first);
    notes.push(
      `flatness, ours at ${last.toLocaleString('en-US')} vs ${first} channel(s): ${fmt(oN.cpuUsPerMsg / o1.cpuUsPerMsg)}× in µs/msg` +
        (f1 && fN && o1.vsFloor && oN.vsFloor ? `, ${fmt(oN.vsFloor / o1.vsFloor)}× in ratio to the floor (the floor itself goes ${fmt(fN.cpuUsPerMsg / f1.cpuUsPerMsg)}×)` : ''),
    );
  }
  if (oN?.vsFloor && fN) notes.push(`target ours ≤ 1.15× floor at ${last.toLocaleString('en-US')} channels: ${fmt(oN.vsFloor)}× ${oN.vsFloor <= 1.15 ? '(met)' : '(missed)'}`);
  const pN = by('phoenix', last);
  if (pN?.vsFloor && oN?.vsFloor) notes.push(`phoenix.js / ours at ${last.toLocaleString('en-US')} channels: ${fmt(pN.cpuUsPerMsg / oN.cpuUsPerMsg, 1)}× the CPU per message`);
  const lN = by('lite', last);
  if (lN?.vsFloor && oN?.vsFloor) notes.push(`lite / ours at ${last.toLocaleString('en-US')} channels: ${fmt(lN.cpuUsPerMsg / oN.cpuUsPerMsg)}× the CPU per message`);
  const failures = new Set(result.rows.filter((r) => r.error).map((r) => `N=${r.n} failed: ${r.error.split('\n')[0]}`));
  notes.push(...failures);
  return { header, lines, notes };
}
