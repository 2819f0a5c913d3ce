import { describe, expect, it } from 'vitest';
import type { ChannelSocket, PresenceDiff, PresenceState, TestServer } from '../src/index';
import { RawClient, type V2Frame } from './helpers/raw-client';
import { track, useServer } from './helpers/server';

function presenceServer(server: TestServer): Map<string, ChannelSocket> {
  const sockets = new Map<string, ChannelSocket>();
  server.channel('room:*', {
    presence: true,
    join(_topic, params, socket) {
      sockets.set(String(params['user']), socket);
    },
    afterJoin(socket) {
      const user = [...sockets].find(([, s]) => s === socket)?.[0] ?? '?';
      server.track(socket, socket.topic, user, { status: 'online' });
    },
  });
  return sockets;
}

const diffOf = (m: V2Frame): PresenceDiff => m[4] as PresenceDiff;

describe('presence', () => {
  it('pushes presence_state right after the join reply and broadcasts joins as presence_diff', async () => {
    const server = await useServer();
    presenceServer(server);
    const ann = track(await RawClient.connect(server.url));
    await ann.join('room:1', { user: 'ann' }, '1');
    const annJoin = await ann.waitJson<V2Frame>((m) => m[3] === 'presence_diff');
    expect(ann.json().slice(0, 2).map((m) => (m as V2Frame)[3])).toEqual(['phx_reply', 'presence_state']);
    expect(ann.json()[1]).toEqual(['1', null, 'room:1', 'presence_state', {}]);
    const annMeta = diffOf(annJoin).joins['ann']?.metas[0];
    expect(annMeta).toEqual({ status: 'online', phx_ref: expect.any(String) });
    expect(diffOf(annJoin).leaves).toEqual({});

    const bob = track(await RawClient.connect(server.url));
    await bob.join('room:1', { user: 'bob' }, '1');
    const state = await bob.waitJson<V2Frame>((m) => m[3] === 'presence_state');
    expect(state[4]).toEqual({ ann: { metas: [annMeta] } });
    const bobJoin = await ann.waitJson<V2Frame>((m) => m[3] === 'presence_diff' && 'bob' in diffOf(m).joins);
    expect(bobJoin[0]).toBeNull();
    expect(Object.keys(server.listPresence('room:1'))).toEqual(['ann', 'bob']);
  });

  it('sends the old meta in leaves and the new one (phx_ref_prev = old phx_ref) in joins on update', async () => {
    const server = await useServer();
    const sockets = presenceServer(server);
    const ann = track(await RawClient.connect(server.url));
    await ann.join('room:1', { user: 'ann' }, '1');
    const first = await ann.waitJson<V2Frame>((m) => m[3] === 'presence_diff');
    const old = diffOf(first).joins['ann']?.metas[0];
    expect(server.update(sockets.get('ann') as ChannelSocket, 'room:1', 'ann', { status: 'away' })).toBe(true);
    const updated = await ann.waitJson<V2Frame>((m) => m[3] === 'presence_diff' && 'ann' in diffOf(m).leaves);
    const diff = diffOf(updated);
    expect(diff.leaves).toEqual({ ann: { metas: [old] } });
    expect(diff.joins).toEqual({ ann: { metas: [{ status: 'away', phx_ref: expect.any(String), phx_ref_prev: old?.phx_ref }] } });
    expect(diff.joins['ann']?.metas[0]?.phx_ref).not.toBe(old?.phx_ref);
  });

  it('sends a leave diff when a tracked channel leaves, disconnects or is untracked', async () => {
    const server = await useServer();
    const sockets = presenceServer(server);
    const watcher = track(await RawClient.connect(server.url));
    await watcher.join('room:1', { user: 'watcher' }, '1');
    const ann = track(await RawClient.connect(server.url));
    await ann.join('room:1', { user: 'ann' }, '1');
    const bob = track(await RawClient.connect(server.url));
    await bob.join('room:1', { user: 'bob' }, '1');
    const cat = track(await RawClient.connect(server.url));
    await cat.join('room:1', { user: 'cat' }, '1');
    await watcher.waitJson<V2Frame>((m) => m[3] === 'presence_diff' && 'cat' in diffOf(m).joins);

    const leftDiff = (user: string) =>
      watcher.waitJson<V2Frame>((m) => m[3] === 'presence_diff' && user in diffOf(m).leaves);
    ann.push('room:1', 'phx_leave', {}, '1');
    expect(diffOf(await leftDiff('ann')).leaves['ann']?.metas[0]).toMatchObject({ status: 'online' });
    bob.close();
    await leftDiff('bob');
    expect(server.untrack(sockets.get('cat') as ChannelSocket, 'room:1', 'cat')).toBe(true);
    await leftDiff('cat');
    expect(Object.keys(server.listPresence('room:1'))).toEqual(['watcher']);
  });

  it('pushes presence_state on demand with pushPresenceState and keeps several metas per key', async () => {
    const server = await useServer();
    server.channel('room:*', {
      afterJoin(socket) {
        server.track(socket, socket.topic, 'same-user', { device: socket.connection.id });
        server.pushPresenceState(socket);
      },
    });
    const a = track(await RawClient.connect(server.url));
    await a.join('room:1', {}, '1');
    const b = track(await RawClient.connect(server.url));
    await b.join('room:1', {}, '1');
    const state = await b.waitJson<V2Frame>((m) => m[3] === 'presence_state');
    const metas = (state[4] as PresenceState)['same-user']?.metas ?? [];
    expect(metas.map((m) => m['device'])).toEqual(['c1', 'c2']);
  });
});
