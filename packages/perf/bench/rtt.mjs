// Push RTT under load: one client pushes `rtt` at a fixed rate while the server also broadcasts
// background traffic to it; the RTT of every push (push() call → its ok reply's callback) is recorded.
//
// Each run is a fresh client process (connect, join bench:0..99). The harness starts the server's
// background broadcasts to that client (JSON frames of the dispatch benchmark, round-robin over the
// 100 topics), the client pushes at RATE/s (a 1 ms timer sends whatever is due by then, so a late timer
// catches up), the first WARMUP_MS of samples are dropped, then DURATION_MS are recorded. Runs of the
// clients are interleaved (order rotated per repetition); percentiles are over all recorded samples of
// a client. Checks: every push gets its ok reply exactly once, carrying its own seq; every background
// broadcast sent during the run arrives, each on the channel it was sent to.
import { fileURLToPath } from 'node:url';
import { connectPushClient } from './lib/push-clients.mjs';
import { retryIfMidBuild } from './lib/retry.mjs';
import { runClient } from './lib/run-client.mjs';
import { max, median, quantile } from './lib/stats.mjs';

export const name = 'rtt';
export const title = 'Push RTT under load';
const SELF = fileURLToPath(import.meta.url);
const CHANNELS = 100;

const DEFAULTS = { rate: 2_000, background: 5_000, warmupMs: 500, durationMs: 5_000, reps: 2 };
const QUICK = { ...DEFAULTS, durationMs: 1_500, reps: 1 };

export const describe = `
Round-trip time of \`channel.push('rtt', { seq, … }).receive('ok', cb)\` — from the \`push()\` call to the ok
callback — for one client pushing ${DEFAULTS.rate.toLocaleString('en-US')} pushes/s round-robin over 100 joined
channels for ${DEFAULTS.durationMs / 1000} s (after a ${DEFAULTS.warmupMs} ms warm-up whose samples are dropped), while
the testkit server broadcasts ${DEFAULTS.background.toLocaleString('en-US')} JSON messages/s (the dispatch
benchmark's ~150 B payloads) to the same client over the same channels. The testkit channel replies ok
with the push's \`seq\`; every reply must match its push and every background message must arrive. The
client and the server share the machine's 2 cores, so the figures include scheduling noise; runs of the
clients are interleaved, ${DEFAULTS.reps} per client, percentiles over all their samples. The floor is raw
\`ws\` + JSON + a Map from ref to callback.
`;

// ---------------------------------------------------------------- child (measured client process)

export async function child({ client, url, rate, warmupMs, durationMs }, { ask }) {
  const connection = await connectPushClient(client, url);
  let background = 0;
  let misrouted = 0;
  await connection.join(CHANNELS, (i) => (payload) => {
    background++;
    if (payload.i !== i) misrouted++;
  });
  await ask({ op: 'background', on: true });

  const total = Math.round(((warmupMs + durationMs) * rate) / 1_000);
  const warmupCount = Math.round((warmupMs * rate) / 1_000);
  const rtts = new Float64Array(total);
  const sentAt = new Float64Array(total);
  const answered = new Uint8Array(total);
  let sent = 0;
  let replies = 0;
  let mismatched = 0;
  let duplicated = 0;
  let failed = 0;
  const cpu0 = process.cpuUsage();
  const wall0 = performance.now();

  const finished = new Promise((resolve, reject) => {
    const push = (seq) => {
      sentAt[seq] = performance.now();
      connection.push(
        seq % CHANNELS,
        'rtt',
        { seq, body: 'ping from the rtt benchmark' },
        (response) => {
          const now = performance.now();
          if (response?.seq !== seq) mismatched++;
          if (answered[seq]++ !== 0) duplicated++;
          rtts[seq] = now - sentAt[seq];
          if (++replies === total) resolve();
        },
        (status, response) => {
          failed++;
          reject(new Error(`${client}: push ${seq} got ${status} ${JSON.stringify(response)}`));
        },
      );
    };
    const tick = () => {
      const due = Math.min(total, Math.floor(((performance.now() - wall0) * rate) / 1_000));
      while (sent < due) push(sent++);
      if (sent < total) setTimeout(tick, 1);
    };
    tick();
  });
  let timer;
  await Promise.race([
    finished,
    new Promise((_, reject) => {
      timer = setTimeout(() => reject(new Error(`${client}: ${replies} of ${total} replies after ${warmupMs + durationMs + 30_000} ms`)), warmupMs + durationMs + 30_000);
    }),
  ]);
  clearTimeout(timer);
  const wallMs = performance.now() - wall0;
  const cpu = process.cpuUsage(cpu0);
  const { sent: backgroundSent } = await ask({ op: 'background', on: false });
  // Let the last background frames land.
  for (let k = 0; k < 100 && background < backgroundSent; k++) await new Promise((resolve) => setTimeout(resolve, 20));
  connection.close();
  if (mismatched || duplicated || failed) throw new Error(`${client}: ${mismatched} replies carried another push's seq, ${duplicated} duplicated, ${failed} failed`);
  if (background !== backgroundSent) throw new Error(`${client}: background: server sent ${backgroundSent}, client got ${background}`);
  if (misrouted) throw new Error(`${client}: ${misrouted} background messages reached the wrong channel`);
  const samples = Array.from(rtts.subarray(warmupCount));
  return {
    client,
    samples,
    pushes: total,
    recorded: samples.length,
    background,
    achievedRate: (total / wallMs) * 1_000,
    cpuShare: (cpu.user + cpu.system) / 1_000 / wallMs,
  };
}

