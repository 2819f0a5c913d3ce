import { describe, expect, it } from 'vitest';
import { utf8ByteLength, utf8Decoder } from '../src/text-codec';

describe('utf8ByteLength', () => {
  it.each([
    ['', 0],
    ['ascii', 5],
    ['é', 2],
    ['€', 3],
    ['😀', 4],
    ['a😀b€', 9],
    ['\uD83D', 3], // lone high surrogate: TextEncoder writes U+FFFD
    ['\uDE00x', 4], // lone low surrogate
    ['\uD83D\uD83D\uDE00', 7], // lone high surrogate, then a pair
  ])('counts %j as %i bytes, as TextEncoder writes it', (text, expected) => {
    expect(utf8ByteLength(text)).toBe(expected);
    expect(new TextEncoder().encode(text).byteLength).toBe(expected);
  });
});

describe('utf8Decoder', () => {
  it('throws on malformed UTF-8 instead of substituting U+FFFD', () => {
    expect(() => utf8Decoder.decode(Uint8Array.of(0xc3, 0x28))).toThrow(TypeError);
  });

  it('keeps a leading byte order mark', () => {
    expect(utf8Decoder.decode(Uint8Array.of(0xef, 0xbb, 0xbf, 0x61))).toBe('\uFEFFa');
  });
});
