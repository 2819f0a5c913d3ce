import { describe, expect, it } from 'vitest';
import { ReplayLog } from '../src/index';
import { RawClient, type V2Frame } from './helpers/raw-client';
import { track, useServer } from './helpers/server';

const msgs = (client: RawClient): number[] =>
  (client.json() as V2Frame[]).filter((m) => m[3] === 'msg').map((m) => (m[4] as { seq: number }).seq);

describe('ReplayLog', () => {
  it('numbers published messages and replays those after last_seq to a joining client, in order', async () => {
    const server = await useServer();
    const log = new ReplayLog(server);
    server.channel('feed:*', log.spec());
    for (let i = 0; i < 5; i++) log.publish('feed:1', { body: `m${i}` });
    const client = track(await RawClient.connect(server.url));
    await client.join('feed:1', { last_seq: 2 });
    await client.waitJson<V2Frame>((m) => m[3] === 'msg' && (m[4] as { seq: number }).seq === 5);
    expect(msgs(client)).toEqual([3, 4, 5]);
    log.publish('feed:1', { body: 'live' });
    await client.waitJson<V2Frame>((m) => m[3] === 'msg' && (m[4] as { seq: number }).seq === 6);
    expect(log.replayedCount).toBe(3);
  });

  it('replays nothing to a join without the cursor, and skip() leaves a hole in the numbering', async () => {
    const server = await useServer();
    const log = new ReplayLog(server, { param: 'after', event: 'msg' });
    server.channel('feed:*', log.spec());
    log.publish('feed:1');
    const client = track(await RawClient.connect(server.url));
    await client.join('feed:1', {});
    log.skip('feed:1', 2);
    expect(log.publish('feed:1')).toBe(4);
    await client.waitJson<V2Frame>((m) => m[3] === 'msg');
    expect(msgs(client)).toEqual([4]);
    expect(log.since('feed:1', 0).map((e) => e.seq)).toEqual([1, 4]);
  });
});