// ---------------------------------------------------------------- parent (harness)

function summarize(client, runs) {
  const all = runs.flatMap((r) => r.samples);
  return {
    client,
    p50: quantile(all, 0.5),
    p95: quantile(all, 0.95),
    p99: quantile(all, 0.99),
    max: max(all),
    samples: all.length,
    perRun: runs.map((r) => ({ p50: quantile(r.samples, 0.5), p99: quantile(r.samples, 0.99), max: max(r.samples), background: r.background, achievedRate: r.achievedRate, cpuShare: r.cpuShare })),
    cpuShare: median(runs.map((r) => r.cpuShare)),
    achievedRate: median(runs.map((r) => r.achievedRate)),
    backgroundPerRun: median(runs.map((r) => r.background)),
  };
}

export async function run({ server, clients, options, log }) {
  const plan = options.quick ? QUICK : DEFAULTS;
  if (server.impl !== 'testkit') return { name, title, plan: { ...plan, channels: CHANNELS }, rows: clients.map((client) => ({ client, error: 'needs the testkit server (push replies); skipped' })) };
  const runs = new Map(clients.map((c) => [c, []]));
  const errors = new Map();
  for (let r = 0; r < plan.reps; r++) {
    for (let k = 0; k < clients.length; k++) {
      const client = clients[(r + k) % clients.length];
      if (errors.has(client)) continue;
      try {
        const result = await retryIfMidBuild(() => runClient(
          SELF,
          { client, url: server.url, rate: plan.rate, warmupMs: plan.warmupMs, durationMs: plan.durationMs },
          {
            name: `rtt ${client} #${r + 1}`,
            onAsk: async (m) => (m.on ? (await server.background(client, CHANNELS, plan.background), {}) : { sent: (await server.background(client, CHANNELS, 0)).sent }),
          },
        ), { log });
        runs.get(client).push(result);
        log(`  rtt ${client.padEnd(7)} #${r + 1}: p50 ${quantile(result.samples, 0.5).toFixed(2)} ms, p99 ${quantile(result.samples, 0.99).toFixed(2)} ms, max ${max(result.samples).toFixed(1)} ms (${result.background} background msgs, CPU ${(result.cpuShare * 100).toFixed(0)}%)`);
      } catch (err) {
        await server.background(client, CHANNELS, 0).catch(() => {});
        errors.set(client, String(err?.message ?? err));
        log(`  rtt ${client}: FAILED ${errors.get(client).split('\n')[0]}`);
      }
    }
  }
  const rows = clients.map((c) => (errors.has(c) ? { client: c, error: errors.get(c) } : summarize(c, runs.get(c))));
  return { name, title, plan: { ...plan, channels: CHANNELS }, rows };
}

export function table(result) {
  const fmt = (x, d = 2) => (x == null || !Number.isFinite(x) ? '—' : x.toFixed(d));
  const ours = result.rows.find((r) => r.client === 'ours' && !r.error);
  const floor = result.rows.find((r) => r.client === 'floor' && !r.error);
  const lines = result.rows
    .filter((r) => !r.error)
    .map((r) => [
      r.client,
      fmt(r.p50),
      fmt(r.p95),
      fmt(r.p99),
      fmt(r.max, 1),
      floor ? `${fmt(r.p50 / floor.p50)}×` : '—',
      floor ? `${fmt(r.p99 / floor.p99)}×` : '—',
      ours && r !== ours ? `${fmt(r.p99 / ours.p99)}×` : '—',
      r.perRun.map((x) => fmt(x.p99)).join(' · '),
      `${(r.cpuShare * 100).toFixed(0)}%`,
      r.samples.toLocaleString('en-US'),
    ]);
  const p = result.plan;
  const notes = [
    `${p.rate.toLocaleString('en-US')} pushes/s for ${p.durationMs / 1000} s (+${p.warmupMs} ms warm-up, dropped) with ${p.background.toLocaleString('en-US')} background broadcasts/s to the same client, ${p.channels} channels; ${p.reps} interleaved run(s) per client, percentiles over all recorded samples. RTT in ms from push() to the ok callback.`,
  ];
  for (const r of result.rows) if (r.error) notes.push(`${r.client} failed: ${r.error.split('\n')[0]}`);
  return {
    header: ['client', 'p50 ms', 'p95 ms', 'p99 ms', 'max ms', 'p50 vs floor', 'p99 vs floor', 'p99 vs ours', 'p99 per run', 'client CPU', 'samples'],
    lines,
    notes,
  };
}
