import { Socket, v2Serializer, DecodeError } from '@phx-socket/client';
const MODE = process.argv[2]; // frame|event
const DEC = process.argv[3]; // new|old
const N = Number(process.argv[4] ?? 10000);
const M = 2_000_000;
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
let fake; const sent = [];
class Fake { readyState = 0; onopen = null; onmessage = null; onclose = null; onerror = null;
  constructor() { if (MODE === 'frame') this.onframe = null; fake = this; setTimeout(() => { this.readyState = 1; this.onopen?.({}); }, 0); }
  send(d) { sent.push(d); } close() {} }
const deliver = MODE === 'frame' ? (s) => fake.onframe(s) : MODE === 'floor' ? null : (s) => fake.onmessage({ data: s });
const payloadFor = (i) => ({ id: 100000 + i, i, user: { id: 4217, name: 'ada.lovelace', role: 'member' }, body: 'Shipped the dispatch benchmark, numbers look good', ts: 1735689600000 + i, tags: ['bench', 'chat'] });
let sum = 0; const handlerFor = (i) => (p) => { if (p.i !== i) throw new Error('mismatch'); sum += p.id; };
const frames = []; for (let i = 0; i < N; i++) frames.push(JSON.stringify([null, null, `bench:${i}`, 'msg', payloadFor(i)]));
let run;
if (MODE === 'floor') {
  const channels = new Map(); for (let i = 0; i < N; i++) channels.set(`bench:${i}`, { joinRef: String(i + 1), event: 'msg', handler: handlerFor(i), onReply: null });
  run = (s) => { const msg = JSON.parse(s); const ch = channels.get(msg[2]); if (ch === undefined) return; const jr = msg[0]; if (jr !== null && jr !== ch.joinRef) return; if (msg[3] === ch.event) ch.handler(msg[4]); else if (msg[3] === 'phx_reply' && ch.onReply !== null) ch.onReply(msg); };
} else {
  const socket = new Socket('ws://x/socket', { transport: Fake, serializer: DEC === 'old' ? oldSerializer : v2Serializer, heartbeatIntervalMs: 1e9, timeout: 1e9 });
  socket.connect(); await new Promise((r) => socket.onOpen(r));
  for (let i = 0; i < N; i++) { const c = socket.channel(`bench:${i}`); c.on('msg', handlerFor(i)); c.join(); }
  for (const f of sent.splice(0)) { const [jr, ref, topic] = JSON.parse(f); if (topic === 'phoenix') continue; deliver(JSON.stringify([jr, ref, topic, 'phx_reply', { status: 'ok', response: {} }])); }
  run = deliver;
}
const measure = () => { const c0 = process.cpuUsage(); for (let k = 0; k < M; k++) run(frames[k % N]); const c = process.cpuUsage(c0); return (c.user + c.system) / M; };
measure(); const rs = []; for (let r = 0; r < 5; r++) rs.push(measure()); rs.sort((a, b) => a - b);
console.log(`${MODE.padEnd(5)} ${(DEC ?? '').padEnd(3)} N=${N}: ${rs[2].toFixed(3)} µs/msg (min ${rs[0].toFixed(3)})`);
process.exit(0);
