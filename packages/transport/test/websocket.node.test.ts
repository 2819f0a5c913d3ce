import { startServer } from '@phx-socket/testkit';
import { afterEach, describe, expect, it } from 'vitest';
import { authTokenProtocols } from '../src/auth-token';
import { ConnectTimeoutError, WebSocketError } from '../src/errors';
import { v2Serializer } from '../src/serializer-v2';
import { createWebSocketTransport } from '../src/websocket.node';
import type { WebSocketTransport } from '../src/websocket-transport';
import { closed, frame, join, opened, outcome } from './helpers/transport-events';

type Server = Awaited<ReturnType<typeof startServer>>;

let server: Server | undefined;
const conns: WebSocketTransport[] = [];

async function serve(options: Parameters<typeof startServer>[0] = {}): Promise<Server> {
  server = await startServer(options);
  server.channel('room:*', {
    join: () => ({ ok: {} }),
    handleIn: (_event, payload) => ({ reply: 'ok', response: payload }),
  });
  return server;
}

const endpoint = (s: Server) => `${s.url}/websocket?vsn=2.0.0`;

function connect(url: string, options?: Parameters<typeof createWebSocketTransport>[0], protocols?: string[]): WebSocketTransport {
  const conn = new (createWebSocketTransport(options))(url, protocols);
  conns.push(conn);
  return conn;
}

afterEach(async () => {
  for (const conn of conns.splice(0)) if (conn.readyState < 2) conn.close();
  await server?.close();
  server = undefined;
});

