import { ChannelClosedError, ConnectionLostError, JoinError, Presence } from '@phx-socket/channel';
import { describe, expect, it } from 'vitest';
import { ReplayLog } from '@phx-socket/testkit';
import { AlreadyJoinedError, CatchUp, PerformanceMonitor, PushBeforeJoinError, rateLimiting, type PoolChannel } from '../../src/index';
import { until } from '../helpers/harness';
import { countingCluster, pool, spread } from '../helpers/pool';

const settle = <T>(p: PromiseLike<T>): Promise<{ ok: true; value: T } | { ok: false; error: unknown }> =>
  Promise.resolve(p).then(
    (value) => ({ ok: true as const, value }),
    (error: unknown) => ({ ok: false as const, error }),
  );

async function joinAll(p: ReturnType<typeof pool>, count: number, prefix = 'room:'): Promise<PoolChannel[]> {
  const channels = Array.from({ length: count }, (_, i) => p.channel(`${prefix}${i}`));
  await Promise.all(channels.map((c) => c.join()));
  return channels;
}

describe('SocketPool placement', () => {
  it('opens no socket until a channel joins, then only the sockets channels need', async () => {
    const { cluster } = await countingCluster();
    const p = pool(cluster.urls, { socketsPerEndpoint: 2 });
    p.connect();
    expect(p.stats().opened).toBe(0);
    expect(p.sockets()).toEqual([]);
    await p.channel('room:1').join();
    expect(p.stats().opened).toBe(1);
    expect(cluster.servers.map((s) => s.connections.length)).toEqual([1, 0, 0]);
    expect(p.stats().sockets.map((s) => s.state)).toEqual(['open', 'unopened', 'unopened', 'unopened', 'unopened', 'unopened']);
  });

  it('spreads channels evenly over the endpoints with least-channels', async () => {
    const { cluster } = await countingCluster();
    const p = pool(cluster.urls);
    p.connect();
    await joinAll(p, 30);
    expect(cluster.channelsPerNode()).toEqual([10, 10, 10]);
    expect(spread(p)).toEqual([10, 10, 10]);
    expect(p.stats().channels).toBe(30);
  });

  it('puts a topic on the same endpoint in every pool with consistent-hash', async () => {
    const { cluster, joins } = await countingCluster();
    const first = pool(cluster.urls, { strategy: 'consistent-hash' });
    first.connect();
    await joinAll(first, 60);
    const placement = new Map(joins.map(([node, topic]) => [topic, node]));
    first.dispose();
    joins.length = 0;
    const second = pool(cluster.urls, { strategy: 'consistent-hash' });
    second.connect();
    await joinAll(second, 60);
    expect(new Map(joins.map(([node, topic]) => [topic, node]))).toEqual(placement);
    // Hashing still uses every node.
    expect(new Set(placement.values()).size).toBe(3);
  });

  it('cycles through the sockets with round-robin', async () => {
    const { cluster, joins } = await countingCluster();
    const p = pool(cluster.urls, { strategy: 'round-robin' });
    p.connect();
    for (let i = 0; i < 6; i++) await p.channel(`room:${i}`).join();
    expect(joins.map(([node]) => node)).toEqual([0, 1, 2, 0, 1, 2]);
  });

  it('opens another socket to the same endpoint once one holds maxChannelsPerSocket channels', async () => {
    const { cluster } = await countingCluster({ nodes: 1 });
    const p = pool(cluster.urls, { socketsPerEndpoint: 3, maxChannelsPerSocket: 4 });
    p.connect();
    await joinAll(p, 10);
    expect(spread(p)).toEqual([4, 3, 3]);
    expect(cluster.servers[0]?.connections.map((c) => c.topics.length).sort()).toEqual([3, 3, 4]);
  });

  it('still places channels on the least-loaded socket when every socket is at its limit', async () => {
    const { cluster } = await countingCluster({ nodes: 2 });
    const p = pool(cluster.urls, { maxChannelsPerSocket: 2 });
    p.connect();
    await joinAll(p, 5);
    expect(spread(p).sort()).toEqual([2, 3]);
  });
});

