import { describe, expect, it } from 'vitest';
import type { TelemetryEventName } from '../src/index';
import { connected, echoRooms, nextEvent, server, socket, until } from './helpers/harness';

describe('Socket telemetry over a real connection', () => {
  it('emits the lifecycle, message and push events with their measurements', async () => {
    const s = await server();
    echoRooms(s);
    const client = socket(s.url);
    const events: { name: TelemetryEventName; event: { measurements: Record<string, unknown>; metadata: Record<string, unknown> } }[] = [];
    client.telemetry.on('*', (name, event) => events.push({ name, event: event as never }));
    await connected(client);
    const room = client.channel('room:t');
    await room.join();
    await room.push('echo', { hello: 'world' });
    await room.push('fail', {}).then(
      () => {},
      () => {},
    );
    const names = events.map((e) => e.name);
    expect(names.slice(0, 2)).toEqual(['socket:connecting', 'socket:connected']);
    for (const name of ['channel:joining', 'channel:joined', 'message:sent', 'message:received', 'push:reply'] as const) {
      expect(names).toContain(name);
    }
    const connectedEvent = events.find((e) => e.name === 'socket:connected')!.event;
    expect(connectedEvent.measurements.duration_ms).toBeGreaterThanOrEqual(0);
    expect(connectedEvent.metadata.url).toBe(`${s.url}/websocket`);
    const sent = events.find((e) => e.name === 'message:sent' && e.event.metadata.event === 'echo')!.event;
    expect(sent.measurements.bytes).toBeGreaterThan(0);
    const replies = events.filter((e) => e.name === 'push:reply').map((e) => e.event.metadata.status);
    expect(replies).toEqual(['ok', 'ok', 'error']);
  });

  it('emits socket:disconnected with the close code, then reconnect_scheduled', async () => {
    const s = await server();
    const client = await connected(socket(s.url));
    const disconnected = nextEvent(client, 'socket:disconnected');
    const scheduled = nextEvent(client, 'socket:reconnect_scheduled');
    await s.dropAll(4001, 'kicked');
    expect((await disconnected).metadata).toEqual({ code: 4001, reason: 'kicked', requested: false });
    expect((await scheduled).measurements).toEqual({ attempt: 1, delay_ms: 20 });
  });

  it('emits channel:join_failed with the reason and channel:left after leave', async () => {
    const s = await server();
    echoRooms(s);
    const client = await connected(socket(s.url));
    const failed = nextEvent(client, 'channel:join_failed');
    const denied = client.channel('room:no', { deny: true });
    await denied.join().then(
      () => {},
      () => {},
    );
    expect((await failed).metadata).toMatchObject({ topic: 'room:no', reason: { reason: 'denied' } });
    denied.leave();
    const room = client.channel('room:ok');
    await room.join();
    const left = nextEvent(client, 'channel:left', (e) => e.metadata.topic === 'room:ok');
    await room.leave();
    await left;
    await until(() => room.state === 'closed');
  });

  it('a throwing subscriber does not break the socket', async () => {
    const s = await server();
    echoRooms(s);
    const client = socket(s.url);
    client.telemetry.on('message:received', () => {
      throw new Error('subscriber bug');
    });
    const errors = nextEvent(client, 'handler:error');
    await connected(client);
    const room = client.channel('room:1');
    await expect(room.join()).resolves.toBeDefined();
    expect((await errors).metadata.where).toContain('message:received');
  });
});
