/**
 * Shared harness for the client suites: a testkit server per test, sockets that are always torn down,
 * and promise helpers that wait for telemetry or a condition instead of sleeping.
 */
import { startServer, type TestServer } from '@phx-socket/testkit';
import { afterEach } from 'vitest';
import { Socket, type SocketOptions, type TelemetryEventMap, type TelemetryEventName } from '../../src/index';

/**
 * Fast reconnects so suites finish in milliseconds. The heartbeat stays relaxed: a 200 ms beat can miss
 * under a loaded CI machine and reconnect mid-test; heartbeat suites set their own tight values.
 */
export const FAST: SocketOptions = Object.freeze({
  heartbeatIntervalMs: 5000,
  reconnectAfterMs: () => 20,
  rejoinAfterMs: () => 20,
  jitter: 'none',
});

const servers: TestServer[] = [];
const sockets: Socket[] = [];

afterEach(async () => {
  for (const socket of sockets.splice(0)) socket.disconnect();
  await Promise.all(servers.splice(0).map((s) => s.close()));
});

/** A testkit server on a free 127.0.0.1 port, closed after the test. */
export async function server(options: Parameters<typeof startServer>[0] = {}): Promise<TestServer> {
  const s = await startServer(options);
  servers.push(s);
  return s;
}

/** A socket on `url`, disconnected after the test. */
export function socket(url: string, options: SocketOptions = {}): Socket {
  const s = new Socket(url, { ...FAST, ...options });
  sockets.push(s);
  return s;
}

/** Resolves with the next telemetry event `name` matching `predicate`. */
export function nextEvent<K extends TelemetryEventName>(
  target: Socket,
  name: K,
  predicate: (event: TelemetryEventMap[K]) => boolean = () => true,
  timeoutMs = 5000,
): Promise<TelemetryEventMap[K]> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      off();
      reject(new Error(`no telemetry "${name}" within ${timeoutMs} ms`));
    }, timeoutMs);
    const off = target.telemetry.on(name, ((event: TelemetryEventMap[K]) => {
      if (!predicate(event)) return;
      clearTimeout(timer);
      off();
      resolve(event);
    }) as never);
  });
}

/** Resolves once `condition()` holds, checking every few ms. */
export async function until(condition: () => boolean, timeoutMs = 5000, what = 'condition'): Promise<void> {
  const start = Date.now();
  while (!condition()) {
    if (Date.now() - start > timeoutMs) throw new Error(`${what} did not hold within ${timeoutMs} ms`);
    await new Promise((r) => setTimeout(r, 5));
  }
}

/** Connects and resolves once open. */
export async function connected(target: Socket): Promise<Socket> {
  const open = nextEvent(target, 'socket:connected');
  target.connect();
  await open;
  return target;
}

/** An echo channel on `room:*`: replies ok with the payload, error for event "fail", nothing for "silent". */
export function echoRooms(s: TestServer): void {
  s.channel('room:*', {
    join: (_topic, params) => (params.deny ? { error: { reason: 'denied' } } : { ok: { joined: true } }),
    handleIn: (event, payload, channel) => {
      if (event === 'fail') return { reply: 'error', response: { reason: 'nope' } };
      if (event === 'silent') return { noreply: true };
      if (event === 'shout') {
        channel.broadcast('shout', payload);
        return { noreply: true };
      }
      return { reply: 'ok', response: payload };
    },
  });
}
