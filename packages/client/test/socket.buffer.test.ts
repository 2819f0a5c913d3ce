import { describe, expect, it } from 'vitest';
import { BufferOverflowError, type Push } from '../src/index';
import { connected, echoRooms, nextEvent, server, socket, until } from './helpers/harness';

async function joinedThenDown(options: Parameters<typeof socket>[1]) {
  const s = await server();
  echoRooms(s);
  const client = await connected(socket(s.url, { reconnectAfterMs: () => 60_000, ...options }));
  const room = client.channel('room:buf');
  await room.join();
  const down = nextEvent(client, 'socket:disconnected');
  await s.dropAll();
  await down;
  return { s, client, room };
}

describe('send buffers while offline', () => {
  it("'reject' refuses the push that does not fit with a typed BufferOverflowError", async () => {
    const { client, room } = await joinedThenDown({ sendBufferLimit: 2, overflowPolicy: 'reject' });
    const overflow = nextEvent(client, 'buffer:overflow');
    room.push('msg', { n: 1 });
    room.push('msg', { n: 2 });
    const third = room.push('msg', { n: 3 });
    const error = await third.then(() => null, (e: unknown) => e);
    expect(error).toBeInstanceOf(BufferOverflowError);
    expect(error).toMatchObject({ code: 'buffer_overflow', limit: 2, event: 'msg' });
    expect(await overflow).toMatchObject({ measurements: { limit: 2 }, metadata: { topic: 'room:buf', event: 'msg', policy: 'reject' } });
  });

  it("'drop-oldest' fails the oldest push and keeps the newest ones, delivered after rejoin", async () => {
    const { s, client, room } = await joinedThenDown({ sendBufferLimit: 2, overflowPolicy: 'drop-oldest' });
    const pushes: Push[] = [1, 2, 3].map((n) => room.push('msg', { n }));
    const first = await pushes[0]!.then(() => null, (e: unknown) => e);
    expect(first).toBeInstanceOf(BufferOverflowError);
    const got: number[] = [];
    s.on('message', ({ message }) => message.event === 'msg' && got.push((message.payload as { n: number }).n));
    client.connect();
    await Promise.all(pushes.slice(1));
    expect(got).toEqual([2, 3]);
  });

  it("socket.push throws BufferOverflowError under 'reject' while the transport is down", async () => {
    const s = await server();
    const client = socket(s.url, { sendBufferLimit: 1, overflowPolicy: 'reject' });
    client.push({ topic: 'phoenix', event: 'heartbeat', payload: {}, ref: client.makeRef() });
    expect(() => client.push({ topic: 'phoenix', event: 'heartbeat', payload: {}, ref: client.makeRef() })).toThrow(BufferOverflowError);
  });

  it('socket.push frames buffered before connect are flushed in order once open', async () => {
    const s = await server();
    const client = socket(s.url, { sendBufferLimit: 2 });
    const overflow = nextEvent(client, 'buffer:overflow');
    for (const ref of ['a', 'b', 'c']) client.push({ topic: 'phoenix', event: 'heartbeat', payload: {}, ref });
    expect((await overflow).metadata.policy).toBe('drop-oldest');
    const refs: string[] = [];
    s.on('message', ({ message }) => message.topic === 'phoenix' && refs.push(String(message.ref)));
    client.connect();
    await until(() => refs.length >= 2);
    expect(refs.slice(0, 2)).toEqual(['b', 'c']);
  });
});
