/**
 * Pushes made while the network is gone: within the send buffer's bound each is delivered once and in
 * order when it comes back; past the bound ours rejects each push it gave up with a typed error at once.
 */
import { describe, expect, it } from 'vitest';
import { run, SCALES } from './scenarios/offline.mjs';

/** One offline round of `count` pushes. */
async function round(kind: 'ours' | 'lite' | 'phoenix', count: number) {
  const [result] = (await run(kind, { ...SCALES.short, pushes: [count] })).rounds;
  if (result === undefined) throw new Error('the scenario returned no round');
  return result;
}

describe('reliability: pushes made offline', () => {
  for (const kind of ['ours', 'lite', 'phoenix'] as const) {
    it(`${kind}: delivers 50 pushes made offline exactly once and in order after the network returns`, async () => {
      const r = await round(kind, 50);
      expect(r.delivered).toBe(50);
      expect(r.acked).toBe(50);
      expect(r.inOrder).toBe(true);
      expect(r.executedTwice).toBe(0);
      expect(r.unresolved).toBe(0);
    }, 60_000);
  }

  it('ours: 2 000 pushes offline overflow the 1 000-push buffer with one buffer_overflow per dropped push, at once, and deliver the rest once in order', async () => {
    const r = await round('ours', 2000);
    expect(r.unresolved).toBe(0);
    expect(r.untyped).toBe(0);
    expect(r.failures).toEqual({ buffer_overflow: 1000 });
    // Rejected while still offline, not after some timeout.
    expect(r.failedWhileOffline).toBe(1000);
    expect(r.acked).toBe(1000);
    expect(r.delivered).toBe(1000);
    expect(r.inOrder).toBe(true);
    expect(r.executedTwice).toBe(0);
  }, 60_000);

  it('lite: 2 000 pushes offline are all delivered once and in order (its buffer is unbounded, as phoenix.js)', async () => {
    const r = await round('lite', 2000);
    expect(r.unresolved).toBe(0);
    expect(r.delivered).toBe(2000);
    expect(r.inOrder).toBe(true);
    expect(r.executedTwice).toBe(0);
  }, 60_000);
});
