// Parent side of the benchmark server: forks lib/server-worker.mjs and talks to it over IPC.
import { fileURLToPath } from 'node:url';
import { spawnChild } from './children.mjs';

const WORKER = fileURLToPath(new URL('./server-worker.mjs', import.meta.url));

export async function startBenchServer() {
  const child = spawnChild(WORKER, { name: 'bench server' });
  const fatal = child.wait('fatal', 24 * 3600_000).catch(() => {});
  const ready = await Promise.race([
    child.wait('ready', 30_000),
    fatal.then((m) => {
      throw new Error(`bench server failed to start: ${m?.error ?? 'exited'}`);
    }),
  ]);
  return {
    url: ready.url,
    impl: ready.impl,
    corked: ready.corked,
    pid: child.pid,
    /** Sends `count` broadcast frames round-robin over topics bench:0..n-1 to `client` (default: every connection). */
    send: (n, count, client) => child.request({ type: 'send', n, count, client }, 300_000),
    prepare: (n) => child.request({ type: 'prepare', n }, 60_000),
    /** Like send, but kind-2 binary broadcast frames with `binSize`-byte payloads. */
    sendBinary: (n, count, client, binSize) => child.request({ type: 'send', n, count, client, binSize }, 300_000),
    prepareBinary: (n, binSize) => child.request({ type: 'prepare', n, binSize }, 60_000),
    /** server.restart(): resolves with { calledAt, listeningAt } (epoch ms, sub-ms precision). */
    restart: () => child.request({ type: 'restart' }, 60_000),
    /** Starts `rate` broadcasts/s over bench:0..n-1 to `client` (rate 0 stops); resolves with { sent } of the previous run. */
    background: (client, n, rate) => child.request({ type: 'background', client, n, rate }, 30_000),
    stop: () => child.stop(),
  };
}
