import type { OverflowPolicy } from './host';

/** Options of a {@link SendBuffer}. */
export interface SendBufferOptions<T> {
  /** Most items held at once; `Infinity` for unbounded. */
  limit: number;
  /** Which item to give up when full. */
  policy: OverflowPolicy;
  /** Called with the item given up (the new one under `'reject'`, the oldest under `'drop-oldest'`). */
  onOverflow(dropped: T): void;
}

/**
 * A bounded FIFO for messages waiting for a connection or a join. A ring over a plain array, so neither
 * `push` nor the drain allocates per item.
 *
 * @example
 * const buf = new SendBuffer<Push>({ limit: 100, policy: 'drop-oldest', onOverflow: (p) => p.fail(err) });
 * buf.push(p); buf.drain((p) => p.send());
 */
export class SendBuffer<T> {
  #items: (T | undefined)[] = [];
  #head = 0;
  #count = 0;
  readonly #options: SendBufferOptions<T>;

  constructor(options: SendBufferOptions<T>) {
    this.#options = options;
  }

  /** Items waiting. */
  get size(): number {
    return this.#count;
  }

  /** Adds an item; false when it was refused (policy `'reject'` and full). */
  push(item: T): boolean {
    const { limit, policy, onOverflow } = this.#options;
    if (this.#count >= limit) {
      if (policy === 'reject' || limit <= 0) {
        onOverflow(item);
        return false;
      }
      const oldest = this.shift() as T;
      onOverflow(oldest);
    }
    const cap = this.#items.length;
    if (this.#count === cap) this.#grow();
    this.#items[(this.#head + this.#count) % this.#items.length] = item;
    this.#count++;
    return true;
  }

  /** Removes and returns the oldest item. */
  shift(): T | undefined {
    if (this.#count === 0) return undefined;
    const item = this.#items[this.#head];
    this.#items[this.#head] = undefined;
    this.#head = (this.#head + 1) % this.#items.length;
    this.#count--;
    return item;
  }

  /**
   * Hands every item to `fn`, oldest first, and empties the buffer. Items added by `fn` itself wait for
   * the next drain, so a callback that re-buffers cannot loop forever.
   */
  drain(fn: (item: T) => void): void {
    let n = this.#count;
    while (n-- > 0) fn(this.shift() as T);
  }

  /** Removes one specific item (O(n)); true when it was there. */
  remove(item: T): boolean {
    const len = this.#items.length;
    for (let i = 0; i < this.#count; i++) {
      if (this.#items[(this.#head + i) % len] !== item) continue;
      for (let j = i; j < this.#count - 1; j++) {
        this.#items[(this.#head + j) % len] = this.#items[(this.#head + j + 1) % len];
      }
      this.#items[(this.#head + this.#count - 1) % len] = undefined;
      this.#count--;
      return true;
    }
    return false;
  }

  /** Drops everything without calling anyone. */
  clear(): void {
    this.#items = [];
    this.#head = 0;
    this.#count = 0;
  }

  #grow(): void {
    const next: (T | undefined)[] = new Array(Math.max(8, this.#items.length * 2));
    for (let i = 0; i < this.#count; i++) next[i] = this.#items[(this.#head + i) % this.#items.length];
    this.#items = next;
    this.#head = 0;
  }
}
