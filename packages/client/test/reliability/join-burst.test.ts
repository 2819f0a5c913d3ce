/**
 * 3 000 joins made before the socket opened (a dashboard subscribing at start-up): before the fix the
 * 1 000-frame send buffer dropped 2 000 of them; now joins never go through it and all join.
 */
import { describe, expect, it } from 'vitest';
import { KINDS } from './lib/clients.mjs';
import { run, SCALES } from './scenarios/join-burst.mjs';

describe('reliability: joins made before the socket opens', () => {
  for (const kind of KINDS) {
    it(`${kind}: joins all 3 000 channels asked for before connect, each once`, async () => {
      const r = await run(kind, SCALES.short);
      expect(r.joined).toBe(3000);
      expect(r.serverJoins).toBe(3000);
    }, 60_000);
  }
});
