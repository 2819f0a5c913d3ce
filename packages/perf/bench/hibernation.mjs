// Hibernation: idle heap before/after a socket hibernates, measured in a fresh process with forced GCs on
// the built client (`@phx-socket/client` from dist/). Standalone:
//   node packages/perf/bench/hibernation.mjs
// or as a module of run.mjs (name/title/describe/run/table, like the other benchmarks).
//
// A socket with a binary pool and topic handlers on a fake transport joins 1 000 channels and pushes a
// distinct 1 KB cacheable payload on each (what a dashboard holding per-widget state looks like), then
// sits idle; an injected clock passes idleTimeoutMs and the socket sheds.
import { spawnSync } from 'node:child_process';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { cacheable, perfFeatures, Socket } from '@phx-socket/client';
import { consoleTable } from './lib/report.mjs';
import { median } from './lib/stats.mjs';

export const name = 'hibernation';
export const title = 'Idle heap before/after hibernation';
const SELF = fileURLToPath(import.meta.url);
export const describe = `
\`heapUsed\` (forced GCs, \`--expose-gc\`) of an idle socket with 1 000 joined channels, each having pushed
a distinct 1 KB \`cacheable\` payload through a \`binaryPool\` (size 2 000), before and after
\`hibernation\` (mode 'shed') ran. Built client, fake transport, injected clock; median of 3 processes.
`;

const CHANNELS = 1000;

class FakeClock {
  time = 0;
  timers = [];
  now = () => this.time;
  setTimeout = (fn, ms) => (this.timers.push({ at: this.time + ms, fn }), this.timers.at(-1));
  clearTimeout = (t) => (this.timers = this.timers.filter((x) => x !== t));
  advance(ms) {
    const end = this.time + ms;
    for (;;) {
      const due = this.timers.filter((t) => t.at <= end).sort((a, b) => a.at - b.at)[0];
      if (!due) break;
      this.clearTimeout(due);
      this.time = due.at;
      due.fn();
    }
    this.time = end;
  }
}

class BenchTransport {
  static last = null;
  readyState = 0;
  constructor() {
    BenchTransport.last = this;
    queueMicrotask(() => {
      this.readyState = 1;
      this.onopen?.();
    });
  }
  send(frame) {
    const [joinRef, ref, topic, event] = JSON.parse(frame);
    queueMicrotask(() => this.onmessage?.({ data: JSON.stringify([joinRef, ref, topic, 'phx_reply', { status: 'ok', response: event === 'phx_join' ? {} : { ok: true } }]) }));
  }
  close() {
    this.readyState = 3;
  }
}

async function child() {
  const settle = async () => {
    for (let i = 0; i < 4; i++) {
      await new Promise((r) => setTimeout(r, 10));
      globalThis.gc();
    }
    return process.memoryUsage().heapUsed;
  };
  const clock = new FakeClock();
  let released = 0;
  const socket = new Socket('ws://bench.invalid/socket', {
    transport: BenchTransport,
    scheduler: clock,
    heartbeatIntervalMs: 0,
    features: perfFeatures,
    binaryPool: { size: 2 * CHANNELS },
    topicHandlers: { 'widget:*': {} },
    hibernation: { idleTimeoutMs: 60_000 },
  });
  socket.telemetry.on('socket:hibernated', (e) => (released = e.measurements.bytes_released));
  socket.connect();
  const channels = Array.from({ length: CHANNELS }, (_, i) => socket.channel(`widget:${i}`));
  await Promise.all(channels.map((c) => c.join()));
  await Promise.all(channels.map((c, i) => c.push('state', cacheable({ id: i, series: Array.from({ length: 60 }, (_, k) => k * i) }))));
  const before = await settle();
  clock.advance(75_000);
  const after = await settle();
  return { before, after, released, state: socket.stats().hibernation.state };
}

export async function run({ log }) {
  const samples = [];
  for (let r = 0; r < 3; r++) {
    const out = spawnSync(process.execPath, ['--expose-gc', SELF, '--child'], { encoding: 'utf8' });
    if (out.status !== 0) throw new Error(out.stderr);
    samples.push(JSON.parse(out.stdout.trim().split('\n').pop()));
  }
  const row = {
    before: median(samples.map((s) => s.before)),
    after: median(samples.map((s) => s.after)),
    released: median(samples.map((s) => s.released)),
    state: samples[0].state,
  };
  log(`  idle heap ${(row.before / 1048576).toFixed(2)} MiB → ${(row.after / 1048576).toFixed(2)} MiB after hibernation (reported released ${(row.released / 1024).toFixed(0)} KiB)`);
  return { rows: [row] };
}

export function table(result) {
  return {
    header: ['idle heap before', 'after hibernation', 'difference', 'socket:hibernated bytes_released'],
    lines: result.rows.map((r) => [
      `${(r.before / 1048576).toFixed(2)} MiB`,
      `${(r.after / 1048576).toFixed(2)} MiB`,
      `${((r.before - r.after) / 1024).toFixed(0)} KiB`,
      `${(r.released / 1024).toFixed(0)} KiB`,
    ]),
  };
}

const invoked = process.argv[1] && pathToFileURL(process.argv[1]).href === import.meta.url;
if (invoked && process.argv.includes('--child')) {
  console.log(JSON.stringify(await child()));
  process.exit(0);
} else if (invoked) {
  const result = await run({ options: {}, log: (l) => console.log(l) });
  console.log(`\n${consoleTable(table(result))}`);
}
