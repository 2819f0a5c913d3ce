/** Percentiles and totals of one latency series. Values are in the unit recorded (ms here). */
export interface HistogramSnapshot {
  count: number;
  min: number;
  max: number;
  mean: number;
  p50: number;
  p95: number;
  p99: number;
}

/**
 * Latency samples in a fixed ring: recording is O(1) with no allocation; percentiles are exact over the
 * last `capacity` samples (sorted on read), count/min/max/mean over everything since the last reset.
 *
 * @example
 * const h = new Histogram(1024); h.record(3.2); h.snapshot().p99;
 */
export class Histogram {
  private readonly ring: Float64Array;
  private next = 0;
  private filled = 0;
  private total = 0;
  private sum = 0;
  private lo = Infinity;
  private hi = -Infinity;

  constructor(capacity = 2048) {
    if (!Number.isInteger(capacity) || capacity < 1) throw new RangeError(`histogram capacity must be a positive integer, got ${capacity}`);
    this.ring = new Float64Array(capacity);
  }

  record(value: number): void {
    if (!Number.isFinite(value)) return;
    this.ring[this.next] = value;
    this.next = (this.next + 1) % this.ring.length;
    if (this.filled < this.ring.length) this.filled++;
    this.total++;
    this.sum += value;
    if (value < this.lo) this.lo = value;
    if (value > this.hi) this.hi = value;
  }

  get count(): number {
    return this.total;
  }

  snapshot(): HistogramSnapshot {
    if (this.total === 0) return { count: 0, min: 0, max: 0, mean: 0, p50: 0, p95: 0, p99: 0 };
    const sorted = this.ring.slice(0, this.filled).sort();
    const at = (q: number): number => sorted[Math.min(sorted.length - 1, Math.ceil(q * sorted.length) - 1)] ?? 0;
    return { count: this.total, min: this.lo, max: this.hi, mean: this.sum / this.total, p50: at(0.5), p95: at(0.95), p99: at(0.99) };
  }

  reset(): void {
    this.next = 0;
    this.filled = 0;
    this.total = 0;
    this.sum = 0;
    this.lo = Infinity;
    this.hi = -Infinity;
  }
}
