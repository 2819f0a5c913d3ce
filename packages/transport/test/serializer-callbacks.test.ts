import { describe, expect, it } from 'vitest';
import { DecodeError, EncodeError } from '../src/errors';
import type { Message } from '../src/message';
import { serializerFromCallbacks, type CallbackDecode, type CallbackEncode } from '../src/serializer-callbacks';

const jsonEncode: CallbackEncode = (m, cb) => cb(JSON.stringify([m.join_ref, m.ref, m.topic, m.event, m.payload]));
const jsonDecode: CallbackDecode = (raw, cb) => {
  const [join_ref, ref, topic, event, payload] = JSON.parse(raw as string) as [string | null, string | null, string, string, unknown];
  cb({ join_ref, ref, topic, event, payload });
};
const message: Message = { joinRef: '1', ref: '2', topic: 'room:1', event: 'e', payload: { a: 1 } };

describe('serializerFromCallbacks', () => {
  it('hands encode the phoenix.js message shape with snake_case join_ref', () => {
    const seen: unknown[] = [];
    const serializer = serializerFromCallbacks((m, cb) => {
      seen.push(m);
      cb('x');
    }, jsonDecode);
    serializer.encode(message);
    expect(seen).toEqual([{ join_ref: '1', ref: '2', topic: 'room:1', event: 'e', payload: { a: 1 } }]);
  });

  it('round-trips through phoenix.js-style JSON callbacks', () => {
    const serializer = serializerFromCallbacks(jsonEncode, jsonDecode);
    expect(serializer.decode(serializer.encode(message))).toEqual(message);
  });

  it('defaults to name custom and vsn 2.0.0, and takes both as options', () => {
    expect(serializerFromCallbacks(jsonEncode, jsonDecode)).toMatchObject({ name: 'custom', vsn: '2.0.0' });
    expect(serializerFromCallbacks(jsonEncode, jsonDecode, { name: 'mine', vsn: '1.0.0' })).toMatchObject({ name: 'mine', vsn: '1.0.0' });
  });

  it('turns a typed array from encode into an ArrayBuffer of just its bytes', () => {
    const serializer = serializerFromCallbacks((_m, cb) => cb(Uint8Array.of(0, 1, 2, 3).subarray(1, 3)), jsonDecode);
    const frame = serializer.encode(message);
    expect(frame).toBeInstanceOf(ArrayBuffer);
    expect(Array.from(new Uint8Array(frame as ArrayBuffer))).toEqual([1, 2]);
  });

  it('reads missing join_ref and ref from decode as null', () => {
    const serializer = serializerFromCallbacks(jsonEncode, (_raw, cb) => cb({ topic: 't', event: 'e', payload: {} } as never));
    expect(serializer.decode('whatever')).toEqual({ joinRef: null, ref: null, topic: 't', event: 'e', payload: {} });
  });

  it.each([
    ['throws', ((_m, _cb) => { throw new Error('boom'); }) as CallbackEncode, /threw/],
    ['never calls back', ((_m, _cb) => undefined) as CallbackEncode, /synchronously/],
    ['calls back later', ((_m, cb) => { setTimeout(() => cb('late'), 0); }) as CallbackEncode, /synchronously/],
    ['gives a number', ((_m, cb) => cb(5 as never)) as CallbackEncode, /string or an ArrayBuffer/],
  ])('throws an EncodeError when encode %s', (_name, encode, reason) => {
    const serializer = serializerFromCallbacks(encode, jsonDecode);
    expect(() => serializer.encode(message)).toThrow(EncodeError);
    expect(() => serializer.encode(message)).toThrow(reason);
  });

  it('keeps what encode threw as the cause', () => {
    const boom = new Error('boom');
    const serializer = serializerFromCallbacks(() => { throw boom; }, jsonDecode);
    try {
      serializer.encode(message);
      expect.unreachable();
    } catch (error) {
      expect((error as EncodeError).cause).toBe(boom);
    }
  });

  it.each([
    ['throws on bad JSON', jsonDecode, '{bad'],
    ['never calls back', ((_raw, _cb) => undefined) as CallbackDecode, '[]'],
    ['gives null', ((_raw, cb) => cb(null as never)) as CallbackDecode, '[]'],
    ['gives a string', ((_raw, cb) => cb('msg' as never)) as CallbackDecode, '[]'],
    ['gives a message with a numeric topic', ((_raw, cb) => cb({ join_ref: null, ref: null, topic: 1, event: 'e', payload: {} } as never)) as CallbackDecode, '[]'],
    ['is handed a frame of an unsupported type', jsonDecode, 42],
  ])('throws a DecodeError when decode %s', (_name, decode, frame) => {
    const serializer = serializerFromCallbacks(jsonEncode, decode);
    expect(() => serializer.decode(frame as string)).toThrow(DecodeError);
  });

  it('rejects callbacks that are not functions with a TypeError', () => {
    expect(() => serializerFromCallbacks('x' as never, jsonDecode)).toThrow(TypeError);
    expect(() => serializerFromCallbacks(jsonEncode, null as never)).toThrow(TypeError);
  });
});
