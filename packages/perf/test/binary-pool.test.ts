import { describe, expect, it } from 'vitest';
import { BinaryPool, DEFAULT_BINARY_POOL_OPTIONS } from '../src/index';
import { FakeScheduler } from './helpers/fake-scheduler';

describe('BinaryPool', () => {
  it('encodes a key once and serves it from the pool afterwards', () => {
    const pool = new BinaryPool({}, 'binaryPool');
    const value = { widgets: [1, 2, 3] };
    expect(pool.json('config', value)).toBe(JSON.stringify(value));
    expect(pool.json('config', { ignored: true })).toBe(JSON.stringify(value));
    expect(pool.stats()).toMatchObject({ hits: 1, misses: 1, entries: 1, bytes: JSON.stringify(value).length * 2 });
    pool.dispose();
  });

  it('keys objects by identity', () => {
    const pool = new BinaryPool();
    const a = {};
    const b = {};
    pool.json(a, { n: 1 });
    expect(pool.json(b, { n: 2 })).toBe('{"n":2}');
    expect(pool.json(a, { n: 3 })).toBe('{"n":1}');
    pool.dispose();
  });

  it('evicts the least recently used entry past size and counts it', () => {
    const pool = new BinaryPool({ size: 2 });
    pool.json('a', 1);
    pool.json('b', 2);
    pool.json('a', 1);
    pool.json('c', 3);
    expect(pool.stats()).toMatchObject({ evictions: 1, entries: 2, bytes: 4 });
    pool.json('b', 2);
    expect(pool.stats().misses).toBe(4);
    pool.dispose();
  });

  it('expires entries after maxAgeMs on the injected clock and sweeps them every cleanupIntervalMs', () => {
    const clock = new FakeScheduler();
    const pool = new BinaryPool({ maxAgeMs: 1000, cleanupIntervalMs: 500, scheduler: clock });
    pool.json('a', 'x');
    clock.advance(999);
    pool.json('a', 'x');
    expect(pool.stats().hits).toBe(1);
    clock.advance(600);
    expect(pool.stats()).toMatchObject({ entries: 0, bytes: 0, expirations: 1 });
    pool.dispose();
    expect(clock.pending).toBe(0);
  });

  it('does not pool values without a JSON form', () => {
    const pool = new BinaryPool();
    expect(pool.json('u', undefined)).toBeUndefined();
    expect(pool.stats().entries).toBe(0);
    pool.dispose();
  });

  it('clear() releases every entry and reports the bytes', () => {
    const pool = new BinaryPool();
    pool.json('a', 'abc');
    expect(pool.clear()).toBe(10);
    expect(pool.stats()).toMatchObject({ entries: 0, bytes: 0 });
    pool.dispose();
  });

  it('pause() stops the sweep timer and resume() restarts it', () => {
    const clock = new FakeScheduler();
    const pool = new BinaryPool({ scheduler: clock });
    expect(clock.pending).toBe(1);
    pool.pause();
    expect(clock.pending).toBe(0);
    pool.resume();
    expect(clock.pending).toBe(1);
    pool.dispose();
  });

  it('validates options eagerly, naming the option', () => {
    expect(() => new BinaryPool({ size: 0 })).toThrow(RangeError);
    expect(() => new BinaryPool({ size: 0 })).toThrow(/binaryPool\.size/);
    expect(() => new BinaryPool({ maxAgeMs: -1 })).toThrow(/binaryPool\.maxAgeMs/);
    expect(() => new BinaryPool({ cleanupIntervalMs: 'x' as never })).toThrow(TypeError);
    expect(() => new BinaryPool(42 as never)).toThrow(/binaryPool must be an object/);
  });

  it('freezes its defaults', () => {
    expect(Object.isFrozen(DEFAULT_BINARY_POOL_OPTIONS)).toBe(true);
    expect(new BinaryPool().options).toEqual(DEFAULT_BINARY_POOL_OPTIONS);
  });
});
