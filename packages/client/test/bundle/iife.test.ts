/**
 * The browser IIFE bundles (`dist/phx-socket.iife.js`, global `PhxSocket`, and `dist/phx-socket-lite.iife.js`,
 * global `PhxSocketLite`) evaluated in a bare context with only browser globals: they must not need Node
 * (`require`, `ws`) and must use the page's `WebSocket`. Runs against `dist/`: build first
 * (`PACKAGES=client npx rollup -c`); a missing bundle fails the suite.
 */
import { existsSync, readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { createContext, runInContext } from 'node:vm';
import { describe, expect, it } from 'vitest';

const BUNDLES = [
  ['phx-socket.iife.js', 'PhxSocket'],
  ['phx-socket-lite.iife.js', 'PhxSocketLite'],
] as const;

class PageWebSocket {
  static last: PageWebSocket | null = null;
  readyState = 0;
  binaryType = 'blob';
  onopen: (() => void) | null = null;
  constructor(
    readonly url: string,
    readonly protocols?: string[],
  ) {
    PageWebSocket.last = this;
  }
  send(): void {}
  close(): void {}
}

describe.each(BUNDLES)('the IIFE browser bundle %s', (file, globalName) => {
  const bundle = resolve(__dirname, '../../dist', file);
  // A missing bundle fails loudly: a skipped suite would prove nothing.
  if (!existsSync(bundle)) throw new Error(`packages/client/dist/${file} is missing: run the build first (\`npx --yes pnpm@9.15.9 run build\`; \`npm test\` does it)`);

  it(`exposes ${globalName} and connects through the page WebSocket with wss on an https page`, () => {
    const page: Record<string, unknown> = {
      WebSocket: PageWebSocket,
      setTimeout,
      clearTimeout,
      console,
      TextEncoder,
      TextDecoder,
      btoa,
      performance,
      location: { protocol: 'https:', host: 'example.com' },
    };
    page.globalThis = page;
    createContext(page);
    runInContext(readFileSync(bundle, 'utf8'), page);
    const lib = page[globalName] as { Socket: new (url: string, options?: object) => { connect(): void; connectionState(): string } };
    expect(typeof lib.Socket).toBe('function');
    const socket = new lib.Socket('/socket', { params: { token: 't' }, authToken: 'secret' });
    socket.connect();
    expect(PageWebSocket.last?.url).toBe('wss://example.com/socket/websocket?token=t&vsn=2.0.0');
    expect(PageWebSocket.last?.protocols).toEqual(['phoenix', 'base64url.bearer.phx.c2VjcmV0']);
    expect(PageWebSocket.last?.binaryType).toBe('arraybuffer');
    expect(socket.connectionState()).toBe('connecting');
  });

  it('contains no Node require calls', () => {
    expect(readFileSync(bundle, 'utf8')).not.toMatch(/\brequire\(/);
  });
});
