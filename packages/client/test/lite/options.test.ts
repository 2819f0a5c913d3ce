import { ManualScheduler } from '@phx-socket/testkit';
import { describe, expect, it } from 'vitest';
import { realScheduler } from '@phx-socket/channel';
import { DEFAULT_LITE_OPTIONS, jsonSerializer, resolveLiteOptions, Socket, TimeoutError, type LiteSocketOptions } from '../../src/lite/index';
import { connected, echoRooms, rejection, server, sleep, socket, until, WS } from './harness';

describe('lite options: defaults', () => {
  it('uses the phoenix.js defaults when nothing is given', () => {
    const o = resolveLiteOptions({});
    expect(o).toMatchObject({ transport: undefined, params: {}, authToken: undefined, timeout: 10_000, heartbeatIntervalMs: 30_000 });
    expect(o.serializer).toBe(jsonSerializer);
    expect(o.scheduler).toBe(realScheduler);
    expect([1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 50].map(o.reconnectAfterMs)).toEqual([10, 50, 100, 150, 200, 250, 500, 1000, 2000, 5000, 5000]);
    expect([1, 2, 3, 4, 9].map(o.rejoinAfterMs)).toEqual([1000, 2000, 5000, 10_000, 10_000]);
    expect(Object.isFrozen(DEFAULT_LITE_OPTIONS)).toBe(true);
  });

  it('turns a number of ms for reconnectAfterMs or rejoinAfterMs into a constant schedule', () => {
    const o = resolveLiteOptions({ reconnectAfterMs: 0, rejoinAfterMs: 250 });
    expect([1, 5, 100].map(o.reconnectAfterMs)).toEqual([0, 0, 0]);
    expect([1, 5, 100].map(o.rejoinAfterMs)).toEqual([250, 250, 250]);
  });

  it('treats missing or null options as the defaults', () => {
    expect(resolveLiteOptions(undefined as unknown as LiteSocketOptions).timeout).toBe(10_000);
    expect(resolveLiteOptions(null as unknown as LiteSocketOptions).heartbeatIntervalMs).toBe(30_000);
  });
});

describe('lite options: validation', () => {
  const bad: [option: string, value: unknown][] = [
    ['transport', 'ws'],
    ['params', 42],
    ['params', 'token=1'],
    ['authToken', 42],
    ['timeout', 0],
    ['timeout', -1],
    ['timeout', Number.NaN],
    ['timeout', Infinity],
    ['timeout', '100'],
    ['heartbeatIntervalMs', -1],
    ['heartbeatIntervalMs', Infinity],
    ['heartbeatIntervalMs', 2 ** 31],
    ['heartbeatIntervalMs', '30000'],
    ['reconnectAfterMs', -5],
    ['reconnectAfterMs', Number.NaN],
    ['reconnectAfterMs', Infinity],
    ['reconnectAfterMs', [10, 50]],
    ['rejoinAfterMs', 'soon'],
    ['serializer', {}],
    ['serializer', 'json'],
    ['scheduler', {}],
    ['scheduler', { setTimeout: () => 0 }],
  ];

  it.each(bad)('throws a TypeError naming %s for %o', (option, value) => {
    const options = { [option]: value } as LiteSocketOptions;
    expect(() => resolveLiteOptions(options)).toThrow(TypeError);
    expect(() => resolveLiteOptions(options)).toThrow(new RegExp(`\\b${option}\\b`));
    expect(() => new Socket('ws://127.0.0.1:1/socket', options)).toThrow(new RegExp(`\\b${option}\\b`));
  });

  it('throws a TypeError for an empty or missing endpoint', () => {
    expect(() => new Socket('')).toThrow(TypeError);
    expect(() => new Socket(undefined as unknown as string)).toThrow(/endPoint/);
  });

  it('accepts the largest timer delay and a zero heartbeat', () => {
    expect(() => resolveLiteOptions({ timeout: 2_147_483_647, heartbeatIntervalMs: 0, reconnectAfterMs: 0 })).not.toThrow();
  });
});

describe('lite options: on a real socket', () => {
  it('uses timeout as the default timeout of pushes', async () => {
    const s = await server();
    echoRooms(s);
    const client = await connected(socket(s.url, { timeout: 80 }));
    const room = client.channel('room:1');
    await room.join();
    const error = await rejection(room.push('silent', {}));
    expect(error).toBeInstanceOf(TimeoutError);
    expect(error).toMatchObject({ code: 'timeout', timeoutMs: 80 });
  });

  it('uses timeout as the default timeout of joins', async () => {
    const s = await server();
    s.channel('never:*', { join: () => new Promise(() => {}) });
    const client = await connected(socket(s.url, { timeout: 80 }));
    const error = await rejection(client.channel('never:1').join());
    expect(error).toMatchObject({ code: 'join_timeout', timeoutMs: 80 });
  });

  it('runs every timer of the socket and its channels on the scheduler option', async () => {
    const s = await server();
    s.channel('never:*', { join: () => new Promise(() => {}) });
    let beats = 0;
    s.on('message', ({ message }) => void (message.event === 'heartbeat' && beats++));
    const clock = new ManualScheduler();
    const client = await connected(socket(s.url, { scheduler: clock, heartbeatIntervalMs: 1000, timeout: 500 }));
    expect(clock.pending).toBe(1); // the heartbeat
    const room = client.channel('never:1');
    const timedOut = rejection(room.join());
    expect(clock.pending).toBe(2); // and the join timeout
    await sleep(100);
    expect(room.isJoining()).toBe(true); // real time passed, the clock did not
    clock.advance(500);
    expect(await timedOut).toMatchObject({ code: 'join_timeout' });
    clock.advance(500);
    await until(() => beats === 1);
  });

  it('connects with the transport option', async () => {
    const s = await server();
    const client = await connected(new Socket(s.url, { transport: WS }));
    expect(client.isConnected()).toBe(true);
    client.disconnect();
  });
});
