// Packs every publishable package as npm would publish it and checks the tarball with publint (package.json
// fields against the files really shipped) and attw (types resolve for every entry under node10, node16
// CJS and ESM, and bundler resolution). Exits non-zero on any error or warning either reports.
//
//   node scripts/check-packages.mjs        (after a build: the tarballs hold dist/)
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

// Pinned so a new release of either tool cannot fail a build on its own.
const ATTW = '@arethetypeswrong/cli@0.18.5';
const PUBLINT = 'publint@0.3.25';
const PACKAGES = ['transport', 'channel', 'perf', 'client', 'testkit', 'cli'];

const root = join(import.meta.dirname, '..');
const out = mkdtempSync(join(tmpdir(), 'phx-pack-'));
const run = (cmd, args, cwd = root) => spawnSync(cmd, args, { cwd, stdio: 'inherit' }).status ?? 1;
const failed = [];
try {
  for (const name of PACKAGES) {
    const dir = join(root, 'packages', name);
    if (run('npx', ['--yes', PUBLINT, '--pack', 'npm', '--strict', dir]) !== 0) failed.push(`${name}: publint`);
    const before = new Set(readdirSync(out));
    if (run('npm', ['pack', '--silent', '--pack-destination', out], dir) !== 0) {
      failed.push(`${name}: npm pack`);
      continue;
    }
    const tarball = readdirSync(out).find((file) => !before.has(file));
    if (run('npx', ['--yes', ATTW, '--format', 'table-flipped', join(out, tarball)]) !== 0) failed.push(`${name}: attw`);
  }
} finally {
  rmSync(out, { recursive: true, force: true });
}
if (failed.length > 0) {
  console.error(`✗ package checks failed: ${failed.join(', ')}`);
  process.exit(1);
}
console.log(`✓ publint and attw clean for ${PACKAGES.length} packages`);
