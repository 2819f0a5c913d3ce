/**
 * The global options against a testkit server: --presence and --telemetry output, the serializers
 * (v1, msgpack) and LongPoll seen from the server side, and TLS (--insecure, --ca, and the refusal of a
 * self-signed certificate without them).
 */
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { startServer, type ServerOptions, type TestServer } from '@phx-socket/testkit';
import { killChildren, requireBuild, runCli, startCli } from './helpers/cli';

const FIXTURES = resolve(__dirname, '../../transport/test/fixtures');
let server: TestServer | undefined;

async function serve(options: ServerOptions = {}): Promise<TestServer> {
  server = await startServer(options);
  server.channel('room:*', {
    presence: true,
    afterJoin: (socket) => void server!.track(socket, socket.topic, String(socket.params.user ?? 'anon'), { device: 'cli' }),
    handleIn: (event, payload) => ({ reply: 'ok', response: { event, payload } }),
  });
  return server;
}

beforeAll(requireBuild);
afterEach(async () => {
  killChildren();
  await server?.close();
  server = undefined;
});

describe('--presence', () => {
  it('prints the presence list on every sync', async () => {
    const s = await serve();
    const cli = startCli(['listen', s.url, 'room:1', '--presence', '--params', 'user=ana']);
    await cli.waitFor('room:1 presence 1 online: ana');
    const other = startCli(['listen', s.url, 'room:1', '--params', 'user=bob']);
    await other.waitFor('joined room:1');
    await cli.waitFor('room:1 presence 2 online: ana, bob');
  });

  it('prints the list as a presence record with --json', async () => {
    const s = await serve();
    const cli = startCli(['listen', s.url, 'room:1', '--presence', '--json', '--params', 'user=ana']);
    await cli.waitFor(/"type":"presence".*"key":"ana"/);
    const records = cli.lines().map((l) => JSON.parse(l)).filter((r) => r.type === 'presence');
    expect(records[0]).toMatchObject({ topic: 'room:1', presences: [] }); // presence_state before ana's diff
    const record = records.at(-1);
    expect(record).toMatchObject({ topic: 'room:1', presences: [{ key: 'ana', metas: [expect.objectContaining({ device: 'cli' })] }] });
  });
});

describe('--telemetry', () => {
  it("streams the socket's telemetry events", async () => {
    const s = await serve();
    const exit = await runCli(['push', s.url, 'room:1', 'echo', '{}', '--telemetry', '--json']);
    expect(exit.code).toBe(0);
    const names = exit.stdout.split('\n').filter(Boolean).map((l) => JSON.parse(l)).filter((r) => r.type === 'telemetry').map((r) => r.name);
    for (const name of ['socket:connecting', 'socket:connected', 'channel:joined', 'message:sent', 'push:reply', 'channel:left']) {
      expect(names).toContain(name);
    }
  });

  it('prints nothing of it without the option', async () => {
    const s = await serve();
    const exit = await runCli(['push', s.url, 'room:1', 'echo', '{}']);
    expect(exit.stdout).not.toContain('telemetry');
  });
});

describe('serializers and transports', () => {
  it('speaks V1 JSON with --serializer v1', async () => {
    const s = await serve();
    const vsns: string[] = [];
    s.on('connection', (c) => void vsns.push(c.vsn));
    const exit = await runCli(['push', s.url, 'room:1', 'echo', '{"v":1}', '--serializer', 'v1']);
    expect(exit.code).toBe(0);
    expect(exit.stdout).toContain('reply ok {"event":"echo","payload":{"v":1}}');
    expect(vsns).toEqual(['1.0.0']);
  });

  it('connects with vsn 1.0.0 for v1 and 2.0.0-msgpack for msgpack, and receives broadcasts with both', async () => {
    const s = await serve();
    const vsns: string[] = [];
    s.on('connection', (c) => void vsns.push(c.vsn));
    for (const serializer of ['v1', 'msgpack']) {
      const cli = startCli(['listen', s.url, `room:${serializer}`, '--serializer', serializer]);
      await cli.waitFor(`joined room:${serializer}`);
      s.broadcast(`room:${serializer}`, 'news', { via: serializer });
      await cli.waitFor(`room:${serializer} news {"via":"${serializer}"}`);
    }
    expect(vsns).toEqual(['1.0.0', '2.0.0-msgpack']);
  });

  it('pushes over msgpack and prints the reply', async () => {
    const s = await serve();
    const exit = await runCli(['push', s.url, 'room:1', 'echo', '{"n":[1,2]}', '--serializer', 'msgpack']);
    expect(exit.code).toBe(0);
    expect(exit.stdout).toContain('reply ok {"event":"echo","payload":{"n":[1,2]}}');
  });

  it('uses LongPoll with --longpoll', async () => {
    const s = await serve();
    const transports: string[] = [];
    s.on('connection', (c) => void transports.push(c.transport));
    const cli = startCli(['listen', s.url, 'room:1', '--longpoll']);
    await cli.waitFor('joined room:1');
    s.broadcast('room:1', 'news', { over: 'http' });
    await cli.waitFor('room:1 news {"over":"http"}');
    expect(transports).toEqual(['longpoll']);
  });
});

describe('TLS', () => {
  const tls = () => ({ key: readFileSync(resolve(FIXTURES, 'localhost-key.pem'), 'utf8'), cert: readFileSync(resolve(FIXTURES, 'localhost-cert.pem'), 'utf8') });

  it('refuses a self-signed certificate by default with exit 4', async () => {
    const s = await serve({ tls: tls() });
    expect(s.url.startsWith('wss://')).toBe(true);
    const exit = await runCli(['push', s.url, 'room:1', 'echo', '{}']);
    expect(exit.code).toBe(4);
    expect(exit.stderr).toMatch(/^phx-socket: cannot connect to wss:.*self[- ]signed certificate.*\n$/);
  });

  it('accepts it with --insecure', async () => {
    const s = await serve({ tls: tls() });
    const exit = await runCli(['push', s.url, 'room:1', 'echo', '{}', '--insecure']);
    expect(exit.code).toBe(0);
    expect(exit.stdout).toContain('reply ok');
  });

  it('trusts it with --ca FILE', async () => {
    const s = await serve({ tls: tls() });
    const exit = await runCli(['push', s.url, 'room:1', 'echo', '{}', '--ca', resolve(FIXTURES, 'localhost-cert.pem')]);
    expect(exit.code).toBe(0);
    expect(exit.stdout).toContain('reply ok');
  });
});
