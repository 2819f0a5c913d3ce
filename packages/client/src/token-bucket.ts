/**
 * A token bucket: `capacity` tokens at most, refilled continuously at `refillPerSecond`. Pure arithmetic
 * over an injected clock (the socket's `Scheduler.now`), so tests move time by hand.
 */

/** Settings of a {@link TokenBucket}. */
export interface TokenBucketOptions {
  /** Most tokens held, i.e. the largest burst that goes out at once. A number > 0. */
  readonly capacity: number;
  /** Tokens added per second. A number > 0. */
  readonly refillPerSecond: number;
}

/** What a bucket reads the time from, in ms (the `now` of a `Scheduler`). */
export interface BucketClock {
  now(): number;
}

/**
 * Starts full. `tryTake()` spends a token if one is there; `msUntilToken()` says how long until the next
 * one. Never allocates after construction.
 *
 * @example
 * const bucket = new TokenBucket({ capacity: 10, refillPerSecond: 5 }, scheduler);
 * if (bucket.tryTake()) send(); else setTimeout(retry, bucket.msUntilToken());
 */
export class TokenBucket {
  readonly capacity: number;
  readonly refillPerSecond: number;
  #tokens: number;
  #at: number;
  readonly #clock: BucketClock;

  constructor(options: TokenBucketOptions, clock: BucketClock) {
    const { capacity, refillPerSecond } = options;
    if (typeof capacity !== 'number' || !(capacity > 0) || !Number.isFinite(capacity)) {
      throw new RangeError(`TokenBucket: capacity must be a finite number > 0, got ${String(capacity)}`);
    }
    if (typeof refillPerSecond !== 'number' || !(refillPerSecond > 0) || !Number.isFinite(refillPerSecond)) {
      throw new RangeError(`TokenBucket: refillPerSecond must be a finite number > 0, got ${String(refillPerSecond)}`);
    }
    this.capacity = capacity;
    this.refillPerSecond = refillPerSecond;
    this.#clock = clock;
    this.#tokens = capacity;
    this.#at = clock.now();
  }

  /** Tokens available now (fractional while refilling). */
  get tokens(): number {
    this.#refill();
    return this.#tokens;
  }

  /** Spends one token; false (nothing spent) when less than one is there. */
  tryTake(): boolean {
    this.#refill();
    if (this.#tokens < 1) return false;
    this.#tokens -= 1;
    return true;
  }

  /** Ms until a whole token is there (0 when one is there now). */
  msUntilToken(): number {
    this.#refill();
    if (this.#tokens >= 1) return 0;
    return Math.ceil(((1 - this.#tokens) * 1000) / this.refillPerSecond);
  }

  #refill(): void {
    const now = this.#clock.now();
    const elapsed = now - this.#at;
    this.#at = now;
    if (elapsed > 0) this.#tokens = Math.min(this.capacity, this.#tokens + (elapsed * this.refillPerSecond) / 1000);
  }
}
