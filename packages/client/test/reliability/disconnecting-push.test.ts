/**
 * A push whose handler makes the server drop the socket (Phoenix's socket-id `disconnect` broadcast).
 * Resending it by default caused a reconnect storm against a real Phoenix server (69 connects in 8 s);
 * now it fails once with connection_lost, and the opt-in resend stops at its budget.
 */
import { describe, expect, it } from 'vitest';
import { run, SCALES } from './scenarios/disconnecting-push.mjs';

describe('reliability: a push that makes the server disconnect the socket', () => {
  it('ours: runs the push once, reconnects once and fails the push with a typed connection_lost at once', async () => {
    const r = await run('ours', SCALES.short);
    expect(r.serverRuns).toBe(1);
    expect(r.reconnects).toBe(1);
    expect(r.outcome).toBe('connection_lost');
    expect(r.typed).toBe(true);
    expect(r.resolvedMs).toBeLessThan(1000);
    expect(r.joinedAtEnd).toBe(true);
  }, 30_000);

  it('ours with resend and maxResends 2: runs it at most three times and causes no more than that many reconnects', async () => {
    const r = await run('ours (resend, maxResends 2)', SCALES.short);
    expect(r.serverRuns).toBeLessThanOrEqual(3);
    expect(r.reconnects).toBeLessThanOrEqual(3);
    expect(r.outcome).not.toBe('ok');
    expect(r.typed).toBe(true);
    expect(r.joinedAtEnd).toBe(true);
  }, 30_000);

  for (const kind of ['lite', 'phoenix'] as const) {
    it(`${kind}: runs the push once and reconnects once; the push ends in a timeout`, async () => {
      const r = await run(kind, SCALES.short);
      expect(r.serverRuns).toBe(1);
      expect(r.reconnects).toBe(1);
      expect(r.outcome).toBe('timeout');
      expect(r.joinedAtEnd).toBe(true);
    }, 30_000);
  }
});
