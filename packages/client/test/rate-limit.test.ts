/**
 * Client-side rate limiting over real sockets against the testkit: pushes and joins wait in order and are
 * never dropped, the server's `rate_limited` / `too_many_joins` replies pause and the retries succeed.
 */
import { ConnectionRateLimiter, type TestServer } from '@phx-socket/testkit';
import { describe, expect, it } from 'vitest';
import { ChannelClosedError, rateLimiting, ReplyError, resolveRateLimit, Socket, type SocketOptions, type TelemetryEventMap } from '../src/index';
import { connected, server, socket, until } from './helpers/harness';

/** `room:*` echoing each push with the server's receive time. */
function timedRooms(s: TestServer, limits?: ConnectionRateLimiter): { received: { event: string; at: number; n: unknown }[] } {
  const received: { event: string; at: number; n: unknown }[] = [];
  const spec = {
    handleIn: (event: string, payload: unknown) => {
      received.push({ event, at: Date.now(), n: (payload as { n?: unknown }).n });
      return { reply: 'ok' as const, response: payload };
    },
  };
  s.channel('room:*', limits ? limits.wrap(spec) : spec);
  return { received };
}

function record<K extends keyof TelemetryEventMap>(client: Socket, name: K): TelemetryEventMap[K][] {
  const seen: TelemetryEventMap[K][] = [];
  client.telemetry.on(name, ((e: TelemetryEventMap[K]) => seen.push(e)) as never);
  return seen;
}