describe('SocketPool and servers that cap channels per connection', () => {
  it.each(['phoenix', 'supabase'] as const)('sends a join refused as full (%s wording) to another socket and stops filling the full one', async (shape) => {
    const { cluster } = await countingCluster({ nodes: 1, maxChannels: 3, maxChannelsRefusal: shape });
    // Fills the first socket with room first, so the server's cap is what stops it.
    const p = pool(cluster.urls, { socketsPerEndpoint: 3, strategy: { name: 'fill-first', pick: (_topic, candidates) => candidates[0]! } });
    const full: unknown[] = [];
    p.telemetry.on('pool:socket_full', ({ metadata }) => full.push(metadata.reason));
    p.connect();
    const channels: PoolChannel[] = [];
    for (let i = 0; i < 8; i++) {
      const channel = p.channel(`room:${i}`);
      await channel.join();
      channels.push(channel);
    }
    expect(channels.every((c) => c.state === 'joined')).toBe(true);
    expect(cluster.servers[0]?.connections.map((c) => c.topics.length).sort()).toEqual([2, 3, 3]);
    expect(p.stats().sockets.filter((s) => s.capacity === 3)).toHaveLength(2);
    expect(spread(p)).toEqual([3, 3, 2]);
    expect(p.stats().moves.overflow).toBe(2);
    expect(full).toEqual(shape === 'phoenix' ? ['too many channels joined', 'too many channels joined'] : ['too_many_channels', 'too_many_channels']);
    // Pushes go through on the socket the join ended on.
    await expect(channels[7]?.push('echo', { id: 'late' })).resolves.toMatchObject({ id: 'late' });
  });

  it('fails the join with the server refusal when every socket is full', async () => {
    const { cluster } = await countingCluster({ nodes: 1, maxChannels: 2 });
    const p = pool(cluster.urls, { socketsPerEndpoint: 2 });
    p.connect();
    await joinAll(p, 4);
    const refused = await settle(p.channel('room:overflow').join());
    expect(refused.ok).toBe(false);
    expect(refused.ok ? null : refused.error).toBeInstanceOf(JoinError);
    expect(refused.ok ? null : (refused.error as JoinError).response).toEqual({ reason: 'too many channels joined' });
  });

  it('does not move a join the app refused for other reasons', async () => {
    const { cluster } = await countingCluster();
    const p = pool(cluster.urls);
    p.connect();
    const refused = await settle(p.channel('room:1', { deny: true }).join());
    expect(refused.ok ? null : (refused.error as JoinError).response).toEqual({ reason: 'denied' });
    expect(p.stats().moves).toEqual({ failover: 0, rebalance: 0, overflow: 0 });
  });
});

