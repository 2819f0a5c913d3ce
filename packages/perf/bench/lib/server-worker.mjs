// The benchmark server, in its own process. Started by lib/server.mjs; speaks IPC:
//   -> { type: 'ready', url, impl }                      once listening
//   <- { type: 'send', id, n, count, client? }   send `count` pre-encoded broadcast frames to topics
//                                       bench:0..n-1 round-robin, to every connection (or only to
//                                       the one whose connect params say bench_client=<client>)
//   -> { type: 'reply', id, sent, ms }
//   <- { type: 'stats', id }            -> { type: 'reply', id, connections }
// Exits when the parent disconnects.
//
// BENCH_SERVER=testkit (default) uses @phx-socket/testkit: startServer + server.channel('bench:*')
// + server.sendRaw(frame, filter). BENCH_SERVER=mini uses lib/mini-server.mjs (ws only), handy to
// tell the testkit's part apart from the client's. Frames are encoded once (not per send through
// server.broadcast) so that the server is never what limits the measured client.
import { childLifecycle } from './children.mjs';
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

const frameCache = new Map(); // n -> encoded frames
function framesFor(n) {
  let frames = frameCache.get(n);
  if (!frames) {
    frameCache.clear();
    frames = broadcastFrames(n);
    frameCache.set(n, frames);
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

async function send(n, count, client) {
  const only = filterFor(client);
  const started = performance.now();
  const frames = framesFor(n);
  for (let k = 0; k < count; ) {
    const end = Math.min(count, k + CHUNK);
    const uncork = cork();
    for (; k < end; k++) server.sendRaw(frames[k % n], only);
    uncork();
    await turn();
  }
  return performance.now() - started;
}

process.on('message', async (msg) => {
  try {
    if (msg.type === 'send') {
      const ms = await send(msg.n, msg.count, msg.client);
      process.send({ type: 'reply', id: msg.id, sent: msg.count, ms });
    } else if (msg.type === 'prepare') {
      framesFor(msg.n);
      process.send({ type: 'reply', id: msg.id });
    } else {
      process.send({ type: 'reply', id: msg.id, error: `unknown command ${msg.type}` });
    }
  } catch (err) {
    process.send({ type: 'reply', id: msg.id, error: String(err?.stack ?? err) });
  }
});

process.send({ type: 'ready', url: server.url, impl, corked: tcpSockets() !== null });
