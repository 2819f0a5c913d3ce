import { describe, expect, it } from 'vitest';
import { Histogram } from '../src/histogram';

describe('Histogram', () => {
  it('reports exact percentiles of the samples it holds', () => {
    const h = new Histogram(1000);
    for (let i = 1; i <= 100; i++) h.record(i);
    expect(h.snapshot()).toMatchObject({ count: 100, min: 1, max: 100, p50: 50, p95: 95, p99: 99, mean: 50.5 });
  });

  it('keeps percentiles over the newest samples once the ring is full, totals over all', () => {
    const h = new Histogram(10);
    for (let i = 1; i <= 100; i++) h.record(i);
    const s = h.snapshot();
    expect(s.count).toBe(100);
    expect(s.min).toBe(1);
    expect(s.p50).toBe(95);
  });

  it('ignores non-finite values and reports zeros when empty', () => {
    const h = new Histogram(4);
    h.record(Number.NaN);
    h.record(Infinity);
    expect(h.snapshot()).toEqual({ count: 0, min: 0, max: 0, mean: 0, p50: 0, p95: 0, p99: 0 });
  });

  it('rejects a capacity that is not a positive integer', () => {
    expect(() => new Histogram(0)).toThrow(RangeError);
  });
});
