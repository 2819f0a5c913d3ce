// SocketPool vs one socket, at 50 000 topics: join time, dispatch CPU per message, heap per channel, and
// recovery when an endpoint dies. Side by side in one run:
//
//   - floor:   raw ws + JSON.parse + Map (lib/clients.mjs), one socket — join, dispatch and heap only
//   - phoenix: phoenix.js 1.8.16, one socket
//   - ours:    @phx-socket/client, one Socket
//   - pool:    @phx-socket/client SocketPool over 3 endpoints (3 testkit servers), SOCKETS_PER_ENDPOINT each
//
// Servers: this file is also the server worker (`node socket-pool.mjs --server <maxChannels>`, forked by
// the harness): one testkit server per process, with maxChannels raised above the topic count. Every
// one-socket client gets its own server process and the pool gets three, so killing "its" endpoint in the
// recovery phase disturbs no other client. (run.mjs's shared bench server caps connections at 20 000
// channels, and killing it would hit every client at once.)
//
// Each client runs in one fresh process (--expose-gc), driven step by step (lib/driven-client.mjs):
//   1. connect, settled heap, join N topics (timed), settled heap again → join ms, heap B/channel
//   2. dispatch bursts, interleaved between the clients round by round as in dispatch.mjs: each server
//      stages its share of the burst (frames for the topics joined on that connection, round-robin,
//      written into corked TCP sockets), then every server uncorks at once, so the servers are idle
//      while the client is measured
//   3. (ours, phoenix, pool) the endpoint dies: server.close() on the client's server (pool: endpoint 0
//      of 3); the client times until every topic is joined again; DOWN_MS after the kill the server
//      listens again (server.reopen()) and the client times until every topic is joined (one-socket
//      clients: their only chance; pool: channels moved back by rebalance).
//
// Topic count: `--topics=N` (on the run.mjs command line) or BENCH_POOL_TOPICS=N; default 50 000
// (5 000 with --quick).
import { fileURLToPath, pathToFileURL } from 'node:url';
import { burstSink } from './lib/burst-sink.mjs';
import { childLifecycle, spawnChild } from './lib/children.mjs';
import { CLIENTS } from './lib/clients.mjs';
import { DrivenClient } from './lib/driven-client.mjs';
import { EVENT, payloadFor, TOPIC_PREFIX, topicOf } from './lib/frames.mjs';
import { median, quantile, round } from './lib/stats.mjs';

export const name = 'socket-pool';
export const title = 'SocketPool vs one socket: 50 000 topics, and an endpoint that dies';
const SELF = fileURLToPath(import.meta.url);

const ENDPOINTS = 3;
const SOCKETS_PER_ENDPOINT = 1;
const DELAY_MS = 10; // reconnectAfterMs and rejoinAfterMs of every client, as in reconnect.mjs
const DOWN_MS = 1_000; // how long the killed endpoint stays down
const RECOVER_AFTER_MS = 500; // the pool's recoverAfterMs (default 2000)
const JOIN_TIMEOUT_MS = 120_000;
const MEASURED = ['floor', 'phoenix', 'ours', 'pool'];

export const DEFAULTS = { n: 50_000, rounds: 5, targetCpuMs: 150, warmupCount: 5_000, minCount: 2_000, maxCount: 200_000 };
export const QUICK = { n: 5_000, rounds: 3, targetCpuMs: 60, warmupCount: 2_000, minCount: 1_000, maxCount: 50_000 };

