import { describe, expect, it } from 'vitest';
import { DecodeError, EncodeError, jsonSerializer, v2Serializer, type Message } from '../../src/lite/index';
import { connected, echoRooms, nextError, received, rejection, server, sleep, socket, until, echoClient } from './harness';

const message: Message = { joinRef: '1', ref: '2', topic: 'room:1', event: 'msg', payload: { body: 'hi' } };

describe('lite jsonSerializer: encoding and decoding', () => {
  it('is the V2 JSON text format, vsn 2.0.0', () => {
    expect(jsonSerializer).toMatchObject({ name: 'json', vsn: '2.0.0' });
    expect(Object.isFrozen(jsonSerializer)).toBe(true);
  });

  it('encodes a message as [join_ref, ref, topic, event, payload], exactly as v2Serializer does', () => {
    expect(jsonSerializer.encode(message)).toBe('["1","2","room:1","msg",{"body":"hi"}]');
    expect(jsonSerializer.encode({ ...message, joinRef: null, ref: null })).toBe(v2Serializer.encode({ ...message, joinRef: null, ref: null }));
  });

  it('decodes what it encodes', () => {
    expect(jsonSerializer.decode(jsonSerializer.encode(message))).toEqual(message);
    expect(jsonSerializer.decode('[null,null,"room:1","shout",null]')).toEqual({ joinRef: null, ref: null, topic: 'room:1', event: 'shout', payload: null });
  });

  it.each([
    ['text that is not JSON', 'not json'],
    ['an empty frame', ''],
    ['JSON that is not an array', '{"topic":"room:1"}'],
    ['an array of four', '[null,null,"room:1","e"]'],
    ['an array of six', '[null,null,"room:1","e",{},1]'],
    ['a numeric join_ref', '[1,null,"room:1","e",{}]'],
    ['a numeric ref', '[null,2,"room:1","e",{}]'],
    ['a non-string topic', '[null,null,null,"e",{}]'],
    ['a non-string event', '[null,null,"room:1",7,{}]'],
  ])('throws DecodeError holding the frame for %s', (_what, frame) => {
    let error: unknown;
    try {
      jsonSerializer.decode(frame);
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(DecodeError);
    expect(error).toMatchObject({ code: 'decode_error', frame });
  });

  it('throws DecodeError pointing at v2Serializer for a binary frame', () => {
    const frame = new Uint8Array([0, 1, 2]).buffer;
    expect(() => jsonSerializer.decode(frame)).toThrow(DecodeError);
    expect(() => jsonSerializer.decode(frame)).toThrow(/v2Serializer/);
  });

  it('throws EncodeError for a payload JSON cannot hold', () => {
    const cyclic: Record<string, unknown> = {};
    cyclic.self = cyclic;
    expect(() => jsonSerializer.encode({ ...message, payload: cyclic })).toThrow(EncodeError);
    expect(() => jsonSerializer.encode({ ...message, payload: { n: 1n } })).toThrow(EncodeError);
  });

  it('throws EncodeError pointing at v2Serializer for a binary payload instead of sending it as {}', () => {
    for (const payload of [new ArrayBuffer(3), new Uint8Array([1, 2, 3]), new DataView(new ArrayBuffer(2))]) {
      expect(() => jsonSerializer.encode({ ...message, payload })).toThrow(EncodeError);
      expect(() => jsonSerializer.encode({ ...message, payload })).toThrow(/v2Serializer/);
    }
  });
});

describe('lite jsonSerializer: the default serializer on a real socket', () => {
  it('speaks JSON text frames with the server by default', async () => {
    const { s, client } = await echoClient();
    expect(s.connections[0]!.vsn).toBe('2.0.0');
    const room = client.channel('room:1');
    await room.join();
    expect(await room.push('echo', { text: 'héllo', list: [1, null, true] })).toEqual({ text: 'héllo', list: [1, null, true] });
  });

  it('reports a binary broadcast to onError as DecodeError and keeps the connection delivering', async () => {
    const { s, client } = await echoClient();
    const room = client.channel('room:1');
    await room.join();
    const heard: unknown[] = [];
    room.on('data', (p) => heard.push(p));
    const error = nextError(client);
    s.broadcast('room:1', 'data', new Uint8Array([1, 2, 3]));
    expect(await error).toBeInstanceOf(DecodeError);
    s.broadcast('room:1', 'data', { text: true });
    await until(() => heard.length === 1);
    expect(heard).toEqual([{ text: true }]);
    expect(client.isConnected()).toBe(true);
  });

  it('rejects a binary push with EncodeError and sends nothing, and the channel keeps working', async () => {
    const s = await server();
    echoRooms(s);
    const events = received(s, 'room:1');
    const client = await connected(socket(s.url));
    const room = client.channel('room:1');
    await room.join();
    const error = await rejection(room.push('echo', new Uint8Array([1, 2, 3])));
    expect(error).toBeInstanceOf(EncodeError);
    expect(error).toMatchObject({ code: 'encode_error' });
    expect(await room.push('echo', { n: 1 })).toEqual({ n: 1 });
    await sleep(20);
    expect(events).toEqual(['phx_join', 'echo']);
    expect(client.isConnected()).toBe(true);
  });
});

describe('lite Socket with serializer: v2Serializer', () => {
  it('pushes binary payloads as binary frames and gets binary replies byte-exact', async () => {
    const s = await server();
    echoRooms(s);
    const client = await connected(socket(s.url, { serializer: v2Serializer }));
    const room = client.channel('room:1');
    await room.join();
    const reply = await room.push('echo', new Uint8Array([0, 1, 2, 250, 255]));
    expect(reply).toBeInstanceOf(ArrayBuffer);
    expect([...new Uint8Array(reply as ArrayBuffer)]).toEqual([0, 1, 2, 250, 255]);
    expect(await room.push('echo', { json: 'still' })).toEqual({ json: 'still' });
  });

  it('receives binary broadcasts and server pushes as ArrayBuffer', async () => {
    const s = await server();
    s.channel('room:*', {
      join: () => ({ ok: {} }),
      handleIn: (_event, payload, channel) => {
        channel.push('bytes', payload);
        return { noreply: true };
      },
    });
    const client = await connected(socket(s.url, { serializer: v2Serializer }));
    const room = client.channel('room:1');
    await room.join();
    const heard: ArrayBuffer[] = [];
    room.on('data', (p) => heard.push(p as ArrayBuffer));
    room.on('bytes', (p) => heard.push(p as ArrayBuffer));
    s.broadcast('room:1', 'data', new Uint8Array([9, 8, 7]));
    room.push('poke', new Uint8Array([4, 5]).buffer);
    await until(() => heard.length === 2);
    expect(heard.map((b) => [...new Uint8Array(b)])).toEqual([
      [9, 8, 7],
      [4, 5],
    ]);
  });
});
