import { describe, expect, it } from 'vitest';
import { TokenBucket } from '../src/index';
import { FakeScheduler } from './helpers/fake-scheduler';

describe('TokenBucket', () => {
  it('starts full and lets a burst of capacity tokens go at once', () => {
    const clock = new FakeScheduler();
    const bucket = new TokenBucket({ capacity: 3, refillPerSecond: 1 }, clock);
    expect([bucket.tryTake(), bucket.tryTake(), bucket.tryTake(), bucket.tryTake()]).toEqual([true, true, true, false]);
  });

  it('refills at refillPerSecond and says how long until the next token', () => {
    const clock = new FakeScheduler();
    const bucket = new TokenBucket({ capacity: 1, refillPerSecond: 4 }, clock);
    expect(bucket.tryTake()).toBe(true);
    expect(bucket.msUntilToken()).toBe(250);
    clock.advance(100);
    expect(bucket.tryTake()).toBe(false);
    expect(bucket.msUntilToken()).toBe(150);
    clock.advance(150);
    expect(bucket.tryTake()).toBe(true);
  });

  it('never holds more than its capacity however long it idles', () => {
    const clock = new FakeScheduler();
    const bucket = new TokenBucket({ capacity: 2, refillPerSecond: 100 }, clock);
    clock.advance(60_000);
    expect(bucket.tokens).toBe(2);
  });

  it('rejects a capacity or rate that is not a positive finite number with a RangeError', () => {
    const clock = new FakeScheduler();
    expect(() => new TokenBucket({ capacity: 0, refillPerSecond: 1 }, clock)).toThrow(RangeError);
    expect(() => new TokenBucket({ capacity: 1, refillPerSecond: Infinity }, clock)).toThrow(RangeError);
  });
});
