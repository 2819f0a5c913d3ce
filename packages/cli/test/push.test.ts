/**
 * `phx-socket push`: the reply printed, and the exit code saying what happened (ok 0, error reply 1,
 * timeout 2, join refused 3, connect failed 4), with payloads from the argument, stdin or nothing.
 */
import { afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { startServer, type TestServer } from '@phx-socket/testkit';
import { killChildren, requireBuild, runCli } from './helpers/cli';

let server: TestServer;

beforeAll(requireBuild);
beforeEach(async () => {
  server = await startServer();
  server.channel('room:*', {
    join: (_topic, params) => (params.token === 'bad' ? { error: { reason: 'unauthorized' } } : { ok: {} }),
    handleIn: (event, payload) => {
      if (event === 'echo') return { reply: 'ok', response: { echoed: payload } };
      if (event === 'fail') return { reply: 'error', response: { reason: 'nope' } };
      return { noreply: true };
    },
  });
});
afterEach(async () => {
  killChildren();
  await server.close();
});

describe('phx-socket push', () => {
  it('prints an ok reply and exits 0', async () => {
    const exit = await runCli(['push', server.url, 'room:1', 'echo', '{"body":"hi"}', '--json']);
    expect(exit.code).toBe(0);
    const reply = exit.stdout.split('\n').filter(Boolean).map((l) => JSON.parse(l)).find((r) => r.type === 'reply');
    expect(reply).toMatchObject({ topic: 'room:1', event: 'echo', status: 'ok', response: { echoed: { body: 'hi' } } });
  });

  it('sends {} when no payload is given', async () => {
    const exit = await runCli(['push', server.url, 'room:1', 'echo']);
    expect(exit.code).toBe(0);
    expect(exit.stdout).toMatch(/room:1 echo reply ok \{"echoed":\{\}\}/);
  });

  it('reads the payload from stdin when it is -', async () => {
    const exit = await runCli(['push', server.url, 'room:1', 'echo', '-'], { stdin: '{"from": "stdin",\n "n": 3}\n' });
    expect(exit.code).toBe(0);
    expect(exit.stdout).toContain('reply ok {"echoed":{"from":"stdin","n":3}}');
  });

  it('prints an error reply and exits 1', async () => {
    const exit = await runCli(['push', server.url, 'room:1', 'fail', '{}']);
    expect(exit.code).toBe(1);
    expect(exit.stdout).toContain('room:1 fail reply error {"reason":"nope"}');
  });

  it('exits 2 with one stderr line when no reply comes within --timeout', async () => {
    const exit = await runCli(['push', server.url, 'room:1', 'silence', '{}', '--timeout', '300']);
    expect(exit.code).toBe(2);
    expect(exit.stderr).toBe('phx-socket: no reply to "silence" on room:1 within 300 ms (--timeout)\n');
  });

  it("exits 3 with the server's reason when the join is refused", async () => {
    const exit = await runCli(['push', server.url, 'room:1', 'echo', '{}', '--join-params', 'token=bad']);
    expect(exit.code).toBe(3);
    expect(exit.stderr).toBe('phx-socket: join refused on room:1: unauthorized\n');
  });

  it('exits 4 when nothing listens at the URL', async () => {
    const dead = await startServer();
    const url = dead.url;
    await dead.close();
    const exit = await runCli(['push', url, 'room:1', 'echo', '{}']);
    expect(exit.code).toBe(4);
    expect(exit.stderr).toMatch(/^phx-socket: cannot connect to ws:\/\/127\.0\.0\.1:\d+\/socket: connect ECONNREFUSED .*\n$/);
  });

  it('exits 4 and hints at --params/--token when the server refuses the connection', async () => {
    await server.close();
    server = await startServer({ connect: () => false });
    const exit = await runCli(['push', server.url, 'room:1', 'echo', '{}']);
    expect(exit.code).toBe(4);
    expect(exit.stderr).toMatch(/^phx-socket: cannot connect to .*403.*check --params and --token\)\n$/);
  });

  it('exits 4 after --connect-timeout when the server never answers the upgrade', async () => {
    server.holdUpgrades();
    const started = Date.now();
    const exit = await runCli(['push', server.url, 'room:1', 'echo', '{}', '--connect-timeout', '400']);
    expect(exit.code).toBe(4);
    expect(exit.stderr).toMatch(/^phx-socket: cannot connect to .*no connection within 400 ms \(--connect-timeout\)\n$/);
    expect(Date.now() - started).toBeLessThan(4000);
    server.releaseUpgrades();
  });

  it('refuses a bad JSON payload before connecting, on one line, exit 64', async () => {
    const exit = await runCli(['push', server.url, 'room:1', 'echo', '{"body": hi}']);
    expect(exit.code).toBe(64);
    expect(exit.stderr).toMatch(/^phx-socket: bad JSON payload '\{"body": hi\}': .+\n$/);
    expect(exit.stderr).not.toMatch(/\n\s+at /);
    expect(server.stats().totalConnections).toBe(0);
  });

  it('refuses an empty stdin payload', async () => {
    const exit = await runCli(['push', server.url, 'room:1', 'echo', '-'], { stdin: '' });
    expect(exit.code).toBe(64);
    expect(exit.stderr).toBe('phx-socket: bad JSON payload: stdin was empty\n');
  });
});
