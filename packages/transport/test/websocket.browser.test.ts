import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { ConnectTimeoutError, WebSocketUnavailableError } from '../src/errors';
import { createWebSocketTransport } from '../src/websocket.browser';
import { isTransportErrorEvent, type TransportErrorEvent } from '../src/websocket-transport';

/** A stand-in for the DOM WebSocket that records what the transport did to it. */
class StubWebSocket {
  static instances: StubWebSocket[] = [];
  readyState = 0;
  binaryType = 'blob';
  extensions = '';
  protocol = '';
  bufferedAmount = 0;
  sent: unknown[] = [];
  closedWith: Array<[number | undefined, string | undefined]> = [];
  onopen: ((event: unknown) => void) | null = null;
  onmessage: ((event: { data: unknown }) => void) | null = null;
  onclose: ((event: { code: number; reason: string; wasClean: boolean }) => void) | null = null;
  onerror: ((event: unknown) => void) | null = null;
  constructor(
    readonly url: string,
    readonly protocols?: string | string[],
  ) {
    StubWebSocket.instances.push(this);
  }
  send(data: unknown) {
    this.sent.push(data);
  }
  close(code?: number, reason?: string) {
    this.closedWith.push([code, reason]);
    this.readyState = 3;
    // Browsers fail a still-connecting socket with error + 1006, and close an open one cleanly.
    this.onclose?.({ code: code ?? 1006, reason: reason ?? '', wasClean: code !== undefined });
  }
  open(protocol = '') {
    this.readyState = 1;
    this.protocol = protocol;
    this.onopen?.({});
  }
}

const url = 'wss://example.test/socket/websocket?vsn=2.0.0';
const last = () => StubWebSocket.instances.at(-1)!;

describe('createWebSocketTransport (browser)', () => {
  beforeEach(() => {
    StubWebSocket.instances = [];
    vi.stubGlobal('WebSocket', StubWebSocket);
  });
  afterEach(() => {
    vi.unstubAllGlobals();
    vi.useRealTimers();
  });

  it('opens the global WebSocket with the URL and protocols, in arraybuffer mode', () => {
    const Transport = createWebSocketTransport();
    const conn = new Transport(url, ['phoenix', 'base64url.bearer.phx.eA']);
    expect(last().url).toBe(url);
    expect(last().protocols).toEqual(['phoenix', 'base64url.bearer.phx.eA']);
    expect(conn.binaryType).toBe('arraybuffer');
    expect(conn.nodeSocket).toBeNull();
  });

  it('gives the ignored Node-only options to onNotice once, however many connections follow', () => {
    const onNotice = vi.fn();
    const Transport = createWebSocketTransport({ noDelay: false, compression: true, headers: { a: 'b' }, connectTimeoutMs: 0, onNotice });
    new Transport(url);
    new Transport(url);
    expect(onNotice).toHaveBeenCalledTimes(1);
    const notice = onNotice.mock.calls[0]![0] as string;
    expect(notice).toContain('noDelay, compression, headers');
    expect(notice).not.toContain('connectTimeoutMs');
  });

  it('gives no notice when only portable options are set', () => {
    const onNotice = vi.fn();
    new (createWebSocketTransport({ connectTimeoutMs: 5, onNotice }))(url);
    expect(onNotice).not.toHaveBeenCalled();
  });

  it('keeps connecting when onNotice throws', () => {
    const Transport = createWebSocketTransport({ keepAlive: false, onNotice: () => { throw new Error('logger down'); } });
    expect(() => new Transport(url)).not.toThrow();
  });

  it('forwards open, message, close and error events, and sends and closes through the socket', () => {
    const conn = new (createWebSocketTransport())(url);
    const events: unknown[] = [];
    conn.onopen = () => events.push('open');
    conn.onmessage = (e) => events.push(e.data);
    conn.onerror = (e) => events.push(isTransportErrorEvent(e) ? e.error.code : e);
    conn.onclose = (e) => events.push(e);
    last().open('phoenix');
    expect(conn.readyState).toBe(1);
    expect(conn.protocol).toBe('phoenix');
    last().onmessage?.({ data: '[null,null,"t","e",{}]' });
    conn.send('frame');
    last().onerror?.({ type: 'error' });
    conn.close(1000, 'bye');
    expect(last().sent).toEqual(['frame']);
    expect(events).toEqual(['open', '[null,null,"t","e",{}]', 'websocket_error', { code: 1000, reason: 'bye', wasClean: true }]);
  });

  it('aborts a socket that does not open within connectTimeoutMs and reports error then close 1006 connect_timeout', () => {
    vi.useFakeTimers();
    const conn = new (createWebSocketTransport({ connectTimeoutMs: 500 }))(url);
    const events: unknown[] = [];
    conn.onerror = (e) => events.push((e as TransportErrorEvent).error);
    conn.onclose = (e) => events.push(e);
    vi.advanceTimersByTime(499);
    expect(events).toEqual([]);
    vi.advanceTimersByTime(1);
    expect(last().closedWith).toHaveLength(1);
    expect(events).toHaveLength(2);
    expect(events[0]).toBeInstanceOf(ConnectTimeoutError);
    expect(events[1]).toEqual({ code: 1006, reason: 'connect_timeout', wasClean: false });
    expect(conn.readyState).toBe(3);
  });

  it('does not time out a socket that opened in time', () => {
    vi.useFakeTimers();
    const conn = new (createWebSocketTransport({ connectTimeoutMs: 500 }))(url);
    const onclose = vi.fn();
    conn.onclose = onclose;
    last().open();
    vi.advanceTimersByTime(10_000);
    expect(onclose).not.toHaveBeenCalled();
    expect(last().closedWith).toEqual([]);
  });

  it('throws WebSocketUnavailableError at connect time when there is no global WebSocket', () => {
    vi.stubGlobal('WebSocket', undefined);
    const Transport = createWebSocketTransport();
    expect(() => new Transport(url)).toThrow(WebSocketUnavailableError);
  });

  it('validates options eagerly, like the Node transport', () => {
    expect(() => createWebSocketTransport({ connectTimeoutMs: -5 })).toThrow(RangeError);
  });
});
