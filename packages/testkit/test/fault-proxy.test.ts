import { afterEach, describe, expect, it } from 'vitest';
import { startFaultProxy, type FaultProxy } from '../src/index';
import { connected, phoenixSockets, settle } from './helpers/phoenix-client';
import { RawClient, RefusedError, sleep } from './helpers/raw-client';
import { track, useServer } from './helpers/server';
import WebSocket from 'ws';

const proxies: FaultProxy[] = [];
afterEach(async () => {
  await Promise.all(proxies.splice(0).map((p) => p.close()));
});

async function proxied(): Promise<{ server: Awaited<ReturnType<typeof useServer>>; proxy: FaultProxy }> {
  const server = await useServer();
  server.channel('room:*', { handleIn: (event, payload) => ({ reply: 'ok', response: { event, payload } }) });
  const proxy = await startFaultProxy({ target: server.url });
  proxies.push(proxy);
  return { server, proxy };
}

async function beat(client: RawClient, timeoutMs = 1000): Promise<unknown> {
  const ref = client.nextRef();
  client.send([null, ref, 'phoenix', 'heartbeat', {}]);
  return client.reply(ref, timeoutMs);
}

const phoenix = phoenixSockets({ transport: WebSocket as never, timeout: 2000 });

describe('startFaultProxy', () => {
  it('forwards a WebSocket connection to the target: joins and pushes are answered through it', async () => {
    const { server, proxy } = await proxied();
    expect(proxy.url).toBe(`ws://127.0.0.1:${proxy.port}/socket`);
    const client = track(await RawClient.connect(proxy.url));
    expect((await client.join('room:1'))[4]).toEqual({ status: 'ok', response: {} });
    const ref = client.push('room:1', 'hi', { n: 1 }, '1');
    expect((await client.reply(ref))[4]).toEqual({ status: 'ok', response: { event: 'hi', payload: { n: 1 } } });
    expect(server.stats().connections).toBe(1);
    expect(proxy.stats()).toMatchObject({ accepted: 1, live: 1 });
  });

  it('strips permessage-deflate from the upgrade so frames stay readable', async () => {
    const { server, proxy } = await proxied();
    const client = track(await RawClient.connect(proxy.url, { perMessageDeflate: true }));
    await client.join('room:1');
    expect(server.connections[0]?.extensions).toBe('');
  });

  it('dropAll destroys every link: the client sees 1006 and the official client reconnects and rejoins', async () => {
    const { server, proxy } = await proxied();
    const raw = await RawClient.connect(proxy.url);
    await proxy.dropAll();
    expect((await raw.closed).code).toBe(1006);
    const socket = phoenix(server, {});
    Object.assign(socket, { endPoint: `${proxy.url}/websocket` });
    await connected(socket);
    const room = socket.channel('room:a');
    await settle(room.join());
    const joins = server.stats().joins;
    await proxy.dropAll();
    await new Promise<void>((resolve) => {
      const wait = (): void => (server.stats().joins > joins ? resolve() : void setTimeout(wait, 10));
      wait();
    });
    expect(proxy.stats().dropped).toBe(2);
  });

  it('refuse(ms) resets new connections for that long, then accepts again', async () => {
    const { proxy } = await proxied();
    proxy.refuse(300);
    expect(proxy.refusing).toBe(true);
    await expect(RawClient.connect(proxy.url)).rejects.toBeInstanceOf(Error);
    expect(proxy.stats().refused).toBe(1);
    await sleep(350);
    const client = track(await RawClient.connect(proxy.url));
    await client.join('room:1');
    proxy.refuse(Infinity);
    await expect(RawClient.connect(proxy.url)).rejects.not.toBeInstanceOf(RefusedError);
    proxy.accept();
    track(await RawClient.connect(proxy.url));
  });

  it('stall keeps TCP open but answers nothing; resume delivers what waited', async () => {
    const { proxy } = await proxied();
    const client = track(await RawClient.connect(proxy.url));
    await beat(client);
    proxy.stall();
    const ref = client.nextRef();
    client.send([null, ref, 'phoenix', 'heartbeat', {}]);
    await expect(client.reply(ref, 300)).rejects.toThrow(/no matching frame/);
    expect(proxy.connections).toBe(1);
    proxy.resume();
    expect((await client.reply(ref, 2000))[4]).toEqual({ status: 'ok', response: {} });
  });

  it('latency(ms) delays a round trip by at least twice ms', async () => {
    const { proxy } = await proxied();
    const client = track(await RawClient.connect(proxy.url));
    proxy.latency(100);
    const started = Date.now();
    await beat(client, 2000);
    expect(Date.now() - started).toBeGreaterThanOrEqual(195);
    expect(() => proxy.latency(-1)).toThrow(RangeError);
  });

  it('inject writes a server frame the client decodes, and raw bytes as they are', async () => {
    const { proxy } = await proxied();
    const client = track(await RawClient.connect(proxy.url));
    await client.join('room:1');
    expect(proxy.inject(JSON.stringify([null, null, 'room:1', 'tick', { n: 7 }]))).toBe(1);
    expect(await client.waitJson<unknown[]>((m) => m[3] === 'tick')).toEqual([null, null, 'room:1', 'tick', { n: 7 }]);
    proxy.inject(Uint8Array.from([2, 3, 4]));
    const binary = await client.waitFrame((f) => f.binary);
    expect([...(binary.data as Buffer)]).toEqual([2, 3, 4]);
    // An unmasked text frame written byte by byte, as garbage a real proxy could corrupt into.
    proxy.inject(Buffer.from([0x81, 0x02, 0x7b, 0x7d]), { raw: true });
    await client.waitFrame((f) => f.data === '{}');
    expect(proxy.stats().injected).toBe(3);
  });

  it('mangle rewrites and drops server frames, and null turns it off', async () => {
    const { proxy } = await proxied();
    const client = track(await RawClient.connect(proxy.url));
    proxy.mangle((data) => {
      if (typeof data !== 'string') return undefined;
      if (data.includes('"drop"')) return null;
      return data.includes('"hi"') ? data.replace('"hi"', '"HI"') : undefined;
    });
    await client.join('room:1');
    const dropped = client.push('room:1', 'drop', {}, '1');
    const kept = client.push('room:1', 'hi', {}, '1');
    expect((await client.reply(kept))[4]).toMatchObject({ response: { event: 'HI' } });
    await expect(client.reply(dropped, 200)).rejects.toThrow(/no matching frame/);
    proxy.mangle(null);
    const plain = client.push('room:1', 'hi', {}, '1');
    expect((await client.reply(plain))[4]).toMatchObject({ response: { event: 'hi' } });
    expect(proxy.stats().mangled).toBe(2);
  });

  it('passes LongPoll HTTP through unchanged', async () => {
    const { proxy } = await proxied();
    const response = await fetch(`${proxy.httpUrl}/longpoll?vsn=2.0.0`);
    expect(response.status).toBe(200);
    expect(await response.json()).toMatchObject({ status: 410 });
  });

  it('validates its options with errors naming them', async () => {
    await expect(startFaultProxy({ target: 'not a url' })).rejects.toThrow(/target/);
    await expect(startFaultProxy({ target: { host: '127.0.0.1', port: 0 } })).rejects.toThrow(/port/);
    await expect(startFaultProxy({ target: 'ws://127.0.0.1:1/socket', port: -1 })).rejects.toThrow(/port/);
  });

  it('close() ends every link and is idempotent', async () => {
    const { proxy } = await proxied();
    const client = await RawClient.connect(proxy.url);
    await proxy.close();
    await proxy.close();
    expect((await client.closed).code).toBe(1006);
    await expect(RawClient.connect(proxy.url)).rejects.toBeInstanceOf(Error);
  });
});
