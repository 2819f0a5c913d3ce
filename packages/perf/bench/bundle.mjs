// Bundle sizes: esbuild --bundle --minify --platform=browser --format=esm of small apps, bytes minified
// and minified + gzip (zlib level 9), ours vs phoenix.js.
//
// The apps are written to a temporary directory outside the repository whose node_modules holds
// symlinks to the built packages (packages/client, and phoenix), so every import resolves the way an
// app's bundler would: through package.json `exports` with the `browser` condition, to dist/. esbuild
// gets an empty tsconfig (--tsconfig) so the repository's tsconfig `paths` (which point at src/) can
// never apply to the dist files it reads; the metafile is checked for that (no packages/*/src input,
// the client and transport entries are their dist/*.browser.mjs builds).
import { execFileSync } from 'node:child_process';
import { createRequire } from 'node:module';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, realpathSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { gzipSync } from 'node:zlib';

export const name = 'bundle';
export const title = 'Bundle size (min + gzip)';
const BENCH_DIR = dirname(fileURLToPath(import.meta.url));
const REPO = resolve(BENCH_DIR, '../../..');
const ESBUILD = join(REPO, 'node_modules/.bin/esbuild');
const TARGET_MIN_GZIP = 5 * 1024;

const MINIMAL_BODY = `
const socket = new Socket('/socket', { params: { token: 'user-token' } });
socket.connect();
const channel = socket.channel('room:lobby', {});
channel.on('new_msg', (msg) => console.log(msg.body));
channel
  .join()
  .receive('ok', () => channel.push('new_msg', { body: 'hello' }).receive('ok', () => console.log('sent')))
  .receive('error', (reason) => console.error(reason));
`;

/**
 * The apps: `client` is what they import (`ours` = `@phx-socket/client`, `lite` = `@phx-socket/client/lite`,
 * `phoenix`); each client's minimal app is the baseline of its deltas.
 */
const APPS = [
  {
    id: 'lite-minimal',
    client: 'lite',
    label: 'lite: minimal app (Socket: connect, join, push, on)',
    source: `import { Socket } from '@phx-socket/client/lite';\n${MINIMAL_BODY}`,
  },
  {
    id: 'lite-presence',
    client: 'lite',
    label: 'lite: minimal + Presence',
    source: `import { Socket, Presence } from '@phx-socket/client/lite';\n${MINIMAL_BODY}\nconst presence = new Presence(channel);\npresence.onSync(() => console.log(presence.list((id, { metas }) => id)));\n`,
  },
  {
    id: 'lite-binary',
    client: 'lite',
    label: 'lite: minimal + v2Serializer (binary frames)',
    source: `import { Socket, v2Serializer } from '@phx-socket/client/lite';\n${MINIMAL_BODY.replace("{ params: { token: 'user-token' } }", "{ params: { token: 'user-token' }, serializer: v2Serializer }")}`,
  },
  {
    id: 'ours-minimal',
    client: 'ours',
    label: 'full: minimal app (Socket: connect, join, push, on)',
    source: `import { Socket } from '@phx-socket/client';\n${MINIMAL_BODY}`,
  },
  {
    id: 'ours-presence',
    client: 'ours',
    label: 'full: minimal + Presence',
    source: `import { Socket, Presence } from '@phx-socket/client';\n${MINIMAL_BODY}\nconst presence = new Presence(channel);\npresence.onSync(() => console.log(presence.list((id, { metas }) => id)));\n`,
  },
  {
    id: 'ours-longpoll',
    client: 'ours',
    label: 'full: minimal + LongPoll fallback',
    source: `import { Socket, LongPoll } from '@phx-socket/client';\n${MINIMAL_BODY.replace("{ params: { token: 'user-token' } }", "{ params: { token: 'user-token' }, longPollFallbackMs: 2500, longPollTransport: LongPoll }")}`,
  },
  {
    id: 'ours-all',
    client: 'ours',
    label: 'full: everything (import * from @phx-socket/client)',
    source: `import * as all from '@phx-socket/client';\nglobalThis.phx = all;\n`,
  },
  {
    id: 'ours-pool',
    client: 'ours',
    label: 'full: minimal app on a SocketPool of 2 endpoints',
    source: `import { SocketPool } from '@phx-socket/client';\n${MINIMAL_BODY.replace("new Socket('/socket', { params: { token: 'user-token' } })", "new SocketPool({ endpoints: ['/socket', '/socket2'], socket: { params: { token: 'user-token' } } })")}`,
  },
  {
    id: 'shared-minimal',
    client: 'shared',
    label: 'shared: minimal app on SharedSocket (the tab side)',
    source: `import { SharedSocket } from '@phx-socket/client/shared';\n${MINIMAL_BODY.replace('new Socket(', 'new SharedSocket(')}`,
  },
  {
    id: 'shared-worker',
    client: 'shared',
    label: 'shared: the SharedWorker script (its own file, loaded once)',
    source: `export * from '@phx-socket/client/shared-worker';\n`,
  },
  {
    id: 'phoenix-minimal',
    client: 'phoenix',
    label: 'phoenix.js: minimal app (Socket only)',
    source: `import { Socket } from 'phoenix';\n${MINIMAL_BODY}`,
  },
  {
    id: 'phoenix-presence',
    client: 'phoenix',
    label: 'phoenix.js: minimal + Presence',
    source: `import { Socket, Presence } from 'phoenix';\n${MINIMAL_BODY}\nconst presence = new Presence(channel);\npresence.onSync(() => console.log(presence.list((id, { metas }) => id)));\n`,
  },
  {
    id: 'phoenix-all',
    client: 'phoenix',
    label: 'phoenix.js: everything (import * from phoenix)',
    source: `import * as all from 'phoenix';\nglobalThis.phx = all;\n`,
  },
];

