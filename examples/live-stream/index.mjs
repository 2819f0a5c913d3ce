// node index.mjs [socketUrl] [--rate 5000] [--count 20000] [--json]
//
// Subscribes to a market-data stream of `rate` ticks per second and consumes it in 50 ms batches:
// per batch it updates the book, checks sequence numbers (nothing lost, nothing out of order) and
// records delivery latency. Prints a status line per second and the PerformanceMonitor's report at
// the end. Without a URL it starts its own testkit playing the feed.
import { Histogram, PerformanceMonitor, Socket } from '@phx-socket/client';
import { startServer } from '@phx-socket/testkit';
import { createBatcher } from './batcher.mjs';
import { installTickerChannel, now } from './ticker-server.mjs';

const argv = process.argv.slice(2);
const flag = (/** @type {string} */ name, /** @type {number} */ fallback) => {
  const i = argv.indexOf(`--${name}`);
  return i >= 0 ? Number(argv[i + 1]) : fallback;
};
const RATE = flag('rate', 5000);
const COUNT = flag('count', 20_000);
const asJson = argv.includes('--json');
const log = asJson ? () => {} : console.log;
let url = argv.find((a) => a.includes('://'));

/** @type {import('@phx-socket/testkit').TestServer | null} */
let server = null;
if (url === undefined) {
  server = await startServer();
  installTickerChannel(server);
  url = server.url;
}

/** @typedef {{ seq: number, sym: string, px: number, ts: number }} Tick */

const socket = new Socket(url);
const monitor = new PerformanceMonitor();
monitor.attach(socket.telemetry);
socket.connect();
const channel = socket.channel('ticker:us-equities');

/** Server send → message arrived here. */
const wire = new Histogram(8192);
/** Server send → its batch processed (adds the wait for the batch, ~windowMs/2 on average). */
const latency = new Histogram(8192);
const book = new Map(); // symbol → last price
const stream = { received: 0, nextSeq: 0, gaps: 0, outOfOrder: 0, batches: 0, maxBatch: 0 };

const batcher = createBatcher((/** @type {Tick[]} */ ticks) => {
  const at = now();
  stream.batches++;
  stream.maxBatch = Math.max(stream.maxBatch, ticks.length);
  for (const t of ticks) {
    if (t.seq > stream.nextSeq) stream.gaps += t.seq - stream.nextSeq;
    if (t.seq < stream.nextSeq) stream.outOfOrder++;
    stream.nextSeq = Math.max(stream.nextSeq, t.seq + 1);
    stream.received++;
    book.set(t.sym, t.px);
    // Time from the server's send to this batch being processed: wire + decode + waiting for the batch.
    latency.record(at - t.ts);
  }
});
channel.on('tick', (/** @type {Tick} */ tick) => {
  wire.record(now() - tick.ts); // the only per-message work: everything else waits for the batch
  batcher.add(tick);
});
const ended = new Promise((resolve) => channel.on('end', resolve));

await channel.join();
const started = now();
await channel.push('subscribe', { rate: RATE, count: COUNT });
log(`streaming ${COUNT} ticks at ${RATE}/s from ${url}`);

let lastReceived = 0;
const status = setInterval(() => {
  const l = latency.snapshot();
  log(
    `${String(stream.received - lastReceived).padStart(6)} ticks/s  ${stream.batches} batches (max ${stream.maxBatch})  ` +
      `latency p50 ${l.p50.toFixed(1)} ms p99 ${l.p99.toFixed(1)} ms  lost ${stream.gaps}  ` +
      [...book].slice(0, 4).map(([s, p]) => `${s} ${p.toFixed(2)}`).join('  '),
  );
  lastReceived = stream.received;
}, 1000);

await ended;
batcher.flush();
clearInterval(status);
const seconds = (now() - started) / 1000;
const l = latency.snapshot();
const w = wire.snapshot();
const summary = monitor.summary();
const result = {
  type: 'result',
  expected: COUNT,
  received: stream.received,
  lost: COUNT - stream.received,
  outOfOrder: stream.outOfOrder,
  batches: stream.batches,
  maxBatch: stream.maxBatch,
  ticksPerSec: Math.round(stream.received / seconds),
  wireLatencyMs: { p50: w.p50, p95: w.p95, p99: w.p99, max: w.max },
  processedLatencyMs: { p50: l.p50, p95: l.p95, p99: l.p99, max: l.max },
  monitor: summary,
  messagesIn: monitor.metrics().counters.messagesIn,
};

if (asJson) console.log(JSON.stringify(result));
else {
  console.log(`\nreceived ${result.received}/${COUNT} ticks (lost ${result.lost}, out of order ${result.outOfOrder}) in ${seconds.toFixed(2)} s = ${result.ticksPerSec} ticks/s`);
  console.log(`${result.batches} batches, ${(result.received / result.batches).toFixed(0)} ticks per batch on average, ${result.maxBatch} at most`);
  console.log(`latency server send → arrival          p50 ${w.p50.toFixed(2)} ms  p95 ${w.p95.toFixed(2)} ms  p99 ${w.p99.toFixed(2)} ms`);
  console.log(`latency server send → batch processed  p50 ${l.p50.toFixed(2)} ms  p95 ${l.p95.toFixed(2)} ms  p99 ${l.p99.toFixed(2)} ms`);
}
console.log(monitor.report('text'));

socket.disconnect();
await server?.close();
process.exit(result.lost === 0 && result.outOfOrder === 0 ? 0 : 1);
