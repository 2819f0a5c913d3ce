/**
 * A half-open connection (TCP up, nothing flowing) is only noticed by the heartbeat. Each client must
 * notice within heartbeat interval + timeout + 1 s and rejoin every channel once the network is back.
 */
import { describe, expect, it } from 'vitest';
import { KINDS } from './lib/clients.mjs';
import { run, SCALES } from './scenarios/half-open.mjs';

describe('reliability: half-open connections', () => {
  for (const kind of KINDS) {
    it(`${kind}: notices a stalled connection within the heartbeat bound and rejoins every channel after it recovers`, async () => {
      const r = await run(kind, SCALES.short);
      expect(r.detectMaxMs).toBeLessThanOrEqual(r.boundMs);
      expect(r.joinedAtEnd).toBe(r.channels);
      expect(r.pushAfterOk).toBe(true);
    }, 60_000);
  }
});
