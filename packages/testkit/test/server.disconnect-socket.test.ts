import { describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { connected, phoenixSockets, settle } from './helpers/phoenix-client';
import { RawClient } from './helpers/raw-client';
import { track, useServer } from './helpers/server';

const phoenix = phoenixSockets({ transport: WebSocket as never, timeout: 2000 });

describe('socket ids and disconnectSocket (Phoenix\'s "disconnect" broadcast to a socket id)', () => {
  it('gives each connection the id the id option picked, and null without one', async () => {
    const server = await useServer({ id: (params) => (params.user ? `user_socket:${params.user}` : null) });
    track(await RawClient.connect(server.url, { params: { user: 'ann' } }));
    track(await RawClient.connect(server.url));
    expect(server.connections.map((c) => c.socketId).sort()).toEqual([null, 'user_socket:ann'].sort());
  });

  it('closes exactly the connections with that id, with code 1001, and returns how many', async () => {
    const server = await useServer({ id: (params) => `user_socket:${params.user}` });
    const ann1 = await RawClient.connect(server.url, { params: { user: 'ann' } });
    const ann2 = await RawClient.connect(server.url, { params: { user: 'ann' } });
    const bob = track(await RawClient.connect(server.url, { params: { user: 'bob' } }));
    expect(server.disconnectSocket('user_socket:ann')).toBe(2);
    expect((await ann1.closed).code).toBe(1001);
    expect((await ann2.closed).code).toBe(1001);
    expect(server.disconnectSocket('user_socket:nobody')).toBe(0);
    await bob.join('room:1').catch(() => undefined);
    expect(server.connections.map((c) => c.socketId)).toEqual(['user_socket:bob']);
  });

  it('lets a handleIn disconnect the pushing client, which the official client reconnects', async () => {
    const server = await useServer({ id: (params) => `user_socket:${params.user}` });
    server.channel('room:*', {
      handleIn: (event, _payload, socket) => {
        if (event === 'revoke') server.disconnectSocket(socket.connection.socketId as string);
        return { noreply: true };
      },
    });
    const socket = phoenix(server, { params: { user: 'ann' } });
    await connected(socket);
    const room = socket.channel('room:1');
    await settle(room.join());
    const closed = new Promise<number>((resolve) => socket.onClose((event: { code: number }) => resolve(event.code)));
    room.push('revoke', {});
    expect(await closed).toBe(1001);
    await server.waitFor('connection', undefined, 5000);
    expect(server.stats().totalConnections).toBe(2);
  });

  it('rejects an id option that is not a function', async () => {
    await expect(useServer({ id: 'user' as never })).rejects.toThrow(/id/);
  });
});
