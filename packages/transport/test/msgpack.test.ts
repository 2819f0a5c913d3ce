import { pack, Packr } from 'msgpackr';
import { describe, expect, it } from 'vitest';
import { DecodeError, EncodeError } from '../src/errors';
import type { Message } from '../src/message';
import { createMsgpackSerializer, MSGPACK_VSN, msgpackSerializer } from '../src/msgpack';

const msg = (payload: unknown, extra: Partial<Message> = {}): Message => ({ joinRef: '1', ref: '2', topic: 'room:1', event: 'new_msg', payload, ...extra });
const bytes = (...values: number[]) => new Uint8Array(values).buffer;

describe('msgpackSerializer', () => {
  it('is named msgpack and asks for vsn 2.0.0-msgpack', () => {
    expect(msgpackSerializer.name).toBe('msgpack');
    expect(msgpackSerializer.vsn).toBe(MSGPACK_VSN);
    expect(MSGPACK_VSN).toBe('2.0.0-msgpack');
  });

  it.each([
    ['an object', { body: 'hi', n: 1, nested: { list: [1, 'two', null, true] } }],
    ['a string', 'text'],
    ['a number', 3.25],
    ['null', null],
    ['an empty object', {}],
    ['a large integer', 2 ** 40],
    ['non-ASCII text', { body: 'héllo 秘密 🔑' }],
  ])('round-trips %s', (_what, payload) => {
    const frame = msgpackSerializer.encode(msg(payload));
    expect(frame).toBeInstanceOf(ArrayBuffer);
    expect(msgpackSerializer.decode(frame)).toEqual(msg(payload));
  });

  it.each([
    ['a push', msg({ a: 1 })],
    ['a broadcast', msg({ a: 1 }, { joinRef: null, ref: null })],
    ['a heartbeat', { joinRef: null, ref: '9', topic: 'phoenix', event: 'heartbeat', payload: {} }],
    ['a reply', msg({ status: 'ok', response: { id: 7 } }, { event: 'phx_reply' })],
  ])('round-trips %s with its refs', (_what, message) => {
    expect(msgpackSerializer.decode(msgpackSerializer.encode(message))).toEqual(message);
  });

  it('writes plain MessagePack any implementation reads: an array of five, objects as maps', () => {
    const frame = new Uint8Array(msgpackSerializer.encode(msg({ a: 1 })));
    // fixarray(5), fixstr "1", fixstr "2", fixstr "room:1", fixstr "new_msg", fixmap(1) "a" 1
    expect(frame[0]).toBe(0x95);
    expect([...frame.slice(-4)]).toEqual([0x81, 0xa1, 0x61, 0x01]);
  });

  it.each([
    ['an ArrayBuffer', bytes(1, 2, 3)],
    ['a Uint8Array', new Uint8Array([1, 2, 3])],
    ['a Buffer window', Buffer.from([0, 1, 2, 3, 4]).subarray(1, 4)],
    ['a Uint16Array', new Uint16Array([0x0201, 0x0003]).subarray(0, 1)],
  ])('sends %s payload as bin and decodes it as an ArrayBuffer of exactly those bytes', (_what, payload) => {
    const decoded = msgpackSerializer.decode(msgpackSerializer.encode(msg(payload)));
    expect(decoded.payload).toBeInstanceOf(ArrayBuffer);
    const view = ArrayBuffer.isView(payload) ? new Uint8Array(payload.buffer, payload.byteOffset, payload.byteLength) : new Uint8Array(payload);
    expect([...new Uint8Array(decoded.payload as ArrayBuffer)]).toEqual([...view]);
  });

  it('decodes a binary reply response as an ArrayBuffer and nested binaries as Uint8Array', () => {
    const reply = msgpackSerializer.decode(pack(['1', '2', 't', 'phx_reply', { status: 'ok', response: Buffer.from([5, 6]) }]));
    const { response } = reply.payload as { response: ArrayBuffer };
    expect(response).toBeInstanceOf(ArrayBuffer);
    expect([...new Uint8Array(response)]).toEqual([5, 6]);
    const nested = msgpackSerializer.decode(msgpackSerializer.encode(msg({ image: new Uint8Array([9]) })));
    expect((nested.payload as { image: Uint8Array }).image).toBeInstanceOf(Uint8Array);
  });

  it('keeps __proto__ and constructor keys as own properties without touching Object.prototype', () => {
    const frame = pack(['1', '2', 't', 'presence_state', new Map<string, unknown>([['__proto__', { metas: [] }], ['constructor', { metas: [] }]])]);
    const payload = msgpackSerializer.decode(frame).payload as Record<string, unknown>;
    expect(Object.keys(payload)).toEqual(['__proto__', 'constructor']);
    expect(Object.getPrototypeOf(payload)).toBe(Object.prototype);
    expect(({} as Record<string, unknown>)['metas']).toBeUndefined();
  });

  it('decodes integer map keys as strings, as JSON would', () => {
    expect(msgpackSerializer.decode(pack(['1', '2', 't', 'e', new Map([[1, 'a']])])).payload).toEqual({ '1': 'a' });
  });

  it('returns a fresh ArrayBuffer per frame: the next encode cannot change an earlier frame', () => {
    const first = msgpackSerializer.encode(msg({ a: 1 }));
    const copy = first.slice(0);
    msgpackSerializer.encode(msg({ b: 'something longer' }));
    expect(new Uint8Array(first)).toEqual(new Uint8Array(copy));
  });

  it('encodes undefined as nil and decodes 64-bit integers as numbers when exact', () => {
    expect(msgpackSerializer.decode(msgpackSerializer.encode(msg({ gone: undefined }))).payload).toEqual({ gone: null });
    expect(msgpackSerializer.decode(msgpackSerializer.encode(msg(2 ** 53 - 1))).payload).toBe(2 ** 53 - 1);
    expect(msgpackSerializer.decode(msgpackSerializer.encode(msg(2n ** 60n))).payload).toBe(2n ** 60n);
  });

  it.each([
    ['text', '["1","2","t","e",{}]'],
    ['an empty frame', bytes()],
    ['a truncated array', bytes(0x95, 0xa1, 0x31)],
    ['the reserved byte 0xc1', bytes(0xc1)],
    ['an unknown extension', bytes(0xd4, 0x05, 0x00)],
    ['trailing bytes', new Uint8Array([...new Uint8Array(pack(['1', '2', 't', 'e', {}])), 0x01]).buffer],
    ['a map', pack({ topic: 't' })],
    ['an array of four', pack(['1', '2', 't', 'e'])],
    ['a numeric topic', pack(['1', '2', 3, 'e', {}])],
    ['a numeric ref', pack(['1', 2, 't', 'e', {}])],
    ['a reply without status', pack(['1', '2', 't', 'phx_reply', { response: {} }])],
  ])('throws DecodeError for %s', (_what, frame) => {
    expect(() => msgpackSerializer.decode(frame as ArrayBuffer)).toThrow(DecodeError);
  });

  it('throws DecodeError for a frame type no serializer reads', () => {
    expect(() => msgpackSerializer.decode(42 as unknown as ArrayBuffer)).toThrow(DecodeError);
  });

  it('throws EncodeError for a value MessagePack cannot hold', () => {
    expect(() => msgpackSerializer.encode(msg(2n ** 70n))).toThrow(EncodeError);
  });
});

