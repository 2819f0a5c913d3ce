import { describe, expect, it } from 'vitest';
import { decodeBinaryFrame, encodeBinaryPush, MAX_BINARY_HEADER_BYTES } from '../src/binary-frame';
import { DecodeError, EncodeError } from '../src/errors';
import { buffer, bytes, toArray, utf8Length } from './helpers/bytes';

const decode = (frame: Uint8Array) => decodeBinaryFrame(frame, frame.slice().buffer);

describe('encodeBinaryPush', () => {
  it.each([
    {
      name: 'writes kind 0, four lengths, the four strings and then the payload',
      message: { joinRef: '1', ref: '22', topic: 'room:1', event: 'up', payload: Uint8Array.of(9, 8, 7) },
      expected: bytes(0, 1, 2, 6, 2, '1', '22', 'room:1', 'up', 9, 8, 7),
    },
    {
      name: 'writes null refs as empty strings',
      message: { joinRef: null, ref: null, topic: 't', event: 'e', payload: Uint8Array.of(1) },
      expected: bytes(0, 0, 0, 1, 1, 't', 'e', 1),
    },
    {
      name: 'counts multibyte topics and events in UTF-8 bytes, not UTF-16 units',
      message: { joinRef: '1', ref: '2', topic: 'salle:été', event: '🎉', payload: new ArrayBuffer(0) },
      expected: bytes(0, 1, 1, utf8Length('salle:été'), 4, '1', '2', 'salle:été', '🎉'),
    },
    {
      name: 'copies only the viewed window of a typed array payload',
      message: { joinRef: '1', ref: '2', topic: 't', event: 'e', payload: Uint8Array.of(0, 5, 6, 0).subarray(1, 3) },
      expected: bytes(0, 1, 1, 1, 1, '1', '2', 't', 'e', 5, 6),
    },
    {
      name: 'writes a DataView payload as its bytes',
      message: { joinRef: '1', ref: '2', topic: 't', event: 'e', payload: new DataView(buffer(3, 4, 5), 1, 2) },
      expected: bytes(0, 1, 1, 1, 1, '1', '2', 't', 'e', 4, 5),
    },
  ])('$name', ({ message, expected }) => {
    expect(toArray(encodeBinaryPush(message))).toEqual(Array.from(expected));
  });

  it('returns an ArrayBuffer of exactly the frame size', () => {
    const frame = encodeBinaryPush({ joinRef: '1', ref: '2', topic: 't', event: 'e', payload: Uint8Array.of(1, 2) });
    expect(frame).toBeInstanceOf(ArrayBuffer);
    expect(frame.byteLength).toBe(5 + 4 + 2);
  });

  it.each([
    ['join_ref', { joinRef: 'j'.repeat(256), ref: '1', topic: 't', event: 'e' }],
    ['ref', { joinRef: '1', ref: 'r'.repeat(256), topic: 't', event: 'e' }],
    ['topic', { joinRef: '1', ref: '1', topic: 't'.repeat(256), event: 'e' }],
    ['event', { joinRef: '1', ref: '1', topic: 't', event: 'é'.repeat(128) }],
  ])('rejects a %s over 255 UTF-8 bytes with an EncodeError naming it', (field, headers) => {
    const attempt = () => encodeBinaryPush({ ...headers, payload: new ArrayBuffer(1) });
    expect(attempt).toThrow(EncodeError);
    expect(attempt).toThrow(field);
  });

  it('accepts header strings of exactly 255 bytes', () => {
    const topic = 't'.repeat(MAX_BINARY_HEADER_BYTES);
    const frame = new Uint8Array(encodeBinaryPush({ joinRef: '', ref: '', topic, event: 'e', payload: new ArrayBuffer(0) }));
    expect(frame[3]).toBe(255);
    expect(frame.byteLength).toBe(5 + 255 + 1);
  });
});

