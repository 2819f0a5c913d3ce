// Binary pool: what each candidate part of the pool saves, measured in-process on the built client
// (`@phx-socket/client` from dist/). Standalone:
//   node packages/perf/bench/pool.mjs [--quick]
// or as a module of run.mjs (name/title/describe/run/table, like the other benchmarks).
//
// Parts measured:
//   1. cacheable payloads — `pooledSerializer(v2Serializer, pool)` + `cacheable(payload)` vs `v2Serializer`
//      when one payload is pushed to many channels (fan-out); the part the pool keeps.
//   2. per-channel "[join_ref, ref, topic, event," prefix — a Map of pre-encoded prefixes vs JSON.stringify.
//   3. the heartbeat frame — a template vs JSON.stringify.
//   4. interning decoded topic/event strings — heap retained by 100 000 kept messages, and decode speed.
// Every encoded frame is passed to Buffer.byteLength, which flattens it as a transport send would, so a
// concatenated frame pays for its concatenation.
import { spawnSync } from 'node:child_process';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { BinaryPool, cacheable, pooledSerializer, v2Serializer } from '@phx-socket/client';
import { consoleTable } from './lib/report.mjs';
import { median } from './lib/stats.mjs';

export const name = 'pool';
export const title = 'Binary pool: encode throughput and retained memory, per part';
const SELF = fileURLToPath(import.meta.url);
export const describe = `
In-process, built client. Encodes V2 frames for 1 000 channels (refs change every frame) and passes each
to \`Buffer.byteLength\` (as a send would). "with" uses the pool part, "without" the plain serializer;
median of alternating timed rounds. Interning: \`heapUsed\` (forced GC) holding 100 000 decoded messages
on 1 000 topics, with and without replacing topic/event by a canonical string from a Map.
`;

const CHANNELS = 1000;
const topics = Array.from({ length: CHANNELS }, (_, i) => `room:${i}`);

function payloadOfBytes(bytes) {
  const items = [];
  let json = '';
  for (let i = 0; json.length < bytes; i++) {
    items.push({ id: i, name: `item-${i}`, score: i * 1.5, tags: ['a', 'b'], active: i % 2 === 0 });
    json = JSON.stringify({ items });
  }
  return { items };
}

/** Ops per second of `fn(i)`, median of `rounds` timed rounds of `ms` each, alternated by the caller. */
function opsPerSec(fn, ms) {
  let n = 0;
  let sink = 0;
  const end = performance.now() + ms;
  const start = performance.now();
  while (performance.now() < end) {
    for (let k = 0; k < 64; k++) sink += Buffer.byteLength(fn(n++));
  }
  const elapsed = performance.now() - start;
  if (sink < 0) console.log(sink);
  return (n / elapsed) * 1000;
}

function compare(label, without, withPart, { rounds, ms }) {
  const a = [];
  const b = [];
  for (let r = 0; r < rounds; r++) {
    a.push(opsPerSec(without, ms));
    b.push(opsPerSec(withPart, ms));
  }
  const w = median(a);
  const p = median(b);
  return { part: label, withoutOpsPerSec: Math.round(w), withOpsPerSec: Math.round(p), speedup: p / w, nsSavedPerFrame: 1e9 / w - 1e9 / p };
}

function encodeRows(plan) {
  const rows = [];
  for (const [label, bytes] of [
    ['cacheable payload, 64 B', 64],
    ['cacheable payload, 1 KB', 1024],
    ['cacheable payload, 16 KB', 16 * 1024],
  ]) {
    const value = payloadOfBytes(bytes);
    const marked = cacheable(value);
    const pool = new BinaryPool({ size: 100 });
    const pooled = pooledSerializer(v2Serializer, pool);
    rows.push(
      compare(
        label,
        (i) => v2Serializer.encode({ joinRef: '1', ref: String(i), topic: topics[i % CHANNELS], event: 'state', payload: value }),
        (i) => pooled.encode({ joinRef: '1', ref: String(i), topic: topics[i % CHANNELS], event: 'state', payload: marked }),
        plan,
      ),
    );
    pool.dispose();
  }
  // 2. the static "topic","event", part of each channel's frames, pre-encoded once per channel.
  const small = { body: 'hello', n: 1 };
  const prefixes = new Map(topics.map((t) => [t, `,${JSON.stringify(t)},"new_msg",`]));
  rows.push(
    compare(
      'topic/event prefix, plain Map (64 B)',
      (i) => JSON.stringify(['1', String(i), topics[i % CHANNELS], 'new_msg', small]),
      (i) => `["1",${JSON.stringify(String(i))}${prefixes.get(topics[i % CHANNELS])}${JSON.stringify(small)}]`,
      plan,
    ),
  );
  // 2 as the pool would have to do it: an LRU (lru-cache, through BinaryPool) keyed by topic + event.
  const prefixPool = new BinaryPool({ size: 2 * CHANNELS });
  rows.push(
    compare(
      'topic/event prefix via the LRU pool',
      (i) => JSON.stringify(['1', String(i), topics[i % CHANNELS], 'new_msg', small]),
      (i) => {
        const topic = topics[i % CHANNELS];
        const pair = prefixPool.json(`${topic}\u0000new_msg`, [topic, 'new_msg']);
        return `["1",${JSON.stringify(String(i))},${pair.slice(1, -1)},${JSON.stringify(small)}]`;
      },
      plan,
    ),
  );
  prefixPool.dispose();
  // Control for 2: the same template with nothing cached. If it matches the cached row, the gain is the
  // template (a serializer change), not the cache.
  rows.push(
    compare(
      'control: same template, no cache',
      (i) => JSON.stringify(['1', String(i), topics[i % CHANNELS], 'new_msg', small]),
      (i) => `["1",${JSON.stringify(String(i))},${JSON.stringify(topics[i % CHANNELS])},"new_msg",${JSON.stringify(small)}]`,
      plan,
    ),
  );
  // 3. the heartbeat frame.
  rows.push(
    compare(
      'heartbeat frame',
      (i) => JSON.stringify([null, String(i), 'phoenix', 'heartbeat', {}]),
      (i) => `[null,"${i}","phoenix","heartbeat",{}]`,
      plan,
    ),
  );
  return rows;
}

