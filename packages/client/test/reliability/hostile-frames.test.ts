/**
 * Malformed and hostile server frames between valid broadcasts. Each client runs in a child process
 * (child.mjs, on the built packages) so an exception thrown out of its WebSocket handler is counted
 * rather than fatal, and so "the process exits by itself" is checked too.
 */
import { describe, expect, it } from 'vitest';
import { runChild } from './lib/child-process.mjs';

describe('reliability: hostile server frames', () => {
  for (const kind of ['ours', 'lite'] as const) {
    it(`${kind}: survives 1 000 hostile frames with no uncaught exception, stays joined and delivers every valid broadcast between them once`, async () => {
      const child = await runChild('hostile-frames', kind);
      expect(child.report, child.stderr).not.toBeNull();
      const { result, uncaught, unhandled, firstError } = child.report;
      expect({ uncaught, unhandled, firstError }).toEqual({ uncaught: 0, unhandled: 0, firstError: null });
      expect(result.delivered).toBe(result.validBroadcasts);
      expect(result.validBroadcasts).toBe(1000);
      expect(result.deliveredTwice).toBe(0);
      expect(result.reconnects).toBe(0);
      expect(result.joinedAtEnd).toBe(true);
      expect(result.pushAfterOk).toBe(true);
      expect(result.prototypePolluted).toBe(false);
      // Undecodable frames reach the app as typed errors, not silence.
      expect(result.errorsReported).toBeGreaterThan(0);
      expect(child.exitCode).toBe(0);
      expect(child.exitedByItself).toBe(true);
    }, 130_000);
  }

  it('phoenix: the same frames end with the channel joined again, a push answered, and the process exiting by itself', async () => {
    const child = await runChild('hostile-frames', 'phoenix');
    expect(child.report, child.stderr).not.toBeNull();
    expect(child.report.result.joinedAtEnd).toBe(true);
    expect(child.report.result.pushAfterOk).toBe(true);
    expect(child.report.result.prototypePolluted).toBe(false);
    expect(child.exitedByItself).toBe(true);
  }, 130_000);
});