describe('decodeBinaryFrame', () => {
  it.each([
    {
      name: 'reads a server push (kind 0) with join_ref, topic and event but no ref',
      frame: bytes(0, 2, 6, 5, '12', 'room:1', 'image', 1, 2, 3),
      expected: { joinRef: '12', ref: null, topic: 'room:1', event: 'image' },
      payload: [1, 2, 3],
    },
    {
      name: 'reads an empty join_ref in a push as null',
      frame: bytes(0, 0, 1, 1, 't', 'e', 7),
      expected: { joinRef: null, ref: null, topic: 't', event: 'e' },
      payload: [7],
    },
    {
      name: 'reads a broadcast (kind 2) with null refs',
      frame: bytes(2, 6, 3, 'room:1', 'evt', 4, 5),
      expected: { joinRef: null, ref: null, topic: 'room:1', event: 'evt' },
      payload: [4, 5],
    },
    {
      name: 'reads multibyte UTF-8 topics and events',
      frame: bytes(2, utf8Length('чат:лобби'), utf8Length('新消息'), 'чат:лобби', '新消息', 1),
      expected: { joinRef: null, ref: null, topic: 'чат:лобби', event: '新消息' },
      payload: [1],
    },
    {
      name: 'reads an empty payload as an empty ArrayBuffer',
      frame: bytes(2, 1, 1, 't', 'e'),
      expected: { joinRef: null, ref: null, topic: 't', event: 'e' },
      payload: [],
    },
  ])('$name', ({ frame, expected, payload }) => {
    const message = decode(frame);
    expect(message).toMatchObject(expected);
    expect(message.payload).toBeInstanceOf(ArrayBuffer);
    expect(toArray(message.payload)).toEqual(payload);
  });

  it('reads a reply (kind 1) as phx_reply with the status and an ArrayBuffer response', () => {
    const message = decode(bytes(1, 1, 2, 4, 2, '3', '17', 'r:42', 'ok', 0xff, 0x00));
    expect(message).toMatchObject({ joinRef: '3', ref: '17', topic: 'r:42', event: 'phx_reply' });
    const payload = message.payload as { status: string; response: ArrayBuffer };
    expect(payload.status).toBe('ok');
    expect(payload.response).toBeInstanceOf(ArrayBuffer);
    expect(toArray(payload.response)).toEqual([0xff, 0x00]);
  });

  it('gives a payload that is a copy, independent of the frame bytes', () => {
    const frame = bytes(2, 1, 1, 't', 'e', 1, 2);
    const payload = decode(frame).payload as ArrayBuffer;
    frame[5] = 99;
    expect(payload.byteLength).toBe(2);
    expect(toArray(payload)).toEqual([1, 2]);
  });

  it('reads a frame that is a window into a larger buffer', () => {
    const outer = bytes(9, 9, 2, 1, 1, 't', 'e', 5, 9);
    const message = decode(outer.subarray(2, 8));
    expect(message.topic).toBe('t');
    expect(toArray(message.payload)).toEqual([5]);
  });

  it.each([
    ['an empty frame', bytes(), 'empty'],
    ['an unknown kind byte', bytes(3, 1, 1, 't', 'e'), 'unknown kind byte 3'],
    ['a push cut inside its lengths', bytes(0, 1), 'header length'],
    ['a reply cut inside its lengths', bytes(1, 1, 1, 1), 'header length'],
    ['a broadcast with no lengths', bytes(2), 'header length'],
    ['a topic length past the end', bytes(2, 10, 1, 't', 'e'), 'topic'],
    ['an event length past the end', bytes(2, 1, 5, 't', 'e'), 'event'],
    ['a reply status past the end', bytes(1, 1, 1, 1, 9, '1', '2', 't', 'o'), 'status'],
    ['a join_ref past the end', bytes(0, 200, 1, 1, '1'), 'join_ref'],
    ['invalid UTF-8 in the topic', bytes(2, 2, 1, 0xc3, 0x28, 'e'), 'UTF-8'],
  ])('rejects %s with a DecodeError', (_name, frame, reason) => {
    const attempt = () => decode(frame);
    expect(attempt).toThrow(DecodeError);
    expect(attempt).toThrow(reason);
  });

  it('gives the DecodeError a copy of just the viewed bytes when no ArrayBuffer is passed', () => {
    const outer = bytes(1, 2, 9, 3);
    try {
      decodeBinaryFrame(outer.subarray(2, 4));
      expect.unreachable();
    } catch (error) {
      expect(toArray((error as DecodeError).frame)).toEqual([9, 3]);
    }
  });

  it('keeps the failing frame on the DecodeError', () => {
    const frame = buffer(7);
    try {
      decodeBinaryFrame(new Uint8Array(frame), frame);
      expect.unreachable();
    } catch (error) {
      expect(error).toBeInstanceOf(DecodeError);
      expect((error as DecodeError).code).toBe('decode_error');
      expect((error as DecodeError).frame).toBe(frame);
    }
  });
});

