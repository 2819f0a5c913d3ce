import { afterAll, describe, expect, it } from 'vitest';
import { runExample, stopAll } from '../../test-helpers/child';
import { createBatcher } from '../batcher.mjs';

interface Result {
  expected: number;
  received: number;
  lost: number;
  outOfOrder: number;
  batches: number;
  maxBatch: number;
  ticksPerSec: number;
  wireLatencyMs: { p50: number; p99: number };
  processedLatencyMs: { p50: number; p99: number };
  messagesIn: number;
  monitor: { messagesInPerSec: number; connected: boolean; errors: number; drops: number };
}

describe('batcher', () => {
  it('delivers everything added within one window as one batch, in order', async () => {
    const batches: number[][] = [];
    const batcher = createBatcher<number>((b) => batches.push(b), { windowMs: 20 });
    for (let i = 0; i < 100; i++) batcher.add(i);
    expect(batches).toEqual([]); // nothing until the window closes
    await expect.poll(() => batches.length).toBe(1);
    expect(batches[0]).toEqual(Array.from({ length: 100 }, (_, i) => i));
    batcher.add(100);
    batcher.flush();
    expect(batches[1]).toEqual([100]);
  });
});

describe('node index.mjs', () => {
  afterAll(stopAll);

  it('receives every tick of a 5,000/s stream in order, in batches, and prints the summary', async () => {
    const run = runExample('live-stream', ['--rate', '5000', '--count', '15000', '--json']);
    const { code } = await run.exited;
    expect(code, run.stdout() + run.stderr()).toBe(0);
    const [result] = run.jsonLines<Result>();
    expect(result).toMatchObject({ expected: 15_000, received: 15_000, lost: 0, outOfOrder: 0 });
    // Batched: far fewer batches than ticks (~3 s at 20 windows/s), yet more than one.
    expect(result!.batches).toBeGreaterThan(10);
    expect(result!.batches).toBeLessThan(1000);
    expect(result!.maxBatch).toBeGreaterThan(50);
    // Thousands per second really arrived (generous floor for a loaded CI machine).
    expect(result!.ticksPerSec).toBeGreaterThan(2000);
    // The monitor saw the same stream: ticks + join reply + subscribe reply + end.
    expect(result!.messagesIn).toBeGreaterThanOrEqual(15_003);
    expect(result!.monitor).toMatchObject({ connected: true, errors: 0, drops: 0 });
    expect(result!.monitor.messagesInPerSec).toBeGreaterThan(1000);
    expect(result!.wireLatencyMs.p50).toBeGreaterThan(0);
    expect(result!.processedLatencyMs.p50).toBeGreaterThanOrEqual(result!.wireLatencyMs.p50);
    expect(run.stdout()).toContain('phx-socket performance report');
    expect(run.stdout()).toMatch(/messages\s+in 15,00\d/);
  }, 30_000);
});
