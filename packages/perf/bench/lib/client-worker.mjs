// A measured client, in its own fresh process: `node client-worker.mjs <bench-file> <json config>`.
// It imports the benchmark file and runs its `child(config, { ask })` export; `ask(msg)` sends a
// request to the harness (e.g. "server, send N frames") and resolves with the answer. The result
// goes back as { type: 'result', result }.
import { pathToFileURL } from 'node:url';
import { childLifecycle } from './children.mjs';

childLifecycle();

const [benchFile, json] = process.argv.slice(2);
const config = JSON.parse(json);
const mod = await import(pathToFileURL(benchFile).href);

const pending = new Map();
let nextId = 0;
process.on('message', (msg) => {
  if (msg?.type !== 'answer') return;
  const p = pending.get(msg.id);
  if (!p) return;
  pending.delete(msg.id);
  if (msg.error) p.reject(new Error(msg.error));
  else p.resolve(msg);
});
function ask(msg) {
  const id = ++nextId;
  return new Promise((resolve, reject) => {
    pending.set(id, { resolve, reject });
    process.send({ ...msg, type: 'ask', id });
  });
}

const result = await mod.child(config, { ask });
process.send({ type: 'result', result }, () => process.exit(0));