describe('SocketPool failover', () => {
  it('moves the channels of a dead endpoint to healthy sockets and delivers pushes made meanwhile exactly once', async () => {
    const { cluster, handled } = await countingCluster();
    const p = pool(cluster.urls);
    p.connect();
    const channels = await joinAll(p, 9);
    const onDead = channels.filter((c) => c.socket === p.socket(0));
    expect(onDead).toHaveLength(3);
    await cluster.stop(0);
    await until(() => p.socket(0)?.isConnected() === false, 3000, 'socket 0 sees the drop');
    // Made while the endpoint is down: they wait, follow the move, and run once on the new node.
    const pushes = channels.map((c, i) => settle(c.push('echo', { id: `down-${i}` })));
    const results = await Promise.all(pushes);
    expect(results.every((r) => r.ok)).toBe(true);
    for (let i = 0; i < 9; i++) expect(handled.get(`down-${i}`)).toBe(1);
    expect(results.map((r) => (r.ok ? (r.value as { node: number }).node : -1)).filter((n) => n === 0)).toEqual([]);
    expect(p.stats().moves.failover).toBe(3);
    expect(p.stats().sockets[0]).toMatchObject({ healthy: false, channels: 0 });
    expect(cluster.channelsPerNode()).toEqual([0, expect.any(Number), expect.any(Number)]);
    expect(cluster.channelsPerNode().reduce((a, b) => a + b)).toBe(9);
  });

  it('survives a failover under a steady stream of pushes: none lost, none run twice, every one settled', async () => {
    const { cluster, handled } = await countingCluster();
    const p = pool(cluster.urls);
    p.connect();
    const channels = await joinAll(p, 30);
    const outcomes: Array<Promise<{ id: string; ok: boolean; error?: unknown }>> = [];
    let n = 0;
    const fire = (): void => {
      for (const channel of channels) {
        const id = `s-${n++}`;
        outcomes.push(
          settle(channel.push('echo', { id })).then((o) => ({ id, ok: o.ok, error: o.ok ? undefined : o.error })),
        );
      }
    };
    const stream = setInterval(fire, 5);
    await new Promise((r) => setTimeout(r, 40));
    await cluster.stop(2);
    await until(() => p.stats().moves.failover === 10, 5000, 'failover of the 10 channels');
    await new Promise((r) => setTimeout(r, 40));
    clearInterval(stream);
    const settled = await Promise.all(outcomes);
    expect(settled.length).toBeGreaterThan(300);
    for (const outcome of settled) {
      const runs = handled.get(outcome.id) ?? 0;
      if (outcome.ok) expect(runs, outcome.id).toBe(1);
      else {
        // Sent to the node that died: the server may or may not have run it, but never twice.
        expect(outcome.error, outcome.id).toBeInstanceOf(ConnectionLostError);
        expect(runs, outcome.id).toBeLessThanOrEqual(1);
      }
    }
    expect(Math.max(...handled.values())).toBe(1);
    // Only pushes in flight at the instant node 2 died can be unanswered.
    expect(settled.filter((o) => !o.ok).length).toBeLessThanOrEqual(10);
  });

  it('never re-sends a push the dead endpoint received: it resolves with ConnectionLostError and ran once', async () => {
    const { cluster, handled } = await countingCluster();
    const p = pool(cluster.urls);
    p.connect();
    const channels = await joinAll(p, 3);
    const onDead = channels.find((c) => c.socket === p.socket(0)) as PoolChannel;
    cluster.servers[0]?.delayReplies(10_000);
    const inFlight = settle(onDead.push('echo', { id: 'in-flight' }));
    await until(() => handled.get('in-flight') === 1, 3000, 'the server ran the push');
    await cluster.stop(0);
    const outcome = await inFlight;
    expect(outcome.ok ? null : outcome.error).toBeInstanceOf(ConnectionLostError);
    await until(() => p.stats().moves.failover === 1, 5000, 'the channel moved');
    await expect(onDead.push('echo', { id: 'after' })).resolves.toMatchObject({ id: 'after' });
    expect(handled.get('in-flight')).toBe(1);
    expect(handled.get('after')).toBe(1);
  });

  it('keeps the resend budget of an opted-in push across a move: resent once, then ConnectionLostError', async () => {
    const { cluster, handled } = await countingCluster();
    const p = pool(cluster.urls, { socket: { inFlightPolicy: 'resend', maxResends: 1 } });
    p.connect();
    const channels = await joinAll(p, 3);
    const moving = channels.find((c) => c.socket === p.socket(0)) as PoolChannel;
    const outcome = settle(moving.push('silent', { id: 'idempotent' }));
    await until(() => handled.get('idempotent') === 1, 3000, 'ran on node 0');
    await cluster.stop(0);
    await until(() => handled.get('idempotent') === 2, 5000, 'resent on the new node');
    const second = p.stats().sockets.findIndex((s, i) => i !== 0 && s.channels === 2);
    await cluster.stop(second);
    const result = await outcome;
    expect(result.ok ? null : result.error).toBeInstanceOf(ConnectionLostError);
    expect((result as { error: ConnectionLostError }).error.resends).toBe(1);
    await new Promise((r) => setTimeout(r, 200));
    expect(handled.get('idempotent')).toBe(2);
  });

  it('keeps every handler across a move: a broadcast after the failover arrives once', async () => {
    const { cluster } = await countingCluster();
    const p = pool(cluster.urls);
    p.connect();
    const channels = await joinAll(p, 3);
    const moved = channels.find((c) => c.socket === p.socket(0)) as PoolChannel;
    const got: unknown[] = [];
    moved.on('news', (payload) => got.push(payload));
    const errors: unknown[] = [];
    moved.onError((reason) => errors.push(reason));
    await cluster.stop(0);
    await until(() => p.stats().moves.failover === 1 && moved.state === 'joined', 5000, 'moved and joined');
    cluster.broadcast(moved.topic, 'news', { n: 1 });
    await until(() => got.length === 1, 3000, 'broadcast after the move');
    await new Promise((r) => setTimeout(r, 50));
    expect(got).toEqual([{ n: 1 }]);
    expect(errors.length).toBeGreaterThanOrEqual(1);
  });

  it('moves channels back when the endpoint recovers, and leaves them when rebalance is off', async () => {
    const { cluster } = await countingCluster();
    const back = pool(cluster.urls);
    const stay = pool(cluster.urls, { rebalance: false });
    back.connect();
    stay.connect();
    await joinAll(back, 9, 'room:b');
    await joinAll(stay, 9, 'room:s');
    const healthy: number[] = [];
    back.telemetry.on('pool:socket_healthy', ({ measurements }) => healthy.push(measurements.unhealthy_ms));
    await cluster.stop(0);
    await until(() => back.stats().moves.failover === 3 && stay.stats().moves.failover === 3, 5000, 'failover');
    await cluster.start(0);
    await until(() => back.stats().moves.rebalance === 3, 5000, 'rebalance');
    await until(() => back.stats().sockets[0]?.healthy === true && stay.stats().sockets[0]?.healthy === true, 5000, 'healthy');
    expect(spread(back)).toEqual([3, 3, 3]);
    expect(spread(stay)[0]).toBe(0);
    expect(stay.stats().moves.rebalance).toBe(0);
    expect(healthy).toHaveLength(1);
    expect(healthy[0]).toBeGreaterThan(0);
  });

  it('never drops a join placed on an endpoint that is down: it moves and joins elsewhere', async () => {
    const { cluster } = await countingCluster();
    await cluster.stop(0);
    const p = pool(cluster.urls, { strategy: 'round-robin' });
    p.connect();
    const channels = [p.channel('room:a'), p.channel('room:b'), p.channel('room:c')];
    const joins = await Promise.all(channels.map((c) => settle(c.join())));
    expect(joins.every((j) => j.ok)).toBe(true);
    expect(cluster.channelsPerNode()[0]).toBe(0);
    expect(cluster.channelsPerNode().reduce((a, b) => a + b)).toBe(3);
    expect(p.stats().moves.failover).toBe(1);
  });

  it('keeps pushes while every endpoint is down and delivers each once on the first endpoint back', async () => {
    const { cluster, handled } = await countingCluster();
    const p = pool(cluster.urls);
    p.connect();
    const channels = await joinAll(p, 3);
    await Promise.all([0, 1, 2].map((i) => cluster.stop(i)));
    await until(() => p.stats().healthy === 0, 5000, 'every socket unhealthy');
    const pushes = channels.map((c, i) => settle(c.push('echo', { id: `held-${i}` })));
    await new Promise((r) => setTimeout(r, 100));
    expect(handled.size).toBe(0);
    await cluster.start(1);
    const outcomes = await Promise.all(pushes);
    expect(outcomes.map((o) => (o.ok ? (o.value as { node: number }).node : o.error))).toEqual([1, 1, 1]);
    expect([...handled.values()]).toEqual([1, 1, 1]);
    expect(spread(p)).toEqual([0, 3, 0]);
  });

  it('rebalances under a steady stream of pushes without failing or repeating any', async () => {
    const { cluster, handled } = await countingCluster();
    const p = pool(cluster.urls);
    p.connect();
    const channels = await joinAll(p, 12);
    await cluster.stop(0);
    await until(() => p.stats().moves.failover === 4 && channels.every((c) => c.state === 'joined'), 5000, 'failover');
    const outcomes: Array<Promise<{ ok: boolean }>> = [];
    let n = 0;
    const stream = setInterval(() => {
      for (const channel of channels) outcomes.push(settle(channel.push('echo', { id: `r-${n++}` })));
    }, 5);
    await cluster.start(0);
    await until(() => p.stats().moves.rebalance === 4, 5000, 'rebalance');
    await new Promise((r) => setTimeout(r, 40));
    clearInterval(stream);
    const settled = await Promise.all(outcomes);
    expect(settled.length).toBeGreaterThan(100);
    expect(settled.filter((o) => !o.ok)).toEqual([]);
    expect(handled.size).toBe(n);
    expect(Math.max(...handled.values())).toBe(1);
    expect(spread(p)).toEqual([4, 4, 4]);
  });

  it('rejoins on the same socket when its endpoint comes back before it turns unhealthy', async () => {
    const { cluster } = await countingCluster();
    const p = pool(cluster.urls, { unhealthyAfterFailures: 1000 });
    p.connect();
    const channels = await joinAll(p, 3);
    await cluster.stop(0);
    await new Promise((r) => setTimeout(r, 100));
    await cluster.start(0);
    await until(() => channels.every((c) => c.state === 'joined'), 5000, 'rejoined');
    expect(p.stats().moves).toEqual({ failover: 0, rebalance: 0, overflow: 0 });
    expect(cluster.channelsPerNode()).toEqual([1, 1, 1]);
  });
});

