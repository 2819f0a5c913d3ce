import { describe, expect, it } from 'vitest';
import { ManualScheduler } from '../src/manual-scheduler';

describe('ManualScheduler', () => {
  it('fires due timers in time order, then by creation order, and only when advanced', () => {
    const clock = new ManualScheduler();
    const fired: string[] = [];
    clock.setTimeout(() => fired.push('b@20'), 20);
    clock.setTimeout(() => fired.push('a@10'), 10);
    clock.setTimeout(() => fired.push('c@20'), 20);
    expect(fired).toEqual([]);
    clock.advance(19);
    expect(fired).toEqual(['a@10']);
    clock.advance(1);
    expect(fired).toEqual(['a@10', 'b@20', 'c@20']);
    expect(clock.now()).toBe(20);
  });

  it('runs timers scheduled by firing timers within the same advance, at their own time', () => {
    const clock = new ManualScheduler();
    const at: number[] = [];
    clock.setTimeout(() => {
      at.push(clock.now());
      clock.setTimeout(() => at.push(clock.now()), 5);
    }, 10);
    clock.advance(100);
    expect(at).toEqual([10, 15]);
    expect(clock.now()).toBe(100);
  });

  it('forgets cleared timers', () => {
    const clock = new ManualScheduler();
    let fired = false;
    const handle = clock.setTimeout(() => (fired = true), 1);
    clock.clearTimeout(handle);
    expect(clock.pending).toBe(0);
    clock.advance(10);
    expect(fired).toBe(false);
  });
});
