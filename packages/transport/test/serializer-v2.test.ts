import { describe, expect, it } from 'vitest';
import { DecodeError, EncodeError } from '../src/errors';
import type { Message } from '../src/message';
import { v2Serializer, v2ViewSerializer } from '../src/serializer-v2';
import { buffer, bytes, toArray } from './helpers/bytes';

const msg = (overrides: Partial<Message> = {}): Message => ({
  joinRef: '1',
  ref: '2',
  topic: 'room:lobby',
  event: 'new_msg',
  payload: { body: 'hi' },
  ...overrides,
});

describe('v2Serializer', () => {
  it('identifies itself as v2 speaking vsn 2.0.0', () => {
    expect(v2Serializer.name).toBe('v2');
    expect(v2Serializer.vsn).toBe('2.0.0');
  });

  describe('encode', () => {
    it.each([
      ['a push', msg(), '["1","2","room:lobby","new_msg",{"body":"hi"}]'],
      ['a heartbeat with a null join_ref', msg({ joinRef: null, topic: 'phoenix', event: 'heartbeat', payload: {} }), '[null,"2","phoenix","heartbeat",{}]'],
      ['a multibyte topic as plain JSON text', msg({ topic: 'salle:été', payload: null }), '["1","2","salle:été","new_msg",null]'],
    ])('writes %s as a JSON array', (_name, message, expected) => {
      expect(v2Serializer.encode(message)).toBe(expected);
    });

    it.each([
      ['an ArrayBuffer', buffer(1, 2)],
      ['a Uint8Array', Uint8Array.of(1, 2)],
      ['a Node Buffer', Buffer.from([1, 2])],
      ['a Float32Array', new Float32Array([1])],
      ['a DataView', new DataView(buffer(1, 2))],
    ])('writes %s payload as a binary kind 0 push', (_name, payload) => {
      const frame = v2Serializer.encode(msg({ topic: 't', event: 'e', payload }));
      expect(frame).toBeInstanceOf(ArrayBuffer);
      expect(new Uint8Array(frame as ArrayBuffer)[0]).toBe(0);
    });

    it('writes a binary push byte for byte', () => {
      const frame = v2Serializer.encode(msg({ topic: 't', event: 'e', payload: Uint8Array.of(42) }));
      expect(toArray(frame)).toEqual(Array.from(bytes(0, 1, 1, 1, 1, '1', '2', 't', 'e', 42)));
    });

    it('throws an EncodeError for a cyclic payload', () => {
      const payload: Record<string, unknown> = {};
      payload.self = payload;
      expect(() => v2Serializer.encode(msg({ payload }))).toThrow(EncodeError);
    });

    it('throws an EncodeError for a BigInt payload', () => {
      expect(() => v2Serializer.encode(msg({ payload: { n: 1n } }))).toThrow(EncodeError);
    });

    it('throws an EncodeError for a binary push whose topic exceeds 255 bytes', () => {
      expect(() => v2Serializer.encode(msg({ topic: 'x'.repeat(300), payload: new ArrayBuffer(1) }))).toThrow(EncodeError);
    });
  });

  describe('decode', () => {
    it.each([
      ['a broadcast', '[null,null,"room:1","new_msg",{"body":"hi"}]', { joinRef: null, ref: null, topic: 'room:1', event: 'new_msg', payload: { body: 'hi' } }],
      ['a channel push', '["3",null,"room:1","ping",{}]', { joinRef: '3', ref: null, topic: 'room:1', event: 'ping', payload: {} }],
      [
        'a reply',
        '["3","4","room:1","phx_reply",{"status":"ok","response":{"n":1}}]',
        { joinRef: '3', ref: '4', topic: 'room:1', event: 'phx_reply', payload: { status: 'ok', response: { n: 1 } } },
      ],
      ['a heartbeat reply', '[null,"9","phoenix","phx_reply",{"status":"ok","response":{}}]', { joinRef: null, ref: '9', topic: 'phoenix', event: 'phx_reply', payload: { status: 'ok', response: {} } }],
      ['a multibyte topic', '[null,null,"чат:1","✉",[1]]', { joinRef: null, ref: null, topic: 'чат:1', event: '✉', payload: [1] }],
      ['a non-object payload', '[null,null,"t","e","text"]', { joinRef: null, ref: null, topic: 't', event: 'e', payload: 'text' }],
    ])('reads %s from a JSON array', (_name, frame, expected) => {
      expect(v2Serializer.decode(frame)).toEqual(expected);
    });

    it('reads a binary broadcast from an ArrayBuffer, a Uint8Array or a Buffer alike', () => {
      const frame = bytes(2, 1, 1, 't', 'e', 7, 8);
      for (const input of [frame.slice().buffer, frame, Buffer.from(frame)]) {
        const message = v2Serializer.decode(input);
        expect(message).toMatchObject({ joinRef: null, ref: null, topic: 't', event: 'e' });
        expect(toArray(message.payload)).toEqual([7, 8]);
      }
    });

    it('reads a binary reply as phx_reply with an ArrayBuffer response', () => {
      const message = v2Serializer.decode(buffer(1, 1, 1, 1, 5, '1', '2', 't', 'error', 3));
      expect(message.event).toBe('phx_reply');
      expect(message.payload).toMatchObject({ status: 'error' });
      expect(toArray((message.payload as { response: ArrayBuffer }).response)).toEqual([3]);
    });

    it.each([
      ['text that is not JSON', '{not json'],
      ['an empty string', ''],
      ['a JSON object (a V1 frame)', '{"topic":"t","event":"e","payload":{},"ref":null}'],
      ['JSON null', 'null'],
      ['a JSON number', '42'],
      ['an array of four elements', '[null,null,"t","e"]'],
      ['an array of six elements', '[null,null,"t","e",{},1]'],
      ['a numeric join_ref', '[1,null,"t","e",{}]'],
      ['a numeric ref', '[null,2,"t","e",{}]'],
      ['a null topic', '[null,null,null,"e",{}]'],
      ['an object event', '[null,null,"t",{},{}]'],
      ['a phx_reply without a status', '["1","2","t","phx_reply",{"response":{}}]'],
      ['a phx_reply with a null payload', '["1","2","t","phx_reply",null]'],
      ['a binary frame with an unknown kind', buffer(5, 0, 0)],
      ['a truncated binary frame', buffer(1, 3, 3)],
      ['a binary frame whose lengths run past the end', buffer(2, 200, 200, 't')],
      ['an empty binary frame', new ArrayBuffer(0)],
    ])('throws a DecodeError for %s', (_name, frame) => {
      expect(() => v2Serializer.decode(frame)).toThrow(DecodeError);
    });

    it.each([
      ['a number', 42],
      ['null', null],
      ['a Blob-like object', { size: 1 }],
    ])('throws a DecodeError, not a TypeError, for %s', (_name, frame) => {
      expect(() => v2Serializer.decode(frame as unknown as string)).toThrow(DecodeError);
    });

    it('keeps the SyntaxError as the cause of a JSON DecodeError', () => {
      try {
        v2Serializer.decode('[');
        expect.unreachable();
      } catch (error) {
        expect((error as DecodeError).cause).toBeInstanceOf(SyntaxError);
        expect((error as DecodeError).frame).toBe('[');
      }
    });
  });

  it('round-trips a JSON message', () => {
    const message = msg({ payload: { nested: [1, 'two', { three: true }] } });
    expect(v2Serializer.decode(v2Serializer.encode(message))).toEqual(message);
  });
});

