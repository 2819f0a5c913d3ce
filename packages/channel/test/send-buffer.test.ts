import { describe, expect, it } from 'vitest';
import { SendBuffer } from '../src/send-buffer';

function buffer(limit: number, policy: 'drop-oldest' | 'reject') {
  const dropped: number[] = [];
  const buf = new SendBuffer<number>({ limit, policy, onOverflow: (n) => dropped.push(n) });
  return { buf, dropped };
}

describe('SendBuffer', () => {
  it('drains items oldest first and empties itself', () => {
    const { buf } = buffer(10, 'reject');
    for (let i = 0; i < 5; i++) buf.push(i);
    const out: number[] = [];
    buf.drain((n) => out.push(n));
    expect(out).toEqual([0, 1, 2, 3, 4]);
    expect(buf.size).toBe(0);
  });

  it('gives up the oldest item when full under drop-oldest', () => {
    const { buf, dropped } = buffer(3, 'drop-oldest');
    for (let i = 0; i < 5; i++) expect(buf.push(i)).toBe(true);
    expect(dropped).toEqual([0, 1]);
    const out: number[] = [];
    buf.drain((n) => out.push(n));
    expect(out).toEqual([2, 3, 4]);
  });

  it('refuses the new item when full under reject', () => {
    const { buf, dropped } = buffer(2, 'reject');
    expect(buf.push(1)).toBe(true);
    expect(buf.push(2)).toBe(true);
    expect(buf.push(3)).toBe(false);
    expect(dropped).toEqual([3]);
    expect(buf.size).toBe(2);
  });

  it('keeps order across wrap-around and growth', () => {
    const { buf } = buffer(1000, 'reject');
    const out: number[] = [];
    for (let round = 0; round < 50; round++) {
      for (let i = 0; i < 7; i++) buf.push(round * 7 + i);
      for (let i = 0; i < 5; i++) out.push(buf.shift() as number);
    }
    buf.drain((n) => out.push(n));
    expect(out).toEqual(Array.from({ length: 350 }, (_, i) => i));
  });

  it('leaves items re-added during a drain for the next drain', () => {
    const { buf } = buffer(10, 'reject');
    buf.push(1);
    buf.push(2);
    const out: number[] = [];
    buf.drain((n) => {
      out.push(n);
      buf.push(n * 10);
    });
    expect(out).toEqual([1, 2]);
    expect(buf.size).toBe(2);
  });

  it('removes one specific item and keeps the order of the rest', () => {
    const { buf } = buffer(10, 'reject');
    for (const n of [1, 2, 3, 4]) buf.push(n);
    expect(buf.remove(3)).toBe(true);
    expect(buf.remove(9)).toBe(false);
    const out: number[] = [];
    buf.drain((n) => out.push(n));
    expect(out).toEqual([1, 2, 4]);
  });

  it('rejects everything when the limit is zero, whatever the policy', () => {
    const { buf, dropped } = buffer(0, 'drop-oldest');
    expect(buf.push(1)).toBe(false);
    expect(dropped).toEqual([1]);
  });
});
