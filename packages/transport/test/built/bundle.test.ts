/**
 * Checks the built bundles in `dist/` (run `PACKAGES=transport npx rollup -c` first; the suite fails when absent):
 * the browser build must never reach `ws`, and the Node build must work as published.
 */
import { existsSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const dist = fileURLToPath(new URL('../../dist/', import.meta.url));
const built = existsSync(`${dist}index.mjs`) && existsSync(`${dist}index.browser.mjs`);

// A missing build fails loudly: a skipped suite would prove nothing.
if (!built) throw new Error('packages/transport/dist is missing: run the build first (`npx --yes pnpm@9.15.9 run build`; `npm test` does it)');

describe('the built transport bundles', () => {
  it('keep ws and isomorphic-ws out of the browser build', () => {
    const source = readFileSync(`${dist}index.browser.mjs`, 'utf8');
    expect(source).not.toMatch(/from ['"](ws|isomorphic-ws)['"]|require\(['"](ws|isomorphic-ws)['"]\)/);
    expect(source).not.toContain('isomorphic-ws');
  });

  it('import ws through isomorphic-ws in the Node build', () => {
    expect(readFileSync(`${dist}index.mjs`, 'utf8')).toContain("from 'isomorphic-ws'");
  });

  it('encode and decode from the Node build exactly as from the sources', async () => {
    const bundle = (await import(`${dist}index.mjs`)) as typeof import('../../src/index');
    const message = { joinRef: '1', ref: '2', topic: 't', event: 'e', payload: Uint8Array.of(7) };
    expect(new Uint8Array(bundle.v2Serializer.encode(message) as ArrayBuffer)).toEqual(Uint8Array.of(0, 1, 1, 1, 1, 49, 50, 116, 101, 7));
    expect(bundle.encodeAuthTokenProtocol('secret')).toBe('base64url.bearer.phx.c2VjcmV0');
    expect(typeof bundle.createWebSocketTransport()).toBe('function');
  });
});
