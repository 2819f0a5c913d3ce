import { readFileSync } from 'node:fs';
import { Agent, type ClientRequestArgs } from 'node:http';
import { createConnection, type Socket } from 'node:net';
import { startServer } from '@phx-socket/testkit';
import { afterEach, describe, expect, it } from 'vitest';
import { WebSocketError } from '../src/errors';
import { createWebSocketTransport } from '../src/websocket.node';
import type { WebSocketTransport, WebSocketTransportOptions } from '../src/index';
import { opened, outcome } from './helpers/transport-events';

const fixture = (name: string) => readFileSync(new URL(`./fixtures/${name}`, import.meta.url), 'utf8');
const cert = fixture('localhost-cert.pem');
const key = fixture('localhost-key.pem');

type Server = Awaited<ReturnType<typeof startServer>>;
let server: Server | undefined;
const conns: WebSocketTransport[] = [];

function connect(url: string, options: WebSocketTransportOptions): WebSocketTransport {
  const conn = new (createWebSocketTransport(options))(url);
  conns.push(conn);
  return conn;
}

afterEach(async () => {
  for (const conn of conns.splice(0)) if (conn.readyState < 2) conn.close();
  await server?.close();
  server = undefined;
});

describe('TLS options of the Node WebSocket transport', () => {
  const endpoint = (s: Server) => `${s.url.replace(/^ws:/, 'wss:')}/websocket?vsn=2.0.0`;

  it('refuses a self-signed server by default (rejectUnauthorized true)', async () => {
    server = await startServer({ tls: { key, cert } });
    const result = await outcome(connect(endpoint(server), {}));
    expect(result.kind).toBe('closed');
    if (result.kind !== 'closed') return;
    expect(result.close.code).toBe(1006);
    expect(result.errors[0]?.error).toBeInstanceOf(WebSocketError);
    expect((result.errors[0]?.error as WebSocketError).detail).toBe('DEPTH_ZERO_SELF_SIGNED_CERT');
    expect(server.connections).toHaveLength(0);
  });

  it('connects when the certificate is trusted through ca', async () => {
    server = await startServer({ tls: { key, cert } });
    const conn = connect(endpoint(server), { ca: cert });
    await opened(conn);
    expect(server.connections).toHaveLength(1);
    expect(conn.nodeSocket).not.toBeNull();
  });

  it('connects without verification when rejectUnauthorized is false', async () => {
    server = await startServer({ tls: { key, cert } });
    await opened(connect(endpoint(server), { rejectUnauthorized: false }));
  });
});

describe('agent option of the Node WebSocket transport', () => {
  /** An agent that sends every connection to one port, whatever the URL says. */
  class RoutingAgent extends Agent {
    used = 0;
    constructor(private readonly port: number) {
      super();
    }
    override createConnection(_options: ClientRequestArgs, callback?: (err: Error | null, socket: Socket) => void): Socket {
      this.used++;
      const socket = createConnection({ host: '127.0.0.1', port: this.port });
      if (callback) socket.once('connect', () => callback(null, socket));
      return socket;
    }
  }

  it('opens the connection through the given agent', async () => {
    server = await startServer({});
    const agent = new RoutingAgent(Number(new URL(server.url).port));
    // Port 9 (discard) has nothing listening: only the agent can make this connect.
    const conn = connect('ws://127.0.0.1:9/socket/websocket?vsn=2.0.0', { agent, connectTimeoutMs: 2_000 });
    await opened(conn);
    expect(agent.used).toBe(1);
    expect(server.connections).toHaveLength(1);
    agent.destroy();
  });
});
