import { describe, expect, it } from 'vitest';
import type { Socket } from '../src/index';
import { connected, echoRooms, nextEvent, server, socket, until } from './helpers/harness';

describe('Socket against the testkit', () => {
  it('connects with no transport option, joins, gets a reply and a broadcast', async () => {
    const s = await server();
    echoRooms(s);
    const client = await connected(socket(s.url));
    expect(client.isConnected()).toBe(true);
    expect(client.connectionState()).toBe('open');
    expect(client.state.status).toBe('open');

    const room = client.channel<{ shout: { text: string } }>('room:1');
    await expect(room.join()).resolves.toEqual({ joined: true });
    await expect(room.push('echo', { a: 1 })).resolves.toEqual({ a: 1 });

    const heard = new Promise((resolve) => room.on('shout', resolve));
    s.broadcast('room:1', 'shout', { text: 'hi' });
    await expect(heard).resolves.toEqual({ text: 'hi' });
  });

  it('reconnects after dropAll and every channel rejoins', async () => {
    const s = await server();
    echoRooms(s);
    const client = await connected(socket(s.url));
    const a = client.channel('room:a');
    const b = client.channel('room:b');
    await Promise.all([a.join(), b.join()]);
    const rejoined = Promise.all([
      s.waitFor('join', (e) => e.topic === 'room:a' && e.status === 'ok'),
      s.waitFor('join', (e) => e.topic === 'room:b' && e.status === 'ok'),
    ]);
    await s.dropAll();
    await rejoined;
    await nextEvent(client, 'channel:joined');
  });
});

describe('Socket assigns', () => {
  it('keeps app data across reconnects, and a params function reads it at every connect', async () => {
    const tokens: unknown[] = [];
    const s = await server({ connect: (params) => (tokens.push(params.token), true) });
    const client: Socket = socket(s.url, { assigns: { token: 'first', user: 'ana' }, params: () => ({ token: client.assigns.token }) });
    client.assigns.user = 'bob';
    await connected(client);
    expect(tokens).toEqual(['first']);
    client.assigns.token = 'second';
    await s.dropAll();
    await until(() => tokens.length === 2 && client.isConnected());
    expect(tokens).toEqual(['first', 'second']);
    expect(client.assigns).toEqual({ token: 'second', user: 'bob' });
  });

  it('copies the initial assigns and rejects a non-object with a TypeError naming the option', () => {
    const initial = { n: 1 };
    const client = socket('ws://127.0.0.1:1/socket', { assigns: initial });
    client.assigns.n = 2;
    expect(initial.n).toBe(1);
    expect(() => socket('ws://127.0.0.1:1/socket', { assigns: 'x' as never })).toThrow(TypeError);
    expect(() => socket('ws://127.0.0.1:1/socket', { assigns: [] as never })).toThrow(/assigns/);
  });
});

describe('Socket defaults in Node', () => {
  it('passes transportOptions to the default WebSocket transport (headers reach the server)', async () => {
    const s = await server();
    const seen = s.waitFor('connection');
    await connected(socket(s.url, { transportOptions: { headers: { 'x-app': 'bot-7' } } }));
    expect((await seen).headers['x-app']).toBe('bot-7');
  });

  it('joining a topic already joined on this socket leaves the older channel first', async () => {
    const s = await server();
    echoRooms(s);
    const client = await connected(socket(s.url));
    const first = client.channel('room:dup');
    await first.join();
    const second = client.channel('room:dup');
    await second.join();
    await until(() => first.state === 'closed');
    expect(second.state).toBe('joined');
    const heard = new Promise((resolve) => second.on('b', resolve));
    s.broadcast('room:dup', 'b', { to: 'second' });
    await expect(heard).resolves.toEqual({ to: 'second' });
  });
});
