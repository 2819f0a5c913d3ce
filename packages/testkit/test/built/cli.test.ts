/** Runs against the built `dist/` (run `PACKAGES=testkit npx rollup -c` first; skipped when absent). */
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { afterEach, describe, expect, it } from 'vitest';
import { RawClient, type V2Frame } from '../helpers/raw-client';

const distDir = fileURLToPath(new URL('../../dist/', import.meta.url));
const cli = `${distDir}cli.mjs`;
const built = existsSync(cli) && existsSync(`${distDir}index.mjs`);
const children: ChildProcess[] = [];
const clients: RawClient[] = [];

afterEach(() => {
  for (const client of clients.splice(0)) client.ws.terminate();
  for (const child of children.splice(0)) if (child.exitCode === null) child.kill('SIGKILL');
});

function startCli(): Promise<{ child: ChildProcess; url: string; output: () => string }> {
  const child = spawn(process.execPath, [cli, '--port', '0'], { stdio: ['ignore', 'pipe', 'pipe'] });
  children.push(child);
  let output = '';
  return new Promise((resolve, reject) => {
    child.stdout?.on('data', (chunk: Buffer) => {
      output += chunk.toString();
      const match = /listening on (\S+)/.exec(output);
      if (match?.[1]) resolve({ child, url: match[1], output: () => output });
    });
    child.once('exit', (code) => reject(new Error(`phx-testkit exited with ${String(code)}: ${output}`)));
  });
}

// A missing build fails loudly: a skipped suite would prove nothing.
if (!built) throw new Error('packages/testkit/dist is missing: run the build first (`npx --yes pnpm@9.15.9 run build`; `npm test` does it)');

describe('built package', () => {
  it('the phx-testkit CLI serves the demo room channel and stops on SIGTERM', async () => {
    const { child, url, output } = await startCli();
    expect(url).toMatch(/^ws:\/\/127\.0\.0\.1:\d+\/socket$/);
    const client = await RawClient.connect(url);
    clients.push(client);
    expect((await client.join('room:lobby', { user: 'ann' }, '1'))[4]).toEqual({ status: 'ok', response: {} });
    const state = await client.waitJson<V2Frame>((m) => m[3] === 'presence_state');
    expect(state[0]).toBe('1');
    const diff = await client.waitJson<V2Frame>((m) => m[3] === 'presence_diff');
    expect(Object.keys((diff[4] as { joins: object }).joins)).toEqual(['ann']);
    const ping = client.push('room:lobby', 'ping', {}, '1');
    expect((await client.reply(ping))[4]).toEqual({ status: 'ok', response: { pong: true } });
    const msg = client.push('room:lobby', 'new_msg', { body: 'hi' }, '1');
    expect(await client.waitJson<V2Frame>((m) => m[3] === 'new_msg')).toEqual([null, null, 'room:lobby', 'new_msg', { body: 'hi' }]);
    expect((await client.reply(msg))[4]).toEqual({ status: 'ok', response: {} });
    const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
    child.kill('SIGTERM');
    expect(await exited).toBe(0);
    expect(output()).toContain('stopping');
  });

  it('dist/index.mjs exports a working startServer', async () => {
    const dist = (await import(/* @vite-ignore */ `${distDir}index.mjs`)) as typeof import('../../src/index');
    const server = await dist.startServer();
    try {
      server.channel('room:*', { handleIn: () => ({ reply: 'ok', response: { from: 'dist' } }) });
      const client = await RawClient.connect(server.url);
      clients.push(client);
      await client.join('room:1', {}, '1');
      const ref = client.push('room:1', 'x', {}, '1');
      expect((await client.reply(ref))[4]).toEqual({ status: 'ok', response: { from: 'dist' } });
    } finally {
      await server.close();
    }
  });
});