export const describe = `
One run, four clients side by side, each in its own fresh process (\`--expose-gc\`): **floor** (raw \`ws\` +
\`JSON.parse\` + \`Map\`, from \`lib/clients.mjs\`), **phoenix** (phoenix.js 1.8.16, one socket), **ours**
(\`@phx-socket/client\`, one \`Socket\`) and **pool** (\`new SocketPool({ endpoints: [3 URLs], socketsPerEndpoint:
${SOCKETS_PER_ENDPOINT}, strategy: 'least-channels', recoverAfterMs: ${RECOVER_AFTER_MS} })\`), all from their built packages.
Every one-socket client has its own testkit server process and the pool has three (\`maxChannels\` raised
above the topic count), so killing an endpoint disturbs only the client being measured.

- **join**: wall ms from the first \`phx_join\` to the last join acknowledged, N topics (one handler each).
  The pool's three servers answer joins in parallel (3 processes on 2 cores), a one-socket client's in one.
- **heap**: \`heapUsed\` after 4 forced GCs with N joined topics minus the same with the client connected
  and no channel (the pool: made and \`connect()\`ed, no socket open yet), / N — heap.mjs's settled-heap method.
- **dispatch**: client CPU µs per broadcast delivered to an \`on(event)\` handler, broadcasts round-robin
  over all N topics (each server sends to the topics joined on it, in proportion), bursts staged into
  corked sockets then released at once, clients interleaved round by round; ratios are medians of
  per-round ratios, as in dispatch.mjs.
- **endpoint dies**: \`server.close()\` on the client's server (the pool: endpoint 0 of 3; connections
  closed, new ones refused), down for ${DOWN_MS} ms, then \`server.reopen()\` on the same port. Every
  client: \`reconnectAfterMs\` and \`rejoinAfterMs\` = () => ${DELAY_MS} (ours and the pool \`jitter: 'none'\`). "dies →
  all joined" is the time until every topic is joined again while the endpoint is still down: only the
  pool can (its channels on the dead endpoint move to the other two after \`unhealthyAfterFailures\` = 3 failed
  connects); a one-socket client cannot while its only endpoint is down. "back → all joined" is from the
  server listening again to every topic joined: for one-socket clients every topic rejoins; for the pool
  the moved channels go back to their endpoint (rebalance, which waits \`recoverAfterMs\` = ${RECOVER_AFTER_MS} ms of
  connection first). Times use the server's and the client's clocks (epoch ms, same machine).

Topic count: \`--topics=N\` or \`BENCH_POOL_TOPICS=N\` (default 50 000; 5 000 with \`--quick\`). This benchmark
starts its own servers (\`node bench/socket-pool.mjs --server <maxChannels>\`, 4 + 3 processes); the "server:"
of the line below names the run's shared server, which it does not use.
`;

const epochMs = () => performance.timeOrigin + performance.now();

function topicCount(quick) {
  const flag = process.argv.find((a) => a.startsWith('--topics='));
  const raw = flag ? flag.slice('--topics='.length) : process.env.BENCH_POOL_TOPICS;
  if (raw === undefined || raw === '') return quick ? QUICK.n : DEFAULTS.n;
  const n = Number(raw);
  if (!Number.isInteger(n) || n < 3) throw new RangeError(`socket-pool: --topics / BENCH_POOL_TOPICS must be an integer >= 3, got ${raw}`);
  return n;
}

// ---------------------------------------------------------------- server worker (one testkit server)

async function serverMain(maxChannels) {
  const { startServer } = await import('@phx-socket/testkit');
  const server = await startServer({ maxChannels });
  server.channel(`${TOPIC_PREFIX}*`, { join: () => ({ ok: {} }), handleIn: () => ({ reply: 'ok' }) });
  childLifecycle(async () => {
    await Promise.race([server.close(), new Promise((r) => setTimeout(r, 1_000))]);
    process.exit(0);
  });
  const frames = []; // by topic index, encoded once on first use
  const frameOf = (topic) => {
    const i = Number(topic.slice(TOPIC_PREFIX.length));
    return (frames[i] ??= JSON.stringify([null, null, topic, EVENT, payloadFor(i)]));
  };
  const cursors = new Map(); // connection id -> next position in its topics (continues across bursts)
  // The testkit has no public batching API; like lib/server-worker.mjs this reaches its TCP sockets.
  const tcpSockets = () => (server.tcpSockets instanceof Set ? [...server.tcpSockets] : []);
  let corked = [];
  const handlers = {
    /** Writes this server's share of a `count`-message burst to `client` into corked sockets. */
    stage({ client, count, n }) {
      corked = tcpSockets();
      for (const s of corked) s.cork();
      let staged = 0;
      for (const connection of server.connections) {
        if (connection.params.bench_client !== client) continue;
        const topics = connection.topics;
        if (topics.length === 0) continue;
        const share = Math.round((count * topics.length) / n);
        const only = (c) => c.id === connection.id;
        let k = cursors.get(connection.id) ?? 0;
        for (let j = 0; j < share; j++) server.sendRaw(frameOf(topics[k++ % topics.length]), only);
        cursors.set(connection.id, k);
        staged += share;
      }
      return { staged };
    },
    flush() {
      for (const s of corked) s.uncork();
      corked = [];
      return {};
    },
    async close() {
      const closedAt = epochMs();
      await server.close();
      return { closedAt, closedMs: epochMs() - closedAt };
    },
    async reopen() {
      await server.reopen();
      return { listeningAt: epochMs() };
    },
  };
  process.on('message', async (msg) => {
    try {
      const handler = handlers[msg?.type];
      if (!handler) throw new Error(`unknown command ${msg?.type}`);
      process.send({ type: 'reply', id: msg.id, ...(await handler(msg)) });
    } catch (err) {
      process.send({ type: 'reply', id: msg.id, error: String(err?.stack ?? err) });
    }
  });
  process.send({ type: 'ready', url: server.url });
}