describe('Client-side rate limiting', () => {
  it('paces pushes over the limit in order, resolves every one and drops none', async () => {
    const s = await server();
    const { received } = timedRooms(s);
    const client = await connected(socket(s.url, { rateLimit: rateLimiting({ pushesPerSecond: 50, pushBurst: 5 }) }));
    const throttled = record(client, 'rate_limit:throttled');
    const released = record(client, 'rate_limit:released');
    const room = client.channel('room:1');
    await room.join();
    const start = Date.now();
    const replies = await Promise.all(Array.from({ length: 30 }, (_, n) => room.push('msg', { n })));
    const elapsed = Date.now() - start;
    expect(replies.map((r) => (r as { n: number }).n)).toEqual(Array.from({ length: 30 }, (_, n) => n));
    expect(received.map((r) => r.n)).toEqual(Array.from({ length: 30 }, (_, n) => n));
    // 5 at once, then 25 at 50/s: about 500 ms.
    expect(elapsed).toBeGreaterThanOrEqual(400);
    expect(throttled).toHaveLength(1);
    expect(throttled[0]?.metadata.kind).toBe('push');
    await until(() => released.length === 1, 2000, 'released');
    expect(released[0]?.measurements.sent).toBe(25);
    expect(client.rateLimitStats()?.throttledPushes).toBe(25);
  });

  it("applies a channel's own push rate on top of the socket's, leaving other channels unthrottled", async () => {
    const s = await server();
    timedRooms(s);
    const client = await connected(socket(s.url, { rateLimit: rateLimiting() }));
    const slow = client.channel('room:slow', {}, { rateLimit: { pushesPerSecond: 20, pushBurst: 1 } });
    const fast = client.channel('room:fast');
    await Promise.all([slow.join(), fast.join()]);
    const t0 = Date.now();
    const slowDone = Promise.all(Array.from({ length: 6 }, (_, n) => slow.push('msg', { n }))).then(() => Date.now() - t0);
    const fastDone = Promise.all(Array.from({ length: 50 }, (_, n) => fast.push('msg', { n }))).then(() => Date.now() - t0);
    const [slowMs, fastMs] = await Promise.all([slowDone, fastDone]);
    expect(slowMs).toBeGreaterThanOrEqual(230); // 1 at once, 5 more at 20/s
    expect(fastMs).toBeLessThan(slowMs);
  });

  it('rejects pushes still waiting when their channel is left, with ChannelClosedError', async () => {
    const s = await server();
    timedRooms(s);
    const client = await connected(socket(s.url, { rateLimit: rateLimiting({ pushesPerSecond: 2, pushBurst: 1 }) }));
    const room = client.channel('room:1');
    await room.join();
    const first = room.push('msg', { n: 0 });
    const waiting = [room.push('msg', { n: 1 }), room.push('msg', { n: 2 })];
    await first;
    await room.leave();
    for (const push of waiting) await expect(push).rejects.toBeInstanceOf(ChannelClosedError);
    expect(client.rateLimitStats()?.waitingPushes).toBe(0);
  });

  it('keeps pushes that waited across a dropped connection and sends each once after the rejoin', async () => {
    const s = await server();
    const { received } = timedRooms(s);
    const client = await connected(socket(s.url, { rateLimit: rateLimiting({ pushesPerSecond: 10, pushBurst: 1 }) }));
    const room = client.channel('room:1');
    await room.join();
    const pushes = Array.from({ length: 8 }, (_, n) => room.push('msg', { n }));
    await pushes[0];
    await s.dropAll();
    const replies = await Promise.all(pushes);
    expect(replies).toHaveLength(8);
    expect(received.map((r) => r.n)).toEqual([0, 1, 2, 3, 4, 5, 6, 7]);
  });

  it('joins a burst of 2 000 topics against a server limiting joins per second: all join, none dropped, paced', async () => {
    const s = await server({ maxChannels: 5000 });
    const limits = new ConnectionRateLimiter({ joinsPerSecond: 2000, joinBurst: 500 });
    s.channel('room:*', limits.wrap({}));
    // The client paces a little under what the server allows, as an app configured from the server's docs would.
    const client = await connected(socket(s.url, { rateLimit: rateLimiting({ joinsPerSecond: 1500, joinBurst: 400 }), timeout: 30_000 }));
    const throttled = record(client, 'rate_limit:throttled');
    const start = Date.now();
    const channels = Array.from({ length: 2000 }, (_, i) => client.channel(`room:${i}`));
    await Promise.all(channels.map((c) => c.join()));
    const elapsed = Date.now() - start;
    expect(channels.every((c) => c.state === 'joined')).toBe(true);
    expect(limits.stats().joinsAccepted).toBe(2000);
    expect(limits.stats().joinsRefused).toBe(0);
    expect(throttled.some((e) => e.metadata.kind === 'join')).toBe(true);
    // 400 at once, 1600 at 1500/s: at least ~1070 ms.
    expect(elapsed).toBeGreaterThanOrEqual(950);
    console.log(`join burst: 2000 topics joined in ${elapsed} ms paced at 1500 joins/s (burst 400) against a 2000/s server limit, 0 refused`);
  });

  it("pauses the socket's joins after a too_many_joins refusal and the retried joins succeed when the server allows", async () => {
    const s = await server({ maxChannels: 500 });
    const limits = new ConnectionRateLimiter({ joinsPerSecond: 100, joinBurst: 20 });
    s.channel('room:*', limits.wrap({}));
    // The client believes in a far higher rate than the server allows.
    const client = await connected(socket(s.url, { rateLimit: rateLimiting({ joinsPerSecond: 10_000, pauseAfterMs: () => 300 }), timeout: 30_000, rejoinAfterMs: () => 50 }));
    const paused = record(client, 'rate_limit:paused');
    const resumed = record(client, 'rate_limit:resumed');
    const channels = Array.from({ length: 60 }, (_, i) => client.channel(`room:${i}`));
    channels.forEach((c) => c.join());
    await until(() => channels.every((c) => c.state === 'joined'), 15_000, 'every channel joined');
    expect(limits.stats().joinsRefused).toBeGreaterThan(0);
    expect(limits.stats().joinsAccepted).toBe(60);
    expect(paused.length).toBeGreaterThan(0);
    expect(paused[0]?.metadata).toMatchObject({ kind: 'join', scope: 'socket', reason: { reason: 'too_many_joins' } });
    // One pause per burst of refusals, not one per refused join.
    expect(paused.length).toBeLessThan(limits.stats().joinsRefused);
    expect(resumed.length).toBeGreaterThan(0);
  });

  it('recognises the Supabase-shaped join refusal too', async () => {
    const s = await server();
    const limits = new ConnectionRateLimiter({ joinsPerSecond: 20, joinBurst: 2, joinRefusal: 'supabase' });
    s.channel('room:*', limits.wrap({}));
    const client = await connected(socket(s.url, { rateLimit: rateLimiting({ pauseAfterMs: () => 200 }), rejoinAfterMs: () => 50 }));
    const paused = record(client, 'rate_limit:paused');
    const channels = Array.from({ length: 6 }, (_, i) => client.channel(`room:${i}`));
    channels.forEach((c) => c.join());
    await until(() => channels.every((c) => c.state === 'joined'), 10_000, 'every channel joined');
    expect(paused[0]?.metadata.reason).toEqual({ reason: 'ClientJoinRateLimitReached: Too many joins per second' });
  });

  it('rejects a push answered rate_limited with ReplyError and holds that channel\'s later pushes for the pause', async () => {
    const s = await server();
    const limits = new ConnectionRateLimiter({ pushesPerSecond: 5, pushBurst: 2 });
    const { received } = timedRooms(s, limits);
    const client = await connected(socket(s.url, { rateLimit: rateLimiting({ pauseAfterMs: () => 400 }) }));
    const paused = record(client, 'rate_limit:paused');
    const room = client.channel('room:1');
    await room.join();
    const outcomes = await Promise.allSettled([room.push('msg', { n: 0 }), room.push('msg', { n: 1 }), room.push('msg', { n: 2 })]);
    expect(outcomes.map((o) => o.status)).toEqual(['fulfilled', 'fulfilled', 'rejected']);
    const error = (outcomes[2] as PromiseRejectedResult).reason as ReplyError;
    expect(error).toBeInstanceOf(ReplyError);
    expect(error.response).toEqual({ reason: 'rate_limited' });
    expect(paused[0]?.metadata).toMatchObject({ kind: 'push', scope: 'channel', topic: 'room:1' });
    const pausedAt = Date.now();
    await room.push('msg', { n: 3 });
    expect(Date.now() - pausedAt).toBeGreaterThanOrEqual(300);
    expect(received.map((r) => r.n)).toEqual([0, 1, 3]);
  });

  it('starts the timeout of a waiting push or join when it is sent, so waiting for the rate never times out', async () => {
    const s = await server();
    timedRooms(s);
    const client = await connected(socket(s.url, { timeout: 150, rateLimit: rateLimiting({ joinsPerSecond: 20, joinBurst: 1, pushesPerSecond: 20, pushBurst: 1 }) }));
    const channels = Array.from({ length: 6 }, (_, i) => client.channel(`room:${i}`));
    const start = Date.now();
    await Promise.all(channels.map((c) => c.join()));
    expect(Date.now() - start).toBeGreaterThanOrEqual(200); // 5 joins waited 50 ms each, past the 150 ms timeout
    const room = channels[0]!;
    const t0 = Date.now();
    await Promise.all(Array.from({ length: 6 }, (_, n) => room.push('msg', { n })));
    expect(Date.now() - t0).toBeGreaterThanOrEqual(200);
  });

  it('validates rateLimit options with errors naming the option', () => {
    expect(() => new Socket('ws://127.0.0.1:1/socket', { rateLimit: rateLimiting({ pushesPerSecond: 0 }) })).toThrow(/rateLimit\.pushesPerSecond/);
    expect(() => new Socket('ws://127.0.0.1:1/socket', { rateLimit: rateLimiting({ joinBurst: 5 }) })).toThrow(/rateLimit\.joinBurst/);
    expect(() => resolveRateLimit({ limitedReasons: 'rate_limited' })).toThrow(TypeError);
    // Passed in, so apps that never limit do not bundle the limiter: a plain object is a TypeError saying so.
    expect(() => new Socket('ws://127.0.0.1:1/socket', { rateLimit: { joinsPerSecond: 1 } } as unknown as SocketOptions)).toThrow(/rateLimiting/);
    const plain = new Socket('ws://127.0.0.1:1/socket');
    expect(() => plain.channel('room:1', {}, { rateLimit: { pushesPerSecond: 5 } })).toThrow(/rateLimiting/);
    expect(plain.rateLimitStats()).toBeNull();
    const limited = new Socket('ws://127.0.0.1:1/socket', { rateLimit: rateLimiting() });
    expect(() => limited.channel('room:1', {}, { rateLimit: { pushesPerSecond: -1 } })).toThrow(RangeError);
    expect(() => limited.channel('room:1', {}, { catchUp: { cursor: 'seq' } as never })).toThrow(/new CatchUp/);
  });
});
