/**
 * Connections dropped again and again under load, through the fault proxy: nothing acked is lost, nothing
 * runs twice, every push resolves, every channel rejoins. The official client runs the same scenario for
 * the figures (it cannot lose or duplicate either, but its in-flight pushes wait for their timeout).
 */
import { describe, expect, it } from 'vitest';
import { run, SCALES } from './scenarios/drops.mjs';

describe('reliability: connections dropped under load', () => {
  for (const kind of ['ours', 'lite'] as const) {
    it(`${kind}: loses no acked push, runs none twice, resolves every push and rejoins all 20 channels after 10 drops`, async () => {
      const r = await run(kind, SCALES.short);
      expect(r.ackedLost).toBe(0);
      expect(r.executedTwice).toBe(0);
      expect(r.unresolved).toBe(0);
      expect(r.untyped).toBe(0);
      expect(r.joinedAtEnd).toBe(20);
      expect(r.acked).toBeGreaterThan(100);
      expect(r.opens).toBe(11);
    }, 60_000);
  }

  it('ours fails the pushes in flight at each drop at once with connection_lost instead of timing them out', async () => {
    const r = await run('ours', SCALES.short);
    expect(r.failures.timeout ?? 0).toBe(0);
    expect(r.failures.connection_lost).toBeGreaterThan(0);
    expect(Object.keys(r.failures).every((code) => code === 'connection_lost')).toBe(true);
  }, 60_000);

  it('phoenix: the same scenario completes with no acked push lost or run twice', async () => {
    const r = await run('phoenix', SCALES.short);
    expect(r.ackedLost).toBe(0);
    expect(r.executedTwice).toBe(0);
    expect(r.unresolved).toBe(0);
    expect(r.joinedAtEnd).toBe(20);
  }, 60_000);
});
