/**
 * Binary payloads over a real socket: every ArrayBuffer or ArrayBufferView goes out as a V2 binary push
 * (kind 0) carrying exactly its own bytes — views into a larger buffer included — and binary replies
 * (kind 1), server pushes (kind 0) and broadcasts (kind 2) come back as ArrayBuffers, byte-exact; with
 * `serializer: v2ViewSerializer` they come back as Uint8Array views over the received frame instead.
 */
import { describe, expect, it } from 'vitest';
import { v2ViewSerializer } from '../src/index';
import { connected, server, socket, until } from './helpers/harness';

const bytesOf = (buffer: ArrayBuffer): number[] => [...new Uint8Array(buffer)];

/** A view onto bytes 3..8 of a larger buffer: only those 5 bytes may travel. */
function offsetView(): { view: Uint8Array; expected: number[] } {
  const backing = new Uint8Array([9, 9, 9, 0, 1, 128, 254, 255, 9, 9]);
  return { view: backing.subarray(3, 8), expected: [0, 1, 128, 254, 255] };
}

const cases: [string, () => { payload: ArrayBuffer | ArrayBufferView; expected: number[] }][] = [
  ['an ArrayBuffer', () => ({ payload: new Uint8Array([0, 1, 2, 250, 255]).buffer, expected: [0, 1, 2, 250, 255] })],
  ['a Uint8Array view with an offset', () => {
    const { view, expected } = offsetView();
    return { payload: view, expected };
  }],
  ['a DataView with an offset', () => {
    const backing = new ArrayBuffer(16);
    const view = new DataView(backing, 4, 8);
    view.setUint32(0, 0xdeadbeef);
    view.setFloat32(4, 1.5);
    return { payload: view, expected: [...new Uint8Array(backing, 4, 8)] };
  }],
  ['a Float32Array', () => {
    const floats = new Float32Array([1.25, -2.5]);
    return { payload: floats, expected: [...new Uint8Array(floats.buffer)] };
  }],
];

describe('Socket binary payloads', () => {
  for (const [label, make] of cases) {
    it(`pushes ${label} as a binary frame and gets the same bytes back in a binary reply`, async () => {
      const s = await server();
      const seen: number[][] = [];
      s.channel('bin:*', {
        handleIn: (_event, payload) => {
          seen.push([...(payload as Uint8Array)]);
          return { reply: 'ok', response: payload as Uint8Array };
        },
      });
      const client = await connected(socket(s.url));
      const room = client.channel('bin:1');
      await room.join();
      const { payload, expected } = make();
      const reply = await room.push('echo', payload);
      expect(seen).toEqual([expected]);
      expect(reply).toBeInstanceOf(ArrayBuffer);
      expect(bytesOf(reply as ArrayBuffer)).toEqual(expected);
    });
  }

  it('receives binary server pushes and broadcasts as ArrayBuffers, byte-exact', async () => {
    const s = await server();
    s.channel('bin:*', {
      afterJoin: (chan) => chan.push('snapshot', new Uint8Array([1, 2, 3, 4])),
      handleIn: (_event, _payload, chan) => {
        chan.broadcast('frame', new Uint8Array([255, 0, 127]));
        return { noreply: true };
      },
    });
    const client = await connected(socket(s.url));
    const room = client.channel('bin:1');
    const received: [string, unknown][] = [];
    room.on('snapshot', (p) => received.push(['snapshot', p]));
    room.on('frame', (p) => received.push(['frame', p]));
    await room.join();
    room.push('go', {});
    await until(() => received.length === 2);
    for (const [, payload] of received) expect(payload).toBeInstanceOf(ArrayBuffer);
    expect(received.map(([event, p]) => [event, bytesOf(p as ArrayBuffer)])).toEqual([
      ['snapshot', [1, 2, 3, 4]],
      ['frame', [255, 0, 127]],
    ]);
  });
});

/** A kind-2 broadcast frame, written by hand: 2, topic length, event length, topic, event, payload. */
function broadcastFrame(topic: string, event: string, payload: number[]): Uint8Array {
  const head = new TextEncoder().encode(topic + event);
  return Uint8Array.of(2, topic.length, event.length, ...head, ...payload);
}

