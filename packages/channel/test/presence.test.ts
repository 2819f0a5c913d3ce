import { describe, expect, it } from 'vitest';
import { Channel } from '../src/channel';
import { Presence } from '../src/presence';
import { FakeHost, replyTo } from './helpers/fake-host';

function joinedChannel() {
  const host = new FakeHost();
  const channel = new Channel('room:1', {}, host);
  channel.join();
  channel.dispatch(replyTo(host.last('phx_join'), 'ok'));
  const send = (event: string, payload: unknown) =>
    channel.dispatch({ joinRef: channel.joinRef, ref: null, topic: 'room:1', event, payload });
  return { host, channel, send };
}

const pres = (...refs: string[]) => ({ metas: refs.map((phx_ref) => ({ phx_ref })) });

describe('Presence', () => {
  it('holds diffs that arrive before the first state and applies them after it', () => {
    const { channel, send } = joinedChannel();
    const presence = new Presence(channel);
    let syncs = 0;
    presence.onSync(() => syncs++);
    send('presence_diff', { joins: { b: pres('2') }, leaves: {} });
    expect(presence.list()).toEqual([]);
    expect(syncs).toBe(0);
    send('presence_state', { a: pres('1') });
    expect(presence.list((k) => k).sort()).toEqual(['a', 'b']);
    expect(syncs).toBe(1);
  });

  it('reports joins and leaves through onJoin and onLeave', () => {
    const { channel, send } = joinedChannel();
    const presence = new Presence(channel);
    const events: string[] = [];
    presence.onJoin((key, current) => events.push(`join ${key} ${current ? 'more' : 'new'}`));
    presence.onLeave((key, current) => events.push(`leave ${key} ${current.metas.length}`));
    send('presence_state', { a: pres('1') });
    send('presence_diff', { joins: { a: pres('2') }, leaves: {} });
    send('presence_diff', { joins: {}, leaves: { a: pres('1') } });
    send('presence_diff', { joins: {}, leaves: { a: pres('2') } });
    expect(events).toEqual(['join a new', 'join a more', 'leave a 1', 'leave a 0']);
    expect(presence.count()).toBe(0);
  });

  it('waits for a fresh state after a rejoin and reconciles against it', () => {
    const { host, channel, send } = joinedChannel();
    const presence = new Presence(channel);
    send('presence_state', { a: pres('1'), b: pres('2') });
    host.connected = false;
    channel.onSocketDown('transport');
    host.connected = true;
    channel.onSocketOpen();
    channel.dispatch(replyTo(host.last('phx_join'), 'ok'));
    expect(presence.inPendingSyncState()).toBe(true);
    send('presence_diff', { joins: { c: pres('3') }, leaves: {} });
    send('presence_state', { b: pres('2') });
    expect(presence.list((k) => k).sort()).toEqual(['b', 'c']);
  });

  it('lists keys by a meta field, e.g. who is typing', () => {
    const { channel, send } = joinedChannel();
    const presence = new Presence<{ typing?: boolean; role?: string }>(channel);
    send('presence_state', {
      ana: { metas: [{ phx_ref: '1', typing: true }] },
      bob: { metas: [{ phx_ref: '2', typing: false }, { phx_ref: '3', typing: true, role: 'admin' }] },
      cid: { metas: [{ phx_ref: '4' }] },
    });
    expect(presence.listBy('typing').sort()).toEqual(['ana', 'bob']);
    expect(presence.listBy('role', (role) => role === 'admin')).toEqual(['bob']);
    expect(presence.get('cid')?.metas).toHaveLength(1);
    expect(presence.count()).toBe(3);
  });

  it('finishes merging and syncing when an app callback throws, then reports the error', () => {
    const { host, channel, send } = joinedChannel();
    const presence = new Presence(channel);
    let synced = false;
    presence.onJoin(() => {
      throw new Error('app bug');
    });
    presence.onSync(() => (synced = true));
    send('presence_state', { a: pres('1'), b: pres('2') });
    expect(presence.count()).toBe(2);
    expect(synced).toBe(true);
    expect(host.errors).toHaveLength(1);
  });

  it('stops listening after dispose', () => {
    const { channel, send } = joinedChannel();
    const presence = new Presence(channel);
    presence.dispose();
    send('presence_state', { a: pres('1') });
    expect(presence.count()).toBe(0);
  });
});
