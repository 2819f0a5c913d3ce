/**
 * `cacheable(payload)`: the app's promise that a payload will be pushed again unchanged, so a socket with
 * a `binaryPool` encodes it once. The marker is explicit because only the app knows a payload is
 * immutable; guessing (hashing every payload) would cost more than encoding it.
 */

/**
 * A payload whose encoding may be reused. Keep the wrapper and push it again (identity is the key), or
 * give a `key` when fresh objects carry the same content (`cacheable(state, 'state:v42')`).
 *
 * `toJSON()` returns the value, so without a pool a JSON serializer sends it unchanged: marking payloads
 * is always safe. Do not mutate `value` after wrapping it: the pool would keep sending the old encoding.
 */
export class Cacheable<T = unknown> {
  /** The payload. */
  readonly value: T;
  /** What the pool keys the encoding by: `key`, or this wrapper. */
  readonly key: string | Cacheable<T>;

  constructor(value: T, key?: string) {
    if (key !== undefined && (typeof key !== 'string' || key === '')) {
      throw new TypeError('cacheable(value, key): key must be a non-empty string or omitted');
    }
    this.value = value;
    this.key = key ?? this;
  }

  /** JSON serializers see the payload itself. */
  toJSON(): T {
    return this.value;
  }
}

/**
 * Marks `value` as a payload pushed repeatedly and never mutated. Typed as `T`, so
 * `channel.push('state', cacheable(state))` type-checks against the channel's event map.
 *
 * @example
 * const config = cacheable({ theme: 'dark', widgets: [...] }); // keep it and reuse it
 * for (const room of rooms) room.push('config', config); // encoded once with `binaryPool`
 * room.push('state', cacheable(snapshot, `state:${version}`)); // or key it by content version
 */
export function cacheable<T>(value: T, key?: string): T {
  return new Cacheable(value, key) as unknown as T;
}

/** The value under a `cacheable()` marker, or `payload` itself. */
export function uncached(payload: unknown): unknown {
  return payload instanceof Cacheable ? payload.value : payload;
}
