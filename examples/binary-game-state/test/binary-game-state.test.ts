import { Socket } from '@phx-socket/client';
import { startServer, type TestServer } from '@phx-socket/testkit';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runExample, stopAll } from '../../test-helpers/child';
import { BYTES_PER_PLAYER, jsonBytes, packPositions, unpackPositions } from '../codec.mjs';
import { installGameChannel } from '../game-server.mjs';

describe('codec', () => {
  it('packs player_id u32 + x,y f32, little-endian, 12 bytes per player', () => {
    const buf = packPositions([{ id: 0x01020304, x: 1.5, y: -2 }]);
    expect(buf.byteLength).toBe(BYTES_PER_PLAYER);
    expect([...new Uint8Array(buf)]).toEqual([
      0x04, 0x03, 0x02, 0x01, // id
      0x00, 0x00, 0xc0, 0x3f, // 1.5f
      0x00, 0x00, 0x00, 0xc0, // -2f
    ]);
  });

  it('round-trips f32-representable positions exactly, from an ArrayBuffer or an offset view', () => {
    const players = [
      { id: 0, x: 0, y: -0 },
      { id: 4294967295, x: Math.fround(Math.PI * 1000), y: Math.fround(-1e-3) },
      { id: 7, x: Math.fround(3.4e38), y: Math.fround(1e-40) }, // extremes and a subnormal
    ];
    expect(unpackPositions(packPositions(players))).toEqual(players);
    const padded = new Uint8Array(5 + players.length * BYTES_PER_PLAYER);
    padded.set(new Uint8Array(packPositions(players)), 5);
    expect(unpackPositions(padded.subarray(5))).toEqual(players);
    expect(() => unpackPositions(new Uint8Array(13))).toThrow(RangeError);
  });

  it('is several times smaller than the JSON equivalent', () => {
    const players = Array.from({ length: 100 }, (_, i) => ({ id: 1000 + i, x: Math.fround(i * 13.37), y: Math.fround(-i * 7.1) }));
    expect(packPositions(players).byteLength).toBe(1200);
    expect(jsonBytes(players)).toBeGreaterThan(3 * 1200);
  });
});

describe('binary frames both ways through a real socket', () => {
  let server: TestServer;
  let socket: Socket;
  beforeAll(async () => {
    server = await startServer();
    installGameChannel(server);
    socket = new Socket(server.url);
    socket.connect();
  });
  afterAll(async () => {
    socket.disconnect();
    await server.close();
  });

  it('a binary push reaches the server as bytes and the binary reply decodes to the same positions', async () => {
    const moves: { binary: boolean; payload: unknown }[] = [];
    server.on('message', ({ message }) => {
      if (message.event === 'move') moves.push(message);
    });
    const channel = socket.channel('game:test', { format: 'binary' });
    await channel.join();
    const players = [{ id: 42, x: Math.fround(12.34), y: Math.fround(-56.78) }];
    const reply = await channel.push('move', packPositions(players));
    expect(reply).toBeInstanceOf(ArrayBuffer);
    expect(unpackPositions(reply as ArrayBuffer)).toEqual(players);
    expect(moves).toHaveLength(1);
    expect(moves[0]!.binary).toBe(true); // a V2 binary frame, not JSON
    expect(unpackPositions(moves[0]!.payload as Uint8Array)).toEqual(players);
  });
});

describe('node index.mjs', () => {
  afterAll(stopAll);

  it('reports an exact round trip and binary well under JSON, payload and wire', async () => {
    const run = runExample('binary-game-state', ['--players', '64', '--ticks', '20', '--json']);
    const { code } = await run.exited;
    expect(code, run.stderr()).toBe(0);
    const [result] = run.jsonLines<{
      exact: boolean;
      mismatches: number;
      payload: { binary: number; json: number };
      wire: { binary: number; json: number };
    }>();
    expect(result).toMatchObject({ exact: true, mismatches: 0 });
    expect(result!.payload.binary).toBe(64 * BYTES_PER_PLAYER);
    expect(result!.payload.binary).toBeLessThan(result!.payload.json / 3);
    // 20 ticks × (push + reply) of 768 payload bytes each, plus frame headers.
    expect(result!.wire.binary).toBeGreaterThanOrEqual(20 * 2 * 768);
    expect(result!.wire.binary).toBeLessThan(result!.wire.json / 3);
  });
});
