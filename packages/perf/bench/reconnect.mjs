// Reconnect + rejoin: wall time from a server restart to all 1 000 channels joined again.
//
// Each repetition is a fresh client process: connect, join bench:0..999 (one handler each), then ask
// the harness to restart the server (testkit `server.restart()`: every connection closed with 1012,
// the listener closed and reopened on the same port). The client records when it saw its socket close
// and when the last of its 1 000 channels got the ok reply of its rejoin (each channel's own join push
// hooks fire again on rejoin, in every client), and its CPU over that span. Only one client is
// connected at a time; repetitions alternate between the clients. Every client uses the same fixed
// delays so that the figure is the client's own work, not its backoff policy. The floor has no
// reconnect logic to measure, so only the phoenix.js-API clients (ours, lite, phoenix) run.
import { fileURLToPath } from 'node:url';
import { CLIENTS, PHOENIX_API_CLIENTS } from './lib/clients.mjs';
import { EVENT, topicOf } from './lib/frames.mjs';
import { retryIfMidBuild } from './lib/retry.mjs';
import { runClient } from './lib/run-client.mjs';
import { median, min, max } from './lib/stats.mjs';

export const name = 'reconnect';
export const title = 'Reconnect + rejoin 1 000 channels after a server restart';
const SELF = fileURLToPath(import.meta.url);
const DELAY_MS = 10;

const DEFAULTS = { n: 1_000, reps: 5 };
const QUICK = { n: 1_000, reps: 2 };

export const describe = `
1 000 channels joined on one socket; the testkit server restarts (\`server.restart()\`: every connection
closed with 1012, the listener closed and reopened on the same port). Reported: wall ms from the client
seeing its socket close to the last of its 1 000 channels having its rejoin acknowledged (the ok hooks
of each channel's join push fire again), the client's CPU over that span, and, from the server's clock,
restart() called → listening again and restart() called → all rejoined. For fairness every client gets
the same fixed, small delays: \`reconnectAfterMs: () => ${DELAY_MS}\`, \`rejoinAfterMs: () => ${DELAY_MS}\`, and
ours \`jitter: 'none'\` (its default is full jitter over a backoff schedule; phoenix.js has no jitter). Lite
always jitters, but its full jitter never goes below min(base, 10 ms), so a ${DELAY_MS} ms base stays ${DELAY_MS} ms.
With default settings they would mostly wait out their first reconnect delay (phoenix.js 10 ms, ours and
lite a jittered step). The floor has no reconnect logic, hence no floor row: ratios are vs phoenix.js.
Fresh client process per repetition, clients alternated, median (min–max) reported.
`;

const epochMs = () => performance.timeOrigin + performance.now();

function makeSocket(client, url) {
  if (!PHOENIX_API_CLIENTS.includes(client)) throw new Error(`reconnect: no ${client} client (${PHOENIX_API_CLIENTS.join(', ')} only)`);
  // Only ours has a jitter option; lite's jitter floor keeps a DELAY_MS base unjittered (see describe).
  return CLIENTS[client].createSocket(url, {
    timeout: 30_000,
    reconnectAfterMs: () => DELAY_MS,
    rejoinAfterMs: () => DELAY_MS,
    ...(client === 'ours' ? { jitter: 'none' } : {}),
  });
}

export async function child({ client, url, n }, { ask }) {
  const socket = await makeSocket(client, url);
  let phase = 'join';
  let opens = 0;
  let errors = 0;
  let closedAt = 0;
  let cpu0 = null;
  socket.onOpen(() => opens++);
  socket.onError(() => errors++);
  socket.onClose(() => {
    if (phase === 'restart' && closedAt === 0) {
      closedAt = epochMs();
      cpu0 = process.cpuUsage();
    }
  });
  await new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`${client}: socket did not open within 30 s`)), 30_000);
    socket.onOpen(() => {
      clearTimeout(timer);
      resolve();
    });
    socket.connect();
  });

  // Per channel: how many ok replies its join push got. The first is the join, the second the rejoin.
  const oks = new Uint8Array(n);
  const channels = new Array(n);
  let joined = 0;
  let rejoined = 0;
  let failures = 0;
  let onAllJoined;
  let onAllRejoined;
  let rejoinedAt = 0;
  let cpu = null;
  const allJoined = new Promise((resolve) => (onAllJoined = resolve));
  const allRejoined = new Promise((resolve) => (onAllRejoined = resolve));
  const onFail = () => failures++;
  for (let i = 0; i < n; i++) {
    const channel = socket.channel(topicOf(i));
    channel.on(EVENT, () => {});
    channels[i] = channel;
    channel
      .join()
      .receive('ok', () => {
        const k = ++oks[i];
        if (k === 1 && ++joined === n) onAllJoined();
        else if (k === 2 && phase === 'restart' && ++rejoined === n) {
          rejoinedAt = epochMs();
          cpu = process.cpuUsage(cpu0);
          onAllRejoined();
        }
      })
      .receive('error', onFail)
      .receive('timeout', onFail);
  }
  await allJoined;
  await new Promise((resolve) => setTimeout(resolve, 100));
  const opensBefore = opens;
  const errorsBefore = errors;
  phase = 'restart';
  const restart = await ask({ op: 'restart' });
  let timer;
  await Promise.race([
    allRejoined,
    new Promise((_, reject) => {
      timer = setTimeout(() => reject(new Error(`${client}: ${rejoined} of ${n} channels rejoined 30 s after the restart`)), 30_000);
    }),
  ]);
  clearTimeout(timer);
  await new Promise((resolve) => setTimeout(resolve, 50));
  const notJoined = channels.filter((c) => c.state !== 'joined').length;
  const twice = oks.filter((k) => k > 2).length;
  socket.disconnect();
  if (notJoined) throw new Error(`${client}: ${notJoined} channels not in state joined after the rejoin`);
  if (failures) throw new Error(`${client}: ${failures} joins or rejoins failed or timed out`);
  if (twice) throw new Error(`${client}: ${twice} channels acknowledged more than one rejoin`);
  return {
    client,
    n,
    closeToRejoinedMs: rejoinedAt - closedAt,
    restartToRejoinedMs: rejoinedAt - restart.calledAt,
    restartToListeningMs: restart.listeningAt - restart.calledAt,
    cpuMs: (cpu.user + cpu.system) / 1_000,
    reconnectOpens: opens - opensBefore,
    socketErrors: errors - errorsBefore,
  };
}

