/**
 * `phx-socket listen`, the built binary against a testkit server: broadcasts printed, JSON lines, event
 * filters, connect and join params, Ctrl-C leaving the channels, refused joins, reconnects.
 */
import { afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { startServer, type TestServer } from '@phx-socket/testkit';
import { killChildren, requireBuild, startCli } from './helpers/cli';

let server: TestServer;

beforeAll(requireBuild);
beforeEach(async () => {
  server = await startServer();
});
afterEach(async () => {
  killChildren();
  await server.close();
});

describe('phx-socket listen', () => {
  it('prints every broadcast on each joined topic with its topic, event and payload', async () => {
    server.channel('room:*', {});
    const cli = startCli(['listen', server.url, 'room:lobby', 'room:other']);
    await cli.waitFor('joined room:other');
    server.broadcast('room:lobby', 'new_msg', { body: 'hi' });
    server.broadcast('room:other', 'tick', { n: 2 });
    await cli.waitFor('room:other tick {"n":2}');
    expect(cli.stdout()).toMatch(/^\d\d:\d\d:\d\d\.\d{3} room:lobby new_msg \{"body":"hi"\}$/m);
    expect(cli.stdout()).toContain('connected to ' + server.url);
  });

  it('prints one JSON object per line with --json, each parseable on its own', async () => {
    server.channel('room:*', {});
    const cli = startCli(['listen', server.url, 'room:lobby', '--json']);
    await cli.waitFor('"status":"joined"');
    server.broadcast('room:lobby', 'new_msg', { body: 'hi', n: [1, 2] });
    await cli.waitFor('"event":"new_msg"');
    const records = cli.lines().map((line) => JSON.parse(line) as Record<string, unknown>);
    expect(records.map((r) => r.type)).toEqual(['status', 'status', 'message']);
    expect(records[2]).toMatchObject({ type: 'message', topic: 'room:lobby', event: 'new_msg', payload: { body: 'hi', n: [1, 2] } });
    expect(Number.isNaN(Date.parse(String(records[2]!.ts)))).toBe(false);
  });

  it('prints only the events named with --event', async () => {
    server.channel('room:*', {});
    const cli = startCli(['listen', server.url, 'room:lobby', '--event', 'keep', '--event', 'also']);
    await cli.waitFor('joined room:lobby');
    server.broadcast('room:lobby', 'drop', { n: 1 });
    server.broadcast('room:lobby', 'keep', { n: 2 });
    server.broadcast('room:lobby', 'also', { n: 3 });
    await cli.waitFor('also {"n":3}');
    expect(cli.stdout()).toContain('keep {"n":2}');
    expect(cli.stdout()).not.toContain('drop');
  });

  it('sends --params and --token with the connect and --join-params with the join', async () => {
    const seen: { params?: Record<string, unknown>; token?: string | undefined } = {};
    const joined: Record<string, unknown>[] = [];
    await server.close();
    server = await startServer({
      connect: (params, info) => {
        seen.params = params;
        seen.token = info.authToken;
        return true;
      },
    });
    server.channel('room:*', { join: (_topic, params) => void joined.push(params) });
    const cli = startCli(['listen', server.url, 'room:lobby', '--params', 'user=ana', '--params', 'x=a=b', '--token', 'secret', '--join-params', 'color=red']);
    await cli.waitFor('joined room:lobby');
    expect(seen.params).toMatchObject({ user: 'ana', x: 'a=b' });
    expect(seen.token).toBe('secret');
    expect(joined).toEqual([{ color: 'red' }]);
  });

  it('leaves every channel on Ctrl-C (SIGINT) and exits 0', async () => {
    server.channel('room:*', {});
    const cli = startCli(['listen', server.url, 'room:a', 'room:b']);
    await cli.waitFor('joined room:b');
    const leaves = Promise.all([
      server.waitFor('leave', (e) => e.topic === 'room:a'),
      server.waitFor('leave', (e) => e.topic === 'room:b'),
    ]);
    cli.child.kill('SIGINT');
    const [a, b] = await leaves;
    expect([a.reason, b.reason]).toEqual(['left', 'left']);
    const exit = await cli.exited;
    expect(exit.code).toBe(0);
    expect(exit.stderr).toBe('');
  });

  it('exits 0 without a stack trace when the reader of its stdout goes away (| head)', async () => {
    server.channel('room:*', {});
    const cli = startCli(['listen', server.url, 'room:lobby']);
    await cli.waitFor('joined room:lobby');
    cli.child.stdout!.destroy();
    server.broadcast('room:lobby', 'a', {});
    server.broadcast('room:lobby', 'b', {});
    const exit = await cli.exited;
    expect(exit.code).toBe(0);
    expect(exit.stderr).toBe('');
  });

  it("exits 3 with the server's reason on one stderr line when a join is refused", async () => {
    server.channel('room:*', { join: () => ({ error: { reason: 'unauthorized' } }) });
    const exit = await startCli(['listen', server.url, 'room:x']).exited;
    expect(exit.code).toBe(3);
    expect(exit.stderr).toBe('phx-socket: join refused on room:x: unauthorized\n');
  });

  it('reconnects and rejoins after an established session is dropped, then keeps printing', async () => {
    server.channel('room:*', {});
    const cli = startCli(['listen', server.url, 'room:lobby']);
    await cli.waitFor('joined room:lobby');
    await server.dropAll();
    await cli.waitFor('rejoined room:lobby');
    server.broadcast('room:lobby', 'after', { ok: true });
    await cli.waitFor('room:lobby after {"ok":true}');
    expect(cli.stdout()).toMatch(/disconnected \(code 1000: dropped\); reconnecting/);
    expect(cli.child.exitCode).toBeNull();
  });

  it('gives up with exit 4 after the first failed connect instead of retrying', async () => {
    const dead = server;
    server = await startServer(); // started first, so it cannot take the closed port
    const url = dead.url;
    await dead.close();
    const started = Date.now();
    const exit = await startCli(['listen', url, 'room:lobby']).exited;
    expect(exit.code).toBe(4);
    expect(exit.stderr).toMatch(/^phx-socket: cannot connect to ws:\/\/127\.0\.0\.1:\d+\/socket: connect ECONNREFUSED [^\n]*\n$/);
    expect(Date.now() - started).toBeLessThan(5000);
  });
});