describe('SocketPool with rate limiting', () => {
  it('gives every socket its own buckets and moves paced pushes that were not sent yet without running any twice', async () => {
    const { cluster, handled } = await countingCluster();
    const p = pool(cluster.urls, { socket: { rateLimit: rateLimiting({ pushesPerSecond: 40, pushBurst: 1 }) } });
    p.connect();
    const channels = await joinAll(p, 3);
    const onDead = channels.find((c) => c.socket === p.socket(0)) as PoolChannel;
    const paced = Array.from({ length: 12 }, (_, i) => settle(onDead.push('echo', { id: `paced-${i}` })));
    await until(() => handled.size >= 2, 3000, 'the first paced pushes ran');
    await cluster.stop(0);
    const outcomes = await Promise.all(paced);
    for (const [i, outcome] of outcomes.entries()) {
      const runs = handled.get(`paced-${i}`) ?? 0;
      if (outcome.ok) expect(runs).toBe(1);
      else {
        expect(outcome.error).toBeInstanceOf(ConnectionLostError);
        expect(runs).toBeLessThanOrEqual(1);
      }
    }
    // Most were still waiting for a token when node 0 died: they went to the new socket.
    expect(outcomes.filter((o) => o.ok && (o.value as { node: number }).node !== 0).length).toBeGreaterThanOrEqual(6);
    expect(p.stats().moves.failover).toBe(1);
  });
});

