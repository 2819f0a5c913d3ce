import { installDemoChannels, startServer, type TestServer } from '@phx-socket/testkit';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runExample, stopAll, type ExampleProcess } from '../../test-helpers/child';

interface Health {
  name: string;
  status: string;
  up: boolean;
  rttMs: number | null;
  lastHeartbeatAgoMs: number | null;
  reconnects: number;
}
type Line =
  | { type: 'health'; n: number; endpoints: Health[] }
  | { type: 'broadcast'; n: number; results: Record<string, { status: 'ok' | 'error' | 'down' }> };

const names = ['eu', 'us', 'ap'] as const;
const servers: Record<string, TestServer> = {};
const pings: Record<string, number> = { eu: 0, us: 0, ap: 0 };
let fleet: ExampleProcess;

async function serve(name: string, port = 0): Promise<TestServer> {
  const server = await startServer({ port });
  installDemoChannels(server);
  server.on('message', ({ message }) => {
    if (message.event === 'ping') pings[name]!++;
  });
  servers[name] = server;
  return server;
}

/** Waits for a line printed after `since` lines that satisfies `predicate`. */
async function waitLine<T extends Line['type']>(type: T, predicate: (line: Extract<Line, { type: T }>) => boolean, since = 0) {
  let found: Extract<Line, { type: T }> | undefined;
  await expect
    .poll(
      () => {
        const lines = fleet.jsonLines<Line>().slice(since);
        found = lines.find((l): l is Extract<Line, { type: T }> => l.type === type && predicate(l as Extract<Line, { type: T }>));
        return found !== undefined;
      },
      { timeout: 10_000, interval: 50 },
    )
    .toBe(true);
  return found!;
}

const byName = (h: Health[]) => Object.fromEntries(h.map((e) => [e.name, e]));

beforeAll(async () => {
  for (const name of names) await serve(name);
  fleet = runExample('multi-socket', [...names.map((n) => `${n}=${servers[n]!.url}`), '--every', '150', '--json']);
});

afterAll(async () => {
  stopAll();
  await Promise.all(Object.values(servers).map((s) => s.close()));
});

describe('multi-socket', () => {
  it('connects every named endpoint, broadcasts to all and reports heartbeat rtt per endpoint', async () => {
    const health = await waitLine('health', (l) => l.endpoints.every((e) => e.up && e.rttMs !== null));
    expect(health.endpoints.map((e) => e.name)).toEqual(['eu', 'us', 'ap']);
    for (const e of health.endpoints) {
      expect(e.status).toBe('open');
      expect(e.rttMs).toBeGreaterThanOrEqual(0);
      expect(e.lastHeartbeatAgoMs).toBeLessThan(5000);
    }
    await waitLine('broadcast', (l) => names.every((n) => l.results[n]?.status === 'ok'));
    // Each server really received the fan-out.
    for (const n of names) expect(pings[n]).toBeGreaterThan(0);
  });

  it('a server going away shows as down while the others stay fine, and it comes back', async () => {
    const port = servers.us!.port;
    await servers.us!.close();
    const mark = fleet.jsonLines<Line>().length;

    const down = await waitLine('health', (l) => !byName(l.endpoints).us!.up, mark);
    const h = byName(down.endpoints);
    expect(h.us!.status).not.toBe('open');
    expect(h.eu!.up && h.ap!.up).toBe(true);
    const partial = await waitLine('broadcast', (l) => l.results.us?.status === 'down', mark);
    expect(partial.results.eu?.status).toBe('ok');
    expect(partial.results.ap?.status).toBe('ok');

    const before = pings.us!;
    await serve('us', port);
    const back = await waitLine('health', (l) => l.endpoints.every((e) => e.up), fleet.jsonLines<Line>().length);
    expect(byName(back.endpoints).us!.reconnects).toBeGreaterThan(0);
    await waitLine('broadcast', (l) => names.every((n) => l.results[n]?.status === 'ok'), fleet.jsonLines<Line>().length);
    expect(pings.us).toBeGreaterThan(before);
  });

  it('stops cleanly on SIGTERM', async () => {
    fleet.child.kill('SIGTERM');
    expect(await fleet.exited).toEqual({ code: 0, signal: null });
  });
});
