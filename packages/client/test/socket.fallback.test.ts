/**
 * `longPollFallbackMs`: the WebSocket endpoint hangs (testkit `holdUpgrades()`), the socket switches to
 * LongPoll, remembers it, and works; a healthy WebSocket is kept.
 */
import { describe, expect, it } from 'vitest';
import { LongPoll, type SessionStore } from '../src/index';
import { connected, echoRooms, nextEvent, server, socket, until } from './helpers/harness';

function memoryStore(initial: Record<string, string> = {}): SessionStore & { items: Map<string, string> } {
  const items = new Map(Object.entries(initial));
  return { items, getItem: (key) => items.get(key) ?? null, setItem: (key, value) => void items.set(key, value) };
}

const WINDOW = { longPollWindowMs: 300 };

describe('LongPoll fallback', () => {
  it('falls back when the WebSocket has not opened in time, emits transport:fallback, and remembers it', async () => {
    const s = await server(WINDOW);
    echoRooms(s);
    s.holdUpgrades();
    const store = memoryStore();
    const client = socket(s.url, { longPollFallbackMs: 200, longPollTransport: LongPoll, sessionStorage: store });
    const fallback = nextEvent(client, 'transport:fallback');
    await connected(client);
    const event = await fallback;
    // Not before the 200 ms window: Node fires timers on a millisecond-truncated loop clock, so measured
    // with performance.now a 200 ms timer may read up to 1 ms short; a premature fallback would be far shorter.
    expect(event.measurements.after_ms).toBeGreaterThan(199);
    expect(event.metadata).toEqual({ from: 'WebSocket', to: 'LongPoll' });
    expect(client.state).toMatchObject({ status: 'open', transport: 'LongPoll' });
    expect(s.connections.map((c) => c.transport)).toEqual(['longpoll']);
    expect(store.items.get('phx:fallback:LongPoll')).toBe('true');

    const room = client.channel('room:1');
    await expect(room.join()).resolves.toEqual({ joined: true });
    await expect(room.push('echo', { via: 'longpoll' })).resolves.toEqual({ via: 'longpoll' });
  });

  it('stays on LongPoll across reconnects once it fell back (memory when there is no sessionStorage)', async () => {
    const s = await server(WINDOW);
    echoRooms(s);
    s.holdUpgrades();
    const client = await connected(socket(s.url, { longPollFallbackMs: 150, longPollTransport: LongPoll }));
    const room = client.channel('room:1');
    await room.join();
    s.releaseUpgrades();
    const rejoined = s.waitFor('join', (e) => e.status === 'ok');
    await s.dropAll();
    await rejoined;
    expect(s.connections.map((c) => c.transport)).toEqual(['longpoll']);
    client.disconnect();
    await until(() => client.state.status === 'closed');
    await connected(client);
    expect(client.state).toMatchObject({ transport: 'LongPoll' });
  });

  it('starts on LongPoll at once when the session store remembers the fallback', async () => {
    const s = await server(WINDOW);
    const store = memoryStore({ 'phx:fallback:LongPoll': 'true' });
    const client = socket(s.url, { longPollFallbackMs: 5000, longPollTransport: LongPoll, sessionStorage: store });
    const fallback = nextEvent(client, 'transport:fallback');
    await connected(client);
    expect((await fallback).measurements.after_ms).toBe(0);
    expect(s.connections.map((c) => c.transport)).toEqual(['longpoll']);
  });

  it('keeps a WebSocket that opens and answers a ping in time', async () => {
    const s = await server(WINDOW);
    const store = memoryStore();
    const client = socket(s.url, { longPollFallbackMs: 150, longPollTransport: LongPoll, sessionStorage: store });
    let fellBack = false;
    client.telemetry.on('transport:fallback', () => {
      fellBack = true;
    });
    await connected(client);
    await new Promise((resolve) => setTimeout(resolve, 400));
    expect(fellBack).toBe(false);
    expect(client.state).toMatchObject({ status: 'open', transport: 'WebSocket' });
    expect(store.items.size).toBe(0);
  });

  it('falls back when the WebSocket opens but frames never come back (a proxy that swallows them)', async () => {
    const s = await server(WINDOW);
    echoRooms(s);
    // The upgrade succeeds, then the server stops reading: the health-check ping gets no answer.
    s.on('connection', (connection) => {
      if (connection.transport === 'websocket') s.stall();
    });
    const client = socket(s.url, { longPollFallbackMs: 200, longPollTransport: LongPoll, heartbeatIntervalMs: 60_000 });
    const fallback = nextEvent(client, 'transport:fallback');
    client.connect();
    await fallback;
    s.resume();
    await nextEvent(client, 'socket:connected', (e) => e.metadata.transport === 'LongPoll');
    await expect(client.channel('room:1').join()).resolves.toEqual({ joined: true });
  });

  it('refuses longPollFallbackMs without the class to fall back to, naming the option', () => {
    expect(() => socket('ws://127.0.0.1:1/socket', { longPollFallbackMs: 100 })).toThrow(TypeError);
    expect(() => socket('ws://127.0.0.1:1/socket', { longPollFallbackMs: 100 })).toThrow('longPollTransport');
  });
});
