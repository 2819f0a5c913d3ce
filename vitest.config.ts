import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vitest/config';

const root = fileURLToPath(new URL('.', import.meta.url));

/** Packages whose tests run in Node; each is one vitest project named after it. */
const PACKAGES = ['transport', 'channel', 'perf', 'client', 'testkit', 'cli'] as const;

export default defineConfig({
  resolve: {
    // Tests run against the TypeScript sources; `test/dist/*` suites import `dist/` on purpose.
    alias: [
      { find: /^@phx-socket\/([a-z]+)$/, replacement: `${root}packages/$1/src/index.ts` },
      { find: /^@phx-socket\/client\/lite$/, replacement: `${root}packages/client/src/lite/index.ts` },
      { find: /^@phx-socket\/([a-z]+)\/([a-z-]+)$/, replacement: `${root}packages/$1/src/$2.ts` },
    ],
  },
  test: {
    testTimeout: 20_000,
    hookTimeout: 20_000,
    projects: [
      ...PACKAGES.map((name) => ({
        extends: true as const,
        test: { name, include: [`packages/${name}/test/**/*.test.ts`] },
      })),
      {
        extends: true as const,
        test: { name: 'examples', include: ['examples/*/test/**/*.test.ts'] },
      },
    ],
  },
});