describe('SocketPool with catch-up', () => {
  it('carries the cursor to the socket a channel moves to, so the new node replays what it missed', async () => {
    const { cluster } = await countingCluster();
    const log = new ReplayLog(cluster.servers[1]!);
    const joins: Array<Record<string, unknown>> = [];
    cluster.channel('feed:*', log.spec({ join: (_topic, params) => void joins.push(params) }));
    const p = pool(cluster.urls);
    p.connect();
    const feed = p.channel('feed:1', { user: 'ana' }, { catchUp: new CatchUp({ cursor: 'seq', param: 'last_seq' }) });
    const seen: number[] = [];
    feed.on('msg', (payload) => seen.push((payload as { seq: number }).seq));
    await feed.join();
    expect(feed.socket).toBe(p.socket(0));
    const ticker = setInterval(() => log.publish('feed:1', { body: 'tick' }), 5);
    try {
      await until(() => seen.length >= 10, 5000, 'messages before the failover');
      await cluster.stop(0);
      const missedFrom = log.lastSeq('feed:1');
      await until(() => p.stats().moves.failover === 1 && feed.state === 'joined', 5000, 'moved');
      await until(() => seen.length >= log.lastSeq('feed:1') && log.lastSeq('feed:1') > missedFrom + 5, 5000, 'caught up');
    } finally {
      clearInterval(ticker);
    }
    await until(() => seen.length === log.lastSeq('feed:1'), 3000, 'the last ticks');
    expect(seen).toEqual(Array.from({ length: seen.length }, (_, i) => i + 1));
    expect(joins[0]).toEqual({ user: 'ana' });
    expect(joins.at(-1)).toMatchObject({ user: 'ana', last_seq: expect.any(Number) });
    expect(log.replayedCount).toBeGreaterThan(0);
  });
});

