/**
 * The leader-tab mode in Node (no SharedWorker here; Node 20 has BroadcastChannel, `navigator.locks` is an
 * in-memory fake shared by the "tabs"): one tab wins the Web Lock and runs the host, the others reach it
 * over BroadcastChannel, against a real testkit server; and the handover when the leader tab closes.
 */
import { describe, expect, it } from 'vitest';
import { ConnectionLostError, type TelemetryEventMap } from '../../src/index';
import { SharedSocket, type SharedSocketOptions } from '../../src/shared/index';
import { until } from '../helpers/harness';
import { chatServer, FakeLocks, sharedSocket } from '../helpers/shared-tab';

type ModeMetadata = TelemetryEventMap['shared:mode']['metadata'];

interface Tab {
  readonly socket: SharedSocket;
  readonly modes: ModeMetadata[];
}

function tab(url: string, locks: FakeLocks | null, options: SharedSocketOptions = {}): Tab {
  const socket = sharedSocket(url, { locks, ...options });
  const modes: ModeMetadata[] = [];
  socket.telemetry.on('shared:mode', ({ metadata }) => modes.push(metadata));
  return { socket, modes };
}

const leads = (t: Tab): boolean => t.modes.at(-1)?.leader === true;

/** Three connected tabs on one origin, each joined to room:lobby; resolves once all are joined. */
async function threeTabs(url: string, locks: FakeLocks, options: SharedSocketOptions = {}) {
  const tabs = [tab(url, locks, options), tab(url, locks, options), tab(url, locks, options)];
  const heard: string[][] = [[], [], []];
  const rooms = tabs.map((t, i) => {
    t.socket.connect();
    const room = t.socket.channel<{ new_msg: { body: string } }>('room:lobby', { user: 'ana' });
    room.on('new_msg', ({ body }) => heard[i]?.push(body));
    return room;
  });
  await Promise.all(rooms.map((r) => r.join()));
  return { tabs, rooms, heard };
}

