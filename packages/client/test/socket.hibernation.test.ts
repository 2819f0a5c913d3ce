/**
 * Hibernation over a real socket: the testkit serves, an injected clock decides when the socket is idle.
 * Heartbeats are off unless a test is about them, so advancing the clock cannot time one out.
 */
import { describe, expect, it } from 'vitest';
import { cacheable, perfFeatures, Socket, type SocketOptions } from '../src/index';
import { FakeScheduler } from './helpers/fake-scheduler';
import { connected, echoRooms, nextEvent, server, socket, until } from './helpers/harness';

/** Idleness is checked every quarter of idleTimeoutMs, so a socket hibernates within 1.25× of it. */
const IDLE_MS = 1000;

function sleepy(url: string, clock: FakeScheduler, options: SocketOptions = {}): Socket {
  return socket(url, { features: perfFeatures, scheduler: clock, heartbeatIntervalMs: 0, ...options, hibernation: { idleTimeoutMs: IDLE_MS, ...options.hibernation } });
}

describe('hibernation', () => {
  it('sheds the caches after idleTimeoutMs without traffic, keeps the connection, and loses no message on wake', async () => {
    const s = await server();
    echoRooms(s);
    const clock = new FakeScheduler();
    const client = await connected(sleepy(s.url, clock, { binaryPool: {} }));
    const room = client.channel('room:1');
    await room.join();
    await room.push('echo', cacheable({ big: 'x'.repeat(1000) }));
    const held = client.stats().binaryPool?.bytes ?? 0;
    expect(held).toBeGreaterThan(2000);

    const hibernated = nextEvent(client, 'socket:hibernated');
    clock.advance(IDLE_MS * 1.25);
    expect((await hibernated).measurements.bytes_released).toBe(held);
    expect(client.stats().binaryPool?.bytes).toBe(0);
    expect(client.stats().hibernation?.state).toBe('shed');
    expect(client.isConnected()).toBe(true);

    const woke = nextEvent(client, 'socket:woke');
    const received: number[] = [];
    room.on('tick', (p) => received.push((p as { n: number }).n));
    for (let n = 1; n <= 5; n++) s.broadcast('room:1', 'tick', { n });
    expect((await woke).metadata).toEqual({ reason: 'traffic', reconnect: false });
    await until(() => received.length === 5);
    expect(received).toEqual([1, 2, 3, 4, 5]);
  });

  it('does not count heartbeats as traffic', async () => {
    const s = await server();
    echoRooms(s);
    const clock = new FakeScheduler();
    const client = await connected(sleepy(s.url, clock, { heartbeatIntervalMs: 100, heartbeatTimeoutMs: 10_000 }));
    let beats = 0;
    client.telemetry.on('heartbeat', () => beats++);
    for (let t = 0; t < IDLE_MS; t += 100) {
      const before = beats;
      clock.advance(100);
      await until(() => beats > before, 2000, 'heartbeat reply');
    }
    expect(client.stats().hibernation?.state).toBe('shed');
  });

  it('stretches the heartbeat while hibernated and restores it on wake', async () => {
    const s = await server();
    echoRooms(s);
    const clock = new FakeScheduler();
    const client = await connected(
      sleepy(s.url, clock, { heartbeatIntervalMs: 100, heartbeatTimeoutMs: 10_000, hibernation: { heartbeatIntervalMs: 400 } }),
    );
    let beats = 0;
    client.telemetry.on('heartbeat', () => beats++);
    const step = async (): Promise<void> => {
      clock.advance(100);
      await new Promise((r) => setTimeout(r, 15));
    };
    while (client.stats().hibernation?.state !== 'shed') await step();
    const atHibernation = beats;
    for (let i = 0; i < 12; i++) await step();
    expect(beats - atHibernation).toBeLessThanOrEqual(4);
    const room = client.channel('room:1');
    await room.join();
    expect(client.stats().hibernation?.state).toBe('awake');
    const awake = beats;
    for (let i = 0; i < 6; i++) await step();
    expect(beats - awake).toBeGreaterThanOrEqual(4);
  });

  it('counts a hidden page as idle despite traffic, and wakes and reconnects when the page is shown', async () => {
    class FakeDocument extends EventTarget {
      visibilityState: 'visible' | 'hidden' = 'visible';
      setHidden(hidden: boolean): void {
        this.visibilityState = hidden ? 'hidden' : 'visible';
        this.dispatchEvent(new Event('visibilitychange'));
      }
    }
    const g = globalThis as { document?: unknown };
    const doc = new FakeDocument();
    g.document = doc;
    try {
      const s = await server();
      echoRooms(s);
      const clock = new FakeScheduler();
      const client = await connected(sleepy(s.url, clock, { hibernation: { mode: 'disconnect', needsLiveDelivery: () => false } }));
      const room = client.channel('room:1');
      await room.join();
      doc.setHidden(true);
      const hibernated = nextEvent(client, 'socket:hibernated');
      for (let i = 0; i < 5; i++) {
        s.broadcast('room:1', 'tick', { i });
        await new Promise((r) => setTimeout(r, 10));
        clock.advance(IDLE_MS / 4);
      }
      expect((await hibernated).metadata).toEqual({ reason: 'hidden', mode: 'disconnect' });
      await until(() => !client.isConnected());
      const woke = nextEvent(client, 'socket:woke');
      doc.setHidden(false);
      expect((await woke).metadata).toEqual({ reason: 'visible', reconnect: true });
      await until(() => room.state === 'joined');
    } finally {
      delete g.document;
    }
  });

  it("in 'disconnect' mode closes the transport and delivers a push made while hibernated after reconnecting", async () => {
    const s = await server();
    echoRooms(s);
    const clock = new FakeScheduler();
    const client = await connected(sleepy(s.url, clock, { hibernation: { mode: 'disconnect', needsLiveDelivery: () => false } }));
    const room = client.channel('room:1');
    await room.join();

    const gone = s.waitFor('disconnect');
    clock.advance(IDLE_MS * 1.25);
    await gone;
    expect(client.stats().hibernation?.state).toBe('disconnected');
    await until(() => !client.isConnected());

    const woke = nextEvent(client, 'socket:woke');
    const reply = room.push('echo', { made: 'while asleep' });
    expect((await woke).metadata).toEqual({ reason: 'push', reconnect: true });
    await expect(reply).resolves.toEqual({ made: 'while asleep' });
    expect(room.state).toBe('joined');
    expect(s.stats().connections).toBe(1);
  });

  it("in 'disconnect' mode reconnects when a channel joins, and rejoins the others", async () => {
    const s = await server();
    echoRooms(s);
    const clock = new FakeScheduler();
    const client = await connected(sleepy(s.url, clock, { hibernation: { mode: 'disconnect', needsLiveDelivery: () => false } }));
    const first = client.channel('room:1');
    await first.join();
    clock.advance(IDLE_MS * 1.25);
    await until(() => !client.isConnected());
    await client.channel('room:2').join();
    await until(() => first.state === 'joined');
    expect(client.stats().hibernation).toMatchObject({ state: 'awake', hibernations: 1, wakes: 1 });
  });

  it("in 'disconnect' mode keeps the connection while a joined channel needs live delivery (the default)", async () => {
    const s = await server();
    echoRooms(s);
    const clock = new FakeScheduler();
    const client = await connected(sleepy(s.url, clock, { hibernation: { mode: 'disconnect' } }));
    await client.channel('room:1').join();
    const hibernated = nextEvent(client, 'socket:hibernated');
    clock.advance(IDLE_MS * 1.25);
    expect((await hibernated).metadata).toEqual({ reason: 'idle', mode: 'shed' });
    expect(client.isConnected()).toBe(true);
    expect(s.stats().connections).toBe(1);
  });

  it('never reconnects a socket the app disconnected while it was hibernated', async () => {
    const s = await server();
    echoRooms(s);
    const clock = new FakeScheduler();
    const client = await connected(sleepy(s.url, clock, { hibernation: { mode: 'disconnect', needsLiveDelivery: () => false } }));
    const room = client.channel('room:1');
    await room.join();
    clock.advance(IDLE_MS * 1.25);
    await until(() => !client.isConnected());
    client.disconnect();
    void room.push('echo', {}).then(
      () => {},
      () => {},
    );
    await new Promise((r) => setTimeout(r, 50));
    expect(client.connectionState()).toBe('closed');
    expect(s.stats().connections).toBe(0);
  });

  it('reports nothing when hibernation is off or disabled, and validates its options eagerly', () => {
    expect(new Socket('ws://127.0.0.1:1/socket').stats().hibernation).toBeNull();
    expect(new Socket('ws://127.0.0.1:1/socket', { features: perfFeatures, hibernation: { enabled: false } }).stats().hibernation).toBeNull();
    expect(() => new Socket('ws://127.0.0.1:1/socket', { features: perfFeatures, hibernation: { idleTimeoutMs: -1 } })).toThrow(/hibernation\.idleTimeoutMs/);
    expect(() => new Socket('ws://127.0.0.1:1/socket', { features: perfFeatures, hibernation: { mode: 'nap' as never } })).toThrow(RangeError);
  });
});