async function startServers(count, maxChannels) {
  const children = [];
  try {
    for (let k = 0; k < count; k++) children.push(spawnChild(SELF, { args: ['--server', String(maxChannels)], name: `socket-pool server ${k}` }));
    const ready = await Promise.all(children.map((c) => c.wait('ready', 30_000)));
    return children.map((child, k) => ({
      url: ready[k].url,
      pid: child.pid,
      request: (type, msg = {}) => child.request({ ...msg, type }, 300_000),
      stop: () => child.stop(),
    }));
  } catch (err) {
    for (const c of children) c.kill();
    throw err;
  }
}

// ---------------------------------------------------------------- child (measured client process)

const sink = burstSink();
const { handlerFor } = sink;

async function settledHeap() {
  for (let i = 0; i < 4; i++) {
    await new Promise((resolve) => setTimeout(resolve, 25));
    globalThis.gc();
  }
  return process.memoryUsage().heapUsed;
}

const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

/** Resolves once `cond()` holds (checked by `notify()` calls), rejects after `timeoutMs`. */
function waitUntil(state, cond, timeoutMs, what) {
  if (cond()) return Promise.resolve();
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      state.notify = null;
      reject(new Error(what()));
    }, timeoutMs);
    state.notify = () => {
      if (!cond()) return;
      clearTimeout(timer);
      state.notify = null;
      resolve();
    };
  });
}

const socketOptions = (client) => ({
  timeout: JOIN_TIMEOUT_MS,
  reconnectAfterMs: () => DELAY_MS,
  rejoinAfterMs: () => DELAY_MS,
  ...(client === 'phoenix' ? {} : { jitter: 'none' }),
});

/** A phoenix.js-API target (Socket or SocketPool): the join loop with shared hooks counting every ok. */
function joinPhoenixStyle(target, n, state) {
  const channels = new Array(n);
  // Three hooks shared by every channel (as in lib/clients.mjs); the ok hook fires again on each rejoin.
  const onOk = () => {
    state.oks++;
    state.notify?.();
  };
  const onFail = () => {
    state.failures++;
    state.notify?.();
  };
  for (let i = 0; i < n; i++) {
    const channel = target.channel(topicOf(i));
    channel.on(EVENT, handlerFor(i));
    channels[i] = channel;
    channel.join(JOIN_TIMEOUT_MS).receive('ok', onOk).receive('error', onFail).receive('timeout', onFail);
  }
  return channels;
}

async function openClient(client, urls) {
  if (client === 'floor') {
    const connection = await CLIENTS.floor.connect(urls[0]);
    return { sockets: 1, joinAll: (n) => connection.joinAll(n, handlerFor), close: () => connection.close() };
  }
  const state = { oks: 0, failures: 0, notify: null };
  let target;
  if (client === 'pool') {
    const { SocketPool } = await import('@phx-socket/client');
    target = new SocketPool({
      endpoints: urls,
      socketsPerEndpoint: SOCKETS_PER_ENDPOINT,
      strategy: 'least-channels',
      recoverAfterMs: RECOVER_AFTER_MS,
      socket: { ...socketOptions(client), params: { bench_client: 'pool' } },
    });
    target.connect();
  } else {
    target = await CLIENTS[client].createSocket(urls[0], socketOptions(client));
    await new Promise((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`${client}: socket did not open within 30 s`)), 30_000);
      target.onOpen(() => {
        clearTimeout(timer);
        resolve();
      });
      target.connect();
    });
  }
  let channels = [];
  return {
    state,
    target,
    get channels() {
      return channels;
    },
    sockets: client === 'pool' ? ENDPOINTS * SOCKETS_PER_ENDPOINT : 1,
    async joinAll(n) {
      channels = joinPhoenixStyle(target, n, state);
      await waitUntil(state, () => state.oks >= n || state.failures > 0, JOIN_TIMEOUT_MS, () => `${client}: ${state.oks} of ${n} joined after ${JOIN_TIMEOUT_MS} ms`);
      if (state.failures) throw new Error(`${client}: ${state.failures} joins failed or timed out`);
    },
    close: () => (client === 'pool' ? target.dispose() : target.disconnect()),
  };
}

