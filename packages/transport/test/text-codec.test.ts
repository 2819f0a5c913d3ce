import { afterEach, describe, expect, it, vi } from 'vitest';
import { utf8ByteLength, utf8Decode, utf8Encode, utf8EncodeInto } from '../src/text-codec';

const SAMPLES = ['', 'ascii', 'é', '€', '😀', 'a😀b€', '\uFEFFtopic', 'room:lobby', 'ü'.repeat(300), '\u07FF\u0800\uFFFF'];

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

describe('utf8Decode', () => {
  it('throws on malformed UTF-8 instead of substituting U+FFFD', () => {
    expect(() => utf8Decode(Uint8Array.of(0xc3, 0x28))).toThrow(TypeError);
  });

  it('keeps a leading byte order mark', () => {
    expect(utf8Decode(Uint8Array.of(0xef, 0xbb, 0xbf, 0x61))).toBe('\uFEFFa');
  });
});

describe('utf8EncodeInto', () => {
  it('writes at the offset and returns the bytes written', () => {
    const dest = new Uint8Array(5);
    expect(utf8EncodeInto('hé', dest, 2)).toBe(3);
    expect(dest).toEqual(Uint8Array.of(0, 0, 0x68, 0xc3, 0xa9));
  });
});

/**
 * The hand-written codec that runs where `TextEncoder`/`TextDecoder` are not globals (jest's jsdom). The
 * codec looks the globals up on first use, so each test imports a fresh copy with them removed.
 */
describe('without TextEncoder/TextDecoder globals', () => {
  const native = { encoder: new TextEncoder(), decoder: new TextDecoder('utf-8', { fatal: true, ignoreBOM: true }) };

  async function fallbackCodec(): Promise<typeof import('../src/text-codec')> {
    vi.resetModules();
    vi.stubGlobal('TextEncoder', undefined);
    vi.stubGlobal('TextDecoder', undefined);
    return import('../src/text-codec');
  }

  afterEach(() => {
    vi.unstubAllGlobals();
  });

  it('still loads: nothing touches the globals at module load', async () => {
    vi.resetModules();
    vi.stubGlobal('TextEncoder', () => {
      throw new Error('TextEncoder used at module load');
    });
    vi.stubGlobal('TextDecoder', () => {
      throw new Error('TextDecoder used at module load');
    });
    await expect(import('../src/text-codec')).resolves.toBeDefined();
    await expect(import('../src/binary-frame')).resolves.toBeDefined();
    await expect(import('../src/auth-token')).resolves.toBeDefined();
  });

  it.each(SAMPLES.concat(['\uD83D', '\uDE00x', '\uD83D\uD83D\uDE00', 'a\uDBFF']))('encodes %j as TextEncoder does', async (text) => {
    const codec = await fallbackCodec();
    const expected = native.encoder.encode(text);
    expect(codec.utf8Encode(text)).toEqual(expected);
    const dest = new Uint8Array(expected.byteLength + 2);
    expect(codec.utf8EncodeInto(text, dest, 1)).toBe(expected.byteLength);
    expect(dest.subarray(1, -1)).toEqual(expected);
  });

  it.each(SAMPLES)('decodes %j as TextDecoder does', async (text) => {
    const codec = await fallbackCodec();
    expect(codec.utf8Decode(native.encoder.encode(text))).toBe(text);
  });

  it('decodes text longer than one chunk of code units', async () => {
    const codec = await fallbackCodec();
    const text = 'x😀é'.repeat(5000);
    expect(codec.utf8Decode(native.encoder.encode(text))).toBe(text);
  });

  it.each([
    ['a truncated sequence', [0xe2, 0x82]],
    ['a bad continuation byte', [0xc3, 0x28]],
    ['a stray continuation byte', [0x80]],
    ['an overlong 2-byte form', [0xc0, 0xaf]],
    ['an overlong 3-byte form', [0xe0, 0x80, 0xaf]],
    ['an overlong 4-byte form', [0xf0, 0x80, 0x80, 0xaf]],
    ['an encoded surrogate', [0xed, 0xa0, 0x80]],
    ['a code point above U+10FFFF', [0xf4, 0x90, 0x80, 0x80]],
    ['an invalid lead byte', [0xff]],
  ])('rejects %s with a TypeError, as a fatal TextDecoder does', async (_name, bytes) => {
    const codec = await fallbackCodec();
    const input = Uint8Array.from(bytes);
    expect(() => native.decoder.decode(input)).toThrow(TypeError);
    expect(() => codec.utf8Decode(input)).toThrow(TypeError);
  });

  it('round-trips a V2 binary push and an auth token', async () => {
    vi.resetModules();
    vi.stubGlobal('TextEncoder', undefined);
    vi.stubGlobal('TextDecoder', undefined);
    const { encodeBinaryPush, decodeBinaryFrame } = await import('../src/binary-frame');
    const { encodeAuthTokenProtocol, decodeAuthTokenProtocol } = await import('../src/auth-token');
    const frame = encodeBinaryPush({ joinRef: '1', ref: '2', topic: 'room:é', event: 'ü', payload: Uint8Array.of(9) });
    // A push frame read back as the server's push layout: join_ref, topic, event (no ref).
    const bytes = new Uint8Array(frame);
    expect(Array.from(bytes.subarray(0, 5))).toEqual([0, 1, 1, 7, 2]);
    const reply = Uint8Array.of(1, 1, 1, 7, 2, 0x31, 0x32, ...native.encoder.encode('room:é'), 0x6f, 0x6b, 7);
    expect(decodeBinaryFrame(reply, undefined, 'view')).toMatchObject({ joinRef: '1', ref: '2', topic: 'room:é', event: 'phx_reply' });
    expect(decodeAuthTokenProtocol(encodeAuthTokenProtocol('tökén'))).toBe('tökén');
  });
});
