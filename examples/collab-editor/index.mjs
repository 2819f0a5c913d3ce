// node index.mjs [socketUrl] [--editors 2] [--edits 200] [--seed 1] [--json]
//
// Several editors type into one document at the same time (seeded random inserts and deletes, a few
// ms apart, so their operations cross on the wire). When everyone is acknowledged, every editor's text
// must equal the server's. Without a URL it starts its own testkit playing the server.
import { Socket } from '@phx-socket/client';
import { startServer } from '@phx-socket/testkit';
import { EditorClient } from './editor-client.mjs';
import { installEditorChannel } from './editor-server.mjs';
import { randomEdit, rng } from './random-edits.mjs';

const argv = process.argv.slice(2);
const flag = (/** @type {string} */ name, /** @type {number} */ fallback) => {
  const i = argv.indexOf(`--${name}`);
  return i >= 0 ? Number(argv[i + 1]) : fallback;
};
const EDITORS = flag('editors', 2);
const EDITS = flag('edits', 200);
const SEED = flag('seed', 1);
const asJson = argv.includes('--json');
let url = argv.find((a) => a.includes('://'));

/** @type {import('@phx-socket/testkit').TestServer | null} */
let server = null;
if (url === undefined) {
  server = await startServer();
  installEditorChannel(server, { initial: 'Hello, world!' });
  url = server.url;
}

const topic = `doc:demo-${SEED}`;
const sockets = Array.from({ length: EDITORS }, () => new Socket(/** @type {string} */ (url)));
const editors = sockets.map((socket) => {
  socket.connect();
  return new EditorClient(socket, topic);
});
await Promise.all(editors.map((e) => e.open()));

const sleep = (/** @type {number} */ ms) => new Promise((resolve) => setTimeout(resolve, ms));
const started = performance.now();
await Promise.all(
  editors.map(async (editor, i) => {
    const random = rng(SEED * 1000 + i);
    for (let n = 0; n < EDITS && editor.error === null; n++) {
      editor.edit(randomEdit(random, editor.doc));
      // Sometimes a burst (edits pile up in the buffer), sometimes a pause (remote ops arrive mid-flight).
      if (random() < 0.7) await sleep(Math.floor(random() * 3));
    }
  }),
);
// Quiescent: nothing in flight anywhere and everyone has seen the last version.
const deadline = Date.now() + 10_000;
let snapshot = await editors[0].snapshot();
while (Date.now() < deadline && !editors.every((e) => e.error !== null || (e.synchronized && e.version === snapshot.version))) {
  await sleep(5);
  snapshot = await editors[0].snapshot();
}

const converged = editors.every((e) => e.error === null && e.doc === snapshot.doc);
const result = {
  type: 'result',
  seed: SEED,
  editors: EDITORS,
  edits: EDITS,
  converged,
  version: snapshot.version,
  length: snapshot.doc.length,
  serverTransforms: snapshot.transforms,
  clientTransforms: editors.reduce((n, e) => n + e.stats.transformed, 0),
  composed: editors.reduce((n, e) => n + e.stats.composed, 0),
  sent: editors.reduce((n, e) => n + e.stats.sent, 0),
  errors: editors.map((e) => e.error?.message).filter(Boolean),
  ms: Math.round(performance.now() - started),
};

if (asJson) console.log(JSON.stringify(result));
else {
  console.log(`${EDITORS} editors × ${EDITS} edits (seed ${SEED}) in ${result.ms} ms → version ${result.version}, ${result.length} chars`);
  console.log(`concurrency: ${result.serverTransforms} server transforms, ${result.clientTransforms} client transforms, ${result.composed} edits composed while waiting, ${result.sent} operations sent`);
  console.log(converged ? '✓ every editor has the server\'s text:' : '✗ editors diverged:');
  for (const [i, e] of editors.entries()) console.log(`  editor ${i + 1}: ${JSON.stringify(e.doc.slice(0, 70))}${e.doc.length > 70 ? '…' : ''}${e.error ? `  (${e.error.message})` : ''}`);
}

for (const s of sockets) s.disconnect();
await server?.close();
process.exit(converged ? 0 : 1);
