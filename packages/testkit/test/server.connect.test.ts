import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { encodeAuthTokenProtocol, startServer, type ConnectInfo } from '../src/index';
import { RawClient, type V2Frame } from './helpers/raw-client';
import { track, useServer } from './helpers/server';

describe('connect', () => {
  it('answers a refused connect with HTTP 403 on the upgrade, never an open socket', async () => {
    const server = await useServer({ connect: (params) => params['token'] === 'good' });
    const refused = server.waitFor('refused');
    await expect(RawClient.connect(server.url, { params: { token: 'bad' } })).rejects.toMatchObject({ status: 403 });
    expect((await refused).status).toBe(403);
    track(await RawClient.connect(server.url, { params: { token: 'good' } }));
    expect(server.stats()).toMatchObject({ refusedConnections: 1, totalConnections: 1, connections: 1 });
  });

  it('answers HTTP 500 when connect throws and 404 for another path', async () => {
    const server = await useServer({
      connect: () => {
        throw new Error('db down');
      },
    });
    await expect(RawClient.connect(server.url)).rejects.toMatchObject({ status: 500 });
    await expect(RawClient.connect(server.url.replace('/socket', '/other'))).rejects.toMatchObject({ status: 404 });
  });

  it('passes the query params (vsn included), headers and url to connect, and seeds assigns', async () => {
    let seen: { params: Record<string, string>; info: ConnectInfo } | undefined;
    const server = await useServer({
      connect: async (params, info) => {
        seen = { params, info };
        return { role: 'admin' };
      },
    });
    server.channel('room:*', { join: (_t, _p, socket) => ({ ok: { role: socket.assigns['role'], user: socket.params['user'] } }) });
    const client = track(await RawClient.connect(server.url, { params: { user: 'bob' }, headers: { 'x-test': 'yes' } }));
    expect(seen?.params).toEqual({ user: 'bob', vsn: '2.0.0' });
    expect(seen?.info.headers['x-test']).toBe('yes');
    expect(seen?.info.url).toBe('/socket/websocket?user=bob&vsn=2.0.0');
    expect(seen?.info.authToken).toBeUndefined();
    expect((await client.join('room:1'))[4]).toEqual({ status: 'ok', response: { role: 'admin', user: 'bob' } });
    expect(server.connections[0]).toMatchObject({ id: 'c1', params: { user: 'bob' }, vsn: '2.0.0', assigns: { role: 'admin' } });
  });

  it('decodes the authToken subprotocol (standard base64, no padding, UTF-8) and selects "phoenix"', async () => {
    let token: string | undefined;
    const server = await useServer({
      connect: (_params, info) => {
        token = info.authToken;
        return info.subprotocols.includes('phoenix');
      },
    });
    // Base64 of this token needs padding and has no '+' or '/' (which no WebSocket client accepts in a subprotocol).
    const secret = 'sëcret.tøken';
    const protocol = encodeAuthTokenProtocol(secret);
    expect(protocol).toBe('base64url.bearer.phx.c8OrY3JldC50w7hrZW4');
    const client = track(await RawClient.connect(server.url, { protocols: ['phoenix', protocol] }));
    expect(client.ws.protocol).toBe('phoenix');
    expect(token).toBe(secret);
    expect(server.connections[0]?.authToken).toBe(secret);
    expect(server.connections[0]?.subprotocols).toEqual(['phoenix', protocol]);
  });

  it('negotiates permessage-deflate when enabled and reports it in extensions', async () => {
    const server = await useServer({ perMessageDeflate: true });
    server.channel('room:*', {});
    const client = track(await RawClient.connect(server.url, { perMessageDeflate: true }));
    expect(server.connections[0]?.extensions).toBe('permessage-deflate');
    expect((await client.join('room:1'))[4]).toEqual({ status: 'ok', response: {} });
  });

  it('closes a connection whose frame exceeds maxPayloadBytes (1009)', async () => {
    const server = await useServer({ maxPayloadBytes: 64 });
    const client = track(await RawClient.connect(server.url));
    client.send([null, '1', 'phoenix', 'heartbeat', { pad: 'x'.repeat(100) }]);
    expect((await client.closed).code).toBe(1009);
  });

  it('closes a connection that sent nothing for heartbeatTimeoutMs, and keeps one that heartbeats', async () => {
    const server = await useServer({ heartbeatTimeoutMs: 150 });
    const idle = track(await RawClient.connect(server.url));
    const busy = track(await RawClient.connect(server.url));
    const timer = setInterval(() => busy.send([null, busy.nextRef(), 'phoenix', 'heartbeat', {}]), 40);
    try {
      const closed = await idle.closed;
      expect(closed).toEqual({ code: 1000, reason: 'heartbeat timeout' });
      expect(busy.ws.readyState).toBe(busy.ws.OPEN);
    } finally {
      clearInterval(timer);
    }
  });

  it('validates options eagerly', async () => {
    await expect(startServer({ maxChannels: 0 })).rejects.toThrow(RangeError);
    await expect(startServer({ port: 70000 })).rejects.toThrow(/port/);
    await expect(startServer({ path: 'socket' })).rejects.toThrow(TypeError);
  });
});

describe('tls', () => {
  // A self-signed certificate for 127.0.0.1 committed with the transport's tests (see its fixtures README).
  const fixtures = join(__dirname, '..', '..', 'transport', 'test', 'fixtures');
  const material = { key: readFileSync(join(fixtures, 'localhost-key.pem')), cert: readFileSync(join(fixtures, 'localhost-cert.pem')) };

  it('serves wss:// with the given key and certificate', async () => {
    const server = await useServer({ tls: material });
    expect(server.url).toMatch(/^wss:\/\/127\.0\.0\.1:\d+\/socket$/);
    expect(server.httpUrl).toMatch(/^https:\/\//);
    const client = track(await RawClient.connect(server.url));
    client.send([null, '1', 'phoenix', 'heartbeat', {}]);
    expect(await client.reply('1')).toEqual<V2Frame>([null, '1', 'phoenix', 'phx_reply', { status: 'ok', response: {} }]);
  });
});