export const describe = `
\`esbuild --bundle --minify --platform=browser --format=esm\` (esbuild from the root devDependencies) of
small apps, in a temporary directory outside the repository whose \`node_modules\` links to the built
packages, so imports resolve as in an app: through \`package.json\` \`exports\` with the \`browser\`
condition, to \`dist/\` (checked in the metafile; an empty \`--tsconfig\` keeps the repository's
\`paths\`, which point at \`src/\`, out). Sizes: bytes minified, and minified + gzip (zlib level 9).
The minimal app is \`new Socket(url, { params })\`, \`connect()\`, \`channel(topic)\`, \`on\`, \`join().receive\`,
\`push().receive\` — the same source for every client; only the import differs. \`lite\` is
\`@phx-socket/client/lite\` (phoenix.js's Socket/Channel/Push core over one WebSocket), \`ours\` the full
\`@phx-socket/client\`. phoenix.js is the \`phoenix\` package's ESM build (\`priv/static/phoenix.mjs\`).
Deterministic: one build per app.
`;

function linkPackage(nodeModules, pkgName, target) {
  const link = join(nodeModules, pkgName);
  mkdirSync(dirname(link), { recursive: true });
  symlinkSync(target, link, 'dir');
}

/** The temporary app directory: node_modules/@phx-socket/client → packages/client, node_modules/phoenix → the installed phoenix. */
function makeAppDir() {
  const dir = mkdtempSync(join(os.tmpdir(), 'phx-bundle-'));
  const nm = join(dir, 'node_modules');
  linkPackage(nm, '@phx-socket/client', join(REPO, 'packages/client'));
  const phoenix = realpathSync(join(BENCH_DIR, 'node_modules/phoenix'));
  linkPackage(nm, 'phoenix', phoenix);
  writeFileSync(join(dir, 'package.json'), JSON.stringify({ name: 'bundle-size-app', private: true, type: 'module' }));
  writeFileSync(join(dir, 'tsconfig.json'), '{}\n');
  return dir;
}

