#!/usr/bin/env node
// The README's two commands land here. A fresh machine has only Node 20 and npm, so this installs
// pnpm (through npx), the workspace, and anything else a job needs, then runs the job:
//   node scripts/run.mjs demo   – build, then run examples/demo against a testkit server
//   node scripts/run.mjs test   – build, typecheck, check the packed packages (publint, attw) and the
//                                 API reference (TypeDoc), run every test suite, print one summary line
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const PNPM = 'pnpm@9.15.9';
const mode = process.argv[2];

function run(cmd, args, options = {}) {
  const result = spawnSync(cmd, args, { cwd: root, stdio: 'inherit', ...options });
  if (result.error) throw result.error;
  return result.status ?? 1;
}

function must(cmd, args, options) {
  const status = run(cmd, args, options);
  if (status !== 0) {
    console.error(`\n✗ ${cmd} ${args.join(' ')} exited with ${status}`);
    process.exit(status);
  }
}

function pnpm(...args) {
  must('npx', ['--yes', PNPM, ...args]);
}

function setup() {
  pnpm('install', '--frozen-lockfile');
  pnpm('run', 'build');
}

/**
 * The browser suite (examples/browser-chat) drives Debian's Chromium through playwright-core, which never
 * downloads a browser. Install it when missing (CI runs as root; elsewhere through sudo). A failed install
 * does not stop the run: the browser suite then fails with the reason, and every other suite still runs.
 */
function ensureChromium() {
  const bin = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
  if (existsSync(bin)) return;
  console.log(`Chromium not found at ${bin}: installing Debian's chromium package`);
  const asRoot = process.getuid?.() === 0;
  const env = { ...process.env, DEBIAN_FRONTEND: 'noninteractive' };
  const apt = (...args) => {
    try {
      const status = asRoot ? run('apt-get', args, { env }) : run('sudo', ['-E', 'apt-get', ...args], { env });
      return status === 0;
    } catch (error) {
      console.error(`✗ apt-get ${args.join(' ')}: ${error.message}`);
      return false;
    }
  };
  if (!(apt('update') && apt('install', '-y', 'chromium') && existsSync(bin))) {
    console.error(`✗ could not install Chromium at ${bin}: the browser tests will fail`);
  }
}

/** Runs vitest with a JSON report and prints the plain `N passed, N failed` closing line. */
function vitest() {
  const outDir = join(root, 'test-results');
  mkdirSync(outDir, { recursive: true });
  const report = join(outDir, 'vitest.json');
  const status = run('npx', ['--yes', PNPM, 'exec', 'vitest', 'run', '--reporter=default', '--reporter=json', `--outputFile.json=${report}`]);
  if (existsSync(report)) {
    const r = JSON.parse(readFileSync(report, 'utf8'));
    const skipped = (r.numPendingTests ?? 0) + (r.numTodoTests ?? 0);
    console.log(`\ntests: ${r.numPassedTests} passed, ${r.numFailedTests} failed${skipped ? `, ${skipped} skipped` : ''}`);
    if (r.numTotalTests === 0) return 1;
  }
  return status;
}

if (mode === 'demo') {
  setup();
  must('node', ['examples/demo/index.mjs']);
} else if (mode === 'test') {
  setup();
  pnpm('run', 'typecheck');
  must('node', ['scripts/check-packages.mjs']);
  must('node', ['scripts/api-docs.mjs', '--check']);
  ensureChromium();
  process.exit(vitest());
} else {
  console.error('usage: node scripts/run.mjs demo|test');
  process.exit(2);
}
