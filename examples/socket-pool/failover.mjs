// The scenario of this example as one function, so that index.mjs prints it and the test asserts on it:
// three testkit servers (a cluster), `topics` channels spread over a SocketPool, a steady stream of pushes,
// one server killed and brought back. Returns what happened; `log` gets a line per step.
import { PhxError, SocketPool } from '@phx-socket/client';
import { startCluster, startFaultProxy } from '@phx-socket/testkit';

/**
 * @typedef {object} FailoverOptions
 * @property {number} [topics=20000] channels to join, `load:0` .. `load:<topics-1>`
 * @property {number} [pushesPerTick] pushes made every `tickMs` (round-robin over the topics); default topics / 200
 * @property {number} [tickMs=10] interval of the push stream, ms
 * @property {number} [victim=0] the endpoint (cluster node) that dies
 * @property {'close' | 'drop'} [kill='close'] how it dies: `'close'` stops the server (connections closed with
 *   1001, new ones refused, then it listens again on its port); `'drop'` cuts the network in front of it with a
 *   fault proxy (every connection destroyed mid-stream, new ones reset, then accepted again)
 * @property {number} [recoverAfterMs=500] the pool's `recoverAfterMs`: how long the victim must stay up before channels move back
 * @property {number} [timeoutMs=60000] how long to wait for each phase before giving up
 * @property {(line: string) => void} [log] progress lines; default console.log
 */

/**
 * @typedef {object} FailoverResult
 * @property {number} topics
 * @property {string[]} endpoints
 * @property {{ joined: number[], failover: number[], rebalanced: number[] }} perEndpoint channels per endpoint, from `pool.stats()`
 * @property {{ joined: number[], failover: number[], rebalanced: number[] }} perNode channels joined on each server, from the servers
 * @property {{ failover: number, rebalance: number, overflow: number }} moves `pool.stats().moves` at the end
 * @property {Record<string, number>} movedEvents `pool:channel_moved` events by `<reason> <from>→<to>`
 * @property {number} affected channels that were on the victim when it died
 * @property {number} joinMs all topics joined, from the first join
 * @property {number} failoverMs victim closed → every topic joined again on the other endpoints
 * @property {number} rebalanceMs victim listening again → every moved topic joined on it again
 * @property {boolean} allJoinedAfterFailover
 * @property {boolean} allJoinedAfterRebalance
 * @property {{ made: number, ok: number, errors: Record<string, number>, unsettled: number, lost: number, duplicated: number, unacknowledgedRan: number }} pushes
 *   `lost`: acknowledged but never received by a server; `duplicated`: received more than once;
 *   `unacknowledgedRan`: failed with a typed error yet the server had run it (possible only for a push in flight when its server died)
 */

const sleep = (/** @type {number} */ ms) => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * Polls `cond` every 5 ms; rejects after `timeoutMs` with `what`.
 * @param {() => boolean} cond
 * @param {number} timeoutMs
 * @param {string} what
 */
async function until(cond, timeoutMs, what) {
  const end = Date.now() + timeoutMs;
  while (!cond()) {
    if (Date.now() > end) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await sleep(5);
  }
}

/**
 * @param {FailoverOptions} [options]
 * @returns {Promise<FailoverResult>}
 */
