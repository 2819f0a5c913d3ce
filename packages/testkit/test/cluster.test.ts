import { afterEach, describe, expect, it } from 'vitest';
import { startCluster, type TestCluster } from '../src/index';
import { RawClient, type V2Frame } from './helpers/raw-client';
import { track } from './helpers/server';

const clusters: TestCluster[] = [];
afterEach(async () => {
  await Promise.all(clusters.splice(0).map((c) => c.close()));
});

async function cluster(options: Parameters<typeof startCluster>[0] = {}): Promise<TestCluster> {
  const c = await startCluster(options);
  clusters.push(c);
  return c;
}

const isBroadcast = (event: string) => (m: V2Frame) => m[0] === null && m[3] === event;

describe('startCluster', () => {
  it('starts the given number of nodes, each on its own port', async () => {
    const c = await cluster({ nodes: 3 });
    expect(c.servers).toHaveLength(3);
    expect(new Set(c.urls).size).toBe(3);
  });

  it('delivers a broadcast made on one node to the subscribers of every node, once each', async () => {
    const c = await cluster({ nodes: 3 });
    c.channel('room:*', {
      handleIn: (event, payload, socket) => {
        socket.broadcast(event, payload);
        return { noreply: true };
      },
    });
    const clients = await Promise.all(c.urls.map((url) => RawClient.connect(url).then(track)));
    for (const client of clients) expect((await client.join('room:1'))[4]).toMatchObject({ status: 'ok' });
    const first = clients[0] as RawClient;
    first.push('room:1', 'shout', { n: 1 }, '1');
    const got = await Promise.all(clients.map((client) => client.waitJson<V2Frame>(isBroadcast('shout'))));
    expect(got.map((m) => m[4])).toEqual([{ n: 1 }, { n: 1 }, { n: 1 }]);
    c.broadcast('room:1', 'server_news', { n: 2 });
    await Promise.all(clients.map((client) => client.waitJson<V2Frame>(isBroadcast('server_news'))));
    const counts = clients.map((client) => client.json().filter((m) => (m as V2Frame)[3] === 'server_news').length);
    expect(counts).toEqual([1, 1, 1]);
  });

  it('refuses connections to a stopped node and serves them again after start', async () => {
    const c = await cluster({ nodes: 2 });
    c.channel('room:*', {});
    const url = c.urls[1] as string;
    await c.stop(1);
    await expect(RawClient.connect(url)).rejects.toThrow();
    await c.start(1);
    const client = track(await RawClient.connect(url));
    expect((await client.join('room:1'))[4]).toMatchObject({ status: 'ok' });
    expect(c.channelsPerNode()).toEqual([0, 1]);
  });

  it('rejects a port option and a node count below one', async () => {
    await expect(startCluster({ nodes: 0 })).rejects.toThrow(RangeError);
    await expect(startCluster({ port: 4000 } as never)).rejects.toThrow(/port/);
  });
});
