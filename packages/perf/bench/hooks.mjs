// Message hooks: what `socket.use` costs per message, measured in-process on the built client
// (`@phx-socket/client` from dist/). Standalone:
//   node packages/perf/bench/hooks.mjs [--quick]
// or as a module of run.mjs (name/title/describe/run/table, like the other benchmarks).
//
// A WebSocket-shaped fake transport feeds pre-encoded V2 broadcast frames straight into the socket's
// onmessage, so the figure is the client's own per-message path (decode → hooks → route → handler), with
// no network noise. Outbound: `socket.push` (hooks → encode → send) into a transport whose send() drops
// the frame.
import { spawnSync } from 'node:child_process';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { Socket } from '@phx-socket/client';
import { consoleTable } from './lib/report.mjs';
import { min } from './lib/stats.mjs';

export const name = 'hooks';
const SELF = fileURLToPath(import.meta.url);
export const title = 'Message hooks: cost per message';
export const describe = `
In-process, built client, fake transport: ns per inbound message (V2 broadcast frames to 100 joined
channels, one \`on\` handler each) and per outbound \`socket.push\` (hooks → encode → send), with 0, 1 and 3 observing hooks,
1 transforming hook, and "removed" (a hook installed then removed, the path an app that never calls
\`use\` takes). Each configuration runs in its own fresh process (so one configuration's shapes cannot
slow another's JIT), rounds alternate between configurations; the fastest round is reported (noise on
a shared machine only ever adds time).
`;

const CHANNELS = 100;
const noTimers = { setTimeout: () => 0, clearTimeout: () => {}, now: () => performance.now() };

class BenchTransport {
  static last = null;
  readyState = 0;
  binaryType = 'arraybuffer';
  onopen = null;
  onmessage = null;
  onclose = null;
  onerror = null;
  joins = [];
  constructor() {
    BenchTransport.last = this;
    queueMicrotask(() => {
      this.readyState = 1;
      this.onopen?.();
    });
  }
  send(frame) {
    if (this.replyToJoins && frame.includes('"phx_join"')) {
      const [joinRef, ref, topic] = JSON.parse(frame);
      queueMicrotask(() => this.onmessage?.({ data: JSON.stringify([joinRef, ref, topic, 'phx_reply', { status: 'ok', response: {} }]) }));
    }
  }
  close() {
    this.readyState = 3;
  }
}

async function setup(configure) {
  const socket = new Socket('ws://bench.invalid/socket', { transport: BenchTransport, scheduler: noTimers, heartbeatIntervalMs: 0 });
  socket.connect();
  await new Promise((r) => setTimeout(r, 0));
  const ws = BenchTransport.last;
  ws.replyToJoins = true;
  const channels = [];
  let received = 0;
  for (let i = 0; i < CHANNELS; i++) {
    const channel = socket.channel(`bench:${i}`);
    channel.on('msg', () => received++);
    channels.push(channel);
  }
  await Promise.all(channels.map((c) => c.join()));
  ws.replyToJoins = false;
  configure(socket);
  const frames = channels.map((c, i) => JSON.stringify([c.joinRef, null, c.topic, 'msg', { n: i, body: 'hello world' }]));
  return { socket, ws, channels, frames, count: () => received };
}

function timeInbound({ ws, frames }, ms) {
  const feed = ws.onmessage;
  let n = 0;
  const start = performance.now();
  const end = start + ms;
  while (performance.now() < end) {
    for (let k = 0; k < frames.length; k++) feed({ data: frames[k] });
    n += frames.length;
  }
  return ((performance.now() - start) * 1e6) / n;
}

function timeOutbound({ socket, channels }, ms) {
  let n = 0;
  // socket.push (phoenix.js's raw push) rather than channel.push: unanswered channel pushes pile up in
  // their channel's reply map here (no server, no timers) and the GC would dominate the figure.
  const frames = channels.map((c) => ({ topic: c.topic, event: 'msg', payload: { body: 'hello world' }, ref: '1', join_ref: c.joinRef }));
  const start = performance.now();
  const end = start + ms;
  while (performance.now() < end) {
    for (let k = 0; k < frames.length; k++) socket.push(frames[k]);
    n += frames.length;
  }
  return ((performance.now() - start) * 1e6) / n;
}

const observe = () => {};
const CONFIGS = [
  ['no hook', () => {}],
  ['removed', (s) => s.use(observe)()],
  ['1 observing hook', (s) => s.use({ inbound: observe, outbound: observe })],
  ['3 observing hooks', (s) => [1, 2, 3].forEach(() => s.use({ inbound: observe, outbound: observe }))],
  ['1 transforming hook', (s) => s.use({ inbound: (m) => ({ ...m }), outbound: (m) => ({ ...m }) })],
];

/** One configuration in this (fresh) process: warm up, then time inbound and outbound. */
async function child(index, ms) {
  const [, configure] = CONFIGS[index];
  const env = await setup(configure);
  timeInbound(env, ms / 2);
  timeOutbound(env, ms / 2);
  const inboundNs = timeInbound(env, ms);
  const outboundNs = timeOutbound(env, ms);
  if (env.count() === 0) throw new Error('no message was delivered');
  env.socket.disconnect();
  return { inboundNs, outboundNs };
}

export async function run({ options, log }) {
  const plan = options.quick ? { rounds: 3, ms: 150 } : { rounds: 9, ms: 400 };
  const samples = CONFIGS.map(() => ({ inbound: [], outbound: [] }));
  for (let r = 0; r < plan.rounds; r++) {
    for (let i = 0; i < CONFIGS.length; i++) {
      const out = spawnSync(process.execPath, [SELF, '--child', String(i), String(plan.ms)], { encoding: 'utf8' });
      if (out.status !== 0) throw new Error(out.stderr);
      const result = JSON.parse(out.stdout.trim().split('\n').pop());
      samples[i].inbound.push(result.inboundNs);
      samples[i].outbound.push(result.outboundNs);
    }
  }
  const base = samples[0];
  const rows = CONFIGS.map(([label], i) => ({
    config: label,
    inboundNs: min(samples[i].inbound),
    outboundNs: min(samples[i].outbound),
    inboundRatio: min(samples[i].inbound) / min(base.inbound),
    outboundRatio: min(samples[i].outbound) / min(base.outbound),
  }));
  for (const r of rows) log(`  ${r.config.padEnd(20)} in ${r.inboundNs.toFixed(0).padStart(5)} ns (×${r.inboundRatio.toFixed(2)})  out ${r.outboundNs.toFixed(0).padStart(5)} ns (×${r.outboundRatio.toFixed(2)})`);
  return { rows };
}

export function table(result) {
  return {
    header: ['hooks', 'inbound ns/msg', 'vs none', 'outbound ns/push', 'vs none'],
    lines: result.rows.map((r) => [r.config, r.inboundNs.toFixed(0), `×${r.inboundRatio.toFixed(2)}`, r.outboundNs.toFixed(0), `×${r.outboundRatio.toFixed(2)}`]),
  };
}

const invoked = process.argv[1] && pathToFileURL(process.argv[1]).href === import.meta.url;
if (invoked && process.argv.includes('--child')) {
  const at = process.argv.indexOf('--child');
  console.log(JSON.stringify(await child(Number(process.argv[at + 1]), Number(process.argv[at + 2]))));
  process.exit(0);
} else if (invoked) {
  const result = await run({ options: { quick: process.argv.includes('--quick') }, log: (l) => console.log(l) });
  console.log(`\n${consoleTable(table(result))}`);
  process.exit(0);
}