describe('createWebSocketTransport (Node)', () => {
  it('opens against a Phoenix server and exchanges V2 frames', async () => {
    const s = await serve();
    const conn = connect(endpoint(s));
    await opened(conn);
    expect(conn.readyState).toBe(1);
    expect(conn.binaryType).toBe('arraybuffer');
    expect(conn.url).toBe(endpoint(s));
    const reply = await join(conn, 'room:1');
    expect(v2Serializer.decode(JSON.stringify(reply))).toMatchObject({ topic: 'room:1', event: 'phx_reply', payload: { status: 'ok' } });
  });

  it('delivers binary frames as ArrayBuffer', async () => {
    const s = await serve();
    const conn = connect(endpoint(s));
    await opened(conn);
    await join(conn, 'room:bin');
    const next = frame(conn, (data) => data instanceof ArrayBuffer);
    s.broadcast('room:bin', 'blob', Uint8Array.of(1, 2, 3).buffer);
    const message = v2Serializer.decode(await next);
    expect(message).toMatchObject({ topic: 'room:bin', event: 'blob' });
    expect(Array.from(new Uint8Array(message.payload as ArrayBuffer))).toEqual([1, 2, 3]);
  });

  it('refuses a binaryType whose frames could not be delivered synchronously', async () => {
    const s = await serve();
    const conn = connect(endpoint(s));
    expect(() => (conn.binaryType = 'blob')).toThrow(TypeError);
    conn.binaryType = 'nodebuffer';
    await opened(conn);
    await join(conn, 'room:nb');
    const next = frame(conn, (data) => typeof data !== 'string');
    s.broadcast('room:nb', 'blob', Uint8Array.of(4).buffer);
    expect(await next).toBeInstanceOf(ArrayBuffer);
  });

  it('sends the configured headers on the upgrade request', async () => {
    const s = await serve();
    const conn = connect(endpoint(s), { headers: { 'x-client': 'phx-socket', authorization: 'Bearer abc' } });
    await opened(conn);
    const [seen] = s.connections;
    expect(seen?.headers['x-client']).toBe('phx-socket');
    expect(seen?.headers.authorization).toBe('Bearer abc');
  });

  it('carries an auth token as subprotocols the server decodes', async () => {
    const s = await serve();
    const conn = connect(endpoint(s), {}, authTokenProtocols('tökén/with+chars'));
    await opened(conn);
    expect(conn.protocol).toBe('phoenix');
    expect(s.connections[0]?.authToken).toBe('tökén/with+chars');
  });

  it('reports a refused connect (HTTP 403) as error then close, never open', async () => {
    const s = await serve({ connect: () => false });
    const result = await outcome(connect(endpoint(s)));
    expect(result.kind).toBe('closed');
    if (result.kind !== 'closed') return;
    expect(result.close.code).toBe(1006);
    expect(result.errors[0]?.error).toBeInstanceOf(WebSocketError);
    expect(result.errors[0]?.message).toContain('403');
  });

  describe('compression', () => {
    it('is off by default even when the server offers it', async () => {
      const s = await serve({ perMessageDeflate: true });
      const conn = connect(endpoint(s));
      await opened(conn);
      expect(conn.extensions).toBe('');
      expect(s.connections[0]?.extensions ?? '').not.toContain('permessage-deflate');
    });

    it('negotiates permessage-deflate when enabled, as both sides see it', async () => {
      const s = await serve({ perMessageDeflate: true });
      const conn = connect(endpoint(s), { compression: true });
      await opened(conn);
      expect(conn.extensions).toContain('permessage-deflate');
      expect(s.connections[0]?.extensions).toContain('permessage-deflate');
      // A compressed round trip still yields the same frames.
      const reply = await join(conn, 'room:z');
      expect(reply[3]).toBe('phx_reply');
    });

    it('passes a permessage-deflate options object through to the offer', async () => {
      const s = await serve({ perMessageDeflate: true });
      const conn = connect(endpoint(s), { compression: { clientNoContextTakeover: true, serverMaxWindowBits: 10 } });
      await opened(conn);
      const offer = s.connections[0]?.headers['sec-websocket-extensions'];
      expect(offer).toContain('client_no_context_takeover');
      expect(offer).toContain('server_max_window_bits=10');
      expect(conn.extensions).toContain('permessage-deflate');
    });
  });

  describe('maxPayloadBytes', () => {
    it('closes with 1009 when an inbound message is larger, and tells the server so', async () => {
      const s = await serve();
      const conn = connect(endpoint(s), { maxPayloadBytes: 1024 });
      await opened(conn);
      await join(conn, 'room:big');
      const done = closed(conn);
      s.broadcast('room:big', 'huge', { body: 'x'.repeat(4096) });
      const { close, errors } = await done;
      expect(close.code).toBe(1009);
      expect(close.wasClean).toBe(false);
      expect(errors[0]?.error.code).toBe('websocket_error');
      expect((errors[0]?.error as WebSocketError).detail).toBe('WS_ERR_UNSUPPORTED_MESSAGE_LENGTH');
    });

    it('lets a message at the limit through', async () => {
      const s = await serve();
      const conn = connect(endpoint(s), { maxPayloadBytes: 64 * 1024 });
      await opened(conn);
      await join(conn, 'room:ok');
      const next = frame(conn, (data) => typeof data === 'string' && data.includes('"fits"'));
      s.broadcast('room:ok', 'fits', { body: 'x'.repeat(4096) });
      expect(((await next) as string).length).toBeGreaterThan(4096);
    });
  });

  describe('connectTimeoutMs', () => {
    it('gives up on a server that never answers the upgrade: error, then close 1006 connect_timeout', async () => {
      const s = await serve();
      s.holdUpgrades();
      const result = await outcome(connect(endpoint(s), { connectTimeoutMs: 200 }));
      s.releaseUpgrades();
      expect(result.kind).toBe('closed');
      if (result.kind !== 'closed') return;
      expect(result.close).toEqual({ code: 1006, reason: 'connect_timeout', wasClean: false });
      expect(result.errors).toHaveLength(1);
      expect(result.errors[0]?.error).toBeInstanceOf(ConnectTimeoutError);
      expect(result.errors[0]?.error.code).toBe('connect_timeout');
      expect(result.afterMs).toBeGreaterThanOrEqual(190);
      expect(result.afterMs).toBeLessThan(2000);
    });

    it('reports the timeout once and nothing after it', async () => {
      const s = await serve();
      s.holdUpgrades();
      const conn = connect(endpoint(s), { connectTimeoutMs: 100 });
      const events: string[] = [];
      conn.onerror = () => events.push('error');
      conn.onclose = () => events.push('close');
      conn.onopen = () => events.push('open');
      await new Promise((resolve) => setTimeout(resolve, 300));
      s.releaseUpgrades();
      await new Promise((resolve) => setTimeout(resolve, 200));
      expect(events).toEqual(['error', 'close']);
      expect(conn.readyState).toBe(3);
    });

    it('does not fire once the socket has opened', async () => {
      const s = await serve();
      const conn = connect(endpoint(s), { connectTimeoutMs: 150 });
      await opened(conn);
      let closedEarly = false;
      conn.onclose = () => (closedEarly = true);
      await new Promise((resolve) => setTimeout(resolve, 300));
      expect(closedEarly).toBe(false);
      expect(conn.readyState).toBe(1);
    });
  });

  it('validates options when the transport is created, naming the option', () => {
    expect(() => createWebSocketTransport({ connectTimeoutMs: -1 })).toThrow(RangeError);
    expect(() => createWebSocketTransport({ connectTimeoutMs: -1 })).toThrow('transportOptions.connectTimeoutMs');
    expect(() => createWebSocketTransport({ headers: { a: 1 as never } })).toThrow(TypeError);
  });

  it('reports a refused TCP connection as error then close 1006', async () => {
    const s = await serve();
    const url = endpoint(s);
    await s.close();
    server = undefined;
    const result = await outcome(connect(url));
    expect(result.kind).toBe('closed');
    if (result.kind !== 'closed') return;
    expect(result.close.code).toBe(1006);
    expect((result.errors[0]?.error as WebSocketError).detail).toBe('ECONNREFUSED');
  });
});
