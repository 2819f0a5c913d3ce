/**
 * Runs the jest project in `test/jsdom/` (jest's `jsdom` environment, no `TextEncoder`/`TextDecoder`
 * globals, the built CommonJS entries resolved as jest resolves them there) as a child process, so
 * `npm test` covers it. Its tests are plain `.cjs` files that vitest never collects (vitest takes
 * `test/**\/*.test.ts`). Runs against `dist/`: build first; a missing build fails the suite.
 */
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const root = fileURLToPath(new URL('../../../', import.meta.url));
const config = fileURLToPath(new URL('./jsdom/jest.config.cjs', import.meta.url));
const jest = `${root}node_modules/jest/bin/jest.js`;

/** Tests in `test/jsdom/*.test.cjs`; a lower count means some were skipped or not collected. */
const MIN_TESTS = 17;

if (!existsSync(fileURLToPath(new URL('../dist/index.browser.cjs', import.meta.url)))) {
  throw new Error('packages/client/dist is missing: run the build first (`npx --yes pnpm@9.15.9 run build`; `npm test` does it)');
}

interface JestReport {
  success: boolean;
  numTotalTests: number;
  numPassedTests: number;
  numFailedTests: number;
  numTotalTestSuites: number;
}

describe('the published packages under jest + jsdom', () => {
  it('load and encode/decode JSON and binary V2 frames without TextEncoder/TextDecoder', () => {
    const run = spawnSync(process.execPath, [jest, '--config', config, '--ci', '--json'], { cwd: root, encoding: 'utf8', timeout: 60_000 });
    // jest writes its per-test lines and failures to stderr and the --json report to stdout.
    const detail = `jest exited with ${run.status}\n${run.stderr}`;
    expect(run.error, detail).toBeUndefined();
    expect(run.status, detail).toBe(0);
    const report = JSON.parse(run.stdout) as JestReport;
    expect(report.success, detail).toBe(true);
    expect(report.numFailedTests, detail).toBe(0);
    expect(report.numPassedTests, detail).toBe(report.numTotalTests);
    expect(report.numPassedTests, detail).toBeGreaterThanOrEqual(MIN_TESTS);
    expect(run.stderr).toContain(`Tests:       ${report.numPassedTests} passed, ${report.numPassedTests} total`);
  }, 90_000);
});
