import { describe, expect, it } from 'vitest';
import { AlreadyTrackedError } from '../src/errors';
import { PresenceTracker } from '../src/presence';

describe('PresenceTracker', () => {
  it('tracks, lists, updates and untracks with Phoenix shapes', () => {
    const tracker = new PresenceTracker();
    const owner = {};
    const joined = tracker.track(owner, 't', 'u1', { a: 1 });
    const ref = joined.diff.joins['u1']?.metas[0]?.phx_ref;
    expect(joined.diff).toEqual({ joins: { u1: { metas: [{ a: 1, phx_ref: ref }] } }, leaves: {} });
    expect(tracker.list('t')).toEqual({ u1: { metas: [{ a: 1, phx_ref: ref }] } });
    const updated = tracker.update(owner, 't', 'u1', { a: 2 });
    expect(updated?.diff.leaves).toEqual({ u1: { metas: [{ a: 1, phx_ref: ref }] } });
    expect(updated?.diff.joins['u1']?.metas[0]).toMatchObject({ a: 2, phx_ref_prev: ref });
    expect(tracker.untrack(owner, 't', 'u1')?.diff.leaves['u1']?.metas[0]).toMatchObject({ a: 2 });
    expect(tracker.list('t')).toEqual({});
    expect(tracker.untrack(owner, 't', 'u1')).toBeUndefined();
  });

  it('refuses to track the same key twice for one owner', () => {
    const tracker = new PresenceTracker();
    const owner = {};
    tracker.track(owner, 't', 'k', {});
    expect(() => tracker.track(owner, 't', 'k', {})).toThrow(AlreadyTrackedError);
  });

  it('removes everything an owner tracked, one diff per topic', () => {
    const tracker = new PresenceTracker();
    const a = {};
    const b = {};
    tracker.track(a, 't1', 'k', { n: 1 });
    tracker.track(a, 't2', 'k', { n: 2 });
    tracker.track(b, 't1', 'k', { n: 3 });
    const diffs = tracker.removeOwner(a);
    expect(diffs.map((d) => d.topic)).toEqual(['t1', 't2']);
    expect(tracker.list('t1')['k']?.metas.map((m) => m['n'])).toEqual([3]);
    expect(tracker.list('t2')).toEqual({});
  });

  it('keeps keys from the network out of the prototype', () => {
    const tracker = new PresenceTracker();
    tracker.track({}, 't', '__proto__', {});
    expect(Object.keys(tracker.list('t'))).toEqual(['__proto__']);
  });
});
