// Parent side of a measured client: forks lib/client-worker.mjs for one benchmark file and config,
// answers its `ask` requests with `onAsk`, and resolves with its result. The child is killed (by
// PID) if it fails, times out, or the harness exits.
import { fileURLToPath } from 'node:url';
import { spawnChild } from './children.mjs';

const WORKER = fileURLToPath(new URL('./client-worker.mjs', import.meta.url));

export async function runClient(benchFile, config, { onAsk = async () => ({}), execArgv = [], timeoutMs = 240_000, name } = {}) {
  const child = spawnChild(WORKER, {
    args: [benchFile, JSON.stringify(config)],
    execArgv,
    name: name ?? `${config.client} client`,
  });
  child.on('ask', async (msg) => {
    try {
      const answer = await onAsk(msg);
      child.send({ ...answer, type: 'answer', id: msg.id });
    } catch (err) {
      child.send({ type: 'answer', id: msg.id, error: String(err?.message ?? err) });
    }
  });
  try {
    // A crash reports { type: 'fatal', error } (wait() rejects with it); a clean run reports 'result'.
    const { result } = await Promise.race([child.wait('result', timeoutMs), child.wait('fatal', timeoutMs + 1_000)]);
    await child.stop();
    return result;
  } catch (err) {
    child.kill();
    throw err;
  }
}
