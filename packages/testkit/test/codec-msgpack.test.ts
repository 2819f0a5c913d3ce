import { pack, unpack } from 'msgpackr';
import { describe, expect, it } from 'vitest';
import { codecFor } from '../src/codec';
import { codecMsgpack } from '../src/codec-msgpack';
import { MalformedFrameError } from '../src/errors';

const decoded = (data: string | Uint8Array): unknown => unpack(data as Uint8Array);

describe('msgpack codec', () => {
  it('is picked for exactly vsn 2.0.0-msgpack', () => {
    expect(codecFor('2.0.0-msgpack')).toBe(codecMsgpack);
    expect(codecFor('2.0.0')?.vsn).toBe('2.0.0');
  });

  it('encodes messages, replies and broadcasts as binary MessagePack arrays', () => {
    expect(decoded(codecMsgpack.encodeMessage({ joinRef: '1', ref: null, topic: 't', event: 'e', payload: { a: 1 } }))).toEqual(['1', null, 't', 'e', { a: 1 }]);
    expect(decoded(codecMsgpack.encodeReply({ joinRef: '1', ref: '2', topic: 't', status: 'ok', response: {} }))).toEqual(['1', '2', 't', 'phx_reply', { status: 'ok', response: {} }]);
    expect(decoded(codecMsgpack.encodeBroadcast({ topic: 't', event: 'e', payload: [1] }))).toEqual([null, null, 't', 'e', [1]]);
  });

  it('sends binary payloads as bin, whatever view they come in', () => {
    const frame = codecMsgpack.encodeBroadcast({ topic: 't', event: 'e', payload: new Uint16Array([0x0201]) });
    expect([...(decoded(frame) as [null, null, string, string, Uint8Array])[4]]).toEqual([1, 2]);
  });

  it('returns a frame that stays valid after the next encode', () => {
    const first = codecMsgpack.encodeBroadcast({ topic: 'a', event: 'e', payload: 1 });
    const copy = Uint8Array.from(first as Uint8Array);
    codecMsgpack.encodeBroadcast({ topic: 'b', event: 'x', payload: 2 });
    expect(first).toEqual(copy);
  });

  it('decodes a client frame and flags a bin payload as binary', () => {
    expect(codecMsgpack.decode(pack(['1', '2', 't', 'e', { n: 1 }]))).toEqual({ joinRef: '1', ref: '2', topic: 't', event: 'e', payload: { n: 1 }, binary: false });
    expect(codecMsgpack.decode(pack(['1', '2', 't', 'e', Buffer.from([7])]))).toMatchObject({ binary: true });
  });

  it.each([
    ['a text frame', '["1","2","t","e",{}]'],
    ['bytes that are not MessagePack', new Uint8Array([0x92, 0x01])],
    ['a map instead of an array', pack({ topic: 't' })],
    ['an array of four', pack(['1', '2', 't', 'e'])],
    ['a numeric topic', pack(['1', '2', 3, 'e', {}])],
  ])('rejects %s as malformed', (_what, frame) => {
    expect(() => codecMsgpack.decode(frame)).toThrow(MalformedFrameError);
  });
});
