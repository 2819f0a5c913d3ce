/**
 * Hundreds of connect/join/push/disconnect cycles in one child process run with --expose-gc: the heap
 * stops growing after warm-up, and the process ends by itself once the last socket closed (nothing left
 * holding the event loop: no timer, no socket, no listener).
 */
import { describe, expect, it } from 'vitest';
import { runChild } from './lib/child-process.mjs';

const MB = 1024 * 1024;

describe('reliability: connect, join, push, disconnect cycles', () => {
  for (const kind of ['ours', 'lite'] as const) {
    it(`${kind}: 300 cycles after warm-up keep under 1 MB of heap and leave nothing that keeps the process alive`, async () => {
      const child = await runChild('cycles', kind, { nodeArgs: ['--expose-gc'], deadlineMs: 60_000 });
      expect(child.report, child.stderr).not.toBeNull();
      const { result, uncaught, unhandled } = child.report;
      expect({ uncaught, unhandled }).toEqual({ uncaught: 0, unhandled: 0 });
      expect(result.failed).toBe(0);
      expect(result.cycles).toBe(300);
      expect(result.heapGrowthBytes).toBeLessThan(MB);
      expect(child.exitCode).toBe(0);
      expect(child.exitedByItself).toBe(true);
    }, 70_000);
  }

  // Fewer: phoenix.js calls a disconnect callback only after polling the close every 150 ms.
  it('phoenix: 60 cycles complete and the process ends by itself', async () => {
    const options = { warmup: 20, cycles: 60 };
    const child = await runChild('cycles', 'phoenix', { nodeArgs: ['--expose-gc'], options, deadlineMs: 120_000 });
    expect(child.report, child.stderr).not.toBeNull();
    expect(child.report.result.failed).toBe(0);
    expect(child.exitedByItself).toBe(true);
  }, 130_000);
});
