import { describe, expect, it } from 'vitest';
import {
  applyDiff,
  diffStates,
  emptyPresenceState,
  listPresences,
  syncState,
  type PresenceState,
} from '../src/presence-state';

const meta = (ref: string, extra: Record<string, unknown> = {}) => ({ phx_ref: ref, ...extra });
const entry = (...refs: string[]) => ({ metas: refs.map((r) => meta(r)) });

function refs(state: PresenceState): Record<string, string[]> {
  const out: Record<string, string[]> = {};
  for (const key of Object.keys(state)) out[key] = (state[key]?.metas ?? []).map((m) => m.phx_ref);
  return out;
}

describe('presence merge', () => {
  const cases: { name: string; start: PresenceState; diff: { joins: PresenceState; leaves: PresenceState }; expected: Record<string, string[]> }[] = [
    { name: 'a join adds a new key', start: {}, diff: { joins: { u1: entry('1') }, leaves: {} }, expected: { u1: ['1'] } },
    { name: 'a second session keeps the first in front', start: { u1: entry('1') }, diff: { joins: { u1: entry('2') }, leaves: {} }, expected: { u1: ['1', '2'] } },
    { name: 'a leave of one session keeps the others', start: { u1: entry('1', '2') }, diff: { joins: {}, leaves: { u1: entry('1') } }, expected: { u1: ['2'] } },
    { name: 'the last session leaving removes the key', start: { u1: entry('1') }, diff: { joins: {}, leaves: { u1: entry('1') } }, expected: {} },
    { name: 'a leave of an unknown key is ignored', start: { u1: entry('1') }, diff: { joins: {}, leaves: { u9: entry('9') } }, expected: { u1: ['1'] } },
    {
      name: 'an update (leave old ref, join new ref) replaces the meta',
      start: { u1: entry('1') },
      diff: { joins: { u1: { metas: [meta('2', { phx_ref_prev: '1' })] } }, leaves: { u1: entry('1') } },
      expected: { u1: ['2'] },
    },
  ];
  for (const c of cases) {
    it(`applies diffs: ${c.name}`, () => {
      const state = emptyPresenceState();
      for (const [k, v] of Object.entries(c.start)) state[k] = v;
      expect(refs(applyDiff(state, c.diff))).toEqual(c.expected);
    });
  }

  it('calls onJoin with the entry before and the joined entry, and onLeave with what remains', () => {
    const state = emptyPresenceState();
    const calls: unknown[] = [];
    applyDiff(state, { joins: { u1: entry('1') }, leaves: {} }, (k, cur, j) => calls.push(['join', k, cur, j.metas.length]));
    applyDiff(state, { joins: { u1: entry('2') }, leaves: {} }, (k, cur, j) => calls.push(['join', k, cur?.metas.length, j.metas.length]));
    applyDiff(state, { joins: {}, leaves: { u1: entry('1') } }, undefined, (k, cur, l) => calls.push(['leave', k, cur.metas.length, l.metas.length]));
    expect(calls).toEqual([
      ['join', 'u1', undefined, 1],
      ['join', 'u1', 1, 1],
      ['leave', 'u1', 1, 1],
    ]);
  });

  it('computes the diff between a state and a fresh snapshot', () => {
    const diff = diffStates({ a: entry('1'), b: entry('2', '3') }, { b: entry('3', '4'), c: entry('5') });
    expect(refs(diff.joins)).toEqual({ b: ['4'], c: ['5'] });
    expect(refs(diff.leaves)).toEqual({ a: ['1'], b: ['2'] });
  });

  it('syncState returns a new state and leaves the old one untouched', () => {
    const old = { a: entry('1') };
    const next = syncState(old, { b: entry('2') });
    expect(refs(next)).toEqual({ b: ['2'] });
    expect(refs(old)).toEqual({ a: ['1'] });
  });

  it('treats __proto__, constructor and hasOwnProperty as ordinary keys and pollutes nothing', () => {
    const payload = JSON.parse('{"__proto__": {"metas": [{"phx_ref": "1", "polluted": true}]}, "constructor": {"metas": [{"phx_ref": "2"}]}, "hasOwnProperty": {"metas": [{"phx_ref": "3"}]}}');
    const state = syncState({}, payload);
    expect(Object.keys(state).sort()).toEqual(['__proto__', 'constructor', 'hasOwnProperty']);
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
    expect(Object.prototype.hasOwnProperty.call(Object.prototype, 'metas')).toBe(false);
    applyDiff(state, { joins: {}, leaves: JSON.parse('{"__proto__": {"metas": [{"phx_ref": "1"}]}}') });
    expect(Object.keys(state).sort()).toEqual(['constructor', 'hasOwnProperty']);
    // A plain `{}` state starts with inherited `constructor`: it must not be mistaken for an entry.
    const plain = applyDiff({} as PresenceState, { joins: { constructor: entry('9') }, leaves: {} });
    expect(refs(plain)).toEqual({ constructor: ['9'] });
  });

  it('lists entries, or what a chooser makes of them', () => {
    const state = { a: entry('1'), b: entry('2', '3') };
    expect(listPresences(state, (key, e) => `${key}:${e.metas.length}`)).toEqual(['a:1', 'b:2']);
    expect(listPresences(state)).toHaveLength(2);
  });
});
