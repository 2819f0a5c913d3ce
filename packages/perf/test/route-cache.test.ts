import { describe, expect, it } from 'vitest';
import { DEFAULT_ROUTE_CACHE_OPTIONS, RouteCache } from '../src/index';
import { FakeScheduler } from './helpers/fake-scheduler';

describe('RouteCache', () => {
  const patterns = { 'rooms:lobby': 'lobby', 'rooms:*': 'room', 'user:*:inbox': 'inbox', '*': 'any' };

  it.each([
    ['rooms:lobby', 'lobby'],
    ['rooms:42', 'room'],
    ['user:7:inbox', 'inbox'],
    ['user:7:outbox', 'any'],
    ['rooms:', 'room'],
  ])('resolves %s to %s (exact first, then the first matching pattern)', (topic, expected) => {
    const cache = new RouteCache(patterns);
    expect(cache.resolve(topic)).toBe(expected);
    cache.dispose();
  });

  it('matches patterns once per topic and serves repeats from the cache, misses included', () => {
    const cache = new RouteCache({ 'rooms:*': 'room', 'a.b*': 'dot' });
    expect(cache.resolve('rooms:1')).toBe('room');
    expect(cache.resolve('rooms:1')).toBe('room');
    expect(cache.resolve('axb')).toBeUndefined();
    expect(cache.resolve('axb')).toBeUndefined();
    expect(cache.resolve('a.bc')).toBe('dot');
    expect(cache.stats()).toMatchObject({ hits: 2, misses: 3, entries: 3, patterns: 2 });
    cache.dispose();
  });

  it('evicts past size and expires after ttlMs on the injected clock', () => {
    const clock = new FakeScheduler();
    const cache = new RouteCache({ 'r:*': 1 }, { size: 2, ttlMs: 100, cleanupIntervalMs: 50, scheduler: clock });
    cache.resolve('r:1');
    cache.resolve('r:2');
    cache.resolve('r:3');
    expect(cache.stats()).toMatchObject({ evictions: 1, entries: 2 });
    clock.advance(150);
    expect(cache.stats()).toMatchObject({ entries: 0, expirations: 2, bytes: 0 });
    cache.dispose();
    expect(clock.pending).toBe(0);
  });

  it('clear() reports the bytes it released', () => {
    const cache = new RouteCache({ 'r:*': 1 });
    cache.resolve('r:1');
    const held = cache.stats().bytes;
    expect(held).toBeGreaterThan(0);
    expect(cache.clear()).toBe(held);
    expect(cache.stats().entries).toBe(0);
  });

  it('validates options eagerly, naming the option', () => {
    expect(() => new RouteCache({}, { size: 1.5 })).toThrow(/routeCache\.size/);
    expect(() => new RouteCache({}, { ttlMs: -1 })).toThrow(RangeError);
    expect(() => new RouteCache({ '': 1 })).toThrow(/topic pattern/);
    expect(Object.isFrozen(DEFAULT_ROUTE_CACHE_OPTIONS)).toBe(true);
  });
});
