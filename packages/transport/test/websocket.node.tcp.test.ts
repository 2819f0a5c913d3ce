import { Socket } from 'node:net';
import { startServer } from '@phx-socket/testkit';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { createWebSocketTransport } from '../src/websocket.node';
import type { WebSocketTransport, WebSocketTransportOptions } from '../src/index';
import { hasProcNetTcp, keepAliveTimer } from './helpers/proc-net-tcp';
import { opened } from './helpers/transport-events';

type Server = Awaited<ReturnType<typeof startServer>>;
let server: Server | undefined;
let conn: WebSocketTransport | undefined;

async function openWith(options: WebSocketTransportOptions): Promise<WebSocketTransport> {
  server = await startServer({});
  conn = new (createWebSocketTransport(options))(`${server.url}/websocket?vsn=2.0.0`);
  await opened(conn);
  return conn;
}

afterEach(async () => {
  vi.restoreAllMocks();
  conn?.close();
  conn = undefined;
  await server?.close();
  server = undefined;
});

describe('TCP tuning of the Node WebSocket transport', () => {
  it('exposes the connected socket for diagnostics once open', async () => {
    const c = await openWith({});
    expect(c.nodeSocket).toBeInstanceOf(Socket);
    expect(c.nodeSocket?.remotePort).toBe(Number(new URL(server!.url).port));
  });

  describe.runIf(hasProcNetTcp())('keep-alive, as the kernel sees it', () => {
    it('arms a keep-alive timer of keepAliveInitialDelayMs by default (30 s)', async () => {
      const c = await openWith({});
      const timer = await keepAliveTimer(c.nodeSocket!.localPort!);
      expect(timer?.kind).toBe(2);
      expect(timer!.remainingMs).toBeGreaterThan(25_000);
      expect(timer!.remainingMs).toBeLessThanOrEqual(30_000);
    });

    it('uses a custom initial delay', async () => {
      const c = await openWith({ keepAliveInitialDelayMs: 5_000 });
      const timer = await keepAliveTimer(c.nodeSocket!.localPort!);
      expect(timer?.kind).toBe(2);
      expect(timer!.remainingMs).toBeGreaterThan(3_000);
      expect(timer!.remainingMs).toBeLessThanOrEqual(5_000);
    });

    it('arms no keep-alive timer when keepAlive is false', async () => {
      const c = await openWith({ keepAlive: false });
      const timer = await keepAliveTimer(c.nodeSocket!.localPort!, 200);
      expect(timer?.kind).not.toBe(2);
    });
  });

  describe('noDelay', () => {
    // Node offers no getter for TCP_NODELAY and the kernel does not list it in /proc, so the last
    // setting applied to this very socket is what the test can observe.
    const lastNoDelayFor = (spy: { mock: { calls: unknown[][]; contexts: unknown[] } }, socket: unknown) => {
      const calls = spy.mock.calls.filter((_, i) => spy.mock.contexts[i] === socket);
      const last = calls.at(-1);
      return last === undefined ? undefined : (last[0] ?? true);
    };

    it('leaves Nagle off by default', async () => {
      const spy = vi.spyOn(Socket.prototype, 'setNoDelay');
      const c = await openWith({});
      expect(lastNoDelayFor(spy, c.nodeSocket)).toBe(true);
    });

    it('turns Nagle back on when noDelay is false, after ws has turned it off', async () => {
      const spy = vi.spyOn(Socket.prototype, 'setNoDelay');
      const c = await openWith({ noDelay: false });
      expect(lastNoDelayFor(spy, c.nodeSocket)).toBe(false);
    });
  });
});
