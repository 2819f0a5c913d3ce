// The benchmark server, in its own process. Started by lib/server.mjs; speaks IPC:
//   -> { type: 'ready', url, impl }                      once listening
//   <- { type: 'send', id, n, count, client? }   send `count` pre-encoded broadcast frames to topics
//                                       bench:0..n-1 round-robin, to every connection (or only to
//                                       the one whose connect params say bench_client=<client>)
//   -> { type: 'reply', id, sent, ms }
//   <- { type: 'stats', id }            -> { type: 'reply', id, connections }
//   (`send` with `binSize`: kind-2 binary broadcast frames of binSize-byte payloads instead of JSON)
//   <- { type: 'restart', id }          server.restart() (testkit): every connection closed with 1012,
//                                       listening again on the same port
//   -> { type: 'reply', id, calledAt, listeningAt }   epoch ms (performance.timeOrigin + now())
//   <- { type: 'background', id, client, n, rate }   start sending `rate` JSON broadcast frames per
//                                       second round-robin over bench:0..n-1 to `client`, paced every
//                                       few ms; rate 0 stops it -> { type: 'reply', id, sent }
// Channel bench:* answers pushes (testkit only): `bin:<size>` → ok when the payload is binary of that
// many bytes (else error); `rtt` → ok with { seq } echoed from the payload; anything else → ok.
// Exits when the parent disconnects.
//
// BENCH_SERVER=testkit (default) uses @phx-socket/testkit: startServer + server.channel('bench:*')
// + server.sendRaw(frame, filter). BENCH_SERVER=mini uses lib/mini-server.mjs (ws only), handy to
// tell the testkit's part apart from the client's. Frames are encoded once (not per send through
// server.broadcast) so that the server is never what limits the measured client.
import { childLifecycle } from './children.mjs';
import { binaryBroadcastFrames } from './binary-frames.mjs';
import { broadcastFrames, topicOf } from './frames.mjs';

const impl = process.env.BENCH_SERVER ?? 'testkit';
const MAX_CHANNELS = 20_000;
// Frames written per corked chunk. By default a whole burst is produced in one go and then leaves in
// large writes, so that while the client is being measured the server is (nearly) idle and does not
// compete with it for the machine's cores; BENCH_CHUNK=512 interleaves production and delivery.
const CHUNK = Number(process.env.BENCH_CHUNK ?? Infinity);

let server;
if (impl === 'mini') {
  const { startMiniServer } = await import('./mini-server.mjs');
  server = await startMiniServer({ maxChannels: MAX_CHANNELS });
} else {
  const { startServer } = await import('@phx-socket/testkit');
  server = await startServer({ maxChannels: MAX_CHANNELS });
  server.channel(`${topicOf('*')}`, {
    join() {
      return { ok: {} };
    },
    handleIn(event, payload) {
      if (event === 'rtt') return { reply: 'ok', response: { seq: payload?.seq } };
      if (event.startsWith('bin:')) {
        const ok = payload instanceof Uint8Array && payload.byteLength === Number(event.slice(4));
        return { reply: ok ? 'ok' : 'error' };
      }
      return { reply: 'ok' };
    },
  });
}

async function shutdown() {
  try {
    await Promise.race([server.close(), new Promise((r) => setTimeout(r, 1_000))]);
  } finally {
    process.exit(0);
  }
}
childLifecycle(shutdown);

const frameCache = new Map(); // `${n}` or `${n}:bin${size}` -> encoded frames
function framesFor(n, binSize) {
  const key = binSize ? `${n}:bin${binSize}` : `${n}`;
  let frames = frameCache.get(key);
  if (!frames) {
    frameCache.clear();
    frames = binSize ? binaryBroadcastFrames(n, binSize) : broadcastFrames(n);
    frameCache.set(key, frames);
  }
  return frames;
}

// Without help, every frame the server writes is its own write(2), and the server (not the client
// being measured) becomes the bottleneck: the client then reads one frame per wake-up and its
// per-message figure includes the event-loop overhead of waiting. So each chunk of frames is
// written with the connections' TCP sockets corked: the same frames, through the same
// server.sendRaw, leave in a few large writes. The testkit has no public batching API, so this
// reaches its set of TCP sockets (`tcpSockets`); the mini server exposes `tcpSockets` too. Without
// them the benchmark still runs, uncorked, and says so (see `corked` in the ready message).
const tcpSockets = () => (server.tcpSockets instanceof Set ? server.tcpSockets : null);
function cork() {
  const sockets = tcpSockets();
  if (!sockets) return () => {};
  const corked = [...sockets];
  for (const s of corked) s.cork();
  return () => {
    for (const s of corked) s.uncork();
  };
}

const turn = () => new Promise((resolve) => setImmediate(resolve));

const filters = new Map();
function filterFor(client) {
  if (!client) return undefined;
  if (!filters.has(client)) filters.set(client, (connection) => connection.params.bench_client === client);
  return filters.get(client);
}

async function send(n, count, client, binSize) {
  const only = filterFor(client);
  const started = performance.now();
  const frames = framesFor(n, binSize);
  for (let k = 0; k < count; ) {
    const end = Math.min(count, k + CHUNK);
    const uncork = cork();
    for (; k < end; k++) server.sendRaw(frames[k % n], only);
    uncork();
    await turn();
  }
  return performance.now() - started;
}

const epochMs = () => performance.timeOrigin + performance.now();

/**
 * Background traffic: `rate` JSON broadcast frames per second to one client, sent every TICK_MS in
 * whatever number is due by then (so a late timer catches up instead of lowering the rate).
 */
const background = {
  timer: null,
  sent: 0,
  TICK_MS: 2,
  start(n, rate, client) {
    const frames = framesFor(n);
    const only = filterFor(client);
    const t0 = performance.now();
    this.sent = 0;
    this.timer = setInterval(() => {
      const due = Math.floor(((performance.now() - t0) * rate) / 1_000);
      if (due <= this.sent) return;
      const uncork = cork();
      for (; this.sent < due; this.sent++) server.sendRaw(frames[this.sent % n], only);
      uncork();
    }, this.TICK_MS);
  },
  /** Stops; returns how many frames were sent since start. */
  stop() {
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
    const sent = this.sent;
    this.sent = 0;
    return sent;
  },
};

process.on('message', async (msg) => {
  try {
    if (msg.type === 'send') {
      const ms = await send(msg.n, msg.count, msg.client, msg.binSize);
      process.send({ type: 'reply', id: msg.id, sent: msg.count, ms });
    } else if (msg.type === 'prepare') {
      framesFor(msg.n, msg.binSize);
      process.send({ type: 'reply', id: msg.id });
    } else if (msg.type === 'restart') {
      if (typeof server.restart !== 'function') throw new Error(`server ${impl} has no restart(); run with the testkit server`);
      const calledAt = epochMs();
      await server.restart();
      process.send({ type: 'reply', id: msg.id, calledAt, listeningAt: epochMs() });
    } else if (msg.type === 'background') {
      const sent = background.stop();
      if (msg.rate > 0) background.start(msg.n, msg.rate, msg.client);
      process.send({ type: 'reply', id: msg.id, sent });
    } else {
      process.send({ type: 'reply', id: msg.id, error: `unknown command ${msg.type}` });
    }
  } catch (err) {
    process.send({ type: 'reply', id: msg.id, error: String(err?.stack ?? err) });
  }
});

process.send({ type: 'ready', url: server.url, impl, corked: tcpSockets() !== null });