describe('Socket binary payloads with v2ViewSerializer', () => {
  it('hands a binary reply to the push as a Uint8Array view with the right bytes', async () => {
    const s = await server();
    s.channel('bin:*', { handleIn: (_event, payload) => ({ reply: 'ok', response: payload as Uint8Array }) });
    const client = await connected(socket(s.url, { serializer: v2ViewSerializer }));
    const room = client.channel('bin:1');
    await room.join();
    const reply = await room.push('echo', Uint8Array.of(0, 1, 128, 255));
    expect(reply).toBeInstanceOf(Uint8Array);
    const view = reply as Uint8Array;
    // A view over the whole received frame: the header (kind, 4 lengths, join_ref, ref, topic, status) precedes it.
    expect(view.byteOffset).toBeGreaterThan(0);
    expect(view.byteOffset + view.byteLength).toBe(view.buffer.byteLength);
    expect(new Uint8Array(view.buffer)[0]).toBe(1);
    expect([...view]).toEqual([0, 1, 128, 255]);
  });

  it('hands binary server pushes and broadcasts to channel handlers as Uint8Array views', async () => {
    const s = await server();
    s.channel('bin:*', {
      afterJoin: (chan) => chan.push('snapshot', new Uint8Array([1, 2, 3, 4])),
      handleIn: () => {
        s.broadcast('bin:1', 'frame', new Uint8Array([255, 0, 127]));
        return { noreply: true };
      },
    });
    const client = await connected(socket(s.url, { serializer: v2ViewSerializer }));
    const room = client.channel('bin:1');
    const received: [string, Uint8Array][] = [];
    room.on('snapshot', (p) => received.push(['snapshot', p as Uint8Array]));
    room.on('frame', (p) => received.push(['frame', p as Uint8Array]));
    await room.join();
    room.push('go', {});
    await until(() => received.length === 2);
    for (const [, payload] of received) {
      expect(payload.constructor).toBe(Uint8Array);
      expect(payload.byteOffset + payload.byteLength).toBe(payload.buffer.byteLength);
    }
    expect(new Uint8Array(received[0]![1].buffer)[0]).toBe(0); // kind 0 push
    expect(new Uint8Array(received[1]![1].buffer)[0]).toBe(2); // kind 2 broadcast
    expect(received.map(([event, p]) => [event, [...p]])).toEqual([
      ['snapshot', [1, 2, 3, 4]],
      ['frame', [255, 0, 127]],
    ]);
  });

  it('gives a raw binary broadcast frame as a view over exactly that frame, bounded to its payload', async () => {
    const s = await server();
    s.channel('room:*', {});
    const client = await connected(socket(s.url, { serializer: v2ViewSerializer }));
    const room = client.channel('room:1');
    const received: Uint8Array[] = [];
    room.on('state', (p) => received.push(p as Uint8Array));
    await room.join();
    const frame = broadcastFrame('room:1', 'state', [10, 20, 30]);
    s.sendRaw(frame);
    await until(() => received.length === 1);
    const view = received[0]!;
    expect(view.buffer.byteLength).toBe(frame.byteLength);
    expect([...new Uint8Array(view.buffer)]).toEqual([...frame]);
    expect(view.byteOffset).toBe(3 + 'room:1'.length + 'state'.length);
    expect(view.byteLength).toBe(3);
    expect([...view]).toEqual([10, 20, 30]);
  });

  it('still gives ArrayBuffers of exactly the payload with the default serializer', async () => {
    const s = await server();
    s.channel('bin:*', { handleIn: (_event, payload) => ({ reply: 'ok', response: payload as Uint8Array }) });
    const client = await connected(socket(s.url));
    const room = client.channel('bin:1');
    const received: unknown[] = [];
    room.on('state', (p) => received.push(p));
    await room.join();
    s.sendRaw(broadcastFrame('bin:1', 'state', [10, 20, 30]));
    const reply = await room.push('echo', Uint8Array.of(7, 8));
    await until(() => received.length === 1);
    expect(received[0]).toBeInstanceOf(ArrayBuffer);
    expect(bytesOf(received[0] as ArrayBuffer)).toEqual([10, 20, 30]);
    expect(reply).toBeInstanceOf(ArrayBuffer);
    expect(bytesOf(reply as ArrayBuffer)).toEqual([7, 8]);
  });
});
