import { describe, expect, it } from 'vitest';
import { cacheable, perfFeatures, Socket } from '../src/index';
import { FakeScheduler } from './helpers/fake-scheduler';
import { connected, echoRooms, server, socket, until } from './helpers/harness';

describe('binaryPool', () => {
  it('encodes a cacheable payload once for every channel it is pushed on, and the server sees it intact', async () => {
    const s = await server();
    echoRooms(s);
    const client = await connected(socket(s.url, { features: perfFeatures, binaryPool: { size: 10 } }));
    const rooms = ['room:1', 'room:2', 'room:3'].map((t) => client.channel(t));
    await Promise.all(rooms.map((r) => r.join()));
    const board = cacheable({ cells: [1, 2, 3], title: 'é "q"' });
    const replies = await Promise.all(rooms.map((r) => r.push('echo', board)));
    expect(replies).toEqual([1, 2, 3].map(() => ({ cells: [1, 2, 3], title: 'é "q"' })));
    expect(client.stats().binaryPool).toMatchObject({ hits: 2, misses: 1, entries: 1 });
    expect(client.stats().binaryPool?.bytes).toBeGreaterThan(0);
  });

  it('shows outbound hooks the payload rather than the marker, and pools only what they leave alone', async () => {
    const s = await server();
    echoRooms(s);
    const client = await connected(socket(s.url, { features: perfFeatures, binaryPool: {} }));
    client.use({ outbound: (m) => (m.event === 'traced' ? { ...m, payload: { ...(m.payload as object), trace: 't1' } } : undefined) });
    const room = client.channel('room:1');
    await room.join();
    const state = cacheable({ v: 1 });
    await expect(room.push('traced', state)).resolves.toEqual({ v: 1, trace: 't1' });
    await expect(room.push('plain', state)).resolves.toEqual({ v: 1 });
    await expect(room.push('plain', state)).resolves.toEqual({ v: 1 });
    expect(client.stats().binaryPool).toMatchObject({ hits: 1, misses: 1 });
  });

  it('sends cacheable payloads unchanged when no pool is configured, and reports no pool', async () => {
    const s = await server();
    echoRooms(s);
    const client = await connected(socket(s.url));
    const room = client.channel('room:1');
    await room.join();
    await expect(room.push('echo', cacheable({ a: 1 }, 'a:1'))).resolves.toEqual({ a: 1 });
    expect(client.stats().binaryPool).toBeNull();
  });

  it('keeps binary cacheable payloads binary', async () => {
    const s = await server();
    const got: unknown[] = [];
    s.channel('bin:*', { join: () => ({ ok: {} }), handleIn: (_e, payload) => (got.push(payload), { reply: 'ok' }) });
    const client = await connected(socket(s.url, { features: perfFeatures, binaryPool: {} }));
    const room = client.channel('bin:1');
    await room.join();
    await room.push('blob', cacheable(new Uint8Array([7, 8, 9])));
    expect(got.map((p) => Array.from(p as Uint8Array))).toEqual([[7, 8, 9]]);
  });

  it('runs cache sweeps only while connected, so a disconnected socket keeps no timer', async () => {
    const s = await server();
    const clock = new FakeScheduler();
    const options = { features: perfFeatures, scheduler: clock, heartbeatIntervalMs: 0, binaryPool: {}, topicHandlers: {}, routeCache: { ttlMs: 1000 } };
    const idle = socket(s.url, options);
    expect(clock.pending).toBe(0);
    const client = await connected(idle);
    expect(clock.pending).toBeGreaterThanOrEqual(2); // both sweeps, plus the socket's own timers
    client.disconnect();
    await until(() => client.connectionState() === 'closed');
    expect(clock.pending).toBe(0);
  });

  it('refuses perf options without features: perfFeatures, saying what to import', () => {
    expect(() => new Socket('/socket', { binaryPool: {} })).toThrow(/binaryPool needs features: perfFeatures/);
    expect(() => new Socket('/socket', { hibernation: { idleTimeoutMs: 1 } })).toThrow(TypeError);
    expect(() => new Socket('/socket', { features: 'perf' as never })).toThrow(/features must be perfFeatures/);
  });

  it('validates binaryPool eagerly, naming the option', () => {
    expect(() => new Socket('/socket', { features: perfFeatures, binaryPool: { size: -1 } })).toThrow(/binaryPool\.size/);
    expect(() => new Socket('/socket', { features: perfFeatures, binaryPool: { maxAgeMs: Number.NaN } })).toThrow(TypeError);
    expect(() => new Socket('/socket', { features: perfFeatures, binaryPool: 'big' as never })).toThrow(/binaryPool must be an object/);
  });
});
