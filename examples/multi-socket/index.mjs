// node index.mjs [name=socketUrl ...] [--every 1000] [--json]
//
// Manages one socket per endpoint, pings all of them every `--every` ms and prints each endpoint's
// health. Without endpoints it starts three testkit servers (eu, us, ap), takes `us` down after 3 s and
// brings it back after 6 s, then exits after 9 s. With endpoints it runs until Ctrl-C.
import { installDemoChannels, startServer } from '@phx-socket/testkit';
import { SocketFleet } from './fleet.mjs';

const argv = process.argv.slice(2);
const flag = (/** @type {string} */ name, /** @type {number} */ fallback) => {
  const i = argv.indexOf(`--${name}`);
  return i >= 0 ? Number(argv[i + 1]) : fallback;
};
const EVERY_MS = flag('every', 1000);
const asJson = argv.includes('--json');
/** @type {[string, string][]} */
const endpoints = argv.filter((a) => /^[\w-]+=\w+:\/\//.test(a)).map((a) => /** @type {[string, string]} */ ([a.slice(0, a.indexOf('=')), a.slice(a.indexOf('=') + 1)]));

/** @type {(() => Promise<void>) | null} */
let stopDemo = null;
if (endpoints.length === 0) stopDemo = await startDemoServers(endpoints);

const fleet = new SocketFleet('room:fleet', {
  heartbeatIntervalMs: Math.max(100, Math.min(EVERY_MS, 5000)),
  // Back quickly after an outage, without hammering a server that stays down.
  reconnectAfterMs: (tries) => [100, 200, 500][tries - 1] ?? 1000,
});
for (const [name, url] of endpoints) fleet.add(name, url);

let n = 0;
const tick = setInterval(async () => {
  const results = await fleet.broadcast('ping', { n: ++n });
  const health = fleet.health();
  if (asJson) {
    console.log(JSON.stringify({ type: 'broadcast', n, results }));
    console.log(JSON.stringify({ type: 'health', n, endpoints: health }));
    return;
  }
  const cols = health.map((h) => {
    const r = results[h.name];
    const rtt = h.rttMs === null ? '   -   ' : h.up ? `${h.rttMs.toFixed(1).padStart(5)}ms` : `${((h.lastHeartbeatAgoMs ?? 0) / 1000).toFixed(1)}s ago`;
    return `${h.name} ${(h.up ? 'up' : h.status).padEnd(12)} hb ${rtt}  ping ${r?.status === 'ok' ? `${r.ms?.toFixed(1)}ms` : r?.status}`;
  });
  console.log(`#${String(n).padStart(3)}  ${cols.join('  |  ')}`);
}, EVERY_MS);

const shutdown = async () => {
  clearInterval(tick);
  await fleet.close();
  await stopDemo?.();
  process.exit(0);
};
process.on('SIGINT', shutdown);
process.on('SIGTERM', shutdown);

/**
 * Three local servers and a scripted outage of one of them.
 * @param {[string, string][]} into filled with the endpoints
 */
async function startDemoServers(into) {
  /** @type {Record<string, import('@phx-socket/testkit').TestServer>} */
  const servers = {};
  for (const name of ['eu', 'us', 'ap']) {
    servers[name] = await startServer();
    installDemoChannels(servers[name]);
    into.push([name, servers[name].url]);
  }
  const port = servers.us.port;
  setTimeout(() => {
    console.log('-- us goes down --');
    void servers.us.close();
  }, 3000);
  setTimeout(async () => {
    console.log('-- us is back --');
    servers.us = await startServer({ port });
    installDemoChannels(servers.us);
  }, 6000);
  setTimeout(() => void shutdown(), 9000);
  return async () => {
    await Promise.all(Object.values(servers).map((s) => s.close()));
  };
}