/** Child process (--expose-gc): heap retained by kept decoded messages, with or without interning. */
function internChild(intern) {
  const frames = [];
  for (let i = 0; i < 100_000; i++) frames.push(JSON.stringify([null, null, topics[i % CHANNELS], 'new_msg', { n: i }]));
  const table = new Map();
  const canonical = (s) => {
    const found = table.get(s);
    if (found !== undefined) return found;
    table.set(s, s);
    return s;
  };
  const settle = () => {
    for (let i = 0; i < 4; i++) globalThis.gc();
    return process.memoryUsage().heapUsed;
  };
  const before = settle();
  const kept = new Array(frames.length);
  const t = performance.now();
  for (let i = 0; i < frames.length; i++) {
    // What the V2 serializer does, inlined: this child must not depend on dist/ being present.
    const [joinRef, ref, topic, event, payload] = JSON.parse(frames[i]);
    const message = { joinRef, ref, topic, event, payload };
    if (intern) {
      message.topic = canonical(message.topic);
      message.event = canonical(message.event);
    }
    kept[i] = message;
  }
  const decodeMs = performance.now() - t;
  const after = settle();
  return { heapBytes: after - before, decodeNsPerFrame: (decodeMs * 1e6) / frames.length, kept: kept.length };
}

function internRow() {
  const run = (intern) => {
    const out = spawnSync(process.execPath, ['--expose-gc', SELF, '--intern-child', intern ? '1' : '0'], { encoding: 'utf8' });
    if (out.status !== 0) throw new Error(out.stderr);
    return JSON.parse(out.stdout.trim().split('\n').pop());
  };
  const without = [run(false), run(false), run(false)];
  const withIntern = [run(true), run(true), run(true)];
  return {
    heapWithout: median(without.map((r) => r.heapBytes)),
    heapWith: median(withIntern.map((r) => r.heapBytes)),
    decodeNsWithout: median(without.map((r) => r.decodeNsPerFrame)),
    decodeNsWith: median(withIntern.map((r) => r.decodeNsPerFrame)),
  };
}

export async function run({ options, log }) {
  const plan = options.quick ? { rounds: 3, ms: 100 } : { rounds: 7, ms: 300 };
  const rows = encodeRows(plan);
  for (const r of rows) {
    log(`  ${r.part.padEnd(34)} ${(r.withoutOpsPerSec / 1e3).toFixed(0).padStart(7)} k/s → ${(r.withOpsPerSec / 1e3).toFixed(0).padStart(7)} k/s  ×${r.speedup.toFixed(2)}`);
  }
  const intern = internRow();
  log(`  interning: ${intern.heapWithout} → ${intern.heapWith} heap bytes for 100 000 kept messages`);
  return { rows, intern };
}

export function table(result) {
  const lines = result.rows.map((r) => [
    r.part,
    `${(r.withoutOpsPerSec / 1e3).toFixed(0)} k/s`,
    `${(r.withOpsPerSec / 1e3).toFixed(0)} k/s`,
    `×${r.speedup.toFixed(2)}`,
    `${r.nsSavedPerFrame.toFixed(0)} ns`,
  ]);
  const i = result.intern;
  lines.push([
    'intern topic/event (decode, 100 000 kept)',
    `${i.decodeNsWithout.toFixed(0)} ns/frame, ${(i.heapWithout / 1024 / 1024).toFixed(2)} MiB`,
    `${i.decodeNsWith.toFixed(0)} ns/frame, ${(i.heapWith / 1024 / 1024).toFixed(2)} MiB`,
    `heap ×${(i.heapWith / i.heapWithout).toFixed(2)}`,
    `${(i.decodeNsWithout - i.decodeNsWith).toFixed(0)} ns`,
  ]);
  return { header: ['part', 'without', 'with', 'ratio', 'saved per frame'], lines };
}

const invoked = process.argv[1] && pathToFileURL(process.argv[1]).href === import.meta.url;
if (invoked && process.argv.includes('--intern-child')) {
  console.log(JSON.stringify(internChild(process.argv[process.argv.indexOf('--intern-child') + 1] === '1')));
} else if (invoked) {
  const result = await run({ options: { quick: process.argv.includes('--quick') }, log: (l) => console.log(l) });
  console.log(`\n${consoleTable(table(result))}`);
}
