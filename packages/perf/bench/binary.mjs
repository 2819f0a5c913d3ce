// Binary frames: client CPU µs per received V2 binary broadcast (kind 2) and per sent binary push
// (kind 0, with its ok reply), for 64-byte and 4 KiB payloads, floor vs ours vs phoenix. Receives are
// also measured for ours with `serializer: v2ViewSerializer` (client `ours-view`: payloads handed over
// as Uint8Array views, no copy, like the floor); its sends are ours' (same encoder), so it has no send rows.
//
// Same method as dispatch.mjs: one long-lived process per client (connect, join bench:0..99), driven
// burst by burst by the harness; bursts are interleaved across clients (rotating order) and each
// round's ratios vs the floor are taken within the round, so the machine's drift cancels out.
// - receive: the server sends a burst of pre-encoded binary broadcast frames (server.sendRaw of
//   Buffers, corked) round-robin over the 100 topics to one client; the client measures
//   process.cpuUsage() from the first to the last message. Every handler checks the payload's size
//   and the topic index written in its first two bytes.
// - send: the client pushes `bin:<size>` with a binary payload round-robin over its channels, at most
//   WINDOW pushes in flight (the next push goes out when a reply comes back); the testkit channel
//   replies ok only if it received a binary payload of exactly that size. CPU from the first push to
//   the last reply, per push. phoenix.js encodes only ArrayBuffer payloads as binary (a Uint8Array
//   would go out as a JSON object), so it has no Uint8Array row.
import { fileURLToPath } from 'node:url';
import { EVENT, topicOf } from './lib/frames.mjs';
import { phoenixApi } from './lib/clients.mjs';
import { connectPhoenixApi, connectPushClient } from './lib/push-clients.mjs';
import { retryIfMidBuild } from './lib/retry.mjs';
import { DrivenClient } from './lib/driven-client.mjs';
import { median, quantile, round } from './lib/stats.mjs';

export const name = 'binary';
export const title = 'Binary frames: CPU µs per binary broadcast received and per binary push sent';
const SELF = fileURLToPath(import.meta.url);
const CHANNELS = 100;
const WINDOW = 64;
const JOIN_TIMEOUT_MS = 120_000;
/** ours with `serializer: v2ViewSerializer`, run beside ours whenever ours runs, on receive cases only. */
const OURS_VIEW = 'ours-view';
// No lite row: lite's default serializer reads and writes JSON text only, and with `v2Serializer` it
// would run @phx-socket/transport's binary codec, which ours' rows already measure.
const BINARY_CLIENTS = ['floor', 'ours', 'phoenix'];

export const describe = `
Client CPU per V2 binary frame, 100 channels joined on one socket, 64 B and 4 KiB payloads:

- **receive**: the testkit server sends pre-encoded kind-2 binary broadcast frames
  (\`server.sendRaw(Buffer)\`, corked, round-robin over the 100 topics) to one client at a time; the
  client's \`channel.on('msg', cb)\` handler checks each payload's size and the topic index written in
  its first bytes. ours (default serializer) and phoenix.js hand the handler an \`ArrayBuffer\` (a copy
  of the payload bytes); **ours view** (\`serializer: v2ViewSerializer\`) and the floor (raw \`ws\`,
  hand-written header parse) hand it a \`Uint8Array\` view over the received frame (no copy).
- **send**: the client pushes \`bin:<size>\` with a binary payload (an \`ArrayBuffer\`, or a
  \`Uint8Array\`), at most ${WINDOW} pushes in flight; the testkit channel replies ok only when it got a
  binary payload of exactly that size, so the figure is one push encoded, sent, and its reply matched.
  phoenix.js sends only \`ArrayBuffer\` payloads as binary (a \`Uint8Array\` would go out as a JSON
  object), so it has no \`Uint8Array\` row. The floor writes the kind-0 header by hand into one Buffer.
  ours view encodes with ours' encoder, so it is not measured on sends (n/a).
- Method as in the dispatch benchmark: one process per client, bursts interleaved across clients in
  rotating order, per-round ratios vs the floor, median over the rounds; every burst must arrive (or be
  acknowledged) in full.
`;