/** Resolves an esbuild metafile input path (relative to the app dir, through realpaths) to one relative to the repository. */
function repoPath(dir, input) {
  const abs = resolve(dir, input);
  if (abs.startsWith(`${dir}/`) && !abs.includes('/node_modules/')) return '(the app itself)';
  const rel = relative(REPO, abs);
  return rel.replace(/^node_modules\/\.pnpm\/[^/]+\/node_modules\//, '');
}

function build(dir, app) {
  const entry = join(dir, `${app.id}.mjs`);
  const out = join(dir, `${app.id}.out.mjs`);
  const meta = join(dir, `${app.id}.meta.json`);
  writeFileSync(entry, app.source);
  execFileSync(
    ESBUILD,
    [entry, '--bundle', '--minify', '--platform=browser', '--format=esm', `--outfile=${out}`, `--metafile=${meta}`, `--tsconfig=${join(dir, 'tsconfig.json')}`, '--log-level=error'],
    { cwd: dir, stdio: ['ignore', 'ignore', 'inherit'] },
  );
  const code = readFileSync(out);
  const metafile = JSON.parse(readFileSync(meta, 'utf8'));
  const output = Object.values(metafile.outputs)[0];
  const inputs = Object.entries(output.inputs)
    .map(([path, info]) => ({ path: repoPath(dir, path), bytes: info.bytesInOutput }))
    .filter((x) => x.bytes > 0)
    .sort((a, b) => b.bytes - a.bytes);
  return { minBytes: code.byteLength, gzipBytes: gzipSync(code, { level: 9 }).byteLength, inputs };
}

/**
 * Where the bytes of a bundle go below the file level (each package's dist is one file, so the
 * metafile alone says little): the same app bundled without --minify, cut at its top-level statements
 * (esbuild prints them at column 0, after a `// <path>` comment per input), each statement minified
 * on its own. Approximate (identifiers shared across statements are not mangled the same way), but
 * the ranking is what matters.
 */
function declarationBreakdown(dir, app) {
  const entry = join(dir, `${app.id}.mjs`);
  const out = join(dir, `${app.id}.plain.mjs`);
  execFileSync(ESBUILD, [entry, '--bundle', '--platform=browser', '--format=esm', `--outfile=${out}`, `--tsconfig=${join(dir, 'tsconfig.json')}`, '--log-level=error'], {
    cwd: dir,
    stdio: ['ignore', 'ignore', 'inherit'],
  });
  const { transformSync } = createRequire(join(REPO, 'package.json'))('esbuild');
  const chunks = [];
  let file = '';
  let current = null;
  for (const line of readFileSync(out, 'utf8').split('\n')) {
    if (line.startsWith('// ')) {
      file = line.slice(3).replace(/^.*?packages\//, 'packages/').replace(/^.*node_modules\//, '');
      continue;
    }
    const decl = line.match(/^(?:export\s+)?(?:var|let|const|class|async\s+function\*?|function\*?)\s+([\w$]+)/);
    if (decl || (/^[\w$]/.test(line) && !/^[})\]]/.test(line))) {
      current = { file, name: decl ? decl[1] : line.slice(0, 40), code: [] };
      chunks.push(current);
    }
    current?.code.push(line);
  }
  const sized = chunks.map((c) => {
    let bytes;
    try {
      bytes = transformSync(c.code.join('\n'), { minify: true, format: 'esm', loader: 'js' }).code.length;
    } catch {
      bytes = c.code.join('\n').length;
    }
    return { file: c.file, name: c.name, bytes };
  });
  return sized.sort((a, b) => b.bytes - a.bytes).slice(0, 25);
}

