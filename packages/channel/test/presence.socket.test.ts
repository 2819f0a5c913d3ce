/**
 * Presence over a real socket against the testkit's Phoenix-shaped presence: joins, leaves, meta updates
 * (phx_ref_prev), several sessions per key, and a rejoin after the server drops every connection.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { Socket } from '@phx-socket/client';
import { startServer, type ChannelSocket, type TestServer } from '@phx-socket/testkit';
import { Presence } from '../src/presence';

let server: TestServer;
const sockets: Socket[] = [];
const tracked = new Map<string, ChannelSocket>();

afterEach(async () => {
  for (const s of sockets.splice(0)) s.disconnect();
  tracked.clear();
  await server?.close();
});

async function start(): Promise<void> {
  server = await startServer();
  server.channel('room:*', {
    presence: true,
    join: () => ({ ok: {} }),
    afterJoin: (socket) => {
      tracked.set(String(socket.params.session), socket);
      server.track(socket, socket.topic, String(socket.params.user), { status: 'online', session: socket.params.session });
    },
    handleIn: (event, payload, socket) => {
      if (event === 'status') {
        server.update(socket, socket.topic, String(socket.params.user), { status: (payload as { status: string }).status, session: socket.params.session });
        return { reply: 'ok' };
      }
      return { reply: 'error' };
    },
  });
}

async function join(user: string, session: string) {
  const socket = new Socket(server.url, { params: { user, session }, reconnectAfterMs: () => 20, rejoinAfterMs: () => 20 });
  sockets.push(socket);
  socket.connect();
  const channel = socket.channel('room:1');
  const presence = new Presence<{ status: string; session: string }>(channel);
  await channel.join();
  return { socket, channel, presence };
}

function until(cond: () => boolean, timeoutMs = 3000): Promise<void> {
  return new Promise((resolve, reject) => {
    const started = Date.now();
    const tick = (): void => {
      if (cond()) return resolve();
      if (Date.now() - started > timeoutMs) return reject(new Error('condition not met in time'));
      setTimeout(tick, 5);
    };
    tick();
  });
}

const keys = (p: Presence<{ status: string; session: string }>): string[] => p.list((k) => k).sort();

describe('Presence against the testkit', () => {
  it('sees joins and leaves of other users', async () => {
    await start();
    const ana = await join('ana', 's1');
    await until(() => keys(ana.presence).join() === 'ana');
    const left: string[] = [];
    ana.presence.onLeave((key, current) => current.metas.length === 0 && left.push(key));
    const bob = await join('bob', 's2');
    await until(() => keys(ana.presence).join() === 'ana,bob');
    await bob.channel.leave();
    await until(() => left.includes('bob'));
    expect(keys(ana.presence)).toEqual(['ana']);
  });

  it('keeps one key with several sessions and drops it only when the last one leaves', async () => {
    await start();
    const watcher = await join('watcher', 'w');
    const tab1 = await join('ana', 't1');
    const tab2 = await join('ana', 't2');
    await until(() => watcher.presence.get('ana')?.metas.length === 2);
    expect(watcher.presence.count()).toBe(2);
    await tab1.channel.leave();
    await until(() => watcher.presence.get('ana')?.metas.length === 1);
    expect(watcher.presence.get('ana')?.metas[0]?.session).toBe('t2');
    await tab2.channel.leave();
    await until(() => watcher.presence.get('ana') === undefined);
  });

  it('applies meta updates: the new meta replaces the old one, carrying phx_ref_prev', async () => {
    await start();
    const ana = await join('ana', 's1');
    const bob = await join('bob', 's2');
    await until(() => ana.presence.get('bob') !== undefined);
    const before = ana.presence.get('bob')?.metas[0]?.phx_ref;
    await bob.channel.push('status', { status: 'away' });
    await until(() => ana.presence.get('bob')?.metas[0]?.status === 'away');
    const metas = ana.presence.get('bob')?.metas ?? [];
    expect(metas).toHaveLength(1);
    expect(metas[0]?.phx_ref_prev).toBe(before);
    expect(metas[0]?.phx_ref).not.toBe(before);
    expect(ana.presence.listBy('status', (s) => s === 'away')).toEqual(['bob']);
  });

  it('reconciles to the fresh state after the server drops every connection', async () => {
    await start();
    const ana = await join('ana', 's1');
    const bob = await join('bob', 's2');
    await until(() => keys(ana.presence).join() === 'ana,bob');
    const firstJoinRef = ana.channel.joinRef;
    let syncs = 0;
    ana.presence.onSync(() => syncs++);
    bob.socket.disconnect();
    await server.dropAll();
    await until(() => ana.channel.state === 'joined' && ana.channel.joinRef !== firstJoinRef);
    await until(() => keys(ana.presence).join() === 'ana');
    expect(syncs).toBeGreaterThan(0);
    expect(ana.presence.get('ana')?.metas).toHaveLength(1);
  });
});
