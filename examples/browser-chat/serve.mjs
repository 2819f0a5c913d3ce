// Serves the built chat app (`vite build` → dist/) and runs the chat server it talks to: a testkit
// server playing the Phoenix app. `npm start` runs both; tests import `startChat()`.
import { createReadStream, existsSync, statSync } from 'node:fs';
import { createServer } from 'node:http';
import { createRequire } from 'node:module';
import { dirname, extname, join, normalize, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import { startServer } from '@phx-socket/testkit';

const here = dirname(fileURLToPath(import.meta.url));
const require = createRequire(import.meta.url);
const CLIENT_DIST = join(dirname(require.resolve('@phx-socket/client/package.json')), 'dist');
/**
 * The client's self-contained browser bundles under `/vendor/`: `phx-socket.iife.js` for `no-bundler.html`,
 * and the shared-socket pair (`phx-socket-shared.iife.js` + the worker script `phx-socket-shared-worker.iife.js`)
 * for `shared-probe.html`.
 */
const VENDOR = new Map(
  ['phx-socket.iife.js', 'phx-socket-shared.iife.js', 'phx-socket-shared-worker.iife.js'].map((name) => [`/vendor/${name}`, join(CLIENT_DIST, name)]),
);

const TYPES = { '.html': 'text/html; charset=utf-8', '.js': 'text/javascript', '.css': 'text/css', '.map': 'application/json', '.svg': 'image/svg+xml' };

/**
 * The Phoenix side of the chat: `room:*` needs a `user` join param, tracks presence, broadcasts
 * messages with a server-assigned id, and relays typing hints to everyone but the typist.
 * @param {import('@phx-socket/testkit').TestServer} server
 */
export function installChatChannels(server) {
  let lastId = 0;
  return server.channel('room:*', {
    presence: true,
    join(_topic, params, socket) {
      const user = typeof params.user === 'string' ? params.user.trim().slice(0, 32) : '';
      if (user === '') return { error: { reason: 'a user name is required' } };
      socket.assigns.user = user;
      return { ok: {} };
    },
    afterJoin(socket) {
      server.track(socket, socket.topic, String(socket.assigns.user), { online_at: Date.now() });
    },
    handleIn(event, payload, socket) {
      const user = String(socket.assigns.user);
      const body = /** @type {{ body?: unknown, typing?: unknown }} */ (payload ?? {});
      if (event === 'new_msg') {
        if (typeof body.body !== 'string' || body.body.trim() === '') return { reply: 'error', response: { reason: 'empty message' } };
        const msg = { id: ++lastId, user, body: body.body.slice(0, 2000), at: Date.now() };
        socket.broadcast('new_msg', msg);
        return { reply: 'ok', response: { id: msg.id } };
      }
      if (event === 'typing') {
        socket.broadcastFrom('typing', { user, typing: body.typing === true });
        return { reply: 'ok' };
      }
      return { reply: 'error', response: { reason: `unknown event ${event}` } };
    },
  });
}

/**
 * Starts the chat server and a static server for `distDir` on 127.0.0.1.
 * @param {{ port?: number, socketPort?: number, distDir?: string }} [options] ports default to free ones
 */
export async function startChat({ port = 0, socketPort = 0, distDir = join(here, 'dist') } = {}) {
  if (!existsSync(join(distDir, 'index.html'))) throw new Error(`${distDir}/index.html is missing: run \`vite build\` in examples/browser-chat first`);
  const server = await startServer({ port: socketPort });
  installChatChannels(server);

  const http = createServer((req, res) => {
    const path = decodeURIComponent(new URL(req.url ?? '/', 'http://x').pathname);
    const vendored = VENDOR.get(path);
    const file = vendored ?? join(distDir, normalize(path === '/' ? '/index.html' : path));
    if (!file.startsWith(distDir + sep) && vendored === undefined) return void res.writeHead(403).end();
    if (!existsSync(file) || !statSync(file).isFile()) return void res.writeHead(404).end('not found');
    res.writeHead(200, { 'content-type': TYPES[/** @type {keyof typeof TYPES} */ (extname(file))] ?? 'application/octet-stream', 'cache-control': 'no-store' });
    createReadStream(file).pipe(res);
  });
  await new Promise((resolve, reject) => http.once('error', reject).listen(port, '127.0.0.1', () => resolve(undefined)));
  const address = /** @type {import('node:net').AddressInfo} */ (http.address());
  const origin = `http://127.0.0.1:${address.port}`;

  return {
    server,
    origin,
    /** The app's address for one person (`user` skips the name form). */
    appUrl(/** @type {{ user?: string, room?: string, page?: string }} */ { user, room, page = '/' } = {}) {
      // Left unencoded so the printed link stays readable; ':' and '/' are fine in a query string.
      let url = `${origin}${page}?socket=${server.url}`;
      if (user) url += `&user=${encodeURIComponent(user)}`;
      if (room) url += `&room=${encodeURIComponent(room)}`;
      return url;
    },
    async close() {
      http.closeAllConnections();
      await new Promise((resolve) => http.close(() => resolve(undefined)));
      await server.close();
    },
  };
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const chat = await startChat({ port: Number(process.env.PORT ?? 5173), socketPort: Number(process.env.SOCKET_PORT ?? 0) });
  console.log(`chat server  ${chat.server.url}`);
  console.log(`open         ${chat.appUrl()}   (one tab per person)`);
  console.log(`no bundler   ${chat.appUrl({ page: '/no-bundler.html' })}`);
  const stop = async () => {
    await chat.close();
    process.exit(0);
  };
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
}
