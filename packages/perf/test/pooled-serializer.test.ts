import { describe, expect, it } from 'vitest';
import { v1Serializer, v2Serializer, type Message, type Serializer } from '@phx-socket/transport';
import { BinaryPool, Cacheable, cacheable, pooledSerializer, uncached } from '../src/index';

const base = (payload: unknown): Message => ({ joinRef: '1', ref: '7', topic: 'room:1', event: 'state', payload });

describe('pooledSerializer', () => {
  const table: [string, Serializer, Message][] = [
    ['V2 with refs', v2Serializer, base({ a: [1, 'two'], b: null })],
    ['V2 with null refs', v2Serializer, { ...base({ x: 'é"\n' }), joinRef: null, ref: null }],
    ['V1 with join_ref', v1Serializer, base({ a: 1 })],
    ['V1 without join_ref', v1Serializer, { ...base({ a: 1 }), joinRef: null }],
  ];
  for (const [name, serializer, message] of table) {
    it(`writes the same frame as the plain serializer (${name})`, () => {
      const pool = new BinaryPool();
      const pooled = pooledSerializer(serializer, pool);
      const expected = serializer.encode(message) as string;
      const marked = { ...message, payload: cacheable(message.payload) };
      expect(JSON.parse(pooled.encode(marked) as string)).toEqual(JSON.parse(expected));
      expect(pooled.encode(marked)).toBe(pooled.encode(marked));
      expect(pool.stats()).toMatchObject({ hits: 2, misses: 1 });
      pool.dispose();
    });
  }

  it('passes unmarked payloads to the wrapped serializer untouched', () => {
    const pool = new BinaryPool();
    const message = base({ a: 1 });
    expect(pooledSerializer(v2Serializer, pool).encode(message)).toBe(v2Serializer.encode(message));
    expect(pool.stats().misses).toBe(0);
    pool.dispose();
  });

  it('unwraps binary payloads and other serializers instead of pooling them', () => {
    const pool = new BinaryPool();
    const bytes = new Uint8Array([1, 2, 3]);
    const frame = pooledSerializer(v2Serializer, pool).encode(base(cacheable(bytes)));
    expect(frame).toBeInstanceOf(ArrayBuffer);
    const seen: unknown[] = [];
    const custom: Serializer = { name: 'custom', vsn: '2.0.0', encode: (m) => (seen.push(m.payload), 'x'), decode: () => base({}) };
    pooledSerializer(custom, pool).encode(base(cacheable({ a: 1 })));
    expect(seen).toEqual([{ a: 1 }]);
    expect(pool.stats().entries).toBe(0);
    pool.dispose();
  });

  it('shares one encoding between wrappers with the same key', () => {
    const pool = new BinaryPool();
    const pooled = pooledSerializer(v2Serializer, pool);
    pooled.encode(base(cacheable({ v: 1 }, 'state:1')));
    pooled.encode({ ...base(cacheable({ v: 1 }, 'state:1')), topic: 'room:2' });
    expect(pool.stats()).toMatchObject({ hits: 1, misses: 1, entries: 1 });
    pool.dispose();
  });
});

describe('cacheable', () => {
  it('is sent unchanged by a JSON serializer without a pool', () => {
    expect(v2Serializer.encode(base(cacheable({ a: 1 })))).toBe('["1","7","room:1","state",{"a":1}]');
  });

  it('exposes the value and rejects an empty key', () => {
    const marked = cacheable({ a: 1 }) as unknown;
    expect(marked).toBeInstanceOf(Cacheable);
    expect(uncached(marked)).toEqual({ a: 1 });
    expect(uncached(5)).toBe(5);
    expect(() => cacheable(1, '')).toThrow(TypeError);
  });
});