describe('createMsgpackSerializer', () => {
  const entities = Array.from({ length: 50 }, (_, i) => ({ id: i, x: i * 1.5, y: i * 2.25, hp: 100, kind: 'orc' }));

  it('with useRecords writes smaller frames for many objects of one shape, and reads them back', () => {
    const records = createMsgpackSerializer({ useRecords: true });
    const plain = records.encode(msg({ entities })).byteLength;
    const maps = msgpackSerializer.encode(msg({ entities })).byteLength;
    expect(plain).toBeLessThan(maps * 0.75);
    expect(records.decode(records.encode(msg({ entities }))).payload).toEqual({ entities });
  });

  it('with useRecords writes self-contained frames: a fresh decoder reads the second frame alone', () => {
    const writer = createMsgpackSerializer({ useRecords: true });
    writer.encode(msg({ entities }));
    const second = writer.encode(msg({ entities }));
    expect(createMsgpackSerializer({ useRecords: true }).decode(second).payload).toEqual({ entities });
    expect(new Packr({ useRecords: true }).unpack(new Uint8Array(second))).toEqual(['1', '2', 'room:1', 'new_msg', { entities }]);
  });

  it('with useFloat32 stores decimals in 4 bytes and keeps their decimal value', () => {
    const small = createMsgpackSerializer({ useFloat32: true });
    const frame = small.encode(msg(1.1));
    expect(frame.byteLength).toBe(msgpackSerializer.encode(msg(1.1)).byteLength - 4);
    expect(small.decode(frame).payload).toBe(1.1);
  });

  it.each([
    [{ useRecords: 'yes' }, TypeError],
    [{ useFloat32: 1 }, TypeError],
  ])('validates %j eagerly', (options, error) => {
    expect(() => createMsgpackSerializer(options as never)).toThrow(error);
  });
});
