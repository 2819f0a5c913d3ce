/**
 * Pool suites' harness: a testkit cluster whose `room:*` channels echo pushes and count, per node, how
 * often each push id was handled — the evidence for "never lost, never run twice".
 */
import { startCluster, type ClusterOptions, type TestCluster } from '@phx-socket/testkit';
import { afterEach } from 'vitest';
import { SocketPool, type SocketPoolOptions } from '../../src/index';
import { FAST } from './harness';

const clusters: TestCluster[] = [];
const pools: SocketPool[] = [];

afterEach(async () => {
  for (const pool of pools.splice(0)) pool.dispose();
  await Promise.all(clusters.splice(0).map((c) => c.close()));
});

/** A cluster plus the push ids each node handled (`handled.get(id)` = times run, over all nodes). */
export interface CountingCluster {
  readonly cluster: TestCluster;
  readonly handled: Map<string, number>;
  /** Nodes' joins in order: `[node index, topic]`. */
  readonly joins: Array<[number, string]>;
}

/**
 * A cluster whose `room:*` channels reply ok with the payload, refuse joins with `{deny: true}`,
 * broadcast `shout` and never answer `silent`. Every push with an `id` is counted in `handled`.
 */
export async function countingCluster(options: ClusterOptions = {}): Promise<CountingCluster> {
  const cluster = await startCluster({ nodes: 3, ...options });
  clusters.push(cluster);
  const handled = new Map<string, number>();
  const joins: Array<[number, string]> = [];
  cluster.servers.forEach((server, node) => {
    server.channel('room:*', {
      join: (topic, params) => {
        if (params.deny) return { error: { reason: 'denied' } };
        joins.push([node, topic]);
        return { ok: { node } };
      },
      handleIn: (event, payload, channel) => {
        const id = (payload as { id?: unknown } | null)?.id;
        if (typeof id === 'string') handled.set(id, (handled.get(id) ?? 0) + 1);
        if (event === 'silent') return { noreply: true };
        if (event === 'shout') {
          channel.broadcast('shout', payload);
          return { noreply: true };
        }
        return { reply: 'ok', response: { node, id } };
      },
    });
  });
  return { cluster, handled, joins };
}

/** A pool with fast sockets and a short recovery window, disposed after the test. */
export function pool(endpoints: readonly string[], options: Omit<SocketPoolOptions, 'endpoints'> = {}): SocketPool {
  const p = new SocketPool({ recoverAfterMs: 150, ...options, endpoints, socket: { ...FAST, ...options.socket } });
  pools.push(p);
  return p;
}

/** Channels per slot index, from `pool.stats()`. */
export function spread(p: SocketPool): number[] {
  return p.stats().sockets.map((s) => s.channels);
}
