// Seeded random typing, so a failing run can be replayed with the same --seed.
import { deleteOp, insertOp } from './ot.mjs';

/** mulberry32: a tiny seeded PRNG returning floats in [0, 1). */
export function rng(/** @type {number} */ seed) {
  let s = seed | 0;
  return () => {
    s = (s + 0x6d2b79f5) | 0;
    let t = Math.imul(s ^ (s >>> 15), 1 | s);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const WORDS = ['phoenix', 'socket', 'elixir', ' ', ' ', 'ok', '\n', 'é', 'ü', 'channel'];

/** An insert (2/3 of the time) or a delete on `doc`, at a random place. */
export function randomEdit(/** @type {() => number} */ random, /** @type {string} */ doc) {
  const pos = Math.floor(random() * (doc.length + 1));
  if (doc.length === 0 || random() < 0.66) {
    return insertOp(doc.length, pos, WORDS[Math.floor(random() * WORDS.length)] ?? 'x');
  }
  const at = Math.min(pos, doc.length - 1);
  return deleteOp(doc.length, at, 1 + Math.floor(random() * Math.min(5, doc.length - at)));
}
