/**
 * `phx-socket repl` fed through a pipe: no prompt, every line run in order after the previous one's reply,
 * and the process exits once stdin ended and the last command finished.
 */
import { afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { startServer, type TestServer } from '@phx-socket/testkit';
import { killChildren, requireBuild, runCli, startCli } from './helpers/cli';

let server: TestServer;
const handled: string[] = [];

beforeAll(requireBuild);
beforeEach(async () => {
  handled.length = 0;
  server = await startServer();
  server.channel('room:*', {
    presence: true,
    afterJoin: (socket) => void server.track(socket, socket.topic, String(socket.params.user ?? 'anon'), { online_at: 1 }),
    handleIn: async (event, payload) => {
      handled.push(event);
      if (event === 'slow') await new Promise((r) => setTimeout(r, 300));
      if (event === 'fail') return { reply: 'error', response: { reason: 'nope' } };
      return { reply: 'ok', response: { event, payload } };
    },
  });
});
afterEach(async () => {
  killChildren();
  await server.close();
});

const repl = (lines: string[], extra: string[] = []) =>
  runCli(['repl', `${server.url}`, '--params', 'user=ana', ...extra], { stdin: `${lines.join('\n')}\n` });

describe('phx-socket repl over a pipe', () => {
  it('joins, pushes, prints each reply in order and exits 0 when stdin ends', async () => {
    const exit = await repl([
      'join room:1 {"user": "ana"}',
      'push room:1 echo {"body": "hello there"}',
      'presence room:1',
      'topics',
      'leave room:1',
    ]);
    expect(exit.stderr).toBe('');
    expect(exit.code).toBe(0);
    const out = exit.stdout;
    expect(out).not.toContain('phx>');
    const order = ['joined room:1', 'room:1 echo reply ok {"event":"echo","payload":{"body":"hello there"}}', 'room:1 presence 1 online: ana', 'joined: room:1', 'left room:1'];
    const at = order.map((text) => out.indexOf(text));
    expect(at.every((i) => i >= 0), out).toBe(true);
    expect([...at].sort((a, b) => a - b)).toEqual(at);
  });

  it('waits for each reply before running the next line', async () => {
    const exit = await repl(['join room:1', 'join room:2', 'push room:1 slow', 'push room:2 fast']);
    expect(exit.code).toBe(0);
    expect(handled).toEqual(['slow', 'fast']);
    expect(exit.stdout.indexOf('room:1 slow reply ok')).toBeLessThan(exit.stdout.indexOf('room:2 fast reply ok'));
  });

  it('stays up while stdin is open and exits once it ends', async () => {
    const cli = startCli(['repl', server.url], { stdin: 'keep' });
    cli.child.stdin!.write('join room:1\npush room:1 echo {"n": 1}\n');
    await cli.waitFor('room:1 echo reply ok');
    await new Promise((r) => setTimeout(r, 200));
    expect(cli.child.exitCode).toBeNull();
    const left = server.waitFor('leave', (e) => e.topic === 'room:1');
    cli.child.stdin!.end();
    expect((await cli.exited).code).toBe(0);
    expect((await left).reason).toBe('left');
  });

  it('reports a failed command on one stderr line, goes on, and exits 1', async () => {
    const exit = await repl(['push room:9 echo', 'bogus', 'join room:1', 'push room:1 echo {oops}', 'push room:1 fail', 'push room:1 echo']);
    expect(exit.code).toBe(1);
    expect(exit.stderr.split('\n').filter(Boolean)).toEqual([
      'phx-socket: not joined to room:9: join it first',
      "phx-socket: unknown command 'bogus' (type help)",
      expect.stringMatching(/^phx-socket: bad JSON payload '\{oops\}': /),
      'phx-socket: "fail" on room:1 was answered with an error',
    ]);
    expect(exit.stdout).toContain('room:1 fail reply error {"reason":"nope"}');
    expect(exit.stdout).toContain('room:1 echo reply ok');
  });

  it("reports a refused join with the server's reason and keeps going", async () => {
    server.channel('private:*', { join: () => ({ error: { reason: 'unauthorized' } }) });
    const exit = await repl(['join private:x', 'join room:1']);
    expect(exit.code).toBe(1);
    expect(exit.stderr).toBe('phx-socket: join refused on private:x: unauthorized\n');
    expect(exit.stdout).toContain('joined room:1');
  });

  it('stops at quit without running the lines after it', async () => {
    const exit = await repl(['join room:1', 'quit', 'push room:1 echo']);
    expect(exit.code).toBe(0);
    expect(handled).toEqual([]);
  });

  it('prints every reply and message as JSON lines with --json', async () => {
    const exit = await repl(['join room:1', 'push room:1 echo {"n": 2}'], ['--json']);
    expect(exit.code).toBe(0);
    const records = exit.stdout.split('\n').filter(Boolean).map((l) => JSON.parse(l));
    expect(records).toContainEqual(expect.objectContaining({ type: 'reply', topic: 'room:1', event: 'echo', status: 'ok', response: { event: 'echo', payload: { n: 2 } } }));
    expect(records).toContainEqual(expect.objectContaining({ type: 'message', topic: 'room:1', event: 'presence_state' }));
  });
});