/** The measured cases; `clients` restricts a case to the clients that can do it. */
const CASES = [
  { id: 'recv-64', op: 'recv', size: 64, label: 'receive broadcast, 64 B' },
  { id: 'recv-4k', op: 'recv', size: 4096, label: 'receive broadcast, 4 KiB' },
  { id: 'send-ab-64', op: 'send', size: 64, payload: 'ArrayBuffer', label: 'send push (ArrayBuffer), 64 B' },
  { id: 'send-ab-4k', op: 'send', size: 4096, payload: 'ArrayBuffer', label: 'send push (ArrayBuffer), 4 KiB' },
  { id: 'send-u8-64', op: 'send', size: 64, payload: 'Uint8Array', label: 'send push (Uint8Array), 64 B', clients: ['floor', 'ours'] },
  { id: 'send-u8-4k', op: 'send', size: 4096, payload: 'Uint8Array', label: 'send push (Uint8Array), 4 KiB', clients: ['floor', 'ours'] },
];

const DEFAULTS = {
  rounds: 7,
  targetCpuMs: 80,
  warmup: { recv: 20_000, send: 4_000 },
  minCount: { recv: 2_000, send: 5_000 },
  // 4 KiB receive bursts are written all at once by the server: cap them so a burst stays ~40 MB.
  maxCount: { recv: 100_000, 'recv-4k': 10_000, send: 40_000 },
};
const QUICK = { ...DEFAULTS, rounds: 2, targetCpuMs: 30, warmup: { recv: 5_000, send: 1_000 }, minCount: { recv: 1_000, send: 1_000 } };

// ---------------------------------------------------------------- child (measured client process)

let received = 0;
let target = 0;
let expectSize = 0;
let bad = 0;
let cpu0 = null;
let t0 = 0n;
let finish = null;

function markFirst() {
  t0 = process.hrtime.bigint();
  cpu0 = process.cpuUsage();
}
function measure() {
  const cpu = process.cpuUsage(cpu0);
  return { cpuUs: cpu.user + cpu.system, wallUs: Number(process.hrtime.bigint() - t0) / 1_000 };
}

function onBinary(i, payload) {
  const bytes = payload instanceof Uint8Array ? payload : new Uint8Array(payload);
  if (bytes.byteLength !== expectSize || bytes[0] !== (i & 0xff) || bytes[1] !== ((i >>> 8) & 0xff)) bad++;
  const k = ++received;
  if (k === 1) markFirst();
  else if (k === target) finish(measure());
}
const handlerFor = (i) => (payload) => onBinary(i, payload);

function withTimeout(promise, what) {
  let timer;
  const timeout = new Promise((_, reject) => {
    timer = setTimeout(() => reject(new Error(`${what}: not finished after 120 s (${received} of ${target})`)), 120_000);
  });
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}

async function recvBurst({ size, count }, ask) {
  received = 0;
  target = count;
  expectSize = size;
  bad = 0;
  const done = new Promise((resolve) => {
    finish = resolve;
  });
  const [m] = await withTimeout(Promise.all([done, ask({ op: 'send', count, size })]), `receive burst of ${count}×${size} B`);
  await new Promise((resolve) => setTimeout(resolve, 20));
  if (received !== count) throw new Error(`receive ${size} B: expected ${count} messages, got ${received}`);
  if (bad) throw new Error(`receive ${size} B: ${bad} payloads had the wrong size or reached the wrong channel`);
  return { count, cpuUsPerMsg: m.cpuUs / (count - 1), wallUsPerMsg: m.wallUs / (count - 1) };
}