describe('SharedSocket leader tab (BroadcastChannel + Web Locks)', () => {
  it('makes three tabs share one connection through the elected tab; each hears each broadcast once', async () => {
    const s = await chatServer();
    const { tabs, heard } = await threeTabs(s.url, new FakeLocks());
    expect(tabs.map((t) => t.socket.mode)).toEqual(['leader-tab', 'leader-tab', 'leader-tab']);
    expect(tabs.filter(leads)).toHaveLength(1);
    for (const t of tabs) expect(t.modes).toEqual([{ mode: 'leader-tab', reason: 'no_shared_worker', leader: leads(t) }]);
    expect(s.stats()).toMatchObject({ connections: 1, totalConnections: 1, channels: 1, joins: 1 });

    s.broadcast('room:lobby', 'new_msg', { body: 'one' });
    s.broadcast('room:lobby', 'new_msg', { body: 'two' });
    await until(() => heard.every((h) => h.length === 2), 3000, 'every tab to hear both');
    await new Promise((r) => setTimeout(r, 50));
    expect(heard).toEqual([['one', 'two'], ['one', 'two'], ['one', 'two']]);
    for (const t of tabs) expect(t.socket.state.status).toBe('open');
  });

  it('resolves a push from tab 2 on tab 2 only, with the typed errors', async () => {
    const s = await chatServer();
    const { tabs, rooms } = await threeTabs(s.url, new FakeLocks());
    const replies: string[] = [];
    tabs.forEach((t, i) => t.socket.telemetry.on('push:reply', (e) => replies.push(`${i}:${e.metadata.event}`)));
    expect(await rooms[1]?.push('hi', { n: 2 })).toEqual({ echo: { n: 2 } });
    await expect(rooms[1]?.push('bad', {})).rejects.toMatchObject({ code: 'reply_error' });
    await new Promise((r) => setTimeout(r, 50));
    expect(replies).toEqual(['1:hi', '1:bad']);
    expect(s.stats().totalConnections).toBe(1);
  });

  it('hands over when the leader tab closes: the next tab leads, channels rejoin, pushes settle', async () => {
    const s = await chatServer();
    const locks = new FakeLocks();
    const { tabs, rooms, heard } = await threeTabs(s.url, locks);
    const leader = tabs.findIndex(leads);
    expect(leader).toBeGreaterThanOrEqual(0);
    const stay = [0, 1, 2].filter((i) => i !== leader);
    const [a, b] = stay.map((i) => ({ t: tabs[i]!, room: rooms[i]!, heard: heard[i]! }));

    tabs[leader]?.socket.dispose(); // the leader tab closes: its lock goes to the next tab in the queue
    // A push made during the handover settles: resolved, or rejected with ConnectionLostError when it was
    // already on its way to the old leader. It never hangs.
    const during = a!.room.push('hi', { during: true }).then(
      (reply) => ({ ok: reply }),
      (error: unknown) => ({ error }),
    );
    await until(() => stay.some((i) => leads(tabs[i]!)), 5000, 'a new leader');
    await until(() => a!.t.modes.some((m) => m.reason === 'leader_gone' || m.reason === 'elected'), 5000, 'tab a to see the handover');
    // Made after tab b saw the old leader go: it waits for the new leader and resolves.
    await until(() => b!.t.modes.some((m) => m.reason === 'leader_gone' || m.reason === 'elected'), 5000, 'tab b to see the handover');
    const after = b!.room.push('hi', { after: true });
    const settled = await during;
    if ('error' in settled) expect(settled.error).toBeInstanceOf(ConnectionLostError);
    else expect(settled.ok).toEqual({ echo: { during: true } });
    expect(await after).toEqual({ echo: { after: true } });

    await until(() => a!.room.state === 'joined' && b!.room.state === 'joined', 5000, 'the rejoin through the new leader');
    await until(() => s.stats().connections === 1 && s.stats().channels === 1, 5000, 'one connection again');
    expect(s.stats().totalConnections).toBe(2);
    expect(stay.filter((i) => leads(tabs[i]!))).toHaveLength(1);
    for (const t of [a!.t, b!.t]) expect(t.socket.mode).toBe('leader-tab');

    s.broadcast('room:lobby', 'new_msg', { body: 'after handover' });
    await until(() => a!.heard.includes('after handover') && b!.heard.includes('after handover'), 3000, 'both tabs to hear it');
    await new Promise((r) => setTimeout(r, 50));
    expect(a!.heard.filter((x) => x === 'after handover')).toHaveLength(1);
    expect(b!.heard.filter((x) => x === 'after handover')).toHaveLength(1);

    // The last two close: the connection closes with them, and no lock stays held.
    a!.t.socket.dispose();
    b!.t.socket.dispose();
    await until(() => s.stats().connections === 0, 5000, 'the connection to close');
    await until(() => locks.heldNames().length === 0, 2000, 'every lock released');
  });

  it("keeps tabs alive over the link: the host's tab heartbeat is answered through the leader", async () => {
    const s = await chatServer();
    const { tabs } = await threeTabs(s.url, new FakeLocks(), { tabHeartbeatIntervalMs: 100, tabTimeoutMs: 1000 });
    await new Promise((r) => setTimeout(r, 1500));
    for (const t of tabs) expect(t.modes).toHaveLength(1);
    expect(s.stats().totalConnections).toBe(1);
  });

  it("uses the leader tab with mode: 'leader-tab', and its own socket where BroadcastChannel is missing", async () => {
    const s = await chatServer();
    const forced = tab(s.url, new FakeLocks(), { mode: 'leader-tab' });
    forced.socket.connect();
    await forced.socket.channel('room:lobby').join();
    expect(forced.modes).toEqual([{ mode: 'leader-tab', reason: 'mode_option', leader: true }]);

    const noChannel = tab(s.url, new FakeLocks(), { mode: 'leader-tab', createBroadcastChannel: null });
    noChannel.socket.connect();
    await noChannel.socket.channel('room:lobby').join();
    expect(noChannel.modes).toEqual([{ mode: 'local', reason: 'no_leader_support' }]);

    const noLocks = tab(s.url, null);
    noLocks.socket.connect();
    await noLocks.socket.channel('room:lobby').join();
    expect(noLocks.modes).toEqual([{ mode: 'local', reason: 'no_shared_worker' }]);
  });
});
