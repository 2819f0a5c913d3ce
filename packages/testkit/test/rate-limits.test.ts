import { describe, expect, it } from 'vitest';
import { ConnectionRateLimiter, JOIN_REFUSALS } from '../src/index';
import { RawClient, type V2Frame } from './helpers/raw-client';
import { track, useServer } from './helpers/server';

const status = (frame: V2Frame): unknown => (frame[4] as { status: string }).status;
const response = (frame: V2Frame): unknown => (frame[4] as { response: unknown }).response;

describe('ConnectionRateLimiter', () => {
  it('refuses joins over the per-connection rate with the Phoenix-shaped reason, counting every topic together', async () => {
    let now = 0;
    const server = await useServer();
    const limits = new ConnectionRateLimiter({ joinsPerSecond: 1, joinBurst: 2, now: () => now });
    server.channel('room:*', limits.wrap({}));
    server.channel('feed:*', limits.wrap({}));
    const client = track(await RawClient.connect(server.url));
    expect(status(await client.join('room:1'))).toBe('ok');
    expect(status(await client.join('feed:1'))).toBe('ok');
    const refused = await client.join('room:2');
    expect(status(refused)).toBe('error');
    expect(response(refused)).toEqual({ reason: 'too_many_joins' });
    now += 1000;
    expect(status(await client.join('room:2'))).toBe('ok');
    expect(limits.stats()).toMatchObject({ joinsAccepted: 3, joinsRefused: 1 });
  });

  it('gives each connection its own bucket and can word refusals as Supabase Realtime does', async () => {
    const server = await useServer();
    const limits = new ConnectionRateLimiter({ joinsPerSecond: 1, joinBurst: 1, joinRefusal: 'supabase', now: () => 0 });
    server.channel('room:*', limits.wrap({}));
    const a = track(await RawClient.connect(server.url));
    const b = track(await RawClient.connect(server.url));
    expect(status(await a.join('room:1'))).toBe('ok');
    expect(status(await b.join('room:1'))).toBe('ok');
    expect(response(await a.join('room:2'))).toEqual(JOIN_REFUSALS.supabase);
  });

  it('answers pushes over the rate {reason: "rate_limited"} without running the handler', async () => {
    const server = await useServer();
    let handled = 0;
    const limits = new ConnectionRateLimiter({ pushesPerSecond: 1, pushBurst: 1, now: () => 0 });
    server.channel('room:*', limits.wrap({ handleIn: (_e, payload) => (handled++, { reply: 'ok', response: payload }) }));
    const client = track(await RawClient.connect(server.url));
    const join = await client.join('room:1');
    const first = await client.reply(client.push('room:1', 'msg', { n: 1 }, join[0]));
    const second = await client.reply(client.push('room:1', 'msg', { n: 2 }, join[0]));
    expect(status(first)).toBe('ok');
    expect(status(second)).toBe('error');
    expect(response(second)).toEqual({ reason: 'rate_limited' });
    expect(handled).toBe(1);
  });

  it('rejects limits that are not positive finite numbers', () => {
    expect(() => new ConnectionRateLimiter({ joinsPerSecond: 0 })).toThrow(RangeError);
    expect(() => new ConnectionRateLimiter({ joinRefusal: 'nope' as 'phoenix' })).toThrow(RangeError);
  });
});
