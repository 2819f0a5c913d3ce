/** The rate limiter on a fake transport and a manual clock: exact pacing, pauses and their telemetry. */
import { beforeEach, describe, expect, it } from 'vitest';
import { rateLimiting, Socket, type SocketOptions, type TelemetryEventMap } from '../src/index';
import { FakeScheduler } from './helpers/fake-scheduler';
import { FakeTransport } from './helpers/fake-transport';

let clock: FakeScheduler;
beforeEach(() => {
  clock = new FakeScheduler();
  FakeTransport.instances = [];
});

function open(options: SocketOptions): Socket {
  const socket = new Socket('ws://example.test/socket', { transport: FakeTransport, scheduler: clock, heartbeatIntervalMs: 0, ...options });
  socket.connect();
  FakeTransport.last.open();
  return socket;
}

const sent = (event: string): unknown[][] => FakeTransport.last.messages.filter((m) => m[3] === event);
const reply = (m: unknown[], status: 'ok' | 'error', response: unknown = {}): void =>
  FakeTransport.last.receive(JSON.stringify([m[0], m[1], m[2], 'phx_reply', { status, response }]));

describe('RateLimiter (fake transport, manual clock)', () => {
  it('sends joinBurst joins at once and the rest at joinsPerSecond, in the order they were made', () => {
    const socket = open({ rateLimit: rateLimiting({ joinsPerSecond: 10, joinBurst: 3 }) });
    for (let i = 0; i < 8; i++) socket.channel(`room:${i}`).join();
    expect(sent('phx_join').map((m) => m[2])).toEqual(['room:0', 'room:1', 'room:2']);
    clock.advance(100);
    expect(sent('phx_join')).toHaveLength(4);
    clock.advance(400);
    expect(sent('phx_join').map((m) => m[2])).toEqual(Array.from({ length: 8 }, (_, i) => `room:${i}`));
  });

  it('emits rate_limit:throttled once when pushes start waiting and rate_limit:released when the last went out', () => {
    const socket = open({ rateLimit: rateLimiting({ pushesPerSecond: 10, pushBurst: 1 }) });
    const events: string[] = [];
    socket.telemetry.on('*', (name) => void (name.startsWith('rate_limit:') && events.push(name)));
    const room = socket.channel('room:1');
    room.join();
    reply(sent('phx_join')[0]!, 'ok');
    for (let n = 0; n < 4; n++) room.push('msg', { n });
    expect(sent('msg')).toHaveLength(1);
    expect(events).toEqual(['rate_limit:throttled']);
    clock.advance(300);
    expect(sent('msg').map((m) => (m[4] as { n: number }).n)).toEqual([0, 1, 2, 3]);
    expect(events).toEqual(['rate_limit:throttled', 'rate_limit:released']);
  });

  it('pauses joins for the backoff after too_many_joins, growing with each refusal in a row, and resets after a join succeeds', () => {
    const socket = open({ rateLimit: rateLimiting({ pauseAfterMs: (tries) => tries * 1000 }), rejoinAfterMs: () => 100 });
    const paused: TelemetryEventMap['rate_limit:paused'][] = [];
    socket.telemetry.on('rate_limit:paused', (e) => paused.push(e));
    const room = socket.channel('room:1');
    room.join().receive('error', () => undefined);
    reply(sent('phx_join')[0]!, 'error', { reason: 'too_many_joins' });
    expect(paused[0]?.measurements).toEqual({ pause_ms: 1000, attempt: 1 });
    clock.advance(999);
    expect(sent('phx_join')).toHaveLength(1); // the rejoin timer fired at 100 ms, the join waits for the pause
    clock.advance(1);
    expect(sent('phx_join')).toHaveLength(2);
    reply(sent('phx_join')[1]!, 'error', { reason: 'too_many_joins' });
    expect(paused[1]?.measurements).toEqual({ pause_ms: 2000, attempt: 2 });
    clock.advance(2000);
    reply(sent('phx_join')[2]!, 'ok');
    expect(room.state).toBe('joined');
    expect(socket.rateLimitStats()).toMatchObject({ waitingJoins: 0, pauses: 2 });
  });

  it('does not pause on an error reply the app did not name as a rate limit', () => {
    const socket = open({ rateLimit: rateLimiting({ limitedReasons: ['slow_down'] }) });
    const paused: unknown[] = [];
    socket.telemetry.on('rate_limit:paused', (e) => paused.push(e));
    const room = socket.channel('room:1');
    room.join();
    reply(sent('phx_join')[0]!, 'ok');
    room.push('a', {}).receive('error', () => undefined);
    reply(sent('a')[0]!, 'error', { reason: 'rate_limited' });
    expect(paused).toEqual([]);
    room.push('b', {}).receive('error', () => undefined);
    reply(sent('b')[0]!, 'error', { reason: 'slow_down' });
    expect(paused).toHaveLength(1);
  });

  it('costs nothing without rateLimit: pushes and joins go straight out', () => {
    const socket = open({});
    expect(socket.pacer).toBeNull();
    for (let i = 0; i < 50; i++) socket.channel(`room:${i}`).join();
    expect(sent('phx_join')).toHaveLength(50);
  });
});
