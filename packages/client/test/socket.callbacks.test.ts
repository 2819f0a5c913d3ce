import { describe, expect, it } from 'vitest';
import { connected, echoRooms, nextEvent, server, socket, until } from './helpers/harness';

describe('Socket callbacks (phoenix.js API)', () => {
  it('calls onOpen, onMessage, onClose and onError, and off() removes them', async () => {
    const s = await server();
    echoRooms(s);
    const client = socket(s.url);
    const log: string[] = [];
    const refs = [
      client.onOpen(() => log.push('open')),
      client.onClose((e) => log.push(`close:${e.code}`)),
      client.onError(() => log.push('error')),
      client.onMessage((m) => log.push(`message:${m.event}`)),
    ];
    expect(new Set(refs).size).toBe(4);
    await connected(client);
    const room = client.channel('room:1');
    await room.join();
    s.sendRaw('garbage');
    await until(() => log.includes('error'));
    const closed = nextEvent(client, 'socket:disconnected');
    await s.dropAll(1001, 'away');
    await closed;
    expect(log).toEqual(['open', 'message:phx_reply', 'error', 'close:1001']);

    client.off(refs);
    log.length = 0;
    await nextEvent(client, 'socket:connected');
    s.sendRaw('garbage');
    await nextEvent(client, 'decode:error');
    expect(log).toEqual([]);
  });

  it('a throwing onOpen callback does not stop the others', async () => {
    const s = await server();
    const client = socket(s.url);
    const reached: string[] = [];
    client.telemetry.on('handler:error', (e) => reached.push(e.metadata.where));
    client.onOpen(() => {
      throw new Error('first');
    });
    client.onOpen(() => reached.push('second'));
    await connected(client);
    expect(reached).toEqual(['socket onOpen callback', 'second']);
  });

  it('ping measures a round trip, and returns false while disconnected', async () => {
    const s = await server();
    const client = socket(s.url);
    expect(client.ping(() => {})).toBe(false);
    await connected(client);
    const rtt = await new Promise<number>((resolve) => expect(client.ping(resolve)).toBe(true));
    expect(rtt).toBeGreaterThanOrEqual(0);
  });

  it('reports a refused connect (HTTP 403) through onError and never opens', async () => {
    const s = await server({ connect: () => false });
    const client = socket(s.url, { maxReconnectAttempts: 0 });
    const errors: unknown[] = [];
    client.onError((e) => errors.push(e));
    client.connect();
    await until(() => client.state.status === 'closed');
    expect(client.isConnected()).toBe(false);
    expect(errors.length).toBeGreaterThan(0);
  });

  it('a raw socket.push reaches the server as a frame', async () => {
    const s = await server();
    echoRooms(s);
    const client = await connected(socket(s.url));
    const room = client.channel('room:raw');
    await room.join();
    const got = s.waitFor('message', (e) => e.message.event === 'raw_event');
    client.push({ topic: 'room:raw', event: 'raw_event', payload: { x: 1 }, ref: client.makeRef(), join_ref: room.joinRef });
    expect((await got).message.payload).toEqual({ x: 1 });
  });
});
