import { Socket, v2Serializer, DecodeError } from '@phx-socket/client';
const MODE = process.argv[2]; // frame|event
const DEC = process.argv[3]; // new|old
const N = Number(process.argv[4] ?? 10000);

// HEAD's decode (parseJson + destructure + checkMessage with a closure), for A/B
function oldCheck(candidate, format, frame) {
  const { joinRef, ref, topic, event, payload } = candidate;
  const fail = (what) => new DecodeError(`malformed ${format} frame: ${what}`, frame);
  if (joinRef !== null && typeof joinRef !== 'string') throw fail('j');
  if (ref !== null && typeof ref !== 'string') throw fail('r');
  if (typeof topic !== 'string') throw fail('t');
  if (typeof event !== 'string') throw fail('e');
  if (event === 'phx_reply') { const status = typeof payload === 'object' && payload !== null ? payload.status : undefined; if (typeof status !== 'string') throw fail('s'); }
  return { joinRef, ref, topic, event, payload };
}
function oldParse(text) { try { return JSON.parse(text); } catch (cause) { throw new DecodeError('x', text, { cause }); } }
const oldSerializer = { name: 'v2', vsn: '2.0.0', encode: v2Serializer.encode, decode(frame) {
  if (typeof frame === 'string') { const parsed = oldParse(frame); if (!Array.isArray(parsed) || parsed.length !== 5) throw new DecodeError('s', frame);
    const [joinRef, ref, topic, event, payload] = parsed; return oldCheck({ joinRef, ref, topic, event, payload }, 'V2', frame); }
  return v2Serializer.decode(frame); } };

const payloadFor = (i) => ({ id: 100000 + i, i, user: { id: 4217, name: 'ada.lovelace', role: 'member' }, body: 'Shipped the dispatch benchmark, numbers look good', ts: 1735689600000 + i, tags: ['bench', 'chat'] });
let sum = 0; const handlerFor = (i) => (p) => { if (p.i !== i) throw new Error('mismatch'); sum += p.id; };
const frames = []; for (let i = 0; i < N; i++) frames.push(JSON.stringify([null, null, `bench:${i}`, 'msg', payloadFor(i)]));
async function make(mode, dec) {
  if (mode === 'floor') {
    const channels = new Map(); for (let i = 0; i < N; i++) channels.set(`bench:${i}`, { joinRef: String(i + 1), event: 'msg', handler: handlerFor(i), onReply: null });
    return (s) => { const msg = JSON.parse(s); const ch = channels.get(msg[2]); if (ch === undefined) return; const jr = msg[0]; if (jr !== null && jr !== ch.joinRef) return; if (msg[3] === ch.event) ch.handler(msg[4]); else if (msg[3] === 'phx_reply' && ch.onReply !== null) ch.onReply(msg); };
  }
  let fake; const sent = [];
  class Fake { readyState = 0; onopen = null; onmessage = null; onclose = null; onerror = null;
    constructor() { if (mode === 'frame') this.onframe = null; fake = this; setTimeout(() => { this.readyState = 1; this.onopen?.({}); }, 0); }
    send(d) { sent.push(d); } close() {} }
  const deliver = mode === 'frame' ? (s) => fake.onframe(s) : (s) => fake.onmessage({ data: s });
  const socket = new Socket('ws://x/socket', { transport: Fake, serializer: dec === 'old' ? oldSerializer : v2Serializer, heartbeatIntervalMs: 1e9, timeout: 1e9 });
  socket.connect(); await new Promise((r) => socket.onOpen(r));
  for (let i = 0; i < N; i++) { const c = socket.channel(`bench:${i}`); c.on('msg', handlerFor(i)); c.join(); }
  for (const f of sent.splice(0)) { const [jr, ref, topic] = JSON.parse(f); if (topic === 'phoenix') continue; deliver(JSON.stringify([jr, ref, topic, 'phx_reply', { status: 'ok', response: {} }])); }
  return deliver;
}
const M = 300_000;
const measure = (run) => { const c0 = process.cpuUsage(); for (let k = 0; k < M; k++) run(frames[k % N]); const c = process.cpuUsage(c0); return (c.user + c.system) / M; };
const variants = [['floor', 'x'], ['frame', 'new'], ['event', 'new'], ['frame', 'old'], ['event', 'old']];
const runs = []; for (const [m, d] of variants) runs.push(await make(m, d));
for (const r of runs) measure(r);
const ratios = variants.map(() => []); const abs = variants.map(() => []);
for (let round = 0; round < 15; round++) {
  const t = runs.map((r) => measure(r));
  t.forEach((x, i) => { ratios[i].push(x / t[0]); abs[i].push(x); });
}
const med = (a) => { const b = [...a].sort((x, y) => x - y); return b[b.length >> 1]; };
variants.forEach(([m, d], i) => console.log(`${m} ${d}: ${med(abs[i]).toFixed(3)} µs/msg, ${med(ratios[i]).toFixed(3)}× floor`));
process.exit(0);
