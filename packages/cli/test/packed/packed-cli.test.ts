/**
 * What a user gets from npm: pack the cli and the packages it depends on (pnpm rewrites `workspace:*`),
 * install the tarballs with plain npm into an empty folder, and run `npx phx-socket listen` there (npx
 * finds the installed bin) against a testkit server: it must print a broadcast.
 */
import { execFile } from 'node:child_process';
import { mkdirSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { startServer, type TestServer } from '@phx-socket/testkit';
import { killChildren, requireBuild, ROOT, startCli } from '../helpers/cli';

const PACKED = ['transport', 'channel', 'perf', 'client', 'cli'];
const PNPM = ['--yes', 'pnpm@9.15.9'];
let scratch = '';
let server: TestServer | undefined;

async function run(cmd: string, args: string[], cwd: string): Promise<void> {
  await promisify(execFile)(cmd, args, { cwd, encoding: 'utf8', timeout: 60_000 });
}

beforeAll(async () => {
  requireBuild();
  scratch = mkdtempSync(join(tmpdir(), 'phx-socket-cli-packed-'));
  const packs = join(scratch, 'packs');
  await Promise.all(PACKED.map((name) => run('npx', [...PNPM, 'pack', '--pack-destination', packs], join(ROOT, 'packages', name))));
  const tarballs = readdirSync(packs).map((file) => join(packs, file));
  expect(tarballs).toHaveLength(PACKED.length);
  const app = join(scratch, 'app');
  mkdirSync(app);
  writeFileSync(join(app, 'package.json'), JSON.stringify({ name: 'empty', private: true, version: '0.0.0' }));
  await run('npm', ['install', '--no-audit', '--no-fund', '--loglevel=error', ...tarballs], app);
}, 90_000);

afterEach(async () => {
  killChildren();
  await server?.close();
});

afterAll(() => {
  if (scratch) rmSync(scratch, { recursive: true, force: true });
});

describe('the packed cli', () => {
  it('runs as `npx phx-socket listen` from an empty folder and prints a broadcast', async () => {
    server = await startServer();
    server.channel('room:*', {});
    const cli = startCli(['listen', `ws://127.0.0.1:${server.port}/socket`, 'room:lobby'], {
      command: ['npx', '--no-install', 'phx-socket'],
      cwd: join(scratch, 'app'),
      group: true,
    });
    await cli.waitFor('joined room:lobby', 30_000);
    server.broadcast('room:lobby', 'new_msg', { body: 'from the tarball' });
    await cli.waitFor('room:lobby new_msg {"body":"from the tarball"}');
    expect(cli.stderr()).toBe('');
  }, 45_000);
});
