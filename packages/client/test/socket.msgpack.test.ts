/**
 * The msgpack serializer end to end: `@phx-socket/transport/msgpack` against the testkit's
 * `vsn=2.0.0-msgpack` codec, over a real WebSocket.
 */
import { createMsgpackSerializer, msgpackSerializer } from '@phx-socket/transport/msgpack';
import { describe, expect, it } from 'vitest';
import { connected, server, socket } from './helpers/harness';

async function binaryRooms() {
  const s = await server();
  s.channel('room:*', {
    join: () => ({ ok: { joined: true } }),
    afterJoin: (channel) => channel.push('welcome', { blob: new Uint8Array([7, 7]) }),
    handleIn: (event, payload, channel) => {
      if (event === 'describe') {
        const blob = (payload as { blob: unknown }).blob;
        return { reply: 'ok', response: { isBytes: blob instanceof Uint8Array, size: (blob as Uint8Array).byteLength } };
      }
      if (event === 'bytes') return { reply: 'ok', response: new Uint8Array([1, 2, 3, 4]) };
      if (event === 'shout') {
        channel.broadcast('shout', payload);
        return { reply: 'ok' };
      }
      return { reply: 'ok', response: payload };
    },
  });
  return s;
}

describe('msgpack serializer end to end', () => {
  it('connects with vsn 2.0.0-msgpack and joins', async () => {
    const s = await binaryRooms();
    const seen = s.waitFor('connection');
    const client = await connected(socket(s.url, { serializer: msgpackSerializer }));
    expect((await seen).vsn).toBe('2.0.0-msgpack');
    await expect(client.channel('room:1').join()).resolves.toEqual({ joined: true });
  });

  it('joins, pushes with replies, gets server pushes and broadcasts', async () => {
    const s = await binaryRooms();
    const a = await connected(socket(s.url, { serializer: msgpackSerializer }));
    const b = await connected(socket(s.url, { serializer: msgpackSerializer }));
    const ra = a.channel('room:1');
    const welcome = new Promise<unknown>((resolve) => ra.on('welcome', resolve));
    await ra.join();
    const rb = b.channel('room:1');
    await rb.join();
    await expect(ra.push('echo', { n: 1, text: 'héllo', list: [1, null, true] })).resolves.toEqual({ n: 1, text: 'héllo', list: [1, null, true] });
    const heard = new Promise((resolve) => rb.on('shout', resolve));
    await ra.push('shout', { body: 'hi' });
    await expect(heard).resolves.toEqual({ body: 'hi' });
    const { blob } = (await welcome) as { blob: Uint8Array };
    expect([...blob]).toEqual([7, 7]);
  });

  it('carries binary payloads inside msgpack both ways', async () => {
    const s = await binaryRooms();
    const client = await connected(socket(s.url, { serializer: msgpackSerializer }));
    const room = client.channel('room:1');
    await room.join();
    await expect(room.push('describe', { blob: new Uint8Array([1, 2, 3]) })).resolves.toEqual({ isBytes: true, size: 3 });
    const reply = (await room.push('bytes', {})) as ArrayBuffer;
    expect(reply).toBeInstanceOf(ArrayBuffer);
    expect([...new Uint8Array(reply)]).toEqual([1, 2, 3, 4]);
    const binaryBroadcast = new Promise<unknown>((resolve) => room.on('raw', resolve));
    s.broadcast('room:1', 'raw', new Uint8Array([9, 8]));
    const raw = (await binaryBroadcast) as ArrayBuffer;
    expect(raw).toBeInstanceOf(ArrayBuffer);
    expect([...new Uint8Array(raw)]).toEqual([9, 8]);
    const echoed = (await room.push('echo', new Uint8Array([5]).buffer)) as ArrayBuffer;
    expect([...new Uint8Array(echoed)]).toEqual([5]);
  });

  it('works with msgpackr records too (the testkit reads them)', async () => {
    const s = await binaryRooms();
    const client = await connected(socket(s.url, { serializer: createMsgpackSerializer({ useRecords: true }) }));
    const room = client.channel('room:1');
    await room.join();
    const entities = Array.from({ length: 20 }, (_, i) => ({ id: i, x: i, y: i * 2 }));
    await expect(room.push('echo', { entities })).resolves.toEqual({ entities });
  });
});