function sendBurst(connection, { size, payload: kind, count }) {
  const event = `bin:${size}`;
  // One payload reused for every push: clients copy it into the frame they send.
  const payload = kind === 'ArrayBuffer' ? new ArrayBuffer(size) : new Uint8Array(size);
  new Uint8Array(payload instanceof ArrayBuffer ? payload : payload.buffer).fill(7);
  let sent = 0;
  let acked = 0;
  let failed = 0;
  received = 0;
  target = count;
  return withTimeout(
    new Promise((resolve, reject) => {
      const next = () => connection.push(sent++ % CHANNELS, event, payload, onOk, onFail);
      const onOk = () => {
        received = ++acked;
        if (acked === count) {
          const m = measure();
          if (failed) return reject(new Error(`send ${kind} ${size} B: ${failed} pushes were not acknowledged ok`));
          resolve({ count, cpuUsPerMsg: m.cpuUs / count, wallUsPerMsg: m.wallUs / count });
        } else if (sent < count) next();
      };
      const onFail = (status, response) => {
        failed++;
        reject(new Error(`send ${kind} ${size} B: a push got ${status} ${JSON.stringify(response)}`));
      };
      markFirst();
      while (sent < Math.min(WINDOW, count)) next();
    }),
    `send burst of ${count}×${size} B`,
  );
}

/**
 * ours with the zero-copy serializer: lib/clients.mjs's ours adapter (same Socket options, same join
 * loop) plus `serializer: v2ViewSerializer`, under its own bench_client name so frames reach only it.
 */
const oursView = phoenixApi(OURS_VIEW, 'ours + v2ViewSerializer', async (url, options) => {
  const { Socket, v2ViewSerializer } = await import('@phx-socket/client');
  return new Socket(url, { ...options, serializer: v2ViewSerializer });
});

export async function child({ client, url }, { ask }) {
  const connection = client === OURS_VIEW ? await connectPhoenixApi(oursView, url) : await connectPushClient(client, url);
  await connection.join(CHANNELS, handlerFor);
  let report = { ready: true };
  for (;;) {
    const action = await ask({ op: 'next', report });
    if (action.done) break;
    report = action.op === 'recv' ? await recvBurst(action, ask) : await sendBurst(connection, action);
  }
  connection.close();
  return { ok: true };
}

// ---------------------------------------------------------------- parent (harness)


export async function run({ server, clients: requested, options, log }) {
  const plan = options.quick ? QUICK : DEFAULTS;
  const clients = requested.filter((c) => BINARY_CLIENTS.includes(c));
  const rows = [];
  if (server.impl !== 'testkit') {
    rows.push({ case: 'all', client: 'all', error: 'needs the testkit server (binary frames, push replies); skipped' });
    return { name, title, plan: { ...plan, channels: CHANNELS, window: WINDOW }, cases: CASES, rows };
  }
  try {
    // ours-view rides along with ours, right after it (so the rotation interleaves the two).
    const measured = clients.flatMap((c) => (c === 'ours' ? [c, OURS_VIEW] : [c]));
    rows.push(...(await retryIfMidBuild(() => measureAll({ server, clients: measured, plan, log }), { log })));
  } catch (err) {
    const message = String(err?.message ?? err);
    rows.push({ case: 'all', client: 'all', error: message });
    log(`  binary: FAILED ${message.split('\n')[0]}`);
  }
  return { name, title, plan: { ...plan, channels: CHANNELS, window: WINDOW }, cases: CASES, rows };
}

