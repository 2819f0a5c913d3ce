// Bytes on the wire and CPU per message for V2 JSON vs msgpack (plain maps, and msgpackr records) on two
// realistic payloads, a market tick and a 32-entity game-state update. Encode and decode each run in a
// fresh process per serializer; every decoded message is checked against the original.
import { isDeepStrictEqual } from 'node:util';
import { fileURLToPath } from 'node:url';
import { runClient } from './lib/run-client.mjs';
import { median } from './lib/stats.mjs';

export const name = 'serializers';
export const title = 'Serializers: V2 JSON vs msgpack';
const SELF = fileURLToPath(import.meta.url);
export const describe = `
One \`[join_ref, ref, topic, event, payload]\` broadcast frame per message, encoded and decoded with
\`v2Serializer\` and with \`@phx-socket/transport/msgpack\` (plain MessagePack maps; and msgpackr records,
which only msgpackr peers read). µs per message are medians of fresh processes; bytes are exact.
`;
const SERIALIZERS = ['v2-json', 'msgpack', 'msgpack-records'];
const PLAN = { iterations: 200_000, reps: 3 };
const QUICK = { iterations: 20_000, reps: 1 };

const PAYLOADS = {
  'market tick': { symbol: 'AAPL', bid: 189.52, ask: 189.55, last: 189.53, volume: 1234567, ts: 1700000000123, exchange: 'NASDAQ' },
  'game state (32 entities)': {
    tick: 123456,
    entities: Array.from({ length: 32 }, (_, i) => ({ id: i + 1, x: 10.5 * i, y: 3.25 * i, vx: 0.5, vy: -1.25, hp: 100 - i, state: i % 3 ? 'running' : 'idle' })),
  },
};

async function serializerFor(kind) {
  if (kind === 'v2-json') return (await import('@phx-socket/transport')).v2Serializer;
  const { createMsgpackSerializer } = await import('@phx-socket/transport/msgpack');
  return createMsgpackSerializer({ useRecords: kind === 'msgpack-records' });
}

const byteLength = (frame) => (typeof frame === 'string' ? Buffer.byteLength(frame) : frame.byteLength);

export async function child({ serializer: kind, iterations }) {
  const serializer = await serializerFor(kind);
  const out = {};
  for (const [label, payload] of Object.entries(PAYLOADS)) {
    const message = { joinRef: null, ref: null, topic: 'stream:1', event: 'update', payload };
    const frame = serializer.encode(message);
    if (!isDeepStrictEqual(serializer.decode(frame), message)) throw new Error(`${kind}: ${label} does not round-trip`);
    const warm = Math.min(iterations, 20_000);
    for (let i = 0; i < warm; i++) serializer.decode(serializer.encode(message));
    let t = performance.now();
    let sink = 0;
    for (let i = 0; i < iterations; i++) sink += byteLength(serializer.encode(message));
    const encodeUs = ((performance.now() - t) * 1000) / iterations;
    t = performance.now();
    for (let i = 0; i < iterations; i++) sink += serializer.decode(frame).topic.length;
    const decodeUs = ((performance.now() - t) * 1000) / iterations;
    out[label] = { bytes: byteLength(frame), encodeUs, decodeUs, sink };
  }
  return { serializer: kind, results: out };
}

export async function run({ options, log }) {
  const plan = options.quick ? QUICK : PLAN;
  const rows = [];
  for (const kind of SERIALIZERS) {
    try {
      const samples = [];
      for (let r = 0; r < plan.reps; r++) {
        samples.push(await runClient(SELF, { client: kind, serializer: kind, iterations: plan.iterations }, { name: `serializer ${kind} #${r + 1}` }));
      }
      for (const label of Object.keys(PAYLOADS)) {
        const row = {
          serializer: kind,
          payload: label,
          bytes: samples[0].results[label].bytes,
          encodeUs: median(samples.map((s) => s.results[label].encodeUs)),
          decodeUs: median(samples.map((s) => s.results[label].decodeUs)),
        };
        rows.push(row);
        log(`  ${kind.padEnd(16)} ${label.padEnd(26)} ${String(row.bytes).padStart(5)} B  encode ${row.encodeUs.toFixed(2)} µs  decode ${row.decodeUs.toFixed(2)} µs`);
      }
    } catch (err) {
      rows.push({ serializer: kind, error: String(err?.message ?? err) });
      log(`  ${kind}: FAILED ${String(err?.message ?? err).split('\n')[0]}`);
    }
  }
  return { name, title, plan, rows };
}

export function table(result) {
  const base = (label) => result.rows.find((r) => r.serializer === 'v2-json' && r.payload === label && !r.error);
  const ratio = (a, b) => (b ? `${(a / b).toFixed(2)}×` : '—');
  const lines = result.rows
    .filter((r) => !r.error)
    .map((r) => {
      const json = base(r.payload);
      return [r.payload, r.serializer, String(r.bytes), ratio(r.bytes, json?.bytes), r.encodeUs.toFixed(2), ratio(r.encodeUs, json?.encodeUs), r.decodeUs.toFixed(2), ratio(r.decodeUs, json?.decodeUs)];
    });
  return {
    header: ['payload', 'serializer', 'bytes', 'vs JSON', 'encode µs', 'vs JSON', 'decode µs', 'vs JSON'],
    lines,
    notes: ['ratios below 1× favour msgpack'],
  };
}