export async function runFailover(options = {}) {
  const topics = options.topics ?? 20_000;
  const pushesPerTick = options.pushesPerTick ?? Math.max(1, Math.round(topics / 200));
  const tickMs = options.tickMs ?? 10;
  const victim = options.victim ?? 0;
  const recoverAfterMs = options.recoverAfterMs ?? 500;
  const timeoutMs = options.timeoutMs ?? 60_000;
  const log = options.log ?? console.log;
  const kill = options.kill ?? 'close';
  if (kill !== 'close' && kill !== 'drop') throw new TypeError(`runFailover({ kill }): expected 'close' or 'drop', got ${String(kill)}`);

  // Three servers, each taking every topic if need be (the testkit's default cap is 100 per connection).
  const cluster = await startCluster({ nodes: 3, maxChannels: topics + 100 });
  /** @type {Map<string, number>} push id -> times a server ran it, over all servers */
  const received = new Map();
  cluster.servers.forEach((server, node) => {
    server.channel('load:*', {
      join: () => ({ ok: { node } }),
      handleIn: (_event, payload) => {
        const id = /** @type {{ id?: unknown } | null} */ (payload)?.id;
        if (typeof id === 'string') received.set(id, (received.get(id) ?? 0) + 1);
        return { reply: 'ok', response: { node, id } };
      },
    });
  });
  // With kill: 'drop' the pool reaches each server through a fault proxy.
  const proxies = kill === 'drop' ? await Promise.all(cluster.urls.map((url) => startFaultProxy({ target: url }))) : [];
  const endpoints = kill === 'drop' ? proxies.map((p) => p.url) : cluster.urls;
  const die = async () => {
    if (kill === 'close') return cluster.stop(victim);
    const proxy = /** @type {import('@phx-socket/testkit').FaultProxy} */ (proxies[victim]);
    proxy.refuse(Infinity);
    await proxy.dropAll();
  };
  const comeBack = async () => {
    if (kill === 'close') return cluster.start(victim);
    /** @type {import('@phx-socket/testkit').FaultProxy} */ (proxies[victim]).accept();
  };
  const nodeOf = (/** @type {string} */ url) => endpoints.indexOf(url);

  const pool = new SocketPool({
    endpoints,
    socketsPerEndpoint: 1,
    strategy: 'least-channels',
    unhealthyAfterFailures: 3,
    recoverAfterMs,
    rebalance: true,
    // Fixed short delays so the example moves quickly; a real app keeps the jittered defaults.
    socket: { reconnectAfterMs: () => 50, rejoinAfterMs: () => 50, timeout: 30_000 },
  });
  /** @type {Record<string, number>} */
  const movedEvents = {};
  const offs = [
    pool.telemetry.on('pool:channel_moved', ({ metadata }) => {
      const key = `${metadata.reason} ${nodeOf(metadata.from)}→${nodeOf(metadata.to)}`;
      movedEvents[key] = (movedEvents[key] ?? 0) + 1;
    }),
    pool.telemetry.on('pool:socket_unhealthy', ({ metadata, measurements }) =>
      log(`  pool: endpoint ${nodeOf(metadata.endpoint)} unhealthy (${metadata.reason}, ${measurements.failures} failed connects): moving its ${measurements.channels} channels`),
    ),
    pool.telemetry.on('pool:socket_healthy', ({ metadata, measurements }) =>
      log(`  pool: endpoint ${nodeOf(metadata.endpoint)} healthy again after ${Math.round(measurements.unhealthy_ms)} ms: moving its channels back`),
    ),
  ];
  /** Channels per endpoint, from the pool's own stats. */
  const perEndpoint = () => {
    const counts = endpoints.map(() => 0);
    for (const s of pool.stats().sockets) counts[nodeOf(s.endpoint)] += s.channels;
    return counts;
  };

  let pushing = false;
  /** @type {ReturnType<typeof setInterval> | null} */
  let stream = null;
  try {
    pool.connect();
    log(`joining ${topics} topics over ${endpoints.length} endpoints…`);
    const t0 = performance.now();
    const channels = Array.from({ length: topics }, (_, i) => pool.channel(`load:${i}`));
    await Promise.all(channels.map((c) => c.join()));
    const joinMs = performance.now() - t0;
    const allJoined = () => channels.every((c) => c.isJoined());
    const joined = perEndpoint();
    const nodesJoined = cluster.channelsPerNode();
    log(`all joined in ${joinMs.toFixed(0)} ms — channels per endpoint ${joined.join(' / ')} (servers: ${nodesJoined.join(' / ')})`);

    // The push stream: round-robin over the topics, every push awaited and classified.
    /** @type {Record<string, number>} */
    const errors = {};
    /** @type {Set<string>} */
    const acked = new Set();
    /** @type {Set<string>} */
    const failed = new Set();
    /** @type {Promise<void>[]} */
    const outcomes = [];
    let seq = 0;
    let cursor = 0;
    pushing = true;
    stream = setInterval(() => {
      for (let k = 0; k < pushesPerTick; k++) {
        const id = `p-${seq++}`;
        const channel = channels[cursor++ % topics];
        outcomes.push(
          channel.push('work', { id }).then(
            () => void acked.add(id),
            (err) => {
              failed.add(id);
              const code = err instanceof PhxError ? `${err.name} (${err.code})` : `untyped: ${String(err)}`;
              errors[code] = (errors[code] ?? 0) + 1;
            },
          ),
        );
      }
    }, tickMs);
    await sleep(300);

    // The victim dies: its connections close, new ones are refused until it comes back.
    const affected = joined[victim];
    log(`-- endpoint ${victim} dies (${kill === 'close' ? 'server closed' : 'network cut by the fault proxy'}; ${affected} channels on it), pushes keep coming (${Math.round((pushesPerTick * 1000) / tickMs)}/s) --`);
    const tKill = performance.now();
    await die();
    await until(() => pool.stats().moves.failover >= affected && perEndpoint()[victim] === 0 && allJoined(), timeoutMs, `the ${affected} channels of endpoint ${victim} to join elsewhere`);
    const failoverMs = performance.now() - tKill;
    const allJoinedAfterFailover = allJoined();
    const failover = perEndpoint();
    const nodesFailover = cluster.channelsPerNode();
    log(`every topic joined again after ${failoverMs.toFixed(0)} ms — channels per endpoint ${failover.join(' / ')} (servers: ${nodesFailover.join(' / ')}); moves ${JSON.stringify(pool.stats().moves)}`);
    await sleep(500);

    // It comes back; once it has stayed up recoverAfterMs, its channels move back.
    log(`-- endpoint ${victim} is back --`);
    const tBack = performance.now();
    await comeBack();
    await until(() => pool.stats().moves.rebalance >= affected && allJoined(), timeoutMs, `the channels of endpoint ${victim} to move back`);
    const rebalanceMs = performance.now() - tBack;
    const allJoinedAfterRebalance = allJoined();
    const rebalanced = perEndpoint();
    const nodesRebalanced = cluster.channelsPerNode();
    log(`rebalanced after ${rebalanceMs.toFixed(0)} ms — channels per endpoint ${rebalanced.join(' / ')} (servers: ${nodesRebalanced.join(' / ')}); moves ${JSON.stringify(pool.stats().moves)}`);
    await sleep(300);

    // Stop pushing; every push made must settle (ok, or a typed error).
    clearInterval(stream);
    stream = null;
    pushing = false;
    const made = seq;
    let settled = false;
    await Promise.race([Promise.all(outcomes).then(() => (settled = true)), sleep(timeoutMs)]);
    const unsettled = settled ? 0 : made - acked.size - failed.size;
    let lost = 0;
    let duplicated = 0;
    let unacknowledgedRan = 0;
    for (const id of acked) {
      const runs = received.get(id) ?? 0;
      if (runs === 0) lost++;
    }
    for (const [id, runs] of received) {
      if (runs > 1) duplicated++;
      else if (failed.has(id)) unacknowledgedRan++;
    }
    const pushes = { made, ok: acked.size, errors, unsettled, lost, duplicated, unacknowledgedRan };
    log(
      `pushes: ${made} made, ${acked.size} ok, ${failed.size} failed with a typed error${failed.size ? ` (${Object.entries(errors).map(([k, v]) => `${v} ${k}`).join(', ')})` : ''}, ${unsettled} unsettled` +
        ` — server side: ${lost} acknowledged but never received, ${duplicated} received twice, ${unacknowledgedRan} failed but ran once (in flight when the server died)`,
    );
    return {
      topics,
      endpoints,
      perEndpoint: { joined, failover, rebalanced },
      perNode: { joined: nodesJoined, failover: nodesFailover, rebalanced: nodesRebalanced },
      moves: { ...pool.stats().moves },
      movedEvents,
      affected,
      joinMs,
      failoverMs,
      rebalanceMs,
      allJoinedAfterFailover,
      allJoinedAfterRebalance,
      pushes,
    };
  } finally {
    if (stream !== null) clearInterval(stream);
    if (pushing) pushing = false;
    for (const off of offs) off();
    pool.dispose();
    await Promise.all(proxies.map((p) => p.close()));
    await cluster.close();
  }
}
