/**
 * Binary payloads over a real socket: every ArrayBuffer or ArrayBufferView goes out as a V2 binary push
 * (kind 0) carrying exactly its own bytes — views into a larger buffer included — and binary replies
 * (kind 1), server pushes (kind 0) and broadcasts (kind 2) come back as ArrayBuffers, byte-exact.
 */
import { describe, expect, it } from 'vitest';
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