async function burst(n, count, ask) {
  const { staged } = await ask({ op: 'send', cmd: 'stage', count, n });
  const done = sink.expect(staged);
  await ask({ op: 'send', cmd: 'flush' });
  const m = await sink.judge(done, staged, 'burst');
  return { count: staged, cpuUsPerMsg: m.cpuUs / (staged - 1), wallUsPerMsg: m.wallUs / (staged - 1), utilization: m.cpuUs / m.wallUs };
}

/** The endpoint dies and comes back; resolves with the recovery figures. */
async function recover(client, c, n, ask) {
  const { state, target, channels } = c;
  await sleep(100);
  let affected = n;
  let before = null;
  if (client === 'pool') {
    before = target.stats();
    affected = before.sockets.filter((s) => s.endpoint === before.sockets[0].endpoint).reduce((sum, s) => sum + s.channels, 0);
  }
  const base = state.oks;
  state.failures = 0;
  const cpuStart = process.cpuUsage();
  const { closedAt } = await ask({ op: 'send', cmd: 'kill' });
  let failoverAt = null;
  let failover = null;
  if (client === 'pool') {
    await waitUntil(state, () => state.oks - base >= affected, 60_000, () => `pool: ${state.oks - base} of ${affected} channels rejoined elsewhere 60 s after the endpoint died`);
    failoverAt = epochMs();
    failover = target.stats();
  }
  const cpuFailover = process.cpuUsage(cpuStart);
  const wait = closedAt + DOWN_MS - epochMs();
  if (wait > 0) await sleep(wait);
  const { listeningAt } = await ask({ op: 'send', cmd: 'revive' });
  const expected = client === 'pool' ? 2 * affected : affected; // pool: moved away, then back
  await waitUntil(state, () => state.oks - base >= expected, 60_000, () => `${client}: ${state.oks - base - (expected - affected)} of ${affected} channels joined 60 s after the endpoint came back`);
  const backAt = epochMs();
  const cpu = process.cpuUsage(cpuStart);
  await sleep(100);
  const notJoined = channels.filter((ch) => ch.state !== 'joined').length;
  if (notJoined) throw new Error(`${client}: ${notJoined} channels not joined after recovery`);
  if (state.failures) throw new Error(`${client}: ${state.failures} rejoins failed or timed out`);
  if (state.oks - base !== expected) throw new Error(`${client}: ${state.oks - base} join acknowledgements after the kill, expected ${expected}`);
  const after = client === 'pool' ? target.stats() : null;
  const spread = (s) => s.sockets.map((x) => x.channels);
  return {
    affected,
    dieToJoinedMs: failoverAt === null ? null : failoverAt - closedAt,
    downMs: listeningAt - closedAt,
    backToJoinedMs: backAt - listeningAt,
    failoverCpuMs: client === 'pool' ? (cpuFailover.user + cpuFailover.system) / 1_000 : null,
    cpuMs: (cpu.user + cpu.system) / 1_000,
    ...(client === 'pool'
      ? { spreadBefore: spread(before), spreadFailover: spread(failover), spreadAfter: spread(after), moves: after.moves, healthyDuringFailover: failover.healthy }
      : {}),
  };
}

