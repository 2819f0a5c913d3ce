import { describe, expect, it } from 'vitest';
import { codecFor } from '../src/codec';
import { decodeClientFrame, decodeServerFrame, encodeClientPush, encodeServerBroadcast, encodeServerPush, encodeServerReply } from '../src/codec-binary';
import { codecV1 } from '../src/codec-v1';
import { codecV2 } from '../src/codec-v2';
import { FieldTooLongError } from '../src/errors';

const bytes = (...values: number[]) => new Uint8Array(values);

describe('codecFor', () => {
  it.each([
    [undefined, '1.0.0'],
    [null, '1.0.0'],
    ['1.0.0', '1.0.0'],
    ['1.0.7', '1.0.0'],
    ['2.0.0', '2.0.0'],
    ['2.0.3', '2.0.0'],
  ])('picks the serializer for vsn %s as %s', (vsn, expected) => {
    expect(codecFor(vsn)?.vsn).toBe(expected);
  });

  it.each(['3.0.0', '2.1.0', '2', 'abc', ''])('refuses vsn %j', (vsn) => {
    expect(codecFor(vsn)).toBeUndefined();
  });
});

describe('V2 codec', () => {
  it('encodes messages, replies and broadcasts as arrays', () => {
    expect(codecV2.encodeMessage({ joinRef: '1', ref: null, topic: 't', event: 'e', payload: { a: 1 } })).toBe('["1",null,"t","e",{"a":1}]');
    expect(codecV2.encodeReply({ joinRef: '1', ref: '2', topic: 't', status: 'ok', response: {} })).toBe(
      '["1","2","t","phx_reply",{"status":"ok","response":{}}]',
    );
    expect(codecV2.encodeBroadcast({ topic: 't', event: 'e', payload: 1 })).toBe('[null,null,"t","e",1]');
  });

  it('decodes refs given as numbers into strings', () => {
    expect(codecV2.decode('[1,2,"t","e",{}]')).toMatchObject({ joinRef: '1', ref: '2' });
  });

  it('encodes binary payloads as binary frames', () => {
    expect(codecV2.encodeMessage({ joinRef: '1', ref: null, topic: 't', event: 'e', payload: bytes(5) })).toEqual(
      encodeServerPush('1', 't', 'e', bytes(5)),
    );
    expect(codecV2.encodeReply({ joinRef: '1', ref: '2', topic: 't', status: 'ok', response: new DataView(bytes(5).buffer) })).toEqual(
      encodeServerReply('1', '2', 't', 'ok', bytes(5)),
    );
  });
});

describe('V1 codec', () => {
  it('encodes replies as {topic, event: phx_reply, payload: {status, response}, ref}', () => {
    expect(JSON.parse(codecV1.encodeReply({ joinRef: '1', ref: '2', topic: 't', status: 'error', response: { r: 1 } }) as string)).toEqual({
      topic: 't',
      event: 'phx_reply',
      payload: { status: 'error', response: { r: 1 } },
      ref: '2',
    });
  });

  it('refuses binary payloads with PHX_TESTKIT_BINARY_UNSUPPORTED', () => {
    expect(() => codecV1.encodeBroadcast({ topic: 't', event: 'e', payload: bytes(1) })).toThrow(
      expect.objectContaining({ code: 'PHX_TESTKIT_BINARY_UNSUPPORTED' }),
    );
  });
});

describe('binary frames', () => {
  it('lays out a server push as kind 0, join_ref_len, topic_len, event_len, strings, payload', () => {
    expect([...encodeServerPush('12', 'ab', 'xyz', bytes(9))]).toEqual([0, 2, 2, 3, 49, 50, 97, 98, 120, 121, 122, 9]);
  });

  it('lays out a reply as kind 1, join_ref_len, ref_len, topic_len, status_len', () => {
    expect([...encodeServerReply('1', '2', 't', 'ok', bytes())]).toEqual([1, 1, 1, 1, 2, 49, 50, 116, 111, 107]);
  });

  it('lays out a broadcast as kind 2, topic_len, event_len', () => {
    expect([...encodeServerBroadcast('t', 'e', bytes(1, 2))]).toEqual([2, 1, 1, 116, 101, 1, 2]);
  });

  it('round-trips a client push and server frames', () => {
    const push = decodeClientFrame(encodeClientPush('3', '4', 'room:ü', 'ev', bytes(1, 2, 3)));
    expect(push).toMatchObject({ joinRef: '3', ref: '4', topic: 'room:ü', event: 'ev', binary: true });
    expect([...(push.payload as Uint8Array)]).toEqual([1, 2, 3]);
    expect(decodeServerFrame(encodeServerReply('1', '2', 't', 'error', bytes(7)))).toMatchObject({ kind: 'reply', status: 'error' });
    expect(decodeServerFrame(encodeServerBroadcast('t', 'e', bytes()))).toMatchObject({ kind: 'broadcast', topic: 't', event: 'e' });
  });

  it('refuses strings longer than 255 UTF-8 bytes', () => {
    expect(() => encodeServerBroadcast('x'.repeat(256), 'e', bytes())).toThrow(FieldTooLongError);
  });
});