async function measureAll({ server, clients, plan, log }) {
  const sessions = [];
  const rows = [];
  try {
    for (const client of clients) {
      const s = new DrivenClient(SELF, { client, url: server.url }, {
        name: `binary ${client}`,
        send: (m) => server.sendBinary(CHANNELS, m.count, client, m.size).then((r) => ({ ms: r.ms })),
      });
      sessions.push(s);
      await s.nextReport(); // joined
    }
    const counts = new Map(); // `${case}:${client}` -> burst size
    const participants = (c) =>
      sessions.filter((s) => (!c.clients || c.clients.includes(s.client)) && (s.client !== OURS_VIEW || c.op === 'recv'));
    for (const c of CASES) {
      if (c.op === 'recv') await server.prepareBinary(CHANNELS, c.size);
      for (const s of participants(c)) {
        const warm = await s.step({ ...c, count: plan.warmup[c.op] });
        const max = plan.maxCount[c.id] ?? plan.maxCount[c.op];
        const sized = Math.round((plan.targetCpuMs * 1_000) / warm.cpuUsPerMsg);
        counts.set(`${c.id}:${s.client}`, Math.min(max, Math.max(plan.minCount[c.op], sized)));
      }
    }
    const bursts = new Map(); // `${case}:${client}` -> [report per round]
    for (let r = 0; r < plan.rounds; r++) {
      for (const c of CASES) {
        if (c.op === 'recv') await server.prepareBinary(CHANNELS, c.size);
        const ps = participants(c);
        for (let k = 0; k < ps.length; k++) {
          const s = ps[(r + k) % ps.length];
          const key = `${c.id}:${s.client}`;
          if (!bursts.has(key)) bursts.set(key, []);
          bursts.get(key).push(await s.step({ ...c, count: counts.get(key) }));
        }
      }
    }
    for (const s of sessions) await s.finish();
    for (const c of CASES) {
      const floor = bursts.get(`${c.id}:floor`);
      for (const s of participants(c)) {
        const own = bursts.get(`${c.id}:${s.client}`);
        const row = {
          case: c.id,
          label: c.label,
          client: s.client,
          cpuUsPerMsg: median(own.map((b) => b.cpuUsPerMsg)),
          wallUsPerMsg: median(own.map((b) => b.wallUsPerMsg)),
          count: own[0].count,
          raw: own.map((b) => round(b.cpuUsPerMsg)),
        };
        if (floor && s.client !== 'floor') {
          const ratios = own.map((b, i) => b.cpuUsPerMsg / floor[i].cpuUsPerMsg);
          row.vsFloor = median(ratios);
          row.vsFloorP25 = quantile(ratios, 0.25);
          row.vsFloorP75 = quantile(ratios, 0.75);
        }
        rows.push(row);
        log(
          `  ${c.label.padEnd(32)} ${s.client.padEnd(9)} ${row.cpuUsPerMsg.toFixed(2).padStart(7)} µs CPU/msg` +
            `${row.vsFloor ? `  ${row.vsFloor.toFixed(2)}× floor` : ''}  (${own.length}×${row.count})`,
        );
      }
    }
  } catch (err) {
    for (const s of sessions) s.finish().catch(() => {});
    throw err;
  }
  return rows;
}

export function table(result) {
  const fmt = (x, d = 2) => (x == null || !Number.isFinite(x) ? '—' : x.toFixed(d));
  const by = (id, client) => result.rows.find((r) => r.case === id && r.client === client && !r.error);
  const ratio = (row) => (row?.vsFloor ? `${fmt(row.vsFloor)}× (${fmt(row.vsFloorP25)}–${fmt(row.vsFloorP75)})` : '—');
  const lines = result.cases.map((c) => {
    const f = by(c.id, 'floor');
    const o = by(c.id, 'ours');
    const v = by(c.id, OURS_VIEW);
    const p = by(c.id, 'phoenix');
    const viewNa = c.op !== 'recv';
    return [
      c.label,
      fmt(f?.cpuUsPerMsg),
      fmt(o?.cpuUsPerMsg),
      viewNa ? 'n/a' : fmt(v?.cpuUsPerMsg),
      c.clients && !c.clients.includes('phoenix') ? 'n/a' : fmt(p?.cpuUsPerMsg),
      ratio(o),
      viewNa ? 'n/a' : ratio(v),
      ratio(p),
      o && p ? `${fmt(p.cpuUsPerMsg / o.cpuUsPerMsg)}×` : '—',
    ];
  });
  const notes = [
    `CPU = process.cpuUsage() user+system of the client process per message (receive: first to last message of a burst; send: first push to last reply, at most ${result.plan.window} in flight), median of ${result.plan.rounds} interleaved bursts per client; ratios are medians of per-round ratios (interquartile range in parentheses). ${result.plan.channels} channels joined, round-robin.`,
    'ours view = ours with `serializer: v2ViewSerializer` (binary payloads as Uint8Array views, no copy); it encodes with ours\' encoder, so sends are not measured for it: n/a.',
    'phoenix.js sends a Uint8Array payload as JSON, not binary: n/a.',
  ];
  for (const r of result.rows) if (r.error) notes.push(`failed: ${r.error.split('\n')[0]}`);
  return {
    header: ['case', 'floor µs', 'ours µs', 'ours view µs', 'phoenix µs', 'ours / floor', 'ours view / floor', 'phoenix / floor', 'phoenix / ours'],
    lines,
    notes,
  };
}
