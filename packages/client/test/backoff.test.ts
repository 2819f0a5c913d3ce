import { describe, expect, it } from 'vitest';
import {
  backoffDelay,
  DEFAULT_RECONNECT_STEPS_MS,
  DEFAULT_REJOIN_STEPS_MS,
  fullJitter,
  JITTER_FLOOR_MS,
  stepSchedule,
} from '../src/backoff';

const reconnect = stepSchedule(DEFAULT_RECONNECT_STEPS_MS, 5000);
const rejoin = stepSchedule(DEFAULT_REJOIN_STEPS_MS, 10_000);

describe('backoff schedules', () => {
  it.each([
    [1, 10],
    [2, 50],
    [3, 100],
    [4, 150],
    [5, 200],
    [6, 250],
    [7, 500],
    [8, 1000],
    [9, 2000],
    [10, 5000],
    [100, 5000],
  ])('reconnect try %i waits %i ms without jitter (the phoenix.js table)', (tries, ms) => {
    expect(backoffDelay(tries, reconnect, 'none', () => 0)).toBe(ms);
  });

  it.each([
    [1, 1000],
    [2, 2000],
    [3, 5000],
    [4, 10_000],
    [50, 10_000],
  ])('rejoin try %i waits %i ms without jitter', (tries, ms) => {
    expect(backoffDelay(tries, rejoin, 'none', () => 0)).toBe(ms);
  });
});

describe('full jitter', () => {
  it('draws uniformly between the floor and the base', () => {
    expect(fullJitter(1000, () => 0)).toBe(JITTER_FLOOR_MS);
    expect(fullJitter(1000, () => 0.5)).toBe(505);
    expect(fullJitter(1000, () => 0.999999)).toBe(1000);
  });

  it('never goes above the base, even when the base is under the floor', () => {
    expect(fullJitter(5, () => 0)).toBe(5);
    expect(fullJitter(0, () => 0.7)).toBe(0);
  });

  it('draws once per attempt from the injected random', () => {
    const draws = [0.1, 0.9];
    let calls = 0;
    const random = () => draws[calls++ % 2]!;
    const a = backoffDelay(10, reconnect, 'full', random);
    const b = backoffDelay(10, reconnect, 'full', random);
    expect(calls).toBe(2);
    expect(a).toBeLessThan(b);
  });

  it('treats a broken random source as the midpoint instead of producing NaN', () => {
    expect(fullJitter(1000, () => Number.NaN)).toBe(505);
  });
});

describe('user schedules', () => {
  it('falls back to 5 s when a schedule throws or returns garbage', () => {
    expect(backoffDelay(1, () => { throw new Error('x'); }, 'none', Math.random)).toBe(5000);
    expect(backoffDelay(1, () => Number.NaN, 'none', Math.random)).toBe(5000);
  });

  it('clamps negative delays to 0', () => {
    expect(backoffDelay(1, () => -10, 'none', Math.random)).toBe(0);
  });
});