describe('SocketPool channels', () => {
  it('queues a join and pushes made before connect() and sends them once connected', async () => {
    const { cluster, handled } = await countingCluster();
    const p = pool(cluster.urls);
    const channels = Array.from({ length: 4 }, (_, i) => p.channel(`room:${i}`));
    const joins = channels.map((c) => c.join());
    const pushes = channels.map((c, i) => c.push('echo', { id: `early-${i}` }));
    expect(p.isConnected()).toBe(false);
    p.connect();
    await Promise.all(joins);
    await Promise.all(pushes);
    expect([...handled.values()]).toEqual([1, 1, 1, 1]);
  });

  it('runs an onMessage override before the handlers, on every socket the channel moves to', async () => {
    const { cluster } = await countingCluster();
    const p = pool(cluster.urls);
    p.connect();
    await joinAll(p, 2);
    const room = p.channel('room:hooked');
    room.onMessage = (event, payload) => (event === 'news' ? { ...(payload as object), seen: true } : payload);
    const got: unknown[] = [];
    room.on('news', (payload) => got.push(payload));
    expect(room.isClosed()).toBe(true);
    await room.join();
    expect([room.isJoined(), room.canPush(), room.bufferedCount]).toEqual([true, true, 0]);
    cluster.broadcast('room:hooked', 'news', { n: 1 });
    await until(() => got.length === 1, 3000, 'first broadcast');
    const node = [0, 1, 2].find((i) => p.socket(i) === room.socket) as number;
    await cluster.stop(node);
    await until(() => p.stats().moves.failover === 1 && room.isJoined(), 5000, 'moved');
    expect(room.socket).not.toBe(p.socket(node));
    cluster.broadcast('room:hooked', 'news', { n: 2 });
    await until(() => got.length === 2, 3000, 'second broadcast');
    expect(got).toEqual([
      { n: 1, seen: true },
      { n: 2, seen: true },
    ]);
  });

  it('rejoins every channel after disconnect() and connect()', async () => {
    const { cluster, handled } = await countingCluster();
    const p = pool(cluster.urls);
    p.connect();
    const channels = await joinAll(p, 6);
    await new Promise<void>((resolve) => p.disconnect(resolve));
    expect(p.isConnected()).toBe(false);
    const pushes = channels.map((c, i) => c.push('echo', { id: `again-${i}` }));
    p.connect();
    await Promise.all(pushes);
    expect(channels.every((c) => c.state === 'joined')).toBe(true);
    expect([...handled.values()]).toEqual([1, 1, 1, 1, 1, 1]);
    expect(p.stats().moves).toEqual({ failover: 0, rebalance: 0, overflow: 0 });
  });

  it('leaves the topic on the server and forgets the channel', async () => {
    const { cluster } = await countingCluster();
    const p = pool(cluster.urls);
    p.connect();
    const [first] = await joinAll(p, 2);
    const closed: unknown[] = [];
    first?.onClose(() => closed.push('closed'));
    await first?.leave();
    expect(p.stats().channels).toBe(1);
    expect(first?.state).toBe('closed');
    await until(() => cluster.channelsPerNode().reduce((a, b) => a + b) === 1, 3000, 'left on the server');
    expect(closed).toEqual(['closed']);
    await expect(settle(first!.push('echo', {}))).resolves.toMatchObject({ ok: false });
  });

  it('joining a topic again leaves the first channel on it, as one Socket does: the server holds it once', async () => {
    const { cluster } = await countingCluster();
    const p = pool(cluster.urls); // least-channels would put the second on another endpoint
    p.connect();
    const first = p.channel('room:twice');
    const heardFirst: unknown[] = [];
    first.on('shout', (m) => heardFirst.push(m));
    const closed: unknown[] = [];
    first.onClose(() => closed.push('closed'));
    await first.join();
    await joinAll(p, 1, 'room:other-'); // endpoint 2 is now the emptiest
    const second = p.channel('room:twice');
    const heardSecond: unknown[] = [];
    second.on('shout', (m) => heardSecond.push(m));
    await second.join();
    await until(() => first.state === 'closed', 3000, 'the first channel to close');
    expect(closed).toEqual(['closed']);
    await until(() => cluster.channelsPerNode().reduce((a, b) => a + b) === 2, 3000, 'the topic joined once on the server');
    expect(p.stats().channels).toBe(2);
    cluster.broadcast('room:twice', 'shout', { n: 1 });
    await until(() => heardSecond.length === 1, 3000, 'the second channel to hear the broadcast');
    await new Promise((r) => setTimeout(r, 50));
    expect(heardFirst).toEqual([]);
    expect(heardSecond).toHaveLength(1);
  });

  it('fails pushes still waiting with ChannelClosedError when the pool is disposed', async () => {
    const { cluster } = await countingCluster();
    const p = pool(cluster.urls);
    const channel = p.channel('room:1');
    const join = settle(channel.join());
    const waiting = settle(channel.push('echo', { id: 'never' }));
    p.dispose();
    const [joined, pushed] = await Promise.all([join, waiting]);
    expect(joined.ok).toBe(false);
    expect(pushed.ok ? null : pushed.error).toBeInstanceOf(ChannelClosedError);
  });

  it('keeps a Presence in sync across a failover', async () => {
    const { cluster } = await countingCluster();
    for (const server of cluster.servers) {
      server.channel('lobby:*', {
        presence: true,
        join: (_topic, params, socket) => {
          socket.assigns['user'] = params.user;
        },
        afterJoin: (socket) => void server.track(socket, socket.topic, String(socket.assigns['user']), { online: true }),
      });
    }
    const p = pool(cluster.urls, { strategy: 'round-robin' });
    p.connect();
    await joinAll(p, 2);
    const lobby = p.channel('lobby:1', { user: 'ana' });
    const presence = new Presence(lobby);
    const syncs: string[][] = [];
    presence.onSync(() => syncs.push(presence.list((key) => key)));
    await lobby.join();
    await until(() => syncs.at(-1)?.[0] === 'ana', 3000, 'ana is present');
    const before = syncs.length;
    expect(lobby.socket).toBe(p.socket(2));
    const firstJoinRef = lobby.joinRef;
    await cluster.stop(2);
    await until(() => p.stats().moves.failover === 1 && lobby.state === 'joined' && syncs.length > before, 5000, 'resynced after the move');
    expect(lobby.joinRef).not.toBe(firstJoinRef);
    expect(syncs.at(-1)).toEqual(['ana']);
    expect(presence.list((key) => key)).toEqual(['ana']);
  });

  it('throws the Channel errors for a second join and a push before join', async () => {
    const { cluster } = await countingCluster();
    const p = pool(cluster.urls);
    const channel = p.channel('room:1');
    expect(() => channel.push('echo', {})).toThrow(PushBeforeJoinError);
    void channel.join();
    expect(() => channel.join()).toThrow(AlreadyJoinedError);
    expect(() => p.channel('')).toThrow(TypeError);
  });
});

