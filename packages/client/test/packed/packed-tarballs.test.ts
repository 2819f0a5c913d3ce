/**
 * What a user gets from npm: pack every published package (pnpm rewrites `workspace:*`), install the
 * tarballs into a scratch project with plain npm, then use the client from ESM `import` and CJS
 * `require` in Node with no transport option, and typecheck both under `moduleResolution: node16`.
 * Runs against `dist/`: the test command builds first.
 */
import { execFile, execFileSync } from 'node:child_process';
import { promisify } from 'node:util';
import { existsSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startServer, type TestServer } from '@phx-socket/testkit';

const root = resolve(__dirname, '../../../..');
const PUBLISHED = ['transport', 'channel', 'perf', 'client'];
const PNPM = ['--yes', 'pnpm@9.15.9'];

let server: TestServer;
let scratch: string;

function run(cmd: string, args: string[], cwd: string): string {
  return execFileSync(cmd, args, { cwd, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
}

/** Async, so the testkit server in this process keeps serving while the child talks to it. */
async function runAsync(cmd: string, args: string[], cwd: string, env: NodeJS.ProcessEnv = {}): Promise<string> {
  const { stdout } = await promisify(execFile)(cmd, args, { cwd, env: { ...process.env, ...env }, encoding: 'utf8', timeout: 30_000 });
  return stdout;
}

beforeAll(async () => {
  for (const name of PUBLISHED) {
    if (!existsSync(join(root, 'packages', name, 'dist', 'index.mjs'))) {
      throw new Error(`packages/${name}/dist is missing: run the build first (npm test does)`);
    }
  }
  scratch = mkdtempSync(join(tmpdir(), 'phx-socket-packed-'));
  const packs = join(scratch, 'packs');
  for (const name of PUBLISHED) run('npx', [...PNPM, 'pack', '--pack-destination', packs], join(root, 'packages', name));
  const tarballs = readdirSync(packs).map((f) => join(packs, f));
  expect(tarballs).toHaveLength(PUBLISHED.length);
  writeFileSync(join(scratch, 'package.json'), JSON.stringify({ name: 'scratch', private: true, version: '0.0.0' }));
  // ws comes with the transport package; its types are the app's to install, as a TypeScript user of ws would.
  run('npm', ['install', '--no-audit', '--no-fund', '--loglevel=error', '@types/node@20', '@types/ws@8', ...tarballs], scratch);

  server = await startServer();
  server.channel('room:*', {
    join: () => ({ ok: { hello: true } }),
    handleIn: (_event, payload) => ({ reply: 'ok', response: payload }),
  });
}, 240_000);

afterAll(async () => {
  await server?.close();
  if (scratch) rmSync(scratch, { recursive: true, force: true });
});

const script = (load: string, via: string): string => `${load}
const socket = new Socket(process.env.PHX_URL);
socket.connect();
const room = socket.channel('room:1');
Promise.resolve(room.join())
  .then((joined) => Promise.all([joined, room.push('echo', { via: '${via}' })]))
  .then(([joined, reply]) => {
    console.log(JSON.stringify({ joined, reply, hasTelemetry: typeof socket.telemetry.on === 'function' }));
    socket.disconnect();
    process.exit(0);
  })
  .catch((error) => { console.error(error); process.exit(1); });
`;

describe('the packed tarballs', () => {
  it('work through ESM import in Node with no transport option', async () => {
    writeFileSync(join(scratch, 'esm.mjs'), script(`import { Socket } from '@phx-socket/client';`, 'esm'));
    const out = JSON.parse(await runAsync('node', ['esm.mjs'], scratch, { PHX_URL: server.url }));
    expect(out).toEqual({ joined: { hello: true }, reply: { via: 'esm' }, hasTelemetry: true });
  });

  it('work through CJS require in Node with no transport option', async () => {
    writeFileSync(join(scratch, 'cjs.cjs'), script(`const { Socket } = require('@phx-socket/client');`, 'cjs'));
    const out = JSON.parse(await runAsync('node', ['cjs.cjs'], scratch, { PHX_URL: server.url }));
    expect(out).toEqual({ joined: { hello: true }, reply: { via: 'cjs' }, hasTelemetry: true });
  });

  // Node 20 has no global WebSocket, so the lite client gets ws's class, as its README says.
  const liteScript = (load: string, via: string): string =>
    script(load, via)
      .replace('new Socket(process.env.PHX_URL)', 'new Socket(process.env.PHX_URL, { transport: WebSocket })')
      .replace("typeof socket.telemetry.on === 'function'", "'telemetry' in socket");

  it('serve the lite client through ESM import of @phx-socket/client/lite', async () => {
    writeFileSync(join(scratch, 'lite.mjs'), liteScript(`import { Socket } from '@phx-socket/client/lite';\nimport WebSocket from 'ws';`, 'lite-esm'));
    const out = JSON.parse(await runAsync('node', ['lite.mjs'], scratch, { PHX_URL: server.url }));
    expect(out).toEqual({ joined: { hello: true }, reply: { via: 'lite-esm' }, hasTelemetry: false });
  });

  it('serve the lite client through CJS require of @phx-socket/client/lite', async () => {
    writeFileSync(join(scratch, 'lite.cjs'), liteScript(`const { Socket } = require('@phx-socket/client/lite');\nconst WebSocket = require('ws');`, 'lite-cjs'));
    const out = JSON.parse(await runAsync('node', ['lite.cjs'], scratch, { PHX_URL: server.url }));
    expect(out).toEqual({ joined: { hello: true }, reply: { via: 'lite-cjs' }, hasTelemetry: false });
  });

  // `transport: WebSocket` from ws must compile without a cast for both clients (the lite README's Node 20 line).
  it('ship declaration files that typecheck from ESM and CJS under node16 resolution', () => {
    writeFileSync(
      join(scratch, 'check.mts'),
      `import { Socket, Channel, ReplyError, type TelemetryEventMap } from '@phx-socket/client';
const socket: Socket = new Socket('ws://localhost/socket', { heartbeatIntervalMs: 1000 });
const room: Channel<{ new_msg: { body: string } }> = socket.channel<{ new_msg: { body: string } }>('room:1');
room.on('new_msg', (msg) => msg.body.toUpperCase());
const e: ReplyError = new ReplyError('t', 'e', {});
const rtt: TelemetryEventMap['push:reply']['measurements']['rtt_ms'] = 1;
import * as lite from '@phx-socket/client/lite';
const small: lite.Socket = new lite.Socket('ws://localhost/socket', { timeout: 5000 });
const chat: lite.Channel<{ new_msg: { body: string } }> = small.channel<{ new_msg: { body: string } }>('room:1');
chat.on('new_msg', (msg) => msg.body.toUpperCase());
const late: Promise<unknown> = Promise.resolve(chat.push('x', {})).catch((err: unknown) => err instanceof lite.TimeoutError && err.code);
import WebSocket from 'ws';
const viaWs: Socket = new Socket('ws://localhost/socket', { transport: WebSocket });
const liteViaWs: lite.Socket = new lite.Socket('ws://localhost/socket', { transport: WebSocket });
export { e, rtt, late, viaWs, liteViaWs };
`,
    );
    writeFileSync(
      join(scratch, 'check.cts'),
      `import client = require('@phx-socket/client');
const socket = new client.Socket('ws://localhost/socket');
export const ok: boolean = socket.isConnected();
import lite = require('@phx-socket/client/lite');
export const small: string = new lite.Socket('ws://localhost/socket').connectionState();
import WebSocket = require('ws');
export const viaWs: boolean = new client.Socket('ws://localhost/socket', { transport: WebSocket }).isConnected();
export const liteViaWs: string = new lite.Socket('ws://localhost/socket', { transport: WebSocket }).connectionState();
`,
    );
    writeFileSync(
      join(scratch, 'tsconfig.json'),
      JSON.stringify({
        compilerOptions: { module: 'node16', moduleResolution: 'node16', strict: true, noEmit: true, skipLibCheck: false, types: ['node'], lib: ['ES2022', 'DOM'] },
        files: ['check.mts', 'check.cts'],
      }),
    );
    const tsc = join(root, 'node_modules', 'typescript', 'bin', 'tsc');
    let diagnostics = '';
    try {
      run('node', [tsc, '-p', 'tsconfig.json'], scratch);
    } catch (error) {
      diagnostics = String((error as { stdout?: string }).stdout ?? error);
    }
    expect(diagnostics).toBe('');
  });
});
