// One config builds every package: ESM + CJS + .d.ts (+ .d.cts), a browser ESM variant where a
// package has Node-only files, and the client's IIFE browser bundles (globals `PhxSocket` and
// `PhxSocketLite`).
import { existsSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { builtinModules } from 'node:module';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import nodeResolve from '@rollup/plugin-node-resolve';
import { dts } from 'rollup-plugin-dts';
import esbuild, { minify } from 'rollup-plugin-esbuild';

const root = dirname(fileURLToPath(import.meta.url));
const only = process.env.PACKAGES ? process.env.PACKAGES.split(',') : null;

/**
 * Each package lists its entry points (name → source file). `browser: true` adds a
 * `<entry>.browser.mjs` (and, for `require` under the `browser` condition, `<entry>.browser.cjs`) build in which every `./x.node` import is swapped for `./x.browser`. `iife` maps an
 * entry to [global name, file name] of a self-contained browser script.
 */
const PACKAGES = [
  { name: 'transport', entries: { index: 'src/index.ts', msgpack: 'src/msgpack.ts' }, browser: true },
  { name: 'channel', entries: { index: 'src/index.ts' } },
  { name: 'perf', entries: { index: 'src/index.ts' } },
  {
    name: 'client',
    entries: { index: 'src/index.ts', lite: 'src/lite/index.ts', shared: 'src/shared/index.ts', 'shared-worker': 'src/shared/worker-entry.ts' },
    browser: true,
    iife: {
      index: ['PhxSocket', 'phx-socket'],
      lite: ['PhxSocketLite', 'phx-socket-lite'],
      shared: ['PhxSocketShared', 'phx-socket-shared'],
      'shared-worker': ['PhxSocketSharedWorker', 'phx-socket-shared-worker'],
    },
  },
  { name: 'testkit', entries: { index: 'src/index.ts', cli: 'src/cli.ts' } },
  { name: 'cli', entries: { index: 'src/index.ts' } },
];

const builtins = new Set([...builtinModules, ...builtinModules.map((m) => `node:${m}`)]);

function externalFor(pkgDir) {
  const pkg = JSON.parse(readFileSync(join(pkgDir, 'package.json'), 'utf8'));
  const deps = Object.keys({ ...pkg.dependencies, ...pkg.peerDependencies, ...pkg.optionalDependencies });
  return (id) =>
    builtins.has(id) ||
    id.startsWith('@phx-socket/') ||
    deps.some((d) => id === d || id.startsWith(`${d}/`));
}

/** Swaps `./x.node` for `./x.browser` so browser builds never reach Node-only code. */
function browserSwap() {
  return {
    name: 'phx-browser-swap',
    async resolveId(source, importer) {
      if (!importer || !/\.node(\.ts)?$/.test(source)) return null;
      const candidate = resolve(dirname(importer), source.replace(/\.node(\.ts)?$/, '.browser.ts'));
      return existsSync(candidate) ? candidate : null;
    },
  };
}

/** In the self-contained IIFE, our own packages resolve to their sources. */
function workspaceSources() {
  return {
    name: 'phx-workspace-sources',
    resolveId(source) {
      const m = /^@phx-socket\/([a-z]+)$/.exec(source);
      return m ? join(root, 'packages', m[1], 'src', 'index.ts') : null;
    },
  };
}

/**
 * CJS consumers resolve `require` types through `.d.cts` files; a `.d.cts` that imports a `.d.ts` chunk
 * would be read as ESM, so every declaration file (chunks too) gets a `.d.cts` twin whose relative
 * imports point at the other twins.
 */
function copyDts(dir) {
  const toCts = (text) => text.replace(/((?:from|import)\s*\(?\s*)(['"])(\.{1,2}\/[^'"]+?)\.js\2/g, '$1$2$3.cjs$2');
  const walk = (d) =>
    readdirSync(d, { withFileTypes: true }).flatMap((e) => (e.isDirectory() ? walk(join(d, e.name)) : [join(d, e.name)]));
  return {
    name: 'phx-copy-dcts',
    writeBundle() {
      for (const file of walk(join(dir, 'dist'))) {
        if (file.endsWith('.d.ts')) writeFileSync(file.replace(/\.d\.ts$/, '.d.cts'), toCts(readFileSync(file, 'utf8')));
      }
    },
  };
}

const configs = [];
for (const spec of PACKAGES) {
  if (only && !only.includes(spec.name)) continue;
  const dir = join(root, 'packages', spec.name);
  const input = Object.fromEntries(
    Object.entries(spec.entries)
      .filter(([, file]) => existsSync(join(dir, file)))
      .map(([k, file]) => [k, join(dir, file)]),
  );
  if (Object.keys(input).length === 0) continue;
  // Chunk names carry content hashes: start from an empty dist so stale chunks never ship.
  if (!process.env.ROLLUP_WATCH) rmSync(join(dir, 'dist'), { recursive: true, force: true });
  const external = externalFor(dir);
  const ts = () => esbuild({ target: 'es2022', tsconfig: join(root, 'tsconfig.base.json') });

  configs.push({
    input,
    external,
    plugins: [ts()],
    output: [
      { dir: join(dir, 'dist'), format: 'es', entryFileNames: '[name].mjs', chunkFileNames: 'chunks/[name]-[hash].mjs', sourcemap: true },
      { dir: join(dir, 'dist'), format: 'cjs', entryFileNames: '[name].cjs', chunkFileNames: 'chunks/[name]-[hash].cjs', sourcemap: true, exports: 'named' },
    ],
  });
  if (spec.browser) {
    configs.push({
      input,
      external,
      plugins: [browserSwap(), ts()],
      output: [
        { dir: join(dir, 'dist'), format: 'es', entryFileNames: '[name].browser.mjs', chunkFileNames: 'chunks/[name]-[hash].browser.mjs', sourcemap: true },
        // `require` under the `browser` condition: jest's jsdom environment resolves that way.
        { dir: join(dir, 'dist'), format: 'cjs', entryFileNames: '[name].browser.cjs', chunkFileNames: 'chunks/[name]-[hash].browser.cjs', sourcemap: true, exports: 'named' },
      ],
    });
  }
  configs.push({
    input,
    external,
    plugins: [dts({ tsconfig: join(root, 'tsconfig.base.json'), compilerOptions: { paths: {} } }), copyDts(dir)],
    output: { dir: join(dir, 'dist'), format: 'es', entryFileNames: '[name].d.ts', chunkFileNames: 'chunks/[name]-[hash].d.ts' },
  });
  for (const [entry, [global, file]] of Object.entries(spec.iife ?? {})) {
    configs.push({
      input: input[entry],
      plugins: [workspaceSources(), browserSwap(), nodeResolve({ browser: true }), ts()],
      output: [
        { file: join(dir, 'dist', `${file}.iife.js`), format: 'iife', name: global, sourcemap: true },
        { file: join(dir, 'dist', `${file}.iife.min.js`), format: 'iife', name: global, plugins: [minify()] },
      ],
    });
  }
}

export default configs;
