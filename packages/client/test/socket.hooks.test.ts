import { describe, expect, it } from 'vitest';
import { MessageDroppedError, type Message } from '../src/index';
import { connected, echoRooms, nextEvent, server, socket, until } from './helpers/harness';

describe('socket.use message hooks', () => {
  it('runs inbound and outbound hooks in the order they were added', async () => {
    const s = await server();
    echoRooms(s);
    const client = await connected(socket(s.url));
    const seen: string[] = [];
    client.use({ inbound: (m) => void seen.push(`A in ${m.event}`), outbound: (m) => void seen.push(`A out ${m.event}`) });
    client.use((m, direction) => void seen.push(`B ${direction} ${m.event}`));
    const room = client.channel('room:1');
    await room.join();
    expect(seen).toEqual(['A out phx_join', 'B outbound phx_join', 'A in phx_reply', 'B inbound phx_reply']);
  });

  it('sends what an outbound hook returns and delivers what an inbound hook returns', async () => {
    const s = await server();
    echoRooms(s);
    const client = await connected(socket(s.url));
    client.use({
      outbound: (m) => (m.event === 'echo' ? { ...m, payload: { ...(m.payload as object), stamped: true } } : undefined),
    });
    client.use({ inbound: (m) => (m.event === 'news' ? { ...m, payload: { rewritten: true } } : undefined) });
    const room = client.channel('room:1');
    await room.join();
    await expect(room.push('echo', { body: 'hi' })).resolves.toEqual({ body: 'hi', stamped: true });
    const heard = new Promise((resolve) => room.on('news', resolve));
    s.broadcast('room:1', 'news', { original: true });
    await expect(heard).resolves.toEqual({ rewritten: true });
    expect(client.stats().hooks).toMatchObject({ hooks: 2, outbound: { transformed: 1 }, inbound: { transformed: 1 } });
  });

  it('drops an inbound message a hook returns null for, with message:dropped reason hook', async () => {
    const s = await server();
    echoRooms(s);
    const client = await connected(socket(s.url));
    client.use({ inbound: (m) => (m.event === 'noise' ? null : undefined) });
    const room = client.channel('room:1');
    await room.join();
    const noise: unknown[] = [];
    room.on('noise', (p) => noise.push(p));
    const dropped = nextEvent(client, 'message:dropped');
    s.broadcast('room:1', 'noise', {});
    expect((await dropped).metadata).toMatchObject({ topic: 'room:1', event: 'noise', reason: 'hook' });
    const after = new Promise((resolve) => room.on('signal', resolve));
    s.broadcast('room:1', 'signal', { ok: true });
    await after;
    expect(noise).toEqual([]);
  });

  it('fails a push an outbound hook dropped with MessageDroppedError, and never sends it', async () => {
    const s = await server();
    echoRooms(s);
    const client = await connected(socket(s.url));
    client.use({ outbound: (m) => (m.event === 'secret' ? null : undefined) });
    const events: string[] = [];
    s.on('message', (e) => void events.push(e.message.event));
    const room = client.channel('room:1');
    await room.join();
    const error = await room.push('secret', {}).then(
      () => null,
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(MessageDroppedError);
    expect((error as MessageDroppedError).code).toBe('message_dropped');
    await room.push('echo', { n: 1 });
    expect(events).not.toContain('secret');
    expect(client.stats().hooks.outbound.dropped).toBe(1);
  });

  it('reports a throwing hook as handler:error and passes the message on unchanged', async () => {
    const s = await server();
    echoRooms(s);
    const client = await connected(socket(s.url));
    const errors: string[] = [];
    client.telemetry.on('handler:error', (e) => errors.push(e.metadata.where));
    const later: Message[] = [];
    client.use({
      inbound: () => {
        throw new Error('boom');
      },
    });
    client.use({ inbound: (m) => void later.push(m) });
    const room = client.channel('room:1');
    await room.join();
    const heard = new Promise((resolve) => room.on('news', resolve));
    s.broadcast('room:1', 'news', { n: 1 });
    await expect(heard).resolves.toEqual({ n: 1 });
    expect(errors.length).toBeGreaterThanOrEqual(2);
    expect(errors[0]).toMatch(/inbound message hook #1/);
    expect(later.map((m) => m.event)).toEqual(['phx_reply', 'news']);
    expect(client.stats().hooks.inbound.errors).toBe(errors.length);
  });

  it('stops calling a hook once its unsubscribe function ran, and never shows it heartbeats', async () => {
    const s = await server();
    echoRooms(s);
    const client = await connected(socket(s.url));
    const topics: string[] = [];
    const off = client.use((m) => void topics.push(m.topic));
    const rtt = new Promise<number>((resolve) => client.ping(resolve));
    await rtt;
    expect(topics).toEqual([]);
    const room = client.channel('room:1');
    await room.join();
    off();
    off();
    await room.push('echo', {});
    expect(topics).toEqual(['room:1', 'room:1']);
    expect(client.stats().hooks.hooks).toBe(0);
  });

  it('rejects a hook that is neither a function nor an object with inbound/outbound', async () => {
    const client = socket('ws://127.0.0.1:1/socket');
    expect(() => client.use({} as never)).toThrow(TypeError);
    expect(() => client.use(5 as never)).toThrow(TypeError);
    expect(() => client.use({ inbound: 'x' } as never)).toThrow(/hook\.inbound/);
    await until(() => true);
  });
});
