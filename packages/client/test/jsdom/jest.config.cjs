// Jest in its `jsdom` environment, as many frontend apps test: no `TextEncoder`/`TextDecoder` globals.
// The tests `require` the built CommonJS entries (run the build first), so no transform is needed.
// packages/client/test/jsdom.test.ts runs this project as part of `npm test`.
/** @type {import('jest').Config} */
module.exports = {
  rootDir: __dirname,
  testEnvironment: 'jsdom',
  testMatch: ['<rootDir>/*.test.cjs'],
  transform: {},
};