export async function child({ client, urls, n }, { ask }) {
  if (typeof globalThis.gc !== 'function') throw new Error('socket-pool benchmark needs --expose-gc');
  const c = await openClient(client, urls);
  const heapBefore = await settledHeap();
  const cpuJoin = process.cpuUsage();
  const tJoin = performance.now();
  await c.joinAll(n);
  const joinMs = performance.now() - tJoin;
  const joinCpu = process.cpuUsage(cpuJoin);
  await sleep(200);
  const heapAfter = await settledHeap();
  let report = {
    joinMs,
    joinCpuMs: (joinCpu.user + joinCpu.system) / 1_000,
    bytesPerChannel: (heapAfter - heapBefore) / n,
    spread: client === 'pool' ? c.target.stats().sockets.map((s) => s.channels) : [n],
  };
  for (;;) {
    const action = await ask({ op: 'next', report });
    if (action.done) break;
    report = action.recover ? await recover(client, c, n, ask) : await burst(n, action.count, ask);
  }
  c.close();
  return { checksum: sink.checksum };
}

// ---------------------------------------------------------------- parent (harness)

export async function run({ clients, options, log }) {
  const plan = { ...(options.quick ? QUICK : DEFAULTS), n: topicCount(options.quick) };
  const { n } = plan;
  // Which of the requested clients run: floor/phoenix/ours as asked; the pool whenever ours is built.
  const measured = MEASURED.filter((c) => (c === 'pool' ? clients.includes('ours') : clients.includes(c)));
  const maxChannels = 2 * n + 100; // a pool socket takes over half of a dead endpoint's share
  const solo = measured.filter((c) => c !== 'pool');
  const servers = await startServers(solo.length + ENDPOINTS, maxChannels);
  const serversOf = new Map();
  solo.forEach((c, k) => serversOf.set(c, [servers[k]]));
  serversOf.set('pool', servers.slice(solo.length));
  log(`  ${servers.length} testkit server processes (maxChannels ${maxChannels}): ${solo.map((c) => `${c} ${serversOf.get(c)[0].url}`).join(', ')}, pool ${serversOf.get('pool').map((s) => s.url).join(' ')}`);

  const sessions = [];
  const rows = new Map();
  const errors = new Map();
  const fail = (client, err) => {
    errors.set(client, String(err?.message ?? err));
    log(`  ${client}: FAILED ${errors.get(client).split('\n')[0]}`);
  };
  try {
    const send = (client) => async (m) => {
      const own = serversOf.get(client);
      if (m.cmd === 'stage') {
        const replies = await Promise.all(own.map((s) => s.request('stage', { client, count: m.count, n: m.n })));
        return { staged: replies.reduce((sum, r) => sum + r.staged, 0) };
      }
      if (m.cmd === 'flush') {
        await Promise.all(own.map((s) => s.request('flush')));
        return {};
      }
      const victim = own[0]; // the pool: endpoint 0 of 3
      if (m.cmd === 'kill') return { closedAt: (await victim.request('close')).closedAt };
      if (m.cmd === 'revive') return { listeningAt: (await victim.request('reopen')).listeningAt };
      throw new Error(`unknown command ${m.cmd}`);
    };
    // 1. Join and heap, one client at a time (the others sit idle).
    for (const client of measured) {
      const session = new DrivenClient(SELF, { client, urls: serversOf.get(client).map((s) => s.url), n }, { execArgv: ['--expose-gc'], name: `socket-pool ${client}`, send: send(client) });
      try {
        const r = await session.nextReport();
        sessions.push(session);
        rows.set(client, { client, n, sockets: client === 'pool' ? ENDPOINTS * SOCKETS_PER_ENDPOINT : 1, ...r, bursts: [] });
        log(`  ${client.padEnd(7)} join ${n} ${r.joinMs.toFixed(0).padStart(6)} ms wall ${r.joinCpuMs.toFixed(0).padStart(6)} ms CPU  heap ${r.bytesPerChannel.toFixed(0).padStart(5)} B/channel  spread ${r.spread.join('/')}`);
      } catch (err) {
        fail(client, err);
        session.finish().catch(() => {});
      }
    }
    // 2. Dispatch: a warm-up burst sizes each client's bursts, then interleaved rounds.
    const counts = new Map();
    for (const s of [...sessions]) {
      try {
        const warm = await s.step({ count: plan.warmupCount });
        counts.set(s.client, Math.min(plan.maxCount, Math.max(plan.minCount, Math.round((plan.targetCpuMs * 1_000) / warm.cpuUsPerMsg))));
      } catch (err) {
        fail(s.client, err);
        sessions.splice(sessions.indexOf(s), 1);
      }
    }
    for (let r = 0; r < plan.rounds; r++) {
      for (let k = 0; k < sessions.length; k++) {
        const s = sessions[(r + k) % sessions.length];
        if (errors.has(s.client)) continue;
        try {
          rows.get(s.client).bursts.push(await s.step({ count: counts.get(s.client) }));
        } catch (err) {
          fail(s.client, err);
        }
      }
    }
    for (const row of rows.values()) {
      if (errors.has(row.client)) continue;
      row.cpuUsPerMsg = median(row.bursts.map((b) => b.cpuUsPerMsg));
      row.wallUsPerMsg = median(row.bursts.map((b) => b.wallUsPerMsg));
    }
    const perRound = (row, base) => {
      if (!base || base === row || errors.has(base.client) || errors.has(row.client)) return null;
      const ratios = row.bursts.map((b, r) => b.cpuUsPerMsg / base.bursts[r]?.cpuUsPerMsg).filter(Number.isFinite);
      return ratios.length ? { median: median(ratios), p25: quantile(ratios, 0.25), p75: quantile(ratios, 0.75) } : null;
    };
    for (const row of rows.values()) {
      row.vsFloor = perRound(row, rows.get('floor'));
      row.vsPhoenix = perRound(row, rows.get('phoenix'));
      if (!errors.has(row.client)) {
        log(
          `  ${row.client.padEnd(7)} dispatch ${row.cpuUsPerMsg.toFixed(3).padStart(8)} µs/msg CPU` +
            `${row.vsFloor ? `  ${row.vsFloor.median.toFixed(2)}× floor` : ''}${row.vsPhoenix ? `  ${row.vsPhoenix.median.toFixed(2)}× phoenix` : ''}` +
            `  (${row.bursts.length}×${counts.get(row.client)} msgs)`,
        );
      }
    }
    // 3. The endpoint dies, one client at a time; each client's own server (the pool: endpoint 0).
    for (const s of sessions) {
      if (s.client === 'floor' || errors.has(s.client)) continue;
      try {
        const rec = await s.step({ recover: true });
        rows.get(s.client).recovery = rec;
        log(
          `  ${s.client.padEnd(7)} endpoint dies: ${rec.dieToJoinedMs === null ? `cannot recover while down (${rec.downMs.toFixed(0)} ms)` : `${rec.affected} topics joined elsewhere after ${rec.dieToJoinedMs.toFixed(0)} ms`}` +
            `; back → ${rec.affected} ${s.client === 'pool' ? 'moved back' : 'rejoined'} after ${rec.backToJoinedMs.toFixed(0)} ms` +
            `${rec.spreadFailover ? `  spread ${rec.spreadBefore.join('/')} → ${rec.spreadFailover.join('/')} → ${rec.spreadAfter.join('/')}, moves ${JSON.stringify(rec.moves)}` : ''}`,
        );
      } catch (err) {
        fail(s.client, err);
      }
    }
    for (const s of sessions) await s.finish().catch((err) => errors.has(s.client) || fail(s.client, err));
  } finally {
    for (const s of sessions) s.finish().catch(() => {});
    await Promise.all(servers.map((s) => s.stop().catch(() => {})));
  }
  const out = measured.map((client) => {
    if (errors.has(client)) return { client, n, error: errors.get(client) };
    const row = rows.get(client);
    return {
      ...row,
      bursts: row.bursts.map((b) => ({ cpu: round(b.cpuUsPerMsg), wall: round(b.wallUsPerMsg), busy: round(b.utilization, 2), count: b.count })),
    };
  });
  return { name, title, plan: { ...plan, endpoints: ENDPOINTS, socketsPerEndpoint: SOCKETS_PER_ENDPOINT, delayMs: DELAY_MS, downMs: DOWN_MS, recoverAfterMs: RECOVER_AFTER_MS }, rows: out };
}

