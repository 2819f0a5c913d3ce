/** Connection lifecycle on a fake transport and a manual clock: every timer is driven by the test. */
import { beforeEach, describe, expect, it } from 'vitest';
import { Socket, type SocketOptions } from '../src/index';
import { FakeScheduler } from './helpers/fake-scheduler';
import { FakeTransport } from './helpers/fake-transport';

let clock: FakeScheduler;
beforeEach(() => {
  clock = new FakeScheduler();
  FakeTransport.instances = [];
});

function make(options: SocketOptions = {}): Socket {
  return new Socket('ws://example.test/socket', {
    transport: FakeTransport,
    scheduler: clock,
    jitter: 'none',
    heartbeatIntervalMs: 1000,
    ...options,
  });
}

describe('Socket lifecycle (fake transport, manual clock)', () => {
  it('is idle until connect(), connecting until the transport opens, then open', () => {
    const socket = make({ params: { token: 't' } });
    expect(socket.state).toEqual({ status: 'idle' });
    expect(socket.connectionState()).toBe('closed');
    socket.connect();
    expect(socket.connectionState()).toBe('connecting');
    expect(FakeTransport.last.url).toBe('ws://example.test/socket/websocket?token=t&vsn=2.0.0');
    expect(FakeTransport.last.binaryType).toBe('arraybuffer');
    clock.advance(25);
    FakeTransport.last.open();
    expect(socket.state).toMatchObject({ status: 'open', url: 'ws://example.test/socket/websocket', connectedAt: 25 });
    expect(socket.isConnected()).toBe(true);
  });

  it('connect() while connecting or open does not open a second transport', () => {
    const socket = make();
    socket.connect();
    socket.connect();
    FakeTransport.last.open();
    socket.connect();
    expect(FakeTransport.instances).toHaveLength(1);
  });

  it('sends the auth token as subprotocols', () => {
    const socket = make({ authToken: 'secret' });
    socket.connect();
    expect(FakeTransport.last.protocols).toEqual(['phoenix', 'base64url.bearer.phx.c2VjcmV0']);
  });

  it('walks the reconnect schedule and resets it once a connection stayed up a heartbeat interval', () => {
    const socket = make({ reconnectAfterMs: (tries) => tries * 100 });
    const delays: number[] = [];
    socket.telemetry.on('socket:reconnect_scheduled', (e) => delays.push(e.measurements.delay_ms));
    socket.connect();
    FakeTransport.last.serverClose(1006);
    clock.advance(100);
    FakeTransport.last.serverClose(1006);
    clock.advance(200);
    FakeTransport.last.open();
    FakeTransport.last.serverClose(1000);
    expect(delays).toEqual([100, 200, 300]);
    clock.advance(300);
    FakeTransport.last.open();
    clock.advance(1000);
    FakeTransport.last.serverClose(1000);
    expect(delays).toEqual([100, 200, 300, 100]);
  });

  it('sends heartbeats on topic phoenix and closes + reconnects when a reply is missed', () => {
    const socket = make({ heartbeatIntervalMs: 1000, heartbeatTimeoutMs: 500, reconnectAfterMs: 10 });
    const closes: number[] = [];
    socket.onClose((e) => closes.push(e.code));
    socket.connect();
    const first = FakeTransport.last;
    first.open();
    clock.advance(1000);
    const [joinRef, ref, topic, event] = first.messages[0]!;
    expect([joinRef, topic, event]).toEqual([null, 'phoenix', 'heartbeat']);
    first.receive(JSON.stringify([null, ref, 'phoenix', 'phx_reply', { status: 'ok', response: {} }]));
    clock.advance(1000);
    expect(first.messages).toHaveLength(2);
    clock.advance(499);
    expect(socket.isConnected()).toBe(true);
    clock.advance(1);
    expect(socket.isConnected()).toBe(false);
    expect(first.closedWith).toEqual({ code: 1000, reason: 'heartbeat timeout' });
    expect(closes).toEqual([1006]);
    clock.advance(10);
    expect(FakeTransport.instances).toHaveLength(2);
  });

  it('skips heartbeats on transports that say skipHeartbeat (LongPoll)', () => {
    class NoBeat extends FakeTransport {
      readonly skipHeartbeat = true;
    }
    const socket = make({ transport: NoBeat });
    socket.connect();
    FakeTransport.last.open();
    clock.advance(10_000);
    expect(FakeTransport.last.sent).toHaveLength(0);
  });

  it('disconnect() closes with the given code, waits for the close, then calls back', () => {
    const socket = make();
    socket.connect();
    FakeTransport.last.open();
    let called = 0;
    socket.disconnect(() => called++, 4000, 'bye');
    expect(socket.connectionState()).toBe('closing');
    expect(FakeTransport.last.closedWith).toEqual({ code: 4000, reason: 'bye' });
    expect(called).toBe(0);
    FakeTransport.last.serverClose(4000, 'bye');
    expect(called).toBe(1);
    expect(socket.state).toMatchObject({ status: 'closed', reason: 'disconnected', lastClose: { code: 4000, requested: true } });
    clock.advance(60_000);
    expect(FakeTransport.instances).toHaveLength(1);
  });

  it('disconnect() gives up waiting for a close that never comes', () => {
    const socket = make();
    socket.connect();
    FakeTransport.last.open();
    let called = 0;
    socket.disconnect(() => called++);
    clock.advance(3000);
    expect(called).toBe(1);
    expect(socket.connectionState()).toBe('closed');
  });

  it('disconnect() while reconnecting cancels the pending attempt', () => {
    const socket = make({ reconnectAfterMs: 100 });
    socket.connect();
    FakeTransport.last.serverClose(1006);
    expect(socket.state.status).toBe('reconnecting');
    socket.disconnect();
    clock.advance(1000);
    expect(FakeTransport.instances).toHaveLength(1);
    expect(socket.state).toMatchObject({ status: 'closed', reason: 'disconnected' });
  });

  it('ignores events from a transport it already let go', () => {
    const socket = make({ reconnectAfterMs: 10 });
    socket.connect();
    const old = FakeTransport.last;
    old.serverClose(1006);
    clock.advance(10);
    FakeTransport.last.open();
    old.serverClose(1000);
    expect(socket.isConnected()).toBe(true);
  });

  it('disconnect() while async params are pending opens no transport', async () => {
    let release: (p: Record<string, unknown>) => void = () => {};
    const socket = make({ params: () => new Promise((resolve) => (release = resolve)) });
    socket.connect();
    expect(socket.connectionState()).toBe('connecting');
    socket.disconnect();
    release({ late: true });
    await Promise.resolve();
    await Promise.resolve();
    expect(FakeTransport.instances).toHaveLength(0);
    expect(socket.connectionState()).toBe('closed');
  });

  it('reports transport errors as TransportError telemetry and the raw event to onError', () => {
    const socket = make();
    const raw = { type: 'error' };
    const seen: unknown[] = [];
    const telemetry: unknown[] = [];
    socket.onError((e) => seen.push(e));
    socket.telemetry.on('socket:error', (e) => telemetry.push(e.metadata.error));
    socket.connect();
    FakeTransport.last.onerror?.(raw);
    expect(seen).toEqual([raw]);
    expect(telemetry[0]).toMatchObject({ code: 'transport_error', cause: raw });
  });

  it('makes increasing decimal refs', () => {
    const socket = make();
    const a = Number(socket.makeRef());
    expect(Number(socket.makeRef())).toBe(a + 1);
  });

  it('autoConnect connects from the constructor', () => {
    make({ autoConnect: true });
    expect(FakeTransport.instances).toHaveLength(1);
  });

  it('endPointURL() re-reads function params', () => {
    let n = 0;
    const socket = make({ params: () => ({ n: ++n }) });
    expect(socket.endPointURL()).toBe('ws://example.test/socket/websocket?n=1&vsn=2.0.0');
    expect(socket.endPointURL()).toBe('ws://example.test/socket/websocket?n=2&vsn=2.0.0');
  });

  it('rejects a relative endpoint outside browsers at construction', () => {
    expect(() => new Socket('/socket')).toThrow(TypeError);
  });
});