export async function run({ server, clients, options, log }) {
  const plan = options.quick ? QUICK : DEFAULTS;
  if (server.impl !== 'testkit') return { name, title, plan: { ...plan, delayMs: DELAY_MS }, rows: [{ client: 'all', error: 'needs the testkit server (restart()); skipped' }] };
  const measured = clients.filter((c) => PHOENIX_API_CLIENTS.includes(c));
  const samples = new Map(measured.map((c) => [c, []]));
  const errors = new Map();
  for (let r = 0; r < plan.reps; r++) {
    for (let k = 0; k < measured.length; k++) {
      const client = measured[(r + k) % measured.length];
      if (errors.has(client)) continue;
      try {
        const s = await retryIfMidBuild(() => runClient(SELF, { client, url: server.url, n: plan.n }, { name: `reconnect ${client} #${r + 1}`, onAsk: () => server.restart() }), { log });
        samples.get(client).push(s);
        log(
          `  reconnect ${client.padEnd(7)} #${r + 1}: close → ${plan.n} rejoined ${s.closeToRejoinedMs.toFixed(1)} ms, restart() → rejoined ${s.restartToRejoinedMs.toFixed(1)} ms` +
            ` (server relistening after ${s.restartToListeningMs.toFixed(1)} ms), CPU ${s.cpuMs.toFixed(1)} ms, ${s.socketErrors} socket errors`,
        );
      } catch (err) {
        errors.set(client, String(err?.message ?? err));
        log(`  reconnect ${client}: FAILED ${errors.get(client).split('\n')[0]}`);
      }
    }
  }
  const stat = (xs, key) => ({ median: median(xs.map((x) => x[key])), min: min(xs.map((x) => x[key])), max: max(xs.map((x) => x[key])) });
  const rows = measured.map((client) => {
    if (errors.has(client)) return { client, error: errors.get(client) };
    const xs = samples.get(client);
    return {
      client,
      n: plan.n,
      closeToRejoinedMs: stat(xs, 'closeToRejoinedMs'),
      restartToRejoinedMs: stat(xs, 'restartToRejoinedMs'),
      restartToListeningMs: stat(xs, 'restartToListeningMs'),
      cpuMs: stat(xs, 'cpuMs'),
      socketErrors: median(xs.map((x) => x.socketErrors)),
      samples: xs,
    };
  });
  return { name, title, plan: { ...plan, delayMs: DELAY_MS }, rows };
}

export function table(result) {
  const fmt = (s, d = 1) => `${s.median.toFixed(d)} (${s.min.toFixed(d)}–${s.max.toFixed(d)})`;
  const phoenix = result.rows.find((r) => r.client === 'phoenix' && !r.error);
  const lines = result.rows
    .filter((r) => !r.error)
    .map((r) => [
      r.client,
      r.n.toLocaleString('en-US'),
      fmt(r.closeToRejoinedMs),
      phoenix ? `${(r.closeToRejoinedMs.median / phoenix.closeToRejoinedMs.median).toFixed(2)}×` : '—',
      fmt(r.restartToRejoinedMs),
      fmt(r.restartToListeningMs),
      fmt(r.cpuMs),
      String(r.socketErrors),
    ]);
  const notes = [
    `median (min–max) of ${result.plan.reps} fresh client processes per client, clients alternated. Every client: reconnectAfterMs and rejoinAfterMs = () => ${result.plan.delayMs}; ours also jitter: 'none' (lite's jitter cannot go below ${result.plan.delayMs} ms from that base). No floor row: the floor has no reconnect logic. "restart()" columns use the server's clock (epoch ms, same machine). Socket errors = failed reconnect attempts while the server was not listening.`,
  ];
  for (const r of result.rows) if (r.error) notes.push(`${r.client} failed: ${r.error.split('\n')[0]}`);
  return {
    header: ['client', 'channels', 'close → all rejoined ms', 'vs phoenix', 'restart() → all rejoined ms', 'restart() → listening ms', 'client CPU ms', 'socket errors'],
    lines,
    notes,
  };
}