describe('SocketPool idle sockets', () => {
  it('disconnects a socket left with no channels after idleSocketCloseMs, and opens a fresh one when a channel needs it', async () => {
    const { cluster } = await countingCluster({ nodes: 2 });
    const p = pool(cluster.urls, { idleSocketCloseMs: 100 });
    const closed: { index: number; idleMs: number }[] = [];
    p.telemetry.on('pool:socket_closed', ({ measurements, metadata }) => closed.push({ index: metadata.socket_index, idleMs: measurements.idle_ms }));
    p.connect();
    const [a, b] = await joinAll(p, 2);
    expect(spread(p)).toEqual([1, 1]);
    const connectionsOf = () => cluster.servers.map((server) => server.stats().connections);
    expect(connectionsOf()).toEqual([1, 1]);

    await b!.leave();
    await until(() => closed.length === 1, 3000, 'the idle socket to close');
    expect(closed[0]?.index).toBe(1);
    expect(closed[0]?.idleMs).toBeGreaterThanOrEqual(90);
    await until(() => connectionsOf()[1] === 0, 3000, 'the server to see the connection go');
    expect(p.stats().sockets.map((s) => s.state)).toEqual(['open', 'unopened']);
    expect(a!.state).toBe('joined');

    const again = p.channel('room:again');
    const heard: unknown[] = [];
    again.on('shout', (m) => heard.push(m));
    await again.join();
    expect(spread(p)).toEqual([1, 1]);
    expect(connectionsOf()).toEqual([1, 1]);
    cluster.broadcast('room:again', 'shout', { n: 1 });
    await until(() => heard.length === 1, 3000, 'a broadcast on the new socket');
    // The new socket is watched like the first one: its events reach the pool's stream once.
    const joinedEvents: number[] = [];
    p.telemetry.on('channel:joined', ({ metadata }) => joinedEvents.push(metadata.socket_index));
    await p.channel('room:third').join();
    expect(joinedEvents).toHaveLength(1);
  });

  it('keeps the socket of a dead endpoint while channels that moved away wait to move back to it', async () => {
    const { cluster } = await countingCluster({ nodes: 2 });
    const p = pool(cluster.urls, { idleSocketCloseMs: 50, unhealthyAfterFailures: 2 });
    const closed: number[] = [];
    p.telemetry.on('pool:socket_closed', ({ metadata }) => closed.push(metadata.socket_index));
    p.connect();
    await joinAll(p, 4);
    expect(spread(p)).toEqual([2, 2]);
    await cluster.stop(1);
    await until(() => spread(p)[1] === 0 && p.stats().channels === 4, 5000, 'the failover');
    await new Promise((r) => setTimeout(r, 300)); // far past idleSocketCloseMs
    expect(closed).toEqual([]);
    await cluster.start(1);
    // Counted once each move ends (the channel is placed on its target as the move starts).
    await until(() => p.stats().moves.rebalance === 2, 5000, 'the rebalance back');
    expect(spread(p)).toEqual([2, 2]);
    expect(p.stats().moves).toMatchObject({ failover: 2, rebalance: 2 });
    expect(closed).toEqual([]);
  });
});