describe('v2ViewSerializer', () => {
  it('speaks vsn 2.0.0 under its own name', () => {
    expect(v2ViewSerializer.name).toBe('v2-view');
    expect(v2ViewSerializer.vsn).toBe('2.0.0');
    expect(Object.isFrozen(v2ViewSerializer)).toBe(true);
  });

  it('encodes with the very encode of v2Serializer', () => {
    expect(v2ViewSerializer.encode).toBe(v2Serializer.encode);
  });

  it('decodes text frames exactly as v2Serializer', () => {
    const frame = '["3","4","room:1","phx_reply",{"status":"ok","response":{"n":1}}]';
    expect(v2ViewSerializer.decode(frame)).toEqual(v2Serializer.decode(frame));
  });

  it('decodes a binary broadcast as a Uint8Array view over the received ArrayBuffer', () => {
    const frame = buffer(2, 1, 1, 't', 'e', 7, 8);
    const message = v2ViewSerializer.decode(frame);
    expect(message).toMatchObject({ joinRef: null, ref: null, topic: 't', event: 'e' });
    const view = message.payload as Uint8Array;
    expect(view).toBeInstanceOf(Uint8Array);
    expect(view.buffer).toBe(frame);
    expect([view.byteOffset, view.byteLength]).toEqual([5, 2]);
    expect(Array.from(view)).toEqual([7, 8]);
  });

  it('decodes a binary reply response as a view', () => {
    const frame = buffer(1, 1, 1, 1, 2, '1', '2', 't', 'ok', 3, 4);
    const response = (v2ViewSerializer.decode(frame).payload as { response: Uint8Array }).response;
    expect(response.buffer).toBe(frame);
    expect(Array.from(response)).toEqual([3, 4]);
  });

  it('bounds the view to the payload when given a Buffer inside a larger allocation', () => {
    const outer = Buffer.from(bytes(9, 2, 1, 1, 't', 'e', 7, 9));
    const view = v2ViewSerializer.decode(outer.subarray(1, 7) as unknown as ArrayBuffer).payload as Uint8Array;
    expect(view.byteOffset).toBe(outer.byteOffset + 6);
    expect(view.byteLength).toBe(1);
    expect(Array.from(view)).toEqual([7]);
  });

  it.each([
    ['a binary frame with an unknown kind', buffer(5, 0, 0)],
    ['a truncated binary frame', buffer(1, 3, 3)],
    ['a binary frame whose lengths run past the end', buffer(2, 200, 200, 't')],
    ['an empty binary frame', new ArrayBuffer(0)],
    ['text that is not JSON', '{not json'],
  ])('throws a DecodeError for %s', (_name, frame) => {
    expect(() => v2ViewSerializer.decode(frame)).toThrow(DecodeError);
  });

  it('leaves v2Serializer handing out ArrayBuffer copies', () => {
    const frame = buffer(2, 1, 1, 't', 'e', 7, 8);
    const payload = v2Serializer.decode(frame).payload;
    expect(payload).toBeInstanceOf(ArrayBuffer);
    expect(payload).not.toBe(frame);
    expect((payload as ArrayBuffer).byteLength).toBe(2);
  });
});
