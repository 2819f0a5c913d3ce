/**
 * Delivery semantics over a real socket against the testkit: a sent push is never executed twice unless
 * the app opted in, a join is never dropped, every push resolves, and a server that drops the connection
 * right after each (re)join is not stormed.
 */
import type { ChannelSocket, TestServer } from '@phx-socket/testkit';
import { describe, expect, it } from 'vitest';
import { BufferOverflowError, ChannelCrashedError, ChannelClosedError, ConnectionLostError, type Push } from '../src/index';
import { connected, echoRooms, nextEvent, server, socket, until } from './helpers/harness';

const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * `room:*` where the push `boom` makes the server close the whole connection (what
 * `Endpoint.broadcast(socket_id, "disconnect", %{})` in a Phoenix `handle_in` does) before replying.
 * Returns how often `boom` ran.
 */
function disconnectingRooms(s: TestServer): { runs: () => number } {
  let runs = 0;
  s.channel('room:*', {
    handleIn: (event, payload, channel: ChannelSocket) => {
      if (event !== 'boom') return { reply: 'ok', response: payload };
      runs++;
      channel.connection.close(1001, 'disconnected');
      return { noreply: true };
    },
  });
  return { runs: () => runs };
}

describe('Socket delivery semantics', () => {
  it('does not resend a push whose handler disconnected the socket: it fails with ConnectionLostError and costs one reconnect', async () => {
    const s = await server();
    const boom = disconnectingRooms(s);
    const client = await connected(socket(s.url, { reconnectAfterMs: () => 200 }));
    const room = client.channel('room:1');
    await room.join();
    const push = room.push('boom', {});
    await expect(push).rejects.toBeInstanceOf(ConnectionLostError);
    await until(() => room.state === 'joined', 5000, 'rejoined');
    await sleep(1000);
    expect(boom.runs()).toBe(1);
    expect(s.stats().totalConnections).toBe(2);
    expect(room.state).toBe('joined');
  });

  it('resends such a push at most maxResends times under inFlightPolicy resend, then fails it', async () => {
    const s = await server();
    const boom = disconnectingRooms(s);
    const client = await connected(socket(s.url, { inFlightPolicy: 'resend', maxResends: 2, reconnectAfterMs: () => 50 }));
    const room = client.channel('room:1');
    await room.join();
    const failed = await room.push('boom', {}).then(
      () => null,
      (error: unknown) => error,
    );
    expect(failed).toBeInstanceOf(ConnectionLostError);
    expect((failed as ConnectionLostError).resends).toBe(2);
    await until(() => room.state === 'joined', 5000, 'rejoined');
    await sleep(500);
    expect(boom.runs()).toBe(3);
    expect(s.stats().totalConnections).toBe(4);
  });

  it('lets one push opt into resending with its own maxResends while the socket default fails', async () => {
    const s = await server();
    const boom = disconnectingRooms(s);
    const client = await connected(socket(s.url, { reconnectAfterMs: () => 50 }));
    const room = client.channel('room:1');
    await room.join();
    await expect(room.push('boom', {}, { maxResends: 1, timeoutMs: 5000 })).rejects.toMatchObject({ code: 'connection_lost', resends: 1 });
    await until(() => room.state === 'joined', 5000, 'rejoined');
    expect(boom.runs()).toBe(2);
    await expect(room.push('echo', { ok: 1 }, { timeoutMs: 2000 })).resolves.toEqual({ ok: 1 });
  });

  it('rejects bad push options with a RangeError naming the option', async () => {
    const s = await server();
    echoRooms(s);
    const client = await connected(socket(s.url));
    const room = client.channel('room:1');
    await room.join();
    expect(() => room.push('x', {}, { maxResends: -1 })).toThrow(/maxResends/);
    expect(() => room.push('x', {}, { timeoutMs: 0 })).toThrow(/timeoutMs/);
  });

  it('joins 3 000 channels made before the socket opened, with no frame dropped by the send buffer', async () => {
    const s = await server({ maxChannels: 5000 });
    echoRooms(s);
    const client = socket(s.url);
    let overflows = 0;
    client.telemetry.on('buffer:overflow', () => overflows++);
    client.connect();
    const rooms = Array.from({ length: 3000 }, (_, i) => client.channel(`room:${i}`));
    const joins = rooms.map((room) => room.join(60_000));
    await Promise.all(joins);
    expect(rooms.every((room) => room.state === 'joined')).toBe(true);
    expect(s.stats().joins).toBe(3000);
    expect(overflows).toBe(0);
  });

  it('times out a join awaited while the socket cannot connect, instead of hanging, and joins once it can', async () => {
    let accept = false;
    const s = await server({ connect: () => accept });
    echoRooms(s);
    const client = socket(s.url, { reconnectAfterMs: () => 50, circuitBreaker: false });
    client.connect();
    const room = client.channel('room:late');
    await expect(room.join(300)).rejects.toMatchObject({ code: 'join_timeout' });
    expect(room.state).toBe('errored');
    accept = true;
    await until(() => room.state === 'joined', 5000, 'joined after the server accepted');
    expect(s.stats().joins).toBe(1);
  });

  it('uses an explicit reconnectAfterMs as given: no jitter unless asked for', async () => {
    const s = await server({ connect: () => false });
    // jitter left unset (the harness's FAST sets 'none'): an app's own schedule must be used as given by default.
    const client = socket(s.url, { reconnectAfterMs: () => 200, jitter: undefined, circuitBreaker: false });
    const delays: number[] = [];
    const starts: number[] = [];
    client.telemetry.on('socket:reconnect_scheduled', ({ measurements }) => delays.push(measurements.delay_ms));
    client.telemetry.on('socket:connecting', () => starts.push(Date.now()));
    client.connect();
    await until(() => starts.length >= 4, 5000, 'four attempts');
    client.disconnect();
    expect(delays.slice(0, 3)).toEqual([200, 200, 200]);
    for (let i = 1; i < 4; i++) expect(starts[i]! - starts[i - 1]!).toBeGreaterThanOrEqual(190);
  });

  it('counts a connection the server closes right after opening as a failed attempt, so the backoff grows', async () => {
    const s = await server();
    s.channel('room:*', { afterJoin: (channel) => channel.connection.close(1001, 'disconnected') });
    const client = socket(s.url, { reconnectAfterMs: (tries) => tries * 10, circuitBreaker: false });
    const attempts: number[] = [];
    client.telemetry.on('socket:reconnect_scheduled', ({ measurements }) => attempts.push(measurements.attempt));
    client.connect();
    void client.channel('room:1').join().receive('error', () => undefined);
    await until(() => attempts.length >= 5, 5000, 'five reconnects');
    expect(attempts.slice(0, 5)).toEqual([1, 2, 3, 4, 5]);
  });

  it('resets the backoff after a connection stayed up healthyAfterMs', async () => {
    const s = await server();
    echoRooms(s);
    const client = await connected(socket(s.url, { reconnectAfterMs: (tries) => tries * 10, healthyAfterMs: 100 }));
    const attempts: number[] = [];
    client.telemetry.on('socket:reconnect_scheduled', ({ measurements }) => attempts.push(measurements.attempt));
    for (let i = 0; i < 3; i++) {
      await sleep(150);
      const open = nextEvent(client, 'socket:connected');
      await s.dropAll();
      await open;
    }
    expect(attempts).toEqual([1, 1, 1]);
  });

  it('opens the circuit after threshold failed connects: suspended, telemetry and a typed error, then probes after the cool-down', async () => {
    let accept = false;
    const s = await server({ connect: () => accept });
    echoRooms(s);
    const client = socket(s.url, { reconnectAfterMs: () => 10, circuitBreaker: { threshold: 3, coolDownMs: 400, minFailingMs: 0 }, healthyAfterMs: 100 });
    const errors: unknown[] = [];
    client.onError((error) => errors.push(error));
    const opened = nextEvent(client, 'socket:circuit_open');
    client.connect();
    const event = await opened;
    expect(event.measurements).toEqual({ failures: 3, cool_down_ms: 400 });
    expect(client.state).toMatchObject({ status: 'suspended', failures: 3, coolDownMs: 400 });
    expect(client.connectionState()).toBe('closed');
    expect(errors.some((e) => e instanceof Error && (e as { code?: string }).code === 'circuit_open')).toBe(true);
    const refusedAtTrip = s.stats().refusedConnections;
    await sleep(250);
    expect(s.stats().refusedConnections).toBe(refusedAtTrip);
    accept = true;
    const closed = nextEvent(client, 'socket:circuit_closed');
    await closed;
    expect(client.isConnected()).toBe(true);
  });

  it('keeps retrying through an outage shorter than minFailingMs however many connects it refused, then reconnects at once', async () => {
    let accept = false;
    const s = await server({ connect: () => accept });
    echoRooms(s);
    const client = socket(s.url, { reconnectAfterMs: () => 10, circuitBreaker: { threshold: 3, coolDownMs: 60_000, minFailingMs: 1500 } });
    const suspended: unknown[] = [];
    client.telemetry.on('socket:circuit_open', (event) => suspended.push(event));
    client.connect();
    await sleep(500);
    // Far past the threshold of 3, but within minFailingMs: still retrying, not cooling down.
    expect(s.stats().refusedConnections).toBeGreaterThan(10);
    expect(suspended).toEqual([]);
    // Between two refused tries or inside one: either way retrying, never 'suspended'.
    expect(['reconnecting', 'connecting']).toContain(client.state.status);
    accept = true;
    await nextEvent(client, 'socket:connected', () => true, 1000);
    expect(client.isConnected()).toBe(true);
  });

  it('opens the circuit once the failures have lasted minFailingMs', async () => {
    const s = await server({ connect: () => false });
    const client = socket(s.url, { reconnectAfterMs: () => 10, circuitBreaker: { threshold: 3, coolDownMs: 60_000, minFailingMs: 300 } });
    const started = performance.now();
    const opened = nextEvent(client, 'socket:circuit_open');
    client.connect();
    const event = await opened;
    expect(performance.now() - started).toBeGreaterThanOrEqual(290);
    expect(event.measurements.failures).toBeGreaterThan(3);
    expect(client.state.status).toBe('suspended');
  });

  it('tries at once on connect() while the circuit is open', async () => {
    let accept = false;
    const s = await server({ connect: () => accept });
    const client = socket(s.url, { reconnectAfterMs: () => 10, circuitBreaker: { threshold: 2, coolDownMs: 60_000, minFailingMs: 0 } });
    const opened = nextEvent(client, 'socket:circuit_open');
    client.connect();
    await opened;
    accept = true;
    const open = nextEvent(client, 'socket:connected', () => true, 2000);
    client.connect();
    await open;
    expect(client.isConnected()).toBe(true);
  });

  it('stops rejoining a channel that crashes right after every join, with channel:circuit_open and a CircuitOpenError to onError', async () => {
    const s = await server();
    s.channel('room:*', {
      afterJoin: () => {
        throw new Error('crash in after_join');
      },
    });
    const client = await connected(socket(s.url, { rejoinAfterMs: () => 10, circuitBreaker: { threshold: 4, coolDownMs: 60_000 } }));
    const room = client.channel('room:crashy');
    const reasons: unknown[] = [];
    room.onError((reason) => reasons.push(reason));
    const opened = nextEvent(client, 'channel:circuit_open');
    void room.join();
    const event = await opened;
    expect(event.metadata.topic).toBe('room:crashy');
    expect(event.measurements.failures).toBe(4);
    const joinsAtTrip = s.stats().joins;
    await sleep(300);
    expect(s.stats().joins).toBe(joinsAtTrip);
    expect(reasons.at(-1)).toMatchObject({ code: 'circuit_open', scope: 'channel', topic: 'room:crashy' });
  });

  it('fails a push whose channel crashed on the server at once with ChannelCrashedError, not after its timeout', async () => {
    const s = await server();
    s.channel('room:*', {
      handleIn: (event) => {
        if (event === 'crash') throw new Error('boom');
        return { reply: 'ok' };
      },
    });
    const client = await connected(socket(s.url));
    const room = client.channel('room:1');
    await room.join();
    const started = Date.now();
    await expect(room.push('crash', {}, 10_000)).rejects.toBeInstanceOf(ChannelCrashedError);
    expect(Date.now() - started).toBeLessThan(5000);
    await until(() => room.state === 'joined', 5000, 'rejoined after the crash');
  });

  it('fails a push in flight when the server closes the channel, at once with ChannelClosedError', async () => {
    const s = await server();
    s.channel('room:*', { handleIn: () => ({ stop: 'normal' }) });
    const client = await connected(socket(s.url));
    const room = client.channel('room:1');
    await room.join();
    await expect(room.push('bye', {}, 10_000)).rejects.toBeInstanceOf(ChannelClosedError);
    expect(room.state).toBe('closed');
  });

  it('rejects a join left before it was answered with ChannelClosedError, offline and online', async () => {
    const s = await server();
    s.channel('room:*', { join: () => new Promise(() => {}) });
    const offline = socket(s.url).channel('room:offline');
    const offlineJoin = offline.join();
    offline.leave();
    await expect(offlineJoin).rejects.toBeInstanceOf(ChannelClosedError);
    const client = await connected(socket(s.url));
    const online = client.channel('room:online');
    const onlineJoin = online.join();
    await s.waitFor('message', (e) => e.message.event === 'phx_join');
    const left = online.leave(200);
    await expect(onlineJoin).rejects.toThrow(/"phx_join" on "room:online" was never answered/);
    // The stuck server never answers the leave either: it times out, and the channel is closed all the same.
    await expect(left).rejects.toMatchObject({ code: 'leave_timeout' });
    expect(online.state).toBe('closed');
  });

  it('does not fail a join that was answered once when the channel later closes', async () => {
    const s = await server();
    echoRooms(s);
    const client = await connected(socket(s.url));
    const room = client.channel('room:1');
    const errors: unknown[] = [];
    const join = room.join().receive('error', (r) => errors.push(r));
    await join;
    await room.leave();
    expect(errors).toEqual([]);
    await expect(join).resolves.toEqual({ joined: true });
  });

  it('delivers 50 pushes made offline exactly once, in order, and rejects each push over the buffer bound with BufferOverflowError', async () => {
    const s = await server();
    echoRooms(s);
    const client = await connected(socket(s.url, { sendBufferLimit: 1000 }));
    const small = client.channel('room:small');
    const big = client.channel('room:big');
    await Promise.all([small.join(), big.join()]);
    const seen: number[] = [];
    s.on('message', ({ message }) => {
      if (message.topic === 'room:small' && message.event === 'msg') seen.push((message.payload as { n: number }).n);
    });
    client.disconnect();
    await until(() => !client.isConnected());
    const pushes: Push[] = Array.from({ length: 50 }, (_, n) => small.push('msg', { n }));
    const overflow = Array.from({ length: 2000 }, (_, n) => big.push('msg', { n }));
    const outcomes = overflow.map((p) => p.then(() => 'ok', (e: unknown) => (e instanceof BufferOverflowError ? 'overflow' : String(e))));
    client.connect();
    await Promise.all(pushes);
    expect(seen).toEqual(Array.from({ length: 50 }, (_, n) => n));
    const results = await Promise.all(outcomes);
    expect(results.filter((r) => r === 'overflow')).toHaveLength(1000);
    expect(results.filter((r) => r === 'ok')).toHaveLength(1000);
  });
});