/** The resolution must have gone through dist/ (browser builds where a package has one), never src/. */
function checkResolution(app, inputs) {
  const fromSrc = inputs.filter((x) => /^packages\/[^/]+\/src\//.test(x.path));
  if (fromSrc.length) throw new Error(`${app.id}: bundled sources instead of dist: ${fromSrc.map((x) => x.path).join(', ')}`);
  if (app.client === 'phoenix') return;
  const paths = inputs.map((x) => x.path);
  const entry = `packages/client/dist/${app.id === 'shared-worker' ? 'shared-worker' : { lite: 'lite', ours: 'index', shared: 'shared' }[app.client]}.browser.mjs`;
  if (!paths.includes(entry)) throw new Error(`${app.id}: ${entry} is not among the inputs (${paths.join(', ')})`);
  // An app that does not import the shared entry must not pay for it.
  if (app.client !== 'shared' && paths.some((p) => p.includes('/dist/shared'))) {
    throw new Error(`${app.id}: shared-connection code was bundled (${paths.filter((p) => p.includes('/dist/shared')).join(', ')})`);
  }
  if (paths.some((p) => p.startsWith('packages/transport/dist/') && !p.includes('.browser.'))) {
    throw new Error(`${app.id}: the transport's Node build was bundled (${paths.filter((p) => p.startsWith('packages/transport/')).join(', ')})`);
  }
}

export async function run({ log }) {
  if (!existsSync(ESBUILD)) throw new Error(`no esbuild at ${ESBUILD}: install the root devDependencies`);
  if (!existsSync(join(REPO, 'packages/client/dist/index.browser.mjs'))) throw new Error('packages/client is not built: npx --yes pnpm@9.15.9 run build');
  const esbuildVersion = execFileSync(ESBUILD, ['--version'], { encoding: 'utf8' }).trim();
  const dir = makeAppDir();
  const rows = [];
  try {
    for (const app of APPS) {
      try {
        const r = build(dir, app);
        checkResolution(app, r.inputs);
        const row = { id: app.id, client: app.client, label: app.label, minBytes: r.minBytes, gzipBytes: r.gzipBytes, inputs: r.inputs };
        if (app.id === 'ours-minimal' || app.id === 'lite-minimal') row.declarations = declarationBreakdown(dir, app);
        rows.push(row);
        log(`  ${app.label.padEnd(54)} ${String(r.minBytes).padStart(7)} B min  ${String(r.gzipBytes).padStart(6)} B min+gzip`);
      } catch (err) {
        rows.push({ id: app.id, client: app.client, label: app.label, error: String(err?.message ?? err) });
        log(`  ${app.id}: FAILED ${String(err?.message ?? err).split('\n')[0]}`);
      }
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
  return { name, title, esbuild: esbuildVersion, targetMinGzipBytes: TARGET_MIN_GZIP, rows };
}

const kb = (bytes) => `${(bytes / 1024).toFixed(2)} KB`;

export function table(result) {
  const by = (id) => result.rows.find((r) => r.id === id && !r.error);
  const base = { lite: by('lite-minimal'), ours: by('ours-minimal'), shared: by('ours-minimal'), phoenix: by('phoenix-minimal') };
  const lines = result.rows
    .filter((r) => !r.error)
    .map((r) => {
      // The worker script is a file of its own, not an addition to an app.
      const b = r.id === 'shared-worker' ? undefined : base[r.client];
      const delta = b && r !== b ? `+${(r.gzipBytes - b.gzipBytes).toLocaleString('en-US')}` : '—';
      return [r.label, r.minBytes.toLocaleString('en-US'), r.gzipBytes.toLocaleString('en-US'), kb(r.gzipBytes), delta];
    });
  const notes = [`esbuild ${result.esbuild}; 1 KB = 1024 B; gzip = zlib level 9 of the minified bundle; "+ vs minimal" is min+gzip bytes over the same client's minimal app.`];
  const p = base.phoenix;
  const vsPhoenix = (row) => (p ? ` (${(row.gzipBytes / p.gzipBytes).toFixed(2)}× phoenix.js Socket-only, ${kb(p.gzipBytes)})` : '');
  const l = base.lite;
  if (l) notes.push(`target: minimal app ≤ ${kb(result.targetMinGzipBytes)} min+gzip → lite ${kb(l.gzipBytes)} ${l.gzipBytes <= result.targetMinGzipBytes ? '(met)' : '(missed)'}${vsPhoenix(l)}`);
  if (base.ours) notes.push(`full client minimal app: ${kb(base.ours.gzipBytes)}${vsPhoenix(base.ours)}; it carries telemetry, hooks, bounded buffers, in-flight resends and the perf features whether used or not.`);
  const shared = by('shared-minimal');
  if (shared && base.ours) {
    const worker = by('shared-worker');
    notes.push(
      `shared connection: the minimal app on \`SharedSocket\` is ${kb(shared.gzipBytes)} (+${(shared.gzipBytes - base.ours.gzipBytes).toLocaleString('en-US')} B over the full client's)${worker ? `; the worker script ${kb(worker.gzipBytes)}, loaded once per origin` : ''}. Apps that do not import \`@phx-socket/client/shared\` bundle none of it (checked: no \`dist/shared*\` input in their metafiles), so their sizes above are unchanged.`,
    );
  }
  for (const [client, row] of [['lite', l], ['full client', base.ours]]) {
    if (!row) continue;
    const total = row.inputs.reduce((s, x) => s + x.bytes, 0);
    const top = row.inputs.slice(0, 10).map((x) => `\`${x.path}\` ${x.bytes.toLocaleString('en-US')} B (${((x.bytes / total) * 100).toFixed(0)}%)`);
    notes.push(`${client} minimal app, top inputs by minified bytes in the output (esbuild metafile): ${top.join('; ')}.`);
    if (row.declarations) {
      const decls = row.declarations.slice(0, 15).map((d) => `${d.file.includes('lru-cache') ? 'LRUCache' : d.name} (${d.file.replace(/^packages\/([^/]+)\/dist\/.*$/, '$1')}) ${d.bytes.toLocaleString('en-US')}`);
      notes.push(`${client} minimal app, largest top-level declarations kept, minified bytes each (approximate: each minified on its own): ${decls.join('; ')}.`);
    }
  }
  for (const r of result.rows) if (r.error) notes.push(`${r.id} failed: ${r.error.split('\n')[0]}`);
  return { header: ['app', 'min B', 'min+gzip B', 'min+gzip', '+ vs minimal (gzip B)'], lines, notes };
}
