import { describe, expect, it } from 'vitest';
import { PerformanceMonitor } from '../src/performance-monitor';

type Handler = (name: string, event: { measurements: object; metadata: object }) => void;

class FakeTelemetry {
  handlers = new Set<Handler>();
  on(_name: '*', handler: Handler): () => void {
    this.handlers.add(handler);
    return () => this.handlers.delete(handler);
  }
  emit(name: string, measurements: object = {}, metadata: object = {}): void {
    for (const h of this.handlers) h(name, { measurements, metadata });
  }
}

function setup() {
  let now = 0;
  const monitor = new PerformanceMonitor({ now: () => now });
  const telemetry = new FakeTelemetry();
  const detach = monitor.attach(telemetry);
  return { monitor, telemetry, detach, tick: (ms: number) => (now += ms) };
}

describe('PerformanceMonitor', () => {
  it('counts messages and bytes and derives rates from the injected clock', () => {
    const { monitor, telemetry, tick } = setup();
    for (let i = 0; i < 10; i++) telemetry.emit('message:received', { bytes: 100 });
    telemetry.emit('message:sent', { bytes: 40 });
    tick(2000);
    const m = monitor.metrics();
    expect(m.counters).toMatchObject({ messagesIn: 10, bytesIn: 1000, messagesOut: 1, bytesOut: 40 });
    expect(m.rates.messagesInPerSec).toBe(5);
  });

  it('tracks joined channels as a gauge and join latency as a histogram', () => {
    const { monitor, telemetry } = setup();
    telemetry.emit('socket:connected', { duration_ms: 5 });
    telemetry.emit('channel:joined', { duration_ms: 3 }, { topic: 'a' });
    telemetry.emit('channel:joined', { duration_ms: 7 }, { topic: 'b' });
    telemetry.emit('channel:left', {}, { topic: 'a' });
    const m = monitor.metrics();
    expect(m.gauges).toEqual({ connected: true, socketsConnected: 1, channelsJoined: 1 });
    telemetry.emit('channel:error', {}, { topic: 'b', reason: { reason: 'transport' } });
    expect(monitor.metrics().counters).toMatchObject({ channelErrors: 1, errors: 0 });
    expect(monitor.metrics().gauges.channelsJoined).toBe(0);
    expect(m.histograms.joinLatencyMs).toMatchObject({ count: 2, max: 7 });
    telemetry.emit('socket:disconnected', {}, { code: 1006 });
    expect(monitor.metrics().gauges).toEqual({ connected: false, socketsConnected: 0, channelsJoined: 0 });
  });

  it('counts reconnects as connects after the first', () => {
    const { monitor, telemetry } = setup();
    for (let i = 0; i < 3; i++) telemetry.emit('socket:connected', { duration_ms: 1 });
    expect(monitor.metrics().counters).toMatchObject({ connects: 3, reconnects: 2 });
  });

  it('tells the sockets of a pool stream apart by socket_index: gauges per socket, reconnects per socket', () => {
    const { monitor, telemetry } = setup();
    telemetry.emit('socket:connected', { duration_ms: 1 }, { socket_index: 0 });
    telemetry.emit('socket:connected', { duration_ms: 1 }, { socket_index: 1 });
    telemetry.emit('channel:joined', { duration_ms: 1 }, { topic: 'a', socket_index: 0 });
    telemetry.emit('channel:joined', { duration_ms: 1 }, { topic: 'b', socket_index: 1 });
    expect(monitor.metrics().counters).toMatchObject({ connects: 2, reconnects: 0 });
    telemetry.emit('socket:disconnected', {}, { code: 1006, socket_index: 0 });
    expect(monitor.metrics().gauges).toEqual({ connected: true, socketsConnected: 1, channelsJoined: 1 });
    // Topic a moved to socket 1.
    telemetry.emit('channel:joined', { duration_ms: 1 }, { topic: 'a', socket_index: 1 });
    telemetry.emit('socket:connected', { duration_ms: 1 }, { socket_index: 0 });
    expect(monitor.metrics().gauges).toEqual({ connected: true, socketsConnected: 2, channelsJoined: 2 });
    expect(monitor.metrics().counters).toMatchObject({ connects: 3, reconnects: 1 });
  });

  it('records push and heartbeat round trips with percentiles', () => {
    const { monitor, telemetry } = setup();
    for (let i = 1; i <= 100; i++) telemetry.emit('push:reply', { rtt_ms: i });
    telemetry.emit('heartbeat', { rtt_ms: 2 });
    const s = monitor.summary();
    expect(s.pushRttP50Ms).toBe(50);
    expect(s.pushRttP99Ms).toBe(99);
    expect(s.heartbeatRttP50Ms).toBe(2);
  });

  it('counts errors, drops and overflows and shows them in the pipeline stats', () => {
    const { monitor, telemetry } = setup();
    telemetry.emit('message:received', { bytes: 1 });
    telemetry.emit('message:received', { bytes: 1 });
    telemetry.emit('decode:error', { bytes: 3 });
    telemetry.emit('message:dropped', {}, { reason: 'stale_join_ref' });
    telemetry.emit('buffer:overflow', { limit: 1, size: 1 });
    telemetry.emit('handler:error', {}, { where: 'x' });
    const m = monitor.metrics();
    expect(m.counters).toMatchObject({ errors: 2, decodeErrors: 1, handlerErrors: 1, drops: 2, overflows: 1 });
    expect(m.pipeline).toEqual({ received: 3, decodeErrors: 1, dropped: 1, dispatched: 1, errorRate: 1 / 3 });
  });

  it('writes a text report a person can read and a JSON report a machine can parse', () => {
    const { monitor, telemetry, tick } = setup();
    telemetry.emit('socket:connected', { duration_ms: 4 });
    telemetry.emit('push:reply', { rtt_ms: 1.5 });
    tick(1000);
    const text = monitor.report('text');
    expect(text).toContain('phx-socket performance report (uptime 1.0 s, connected)');
    expect(text).toMatch(/push rtt\s+1\s+1\.50/);
    expect(JSON.parse(monitor.report('json')).counters.connects).toBe(1);
  });

  it('stops observing after detach and starts over after reset', () => {
    const { monitor, telemetry, detach } = setup();
    telemetry.emit('message:received', { bytes: 1 });
    detach();
    telemetry.emit('message:received', { bytes: 1 });
    expect(monitor.metrics().counters.messagesIn).toBe(1);
    monitor.reset();
    expect(monitor.metrics().counters.messagesIn).toBe(0);
  });
});

describe('PerformanceMonitor and hibernation', () => {
  it('counts hibernations, wakes and released bytes, and reports them once there are any', () => {
    const monitor = new PerformanceMonitor({ now: () => 0 });
    expect(monitor.report('text')).not.toMatch(/hibernations/);
    monitor.observe('socket:hibernated', { measurements: { bytes_released: 2048, idle_ms: 1000 }, metadata: { reason: 'idle', mode: 'shed' } });
    monitor.observe('socket:woke', { measurements: { hibernated_ms: 10 }, metadata: { reason: 'traffic', reconnect: false } });
    expect(monitor.metrics().counters).toMatchObject({ hibernations: 1, wakes: 1, bytesReleased: 2048 });
    expect(monitor.report('text')).toMatch(/hibernations 1 \(woke 1, released 2\.0 KB\)/);
  });
});
