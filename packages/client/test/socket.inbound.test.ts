import { describe, expect, it } from 'vitest';
import { DecodeError } from '../src/index';
import { connected, echoRooms, nextEvent, server, socket, until } from './helpers/harness';

/** A small seeded PRNG (mulberry32) so the fuzz run is the same every time. */
function prng(seed: number): () => number {
  let a = seed;
  return () => {
    a = (a + 0x6d2b79f5) | 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

function randomFrame(rand: () => number): string | Uint8Array {
  const pick = <T>(xs: readonly T[]): T => xs[Math.floor(rand() * xs.length)]!;
  switch (Math.floor(rand() * 6)) {
    case 0:
      return pick(['', '{', '[', 'null', '42', '"str"', '[1,2]', '{}', '[null,null,"t"]', 'not json']);
    case 1:
      return JSON.stringify([pick([null, '1', 7]), pick([null, '9']), pick(['room:1', 'room:x', 5]), pick(['e', 'phx_reply', null]), pick([{}, null, [], 'p'])]);
    case 2:
      return JSON.stringify(Array.from({ length: Math.floor(rand() * 8) }, () => rand()));
    case 3: {
      const bytes = new Uint8Array(Math.floor(rand() * 20));
      for (let i = 0; i < bytes.length; i++) bytes[i] = Math.floor(rand() * 256);
      return bytes;
    }
    case 4:
      return new Uint8Array([pick([0, 1, 2, 3, 255]), 200, 200, 200]);
    default:
      return String.fromCharCode(...Array.from({ length: Math.floor(rand() * 30) }, () => Math.floor(rand() * 0xffff)));
  }
}

describe('inbound frames', () => {
  it('turns a malformed frame into decode:error and onError, and keeps the socket up', async () => {
    const s = await server();
    echoRooms(s);
    const client = await connected(socket(s.url));
    const room = client.channel('room:1');
    await room.join();
    const errors: unknown[] = [];
    client.onError((e) => errors.push(e));
    const decodeError = nextEvent(client, 'decode:error');
    s.sendRaw('this is not json');
    const event = await decodeError;
    expect(event.metadata.error).toBeInstanceOf(DecodeError);
    expect(event.measurements.bytes).toBe('this is not json'.length);
    expect(errors[0]).toBeInstanceOf(DecodeError);

    const heard = new Promise((resolve) => room.on('after', resolve));
    s.broadcast('room:1', 'after', { ok: 1 });
    await expect(heard).resolves.toEqual({ ok: 1 });
    expect(client.isConnected()).toBe(true);
  });

  it('survives 10 000 random and malformed frames and keeps receiving', async () => {
    const s = await server();
    echoRooms(s);
    const client = await connected(socket(s.url));
    const room = client.channel('room:1');
    await room.join();
    let handlerErrors = 0;
    client.telemetry.on('handler:error', () => handlerErrors++);
    client.onError(() => {});
    const rand = prng(20240601);
    for (let i = 0; i < 10_000; i++) s.sendRaw(randomFrame(rand));
    const heard = new Promise((resolve) => room.on('still_here', resolve));
    s.broadcast('room:1', 'still_here', { yes: true });
    await expect(heard).resolves.toEqual({ yes: true });
    expect(client.isConnected()).toBe(true);
    expect(room.state).toBe('joined');
    expect(handlerErrors).toBe(0);
  });

  it('drops a message whose join_ref is stale and delivers the current one', async () => {
    const s = await server();
    echoRooms(s);
    const client = await connected(socket(s.url));
    const room = client.channel('room:1');
    await room.join();
    const joinRef = room.joinRef!;
    const got: unknown[] = [];
    room.on('evt', (p) => got.push(p));
    const dropped = nextEvent(client, 'message:dropped');
    s.sendRaw(JSON.stringify(['999999', null, 'room:1', 'evt', { stale: true }]));
    expect((await dropped).metadata).toEqual({ topic: 'room:1', event: 'evt', join_ref: '999999', reason: 'stale_join_ref' });
    s.sendRaw(JSON.stringify([joinRef, null, 'room:1', 'evt', { current: true }]));
    await until(() => got.length === 1);
    expect(got).toEqual([{ current: true }]);
  });

  it('drops a broadcast for a topic no channel has', async () => {
    const s = await server();
    const client = await connected(socket(s.url));
    const dropped = nextEvent(client, 'message:dropped');
    s.sendRaw(JSON.stringify([null, null, 'nobody:here', 'evt', {}]));
    expect((await dropped).metadata.reason).toBe('unknown_topic');
  });

  it('keeps dispatching to other handlers and callbacks when one throws', async () => {
    const s = await server();
    echoRooms(s);
    const client = await connected(socket(s.url));
    const room = client.channel('room:1');
    await room.join();
    const reported: string[] = [];
    client.telemetry.on('handler:error', (e) => reported.push(e.metadata.where));
    client.onMessage(() => {
      throw new Error('bad onMessage');
    });
    room.on('evt', () => {
      throw new Error('bad handler');
    });
    const second = new Promise((resolve) => room.on('evt', resolve));
    s.broadcast('room:1', 'evt', { n: 1 });
    await expect(second).resolves.toEqual({ n: 1 });
    await until(() => reported.length >= 2);
    expect(reported.some((w) => w.includes('onMessage'))).toBe(true);
    expect(client.isConnected()).toBe(true);
  });

  it('routes V1 frames (no join_ref) by topic', async () => {
    const s = await server();
    echoRooms(s);
    const client = await connected(socket(s.url, { vsn: '1.0.0' }));
    const room = client.channel('room:v1');
    await expect(room.join()).resolves.toEqual({ joined: true });
    await expect(room.push('echo', { v: 1 })).resolves.toEqual({ v: 1 });
    const heard = new Promise((resolve) => room.on('b', resolve));
    s.broadcast('room:v1', 'b', { x: 1 });
    await expect(heard).resolves.toEqual({ x: 1 });
  });
});
