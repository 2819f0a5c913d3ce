import { describe, expect, it } from 'vitest';
import { consistentHash, hash32, leastChannels, roundRobin, type PoolSlotInfo } from '../../src/index';

const slot = (index: number, channels = 0, endpoint = `ws://e${index % 3}/socket`): PoolSlotInfo => ({
  index,
  endpoint,
  id: `${endpoint}#${Math.floor(index / 3)}`,
  channels,
  opened: channels > 0,
});

describe('leastChannels', () => {
  it.each([
    [[3, 1, 2], 1],
    [[0, 0, 0], 0],
    [[5, 2, 2], 1],
  ])('picks the slot with fewest channels (%j → %i), ties to the lowest index', (loads, expected) => {
    expect(leastChannels.pick('t', loads.map((c, i) => slot(i, c))).index).toBe(expected);
  });
});

describe('consistentHash', () => {
  const slots = [0, 1, 2, 3, 4, 5].map((i) => slot(i));
  const topics = Array.from({ length: 3000 }, (_, i) => `topic:${i}`);

  it('hashes strings deterministically to 32-bit unsigned integers', () => {
    expect(hash32('room:1')).toBe(hash32('room:1'));
    expect(hash32('room:1')).not.toBe(hash32('room:2'));
    for (const t of topics.slice(0, 50)) {
      expect(Number.isInteger(hash32(t))).toBe(true);
      expect(hash32(t)).toBeGreaterThanOrEqual(0);
      expect(hash32(t)).toBeLessThan(2 ** 32);
    }
  });

  it('gives every slot a fair share of topics', () => {
    const counts = new Map<number, number>();
    for (const t of topics) {
      const i = consistentHash.pick(t, slots).index;
      counts.set(i, (counts.get(i) ?? 0) + 1);
    }
    for (const count of counts.values()) expect(count).toBeGreaterThan(3000 / 6 / 1.5);
    expect(counts.size).toBe(6);
  });

  it('moves only the topics of a slot that becomes unavailable', () => {
    const before = new Map(topics.map((t) => [t, consistentHash.pick(t, slots).index]));
    const without = slots.filter((s) => s.index !== 4);
    for (const t of topics) {
      const after = consistentHash.pick(t, without).index;
      if (before.get(t) !== 4) expect(after).toBe(before.get(t));
      else expect(after).not.toBe(4);
    }
  });

  it('does not depend on the order of the candidates', () => {
    const reversed = [...slots].reverse();
    for (const t of topics.slice(0, 200)) expect(consistentHash.pick(t, reversed).index).toBe(consistentHash.pick(t, slots).index);
  });
});

describe('roundRobin', () => {
  it('cycles through the slots in order and skips those that are not candidates', () => {
    const rr = roundRobin();
    const all = [0, 1, 2].map((i) => slot(i));
    expect([1, 2, 3, 4].map(() => rr.pick('t', all).index)).toEqual([0, 1, 2, 0]);
    expect(rr.pick('t', [all[0]!, all[2]!]).index).toBe(2);
    expect(rr.pick('t', all).index).toBe(0);
  });

  it('keeps one cursor per strategy object', () => {
    const a = roundRobin();
    const b = roundRobin();
    const all = [0, 1].map((i) => slot(i));
    a.pick('t', all);
    expect(b.pick('t', all).index).toBe(0);
    expect(a.pick('t', all).index).toBe(1);
  });
});
