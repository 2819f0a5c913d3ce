/**
 * Catch-up after reconnect over real sockets: the channel keeps the last seq it saw and sends it as
 * `last_seq` at every rejoin; the testkit's ReplayLog replays what the client missed while a fault proxy
 * kept it away; a seq the server skipped is reported as a gap.
 */
import { ReplayLog, startFaultProxy, type FaultProxy } from '@phx-socket/testkit';
import { afterEach, describe, expect, it } from 'vitest';
import { CatchUp, type Gap, type TelemetryEventMap } from '../src/index';
import { connected, server, socket, until } from './helpers/harness';

const proxies: FaultProxy[] = [];
afterEach(async () => {
  await Promise.all(proxies.splice(0).map((p) => p.close()));
});

describe('Catch-up after reconnect', () => {
  it('fills the gap of a disconnect with the server replay while the server kept broadcasting', async () => {
    const s = await server();
    const log = new ReplayLog(s);
    const joins: Record<string, unknown>[] = [];
    s.channel('feed:*', log.spec({ join: (_topic, params) => void joins.push(params) }));
    const proxy = await startFaultProxy({ target: s.url });
    proxies.push(proxy);
    const client = await connected(socket(proxy.url));
    const gaps: TelemetryEventMap['catch_up:gap'][] = [];
    client.telemetry.on('catch_up:gap', (e) => gaps.push(e));
    const feed = client.channel('feed:1', { user: 'ana' }, { catchUp: new CatchUp({ cursor: 'seq', param: 'last_seq' }) });
    const seen: number[] = [];
    feed.on('msg', (payload) => seen.push((payload as { seq: number }).seq));
    await feed.join();

    const ticker = setInterval(() => log.publish('feed:1', { body: 'tick' }), 5);
    try {
      await until(() => seen.length >= 20, 5000, '20 messages before the drop');
      proxy.refuse(300);
      await proxy.dropAll();
      const missedFrom = log.lastSeq('feed:1');
      await until(() => feed.state !== 'joined', 2000, 'channel errored');
      await until(() => feed.state === 'joined', 5000, 'rejoined');
      const rejoinedAt = log.lastSeq('feed:1');
      expect(rejoinedAt - missedFrom).toBeGreaterThan(10); // the server went on while the client was away
      await until(() => seen.length >= rejoinedAt + 10, 5000, 'messages after the rejoin');
    } finally {
      clearInterval(ticker);
    }
    const last = seen[seen.length - 1] as number;
    expect(seen).toEqual(Array.from({ length: last }, (_, i) => i + 1));
    expect(gaps).toEqual([]);
    expect(log.replayedCount).toBeGreaterThan(10);
    // The first join had no cursor; the rejoin carried the last seq seen, with the channel's own params.
    expect(joins[0]).toEqual({ user: 'ana' });
    expect(joins[1]).toMatchObject({ user: 'ana', last_seq: expect.any(Number) });
    console.log(`catch-up: ${log.replayedCount} messages replayed after the drop, ${seen.length} received in order, 0 gaps`);
  });

  it('fires the gap detector (telemetry and onGap) when the server skips a seq', async () => {
    const s = await server();
    const log = new ReplayLog(s);
    s.channel('feed:*', log.spec());
    const client = await connected(socket(s.url));
    const gapEvents: TelemetryEventMap['catch_up:gap'][] = [];
    client.telemetry.on('catch_up:gap', (e) => gapEvents.push(e));
    const gaps: Gap[] = [];
    const feed = client.channel('feed:2', {}, { catchUp: new CatchUp({ cursor: 'seq', onGap: (g) => gaps.push(g) }) });
    const seen: number[] = [];
    feed.on('msg', (payload) => seen.push((payload as { seq: number }).seq));
    await feed.join();
    log.publish('feed:2');
    log.publish('feed:2');
    log.skip('feed:2', 3);
    log.publish('feed:2');
    await until(() => seen.length === 3, 2000, 'three messages');
    expect(seen).toEqual([1, 2, 6]);
    expect(gaps).toEqual([{ topic: 'feed:2', event: 'msg', from: 3, to: 5, missed: 3 }]);
    expect(gapEvents[0]?.measurements).toEqual({ missed: 3, from: 3, to: 5 });
  });

  it('works as a standalone tracker with function params, a cursor function and an initial cursor', async () => {
    const s = await server();
    const joins: Record<string, unknown>[] = [];
    s.channel('feed:*', { join: (_topic, params) => void joins.push(params) });
    const client = await connected(socket(s.url));
    const tracker = new CatchUp({ cursor: (event, payload) => (event === 'row' ? (payload as { id: string }).id : undefined), param: 'after', initial: 'r0' });
    const feed = client.channel('feed:3', tracker.params(async () => ({ token: 't' })));
    tracker.attach(feed);
    const rows: string[] = [];
    feed.on('row', (p) => rows.push((p as { id: string }).id));
    await feed.join();
    s.broadcast('feed:3', 'row', { id: 'r7' });
    await until(() => rows.length === 1, 2000, 'a row');
    expect(tracker.cursor).toBe('r7');
    expect(joins[0]).toEqual({ token: 't', after: 'r0' });
    expect(() => new CatchUp({ cursor: '' })).toThrow(TypeError);
  });
});
