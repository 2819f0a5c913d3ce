// Collects items as they arrive and hands them over in one batch per frame: per animation frame in a
// browser, per `windowMs` in Node. At thousands of messages per second, doing the expensive part
// (rendering, aggregating) once per batch instead of once per message is what keeps up.

/**
 * @template T
 * @param {(batch: T[]) => void} onBatch
 * @param {{ windowMs?: number }} [options]
 */
export function createBatcher(onBatch, { windowMs = 50 } = {}) {
  /** @type {T[]} */
  let items = [];
  let scheduled = false;
  const schedule =
    typeof globalThis.requestAnimationFrame === 'function'
      ? (/** @type {() => void} */ fn) => globalThis.requestAnimationFrame(fn)
      : (/** @type {() => void} */ fn) => setTimeout(fn, windowMs);

  const flush = () => {
    scheduled = false;
    if (items.length === 0) return;
    const batch = items;
    items = [];
    onBatch(batch);
  };

  return {
    add(/** @type {T} */ item) {
      items.push(item);
      if (!scheduled) {
        scheduled = true;
        schedule(flush);
      }
    },
    /** Delivers whatever is waiting now (e.g. at the end of the stream). */
    flush,
  };
}