describe("decodeBinaryFrame with payloadType 'view'", () => {
  const decodeView = (frame: ArrayBuffer) => decodeBinaryFrame(new Uint8Array(frame), frame, 'view');

  it.each([
    { kind: 'push (kind 0)', frame: buffer(0, 2, 6, 5, '12', 'room:1', 'image', 1, 2, 3), headerBytes: 1 + 3 + 13, payload: [1, 2, 3] },
    { kind: 'broadcast (kind 2)', frame: buffer(2, 6, 3, 'room:1', 'evt', 0, 255, 128), headerBytes: 1 + 2 + 9, payload: [0, 255, 128] },
  ])('gives a $kind payload as a Uint8Array over the frame itself, bounded to the payload', ({ frame, headerBytes, payload }) => {
    const view = decodeView(frame).payload as Uint8Array;
    expect(view.constructor).toBe(Uint8Array);
    expect(view.buffer).toBe(frame);
    expect(view.byteOffset).toBe(headerBytes);
    expect(view.byteLength).toBe(frame.byteLength - headerBytes);
    expect(Array.from(view)).toEqual(payload);
  });

  it('gives a reply (kind 1) response as a view, with the status and refs as usual', () => {
    const frame = buffer(1, 1, 2, 4, 2, '3', '17', 'r:42', 'ok', 0xff, 0x00);
    const message = decodeView(frame);
    expect(message).toMatchObject({ joinRef: '3', ref: '17', topic: 'r:42', event: 'phx_reply', payload: { status: 'ok' } });
    const response = (message.payload as { response: Uint8Array }).response;
    expect(response).toBeInstanceOf(Uint8Array);
    expect(response.buffer).toBe(frame);
    expect(response.byteOffset).toBe(1 + 4 + 9);
    expect(Array.from(response)).toEqual([0xff, 0x00]);
  });

  it('shares memory with the frame: no copy is made', () => {
    const frame = buffer(2, 1, 1, 't', 'e', 1, 2);
    const view = decodeView(frame).payload as Uint8Array;
    new Uint8Array(frame)[5] = 99;
    expect(Array.from(view)).toEqual([99, 2]);
  });

  it('reads an empty payload as an empty view at the end of the frame', () => {
    const frame = buffer(2, 1, 1, 't', 'e');
    const view = decodeView(frame).payload as Uint8Array;
    expect(view.byteLength).toBe(0);
    expect(view.byteOffset).toBe(frame.byteLength);
  });

  it('bounds the view to the payload when the frame is a window into a larger buffer (a pooled Buffer)', () => {
    const pool = Buffer.from(bytes(9, 9, 2, 1, 1, 't', 'e', 5, 6, 9, 9));
    const window = pool.subarray(2, 9); // the frame: 2, 1, 1, t, e, 5, 6
    const view = decodeBinaryFrame(window, undefined, 'view').payload as Uint8Array;
    expect(view.constructor).toBe(Uint8Array); // not a Buffer
    expect(view.buffer).toBe(pool.buffer);
    expect(view.byteOffset).toBe(pool.byteOffset + 7);
    expect(view.byteLength).toBe(2);
    expect(Array.from(view)).toEqual([5, 6]);
  });

  it.each([
    ['an empty frame', bytes(), 'empty'],
    ['an unknown kind byte', bytes(3, 1, 1, 't', 'e'), 'unknown kind byte 3'],
    ['a push cut inside its lengths', bytes(0, 1), 'header length'],
    ['a reply cut inside its lengths', bytes(1, 1, 1, 1), 'header length'],
    ['a topic length past the end', bytes(2, 10, 1, 't', 'e'), 'topic'],
    ['a reply status past the end', bytes(1, 1, 1, 1, 9, '1', '2', 't', 'o'), 'status'],
    ['invalid UTF-8 in the topic', bytes(2, 2, 1, 0xc3, 0x28, 'e'), 'UTF-8'],
  ])('still rejects %s with a DecodeError', (_name, frame, reason) => {
    const attempt = () => decodeView(frame.slice().buffer);
    expect(attempt).toThrow(DecodeError);
    expect(attempt).toThrow(reason);
  });

  it("keeps 'arraybuffer' the default", () => {
    const frame = buffer(2, 1, 1, 't', 'e', 1);
    expect(decodeBinaryFrame(new Uint8Array(frame), frame).payload).toBeInstanceOf(ArrayBuffer);
    expect(decodeBinaryFrame(new Uint8Array(frame), frame, 'arraybuffer').payload).toBeInstanceOf(ArrayBuffer);
  });
});
