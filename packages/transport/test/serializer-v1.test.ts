import { describe, expect, it } from 'vitest';
import { DecodeError, EncodeError } from '../src/errors';
import type { Message } from '../src/message';
import { v1Serializer } from '../src/serializer-v1';
import { buffer } from './helpers/bytes';

const msg = (overrides: Partial<Message> = {}): Message => ({
  joinRef: '1',
  ref: '2',
  topic: 'room:lobby',
  event: 'new_msg',
  payload: { body: 'hi' },
  ...overrides,
});

describe('v1Serializer', () => {
  it('identifies itself as v1 speaking vsn 1.0.0', () => {
    expect(v1Serializer.name).toBe('v1');
    expect(v1Serializer.vsn).toBe('1.0.0');
  });

  describe('encode', () => {
    it.each([
      ['a push with its join_ref', msg(), { topic: 'room:lobby', event: 'new_msg', payload: { body: 'hi' }, ref: '2', join_ref: '1' }],
      ['a heartbeat without join_ref', msg({ joinRef: null, topic: 'phoenix', event: 'heartbeat', payload: {} }), { topic: 'phoenix', event: 'heartbeat', payload: {}, ref: '2' }],
      ['a null ref as an explicit null', msg({ joinRef: null, ref: null }), { topic: 'room:lobby', event: 'new_msg', payload: { body: 'hi' }, ref: null }],
    ])('writes %s as a JSON object', (_name, message, expected) => {
      const frame = v1Serializer.encode(message);
      expect(typeof frame).toBe('string');
      expect(JSON.parse(frame as string)).toStrictEqual(expected);
    });

    it('always writes the ref and payload keys the server requires', () => {
      const frame = v1Serializer.encode(msg({ ref: null, payload: null })) as string;
      expect(frame).toContain('"ref":null');
      expect(frame).toContain('"payload":null');
    });

    it.each([
      ['an ArrayBuffer', new ArrayBuffer(1)],
      ['a Uint8Array', new Uint8Array(1)],
    ])('refuses %s payload with an EncodeError pointing to v2', (_name, payload) => {
      expect(() => v1Serializer.encode(msg({ payload }))).toThrow(/v2Serializer/);
      expect(() => v1Serializer.encode(msg({ payload }))).toThrow(EncodeError);
    });

    it('throws an EncodeError for a cyclic payload', () => {
      const payload: Record<string, unknown> = {};
      payload.self = payload;
      expect(() => v1Serializer.encode(msg({ payload }))).toThrow(EncodeError);
    });
  });

  describe('decode', () => {
    it.each([
      ['a broadcast', '{"topic":"room:1","event":"e","payload":{"a":1},"ref":null}', { joinRef: null, ref: null, topic: 'room:1', event: 'e', payload: { a: 1 } }],
      [
        'a reply',
        '{"topic":"room:1","event":"phx_reply","payload":{"status":"ok","response":{}},"ref":"7"}',
        { joinRef: null, ref: '7', topic: 'room:1', event: 'phx_reply', payload: { status: 'ok', response: {} } },
      ],
      ['a frame that does carry a join_ref', '{"topic":"t","event":"e","payload":{},"ref":"2","join_ref":"1"}', { joinRef: '1', ref: '2', topic: 't', event: 'e', payload: {} }],
      ['a frame without a ref key', '{"topic":"t","event":"e","payload":{}}', { joinRef: null, ref: null, topic: 't', event: 'e', payload: {} }],
      ['a multibyte topic', '{"topic":"部屋:1","event":"e","payload":{},"ref":null}', { joinRef: null, ref: null, topic: '部屋:1', event: 'e', payload: {} }],
    ])('reads %s', (_name, frame, expected) => {
      expect(v1Serializer.decode(frame)).toEqual(expected);
    });

    it.each([
      ['text that is not JSON', 'nope'],
      ['a V2 array', '[null,null,"t","e",{}]'],
      ['JSON null', 'null'],
      ['a JSON string', '"hello"'],
      ['an object without payload', '{"topic":"t","event":"e","ref":null}'],
      ['a numeric topic', '{"topic":1,"event":"e","payload":{},"ref":null}'],
      ['a missing event', '{"topic":"t","payload":{},"ref":null}'],
      ['a numeric ref', '{"topic":"t","event":"e","payload":{},"ref":3}'],
      ['a phx_reply without status', '{"topic":"t","event":"phx_reply","payload":{},"ref":"1"}'],
      ['a binary frame', buffer(2, 1, 1, 't', 'e')],
      ['a Uint8Array frame', new Uint8Array(3)],
      ['a number', 5],
    ])('throws a DecodeError for %s', (_name, frame) => {
      expect(() => v1Serializer.decode(frame as string)).toThrow(DecodeError);
    });
  });

  it('round-trips a message, join_ref included', () => {
    const decoded = v1Serializer.decode(v1Serializer.encode(msg()));
    expect(decoded).toEqual(msg());
  });
});
