// Operational transformation for plain text, in the compact JSON form of ot.js: an operation is an array
// whose items walk the document from start to end:
//
//   n > 0     retain n characters
//   'text'    insert 'text'
//   n < 0     delete -n characters
//
// e.g. on "hello world": [6, -5, 'there'] → "hello there". Every operation covers the whole
// document, so its base length must equal the text's length. Lengths are UTF-16 code units.

/** @typedef {(number | string)[]} Op */

const isRetain = (/** @type {unknown} */ c) => typeof c === 'number' && c > 0;
const isDelete = (/** @type {unknown} */ c) => typeof c === 'number' && c < 0;
const isInsert = (/** @type {unknown} */ c) => typeof c === 'string';

/** Appends one component, merging with the previous one, and keeps inserts before deletes (canonical form). */
function append(/** @type {Op} */ op, /** @type {number | string} */ c) {
  if (c === 0 || c === '') return;
  const last = op[op.length - 1];
  if (isRetain(c) && isRetain(last)) op[op.length - 1] = /** @type {number} */ (last) + /** @type {number} */ (c);
  else if (isDelete(c) && isDelete(last)) op[op.length - 1] = /** @type {number} */ (last) + /** @type {number} */ (c);
  else if (isInsert(c) && isInsert(last)) op[op.length - 1] = /** @type {string} */ (last) + c;
  else if (isInsert(c) && isDelete(last)) {
    // "delete then insert" and "insert then delete" mean the same; one spelling keeps compose/transform simple.
    const prev = op[op.length - 2];
    if (isInsert(prev)) op[op.length - 2] = /** @type {string} */ (prev) + c;
    else op.splice(op.length - 1, 0, c);
  } else op.push(c);
}

/** Length of the text an operation applies to. */
export function baseLength(/** @type {Op} */ op) {
  return op.reduce((n, c) => (typeof c === 'number' ? n + Math.abs(c) : n), 0);
}

/** Length of the text an operation produces. */
export function targetLength(/** @type {Op} */ op) {
  return op.reduce((n, c) => (isRetain(c) ? n + /** @type {number} */ (c) : isInsert(c) ? n + /** @type {string} */ (c).length : n), 0);
}

/** Insert `text` at `pos` in a document of `length` characters. */
export function insertOp(/** @type {number} */ length, /** @type {number} */ pos, /** @type {string} */ text) {
  /** @type {Op} */ const op = [];
  append(op, pos);
  append(op, text);
  append(op, length - pos);
  return op;
}

/** Delete `count` characters at `pos` in a document of `length` characters. */
export function deleteOp(/** @type {number} */ length, /** @type {number} */ pos, /** @type {number} */ count) {
  /** @type {Op} */ const op = [];
  append(op, pos);
  append(op, -count);
  append(op, length - pos - count);
  return op;
}

/** Applies `op` to `doc`. */
export function apply(/** @type {string} */ doc, /** @type {Op} */ op) {
  if (baseLength(op) !== doc.length) throw new RangeError(`operation base length ${baseLength(op)} does not match the document (${doc.length})`);
  let out = '';
  let at = 0;
  for (const c of op) {
    if (isRetain(c)) {
      out += doc.slice(at, at + /** @type {number} */ (c));
      at += /** @type {number} */ (c);
    } else if (isInsert(c)) out += c;
    else at -= /** @type {number} */ (c);
  }
  return out;
}

/** One operation with the effect of `a` then `b`. */
export function compose(/** @type {Op} */ a, /** @type {Op} */ b) {
  if (targetLength(a) !== baseLength(b)) throw new RangeError('compose: the second operation must start where the first ends');
  /** @type {Op} */ const out = [];
  let i = 0;
  let j = 0;
  let x = a[i++];
  let y = b[j++];
  for (;;) {
    if (x === undefined && y === undefined) return out;
    if (isDelete(x)) { append(out, /** @type {number} */ (x)); x = a[i++]; continue; }
    if (isInsert(y)) { append(out, /** @type {string} */ (y)); y = b[j++]; continue; }
    if (x === undefined || y === undefined) throw new Error('compose: operations do not line up');
    if (isRetain(x) && isRetain(y)) {
      const n = Math.min(/** @type {number} */ (x), /** @type {number} */ (y));
      append(out, n);
      x = x === n ? a[i++] : /** @type {number} */ (x) - n;
      y = y === n ? b[j++] : /** @type {number} */ (y) - n;
    } else if (isInsert(x) && isDelete(y)) {
      const s = /** @type {string} */ (x);
      const n = Math.min(s.length, -y);
      x = s.length === n ? a[i++] : s.slice(n);
      y = -y === n ? b[j++] : /** @type {number} */ (y) + n;
    } else if (isInsert(x) && isRetain(y)) {
      const s = /** @type {string} */ (x);
      const n = Math.min(s.length, /** @type {number} */ (y));
      append(out, s.slice(0, n));
      x = s.length === n ? a[i++] : s.slice(n);
      y = y === n ? b[j++] : /** @type {number} */ (y) - n;
    } else {
      // retain in a, delete in b
      const n = Math.min(/** @type {number} */ (x), -y);
      append(out, -n);
      x = x === n ? a[i++] : /** @type {number} */ (x) - n;
      y = -y === n ? b[j++] : /** @type {number} */ (y) + n;
    }
  }
}

/**
 * Given `a` and `b` made concurrently on the same text, returns `[a', b']` such that
 * apply(apply(doc, a), b') === apply(apply(doc, b), a'). When both insert at the same place, `a`'s text
 * comes first: the server and every client must agree on that, so the server always passes the
 * incoming operation as `a` and clients pass their own unacknowledged operation as `a`.
 * @returns {[Op, Op]}
 */
export function transform(/** @type {Op} */ a, /** @type {Op} */ b) {
  if (baseLength(a) !== baseLength(b)) throw new RangeError('transform: operations must apply to the same text');
  /** @type {Op} */ const a2 = [];
  /** @type {Op} */ const b2 = [];
  let i = 0;
  let j = 0;
  let x = a[i++];
  let y = b[j++];
  for (;;) {
    if (x === undefined && y === undefined) return [a2, b2];
    if (isInsert(x)) {
      append(a2, /** @type {string} */ (x));
      append(b2, /** @type {string} */ (x).length);
      x = a[i++];
      continue;
    }
    if (isInsert(y)) {
      append(a2, /** @type {string} */ (y).length);
      append(b2, /** @type {string} */ (y));
      y = b[j++];
      continue;
    }
    if (x === undefined || y === undefined) throw new Error('transform: operations do not line up');
    const nx = Math.abs(/** @type {number} */ (x));
    const ny = Math.abs(/** @type {number} */ (y));
    const n = Math.min(nx, ny);
    if (isRetain(x) && isRetain(y)) {
      append(a2, n);
      append(b2, n);
    } else if (isDelete(x) && isRetain(y)) {
      append(a2, -n);
    } else if (isRetain(x) && isDelete(y)) {
      append(b2, -n);
    } // both delete the same characters: nothing left to do for either
    x = nx === n ? a[i++] : Math.sign(/** @type {number} */ (x)) * (nx - n);
    y = ny === n ? b[j++] : Math.sign(/** @type {number} */ (y)) * (ny - n);
  }
}