export function table(result) {
  const ok = result.rows.filter((r) => !r.error);
  const phoenix = ok.find((r) => r.client === 'phoenix');
  const fmt = (x, d = 0) => (x == null || !Number.isFinite(x) ? '—' : x.toFixed(d));
  // Two decimals, or two significant digits below 0.1 (phoenix.js is two orders of magnitude off at 50 000).
  const x2 = (x) => (x < 0.1 ? x.toPrecision(2) : x.toFixed(2));
  const vs = (x, base) => (base && Number.isFinite(x) && Number.isFinite(base) ? `${x2(x / base)}×` : '—');
  const ratio = (r) => (r ? `${x2(r.median)}× (${x2(r.p25)}–${x2(r.p75)})` : '—');
  const lines = ok.map((r) => [
    r.client === 'pool' ? `pool (${result.plan.endpoints} × ${result.plan.socketsPerEndpoint})` : r.client,
    r.n.toLocaleString('en-US'),
    fmt(r.joinMs),
    vs(r.joinMs, phoenix?.joinMs),
    fmt(r.cpuUsPerMsg, 2),
    r.client === 'phoenix' ? '1.00×' : ratio(r.vsPhoenix),
    r.client === 'floor' ? '1.00×' : ratio(r.vsFloor),
    fmt(r.bytesPerChannel),
    vs(r.bytesPerChannel, phoenix?.bytesPerChannel),
    !r.recovery ? '—' : r.recovery.dieToJoinedMs === null ? `cannot (down ${fmt(r.recovery.downMs)} ms)` : `${fmt(r.recovery.dieToJoinedMs)} (${r.recovery.affected.toLocaleString('en-US')} moved)`,
    !r.recovery ? '—' : `${fmt(r.recovery.backToJoinedMs)} (${r.recovery.affected.toLocaleString('en-US')} ${r.client === 'pool' ? 'moved back' : 'rejoined'})`,
  ]);
  const notes = [
    `dispatch: median of ${result.plan.rounds} interleaved bursts per client; ratios are medians of per-round ratios (interquartile range in parentheses). heap: one process per client, heap.mjs's settled-heap method; the harness keeps one handler closure per channel for every client.`,
    `endpoint dies: "dies → all joined" is server.close() → the last moved topic's join acknowledged, with the endpoint still down; "back → all joined" is server.reopen() listening → the last topic joined on it again (pool: rebalance after recoverAfterMs ${result.plan.recoverAfterMs} ms). Every client: reconnectAfterMs = rejoinAfterMs = () => ${result.plan.delayMs}; downtime ${result.plan.downMs} ms. No floor row: the floor has no reconnect logic.`,
  ];
  const pool = ok.find((r) => r.client === 'pool');
  if (pool?.recovery?.spreadBefore) {
    const rec = pool.recovery;
    notes.push(
      `pool channels per socket: joined ${rec.spreadBefore.join(' / ')} → endpoint 0 dead ${rec.spreadFailover.join(' / ')} → back ${rec.spreadAfter.join(' / ')}; moves ${Object.entries(rec.moves).map(([k, v]) => `${k} ${v}`).join(', ')}; client CPU for the failover ${fmt(rec.failoverCpuMs)} ms.`,
    );
  }
  if (phoenix && pool) notes.push(`phoenix.js / pool: join ${vs(phoenix.joinMs, pool.joinMs)} the wall time, dispatch ${vs(phoenix.cpuUsPerMsg, pool.cpuUsPerMsg)} the CPU per message (phoenix.js looks through every channel for each inbound message).`);
  const ours = ok.find((r) => r.client === 'ours');
  if (pool && ours) notes.push(`pool / ours (one Socket): join ${vs(pool.joinMs, ours.joinMs)}, dispatch ${vs(pool.cpuUsPerMsg, ours.cpuUsPerMsg)} µs/msg, heap ${vs(pool.bytesPerChannel, ours.bytesPerChannel)} per channel.`);
  for (const r of result.rows) if (r.error) notes.push(`${r.client} failed: ${r.error.split('\n')[0]}`);
  return {
    header: ['client', 'topics', 'join ms', 'join vs phoenix', 'dispatch µs/msg', 'vs phoenix', 'vs floor', 'heap B / channel', 'heap vs phoenix', 'endpoint dies → all joined ms', 'endpoint back → all joined ms'],
    lines,
    notes,
  };
}

const invoked = process.argv[1] && pathToFileURL(process.argv[1]).href === import.meta.url;
if (invoked && process.argv.includes('--server')) await serverMain(Number(process.argv[process.argv.indexOf('--server') + 1]));