describe('SocketPool telemetry and stats', () => {
  it('re-emits every socket event with the socket index and endpoint, plus its own events', async () => {
    const { cluster } = await countingCluster();
    const p = pool(cluster.urls);
    const joined: Array<{ topic: string; index: number; endpoint: string }> = [];
    const names = new Set<string>();
    p.telemetry.on('channel:joined', ({ metadata }) => joined.push({ topic: metadata.topic, index: metadata.socket_index, endpoint: metadata.endpoint }));
    const offAll = p.telemetry.on('*', (name) => names.add(name));
    p.connect();
    await joinAll(p, 3);
    expect(joined.map((j) => j.index).sort()).toEqual([0, 1, 2]);
    expect(joined.map((j) => j.endpoint).sort()).toEqual([...cluster.urls].sort());
    expect(names).toContain('pool:socket_opened');
    expect(names).toContain('socket:connected');
    offAll();
    names.clear();
    await p.channel('room:9').join();
    expect(names.size).toBe(0);
    expect(joined).toHaveLength(4);
  });

  it('feeds a PerformanceMonitor from the combined stream: sockets connected and channels joined over the pool', async () => {
    const { cluster } = await countingCluster();
    const p = pool(cluster.urls);
    const monitor = new PerformanceMonitor();
    monitor.attach(p.telemetry);
    p.connect();
    const channels = await joinAll(p, 6);
    await Promise.all(channels.map((c, i) => c.push('echo', { id: `m-${i}` })));
    expect(monitor.metrics().gauges).toEqual({ connected: true, socketsConnected: 3, channelsJoined: 6 });
    // Six join replies and six push replies.
    expect(monitor.metrics().histograms.pushRttMs.count).toBe(12);
    await cluster.stop(0);
    await until(() => p.stats().moves.failover === 2 && channels.every((c) => c.state === 'joined'), 5000, 'failover');
    expect(monitor.metrics().gauges).toEqual({ connected: true, socketsConnected: 2, channelsJoined: 6 });
    expect(monitor.metrics().counters.reconnects).toBe(0);
  });

  it("calls onOpen when its first socket opens and onClose when its last closes, as one Socket's callbacks read", async () => {
    const { cluster } = await countingCluster({ nodes: 2 });
    const p = pool(cluster.urls, { unhealthyAfterFailures: 100 }); // keep the channels where they are
    let opens = 0;
    const closes: unknown[] = [];
    const errors: unknown[] = [];
    const refs = [p.onOpen(() => opens++), p.onClose((event) => closes.push(event)), p.onError((error) => errors.push(error))];
    p.connect();
    await joinAll(p, 2);
    expect(opens).toBe(1);
    expect(p.connectionState()).toBe('open');

    await cluster.stop(1); // one endpoint down, the other serving: not "closed"
    await until(() => p.socket(1)?.isConnected() === false, 3000, 'socket 1 to notice');
    await until(() => errors.length > 0, 3000, 'a failed connect to be reported');
    expect(closes).toEqual([]);
    expect(p.connectionState()).toBe('open');

    await cluster.stop(0);
    await until(() => closes.length === 1, 3000, 'the last open socket to close');
    expect(p.isConnected()).toBe(false);
    expect(p.connectionState()).not.toBe('open');

    await cluster.start(0);
    await until(() => opens === 2, 5000, 'the pool to be open again');
    p.off(refs);
    await cluster.start(1);
    await until(() => p.socket(1)?.isConnected() === true, 5000, 'socket 1 back');
    expect(opens).toBe(2);
    expect(closes).toHaveLength(1);
  });

  it('reports each slot and the totals in stats()', async () => {
    const { cluster } = await countingCluster({ nodes: 2 });
    const p = pool(cluster.urls, { socketsPerEndpoint: 2, maxChannelsPerSocket: 50 });
    p.connect();
    await joinAll(p, 3);
    const stats = p.stats();
    expect(stats).toMatchObject({ channels: 3, opened: 3, healthy: 4, moves: { failover: 0, rebalance: 0, overflow: 0 } });
    expect(stats.sockets.map((s) => [s.index, s.endpoint, s.state, s.channels, s.capacity])).toEqual([
      [0, cluster.urls[0], 'open', 1, 50],
      [1, cluster.urls[1], 'open', 1, 50],
      [2, cluster.urls[0], 'open', 1, 50],
      [3, cluster.urls[1], 'unopened', 0, 50],
    ]);
  });
});
