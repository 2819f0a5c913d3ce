import { createConnection } from 'node:net';
import { describe, expect, it } from 'vitest';
import { RawClient, sleep, type V2Frame } from './helpers/raw-client';
import { track, useServer } from './helpers/server';

async function heartbeat(client: RawClient, timeoutMs = 2000): Promise<V2Frame> {
  const ref = client.nextRef();
  client.send([null, ref, 'phoenix', 'heartbeat', {}]);
  return client.reply(ref, timeoutMs);
}

describe('fault injection', () => {
  it('dropAll closes every connection with 1000 by default, or the given code', async () => {
    const server = await useServer();
    const a = track(await RawClient.connect(server.url));
    const b = track(await RawClient.connect(server.url));
    await server.dropAll();
    expect((await a.closed).code).toBe(1000);
    expect((await b.closed).code).toBe(1000);
    expect(server.stats().connections).toBe(0);
    const c = track(await RawClient.connect(server.url));
    await server.dropAll(4001);
    expect((await c.closed).code).toBe(4001);
  });

  it('dropAll(1006) destroys the sockets without a close frame', async () => {
    const server = await useServer();
    const client = track(await RawClient.connect(server.url));
    await server.dropAll(1006);
    expect((await client.closed).code).toBe(1006);
  });

  it('stall keeps TCP open but answers nothing until resume', async () => {
    const server = await useServer();
    const client = track(await RawClient.connect(server.url));
    await heartbeat(client);
    server.stall();
    const ref = client.nextRef();
    client.send([null, ref, 'phoenix', 'heartbeat', {}]);
    await expect(client.reply(ref, 150)).rejects.toThrow(/no matching frame/);
    expect(client.ws.readyState).toBe(client.ws.OPEN);
    server.resume();
    expect((await client.reply(ref))[4]).toEqual({ status: 'ok', response: {} });
  });

  it('stall also holds new upgrades until resume', async () => {
    const server = await useServer();
    server.stall();
    let opened = false;
    const pending = RawClient.connect(server.url).then((c) => {
      opened = true;
      return track(c);
    });
    await sleep(100);
    expect(opened).toBe(false);
    server.resume();
    await heartbeat(await pending);
  });

  it('holdUpgrades accepts TCP but never answers the upgrade; releaseUpgrades answers it', async () => {
    const server = await useServer();
    server.holdUpgrades();
    const tcp = createConnection({ port: server.port, host: '127.0.0.1' });
    await new Promise<void>((resolve) => tcp.once('connect', () => resolve()));
    tcp.destroy();
    let opened = false;
    const pending = RawClient.connect(server.url).then((c) => {
      opened = true;
      return track(c);
    });
    await sleep(100);
    expect(opened).toBe(false);
    expect(server.stats().totalConnections).toBe(0);
    server.releaseUpgrades();
    await heartbeat(await pending);
    expect(server.stats().totalConnections).toBe(1);
  });

  it('delayReplies delays replies (joins and heartbeats too) and keeps frame order; 0 turns it off', async () => {
    const server = await useServer();
    server.channel('room:*', {
      handleIn(_event, _payload, socket) {
        socket.push('after', {});
        return undefined;
      },
    });
    const client = track(await RawClient.connect(server.url));
    server.delayReplies(120);
    let started = Date.now();
    await client.join('room:1', {}, '1');
    expect(Date.now() - started).toBeGreaterThanOrEqual(100);
    started = Date.now();
    await heartbeat(client);
    expect(Date.now() - started).toBeGreaterThanOrEqual(100);
    const hbRef = client.nextRef();
    client.send([null, hbRef, 'phoenix', 'heartbeat', {}]);
    client.push('room:1', 'x', {}, '1');
    await client.waitJson<V2Frame>((m) => m[3] === 'after');
    const last = client.json().slice(-2) as V2Frame[];
    expect(last.map((m) => m[3])).toEqual(['phx_reply', 'after']);
    server.delayReplies(0);
    started = Date.now();
    await heartbeat(client);
    expect(Date.now() - started).toBeLessThan(80);
  });

  it('sendRaw writes exact text or binary frames to every or the filtered connections', async () => {
    const server = await useServer();
    const a = track(await RawClient.connect(server.url, { params: { name: 'a' } }));
    const b = track(await RawClient.connect(server.url, { params: { name: 'b' } }));
    expect(server.sendRaw('not json at all')).toBe(2);
    await a.waitFrame((f) => f.data === 'not json at all');
    await b.waitFrame((f) => f.data === 'not json at all');
    expect(server.sendRaw(new Uint8Array([7, 7, 7]).buffer, (c) => c.params['name'] === 'b')).toBe(1);
    const frame = await b.waitFrame((f) => f.binary);
    expect([...(frame.data as Buffer)]).toEqual([7, 7, 7]);
    await sleep(20);
    expect(a.frames.some((f) => f.binary)).toBe(false);
  });

  it('restart closes everything (1012) and listens again on the same port', async () => {
    const server = await useServer();
    server.channel('room:*', {});
    const port = server.port;
    const client = track(await RawClient.connect(server.url));
    await client.join('room:1');
    await server.restart();
    expect((await client.closed).code).toBe(1012);
    expect(server.port).toBe(port);
    const again = track(await RawClient.connect(server.url));
    expect((await again.join('room:1'))[4]).toEqual({ status: 'ok', response: {} });
  });

  it('counts frames, bytes, joins, leaves, heartbeats, broadcasts and crashes in stats()', async () => {
    const server = await useServer();
    server.channel('room:*', {
      handleIn(event) {
        if (event === 'boom') throw new Error('x');
        return { reply: 'ok' };
      },
    });
    const client = track(await RawClient.connect(server.url));
    await client.join('room:1', {}, '1');
    await client.join('nope', {}, '2');
    await heartbeat(client);
    server.broadcast('room:1', 'b', {});
    client.push('room:1', 'boom', {}, '1');
    await client.waitJson<V2Frame>((m) => m[3] === 'phx_error');
    const stats = server.stats();
    expect(stats).toMatchObject({
      connections: 1,
      totalConnections: 1,
      channels: 0,
      framesIn: 4,
      framesOut: 5,
      joins: 1,
      joinErrors: 1,
      leaves: 1,
      heartbeats: 1,
      broadcasts: 1,
      crashes: 1,
      malformed: 0,
    });
    const inBytes = client.frames.reduce((n, f) => n + Buffer.byteLength(f.data), 0);
    expect(stats.bytesOut).toBe(inBytes);
    expect(stats.bytesIn).toBeGreaterThan(0);
  });

  it('waitFor rejects with a PHX_TESTKIT_TIMEOUT error when nothing matches', async () => {
    const server = await useServer();
    await expect(server.waitFor('join', undefined, 30)).rejects.toMatchObject({ code: 'PHX_TESTKIT_TIMEOUT' });
  });
});
