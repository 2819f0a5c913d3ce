/**
 * `@phx-socket/client/shared-worker`: the SharedWorker script. Loaded as a SharedWorker it starts a
 * {@link SharedSocketHost} by itself; `SharedSocket` points at it by default
 * (`new URL('./shared-worker.mjs', import.meta.url)`), or host the self-contained
 * `dist/phx-socket-shared-worker.iife.js` yourself and pass its URL as `workerUrl`.
 */
import { SharedSocketHost, type HostPort, type LockRequester, type SharedSocketHostOptions } from './host';

export { SharedSocketHost, DEFAULT_TAB_TIMEOUT_MS, type HostPort, type LockRequester, type SharedHostStats, type SharedSocketHostOptions } from './host';

/** The bits of a SharedWorker's global scope used here. */
interface SharedWorkerScopeLike {
  onconnect: ((event: { ports: readonly HostPort[] }) => void) | null;
  navigator?: { locks?: LockRequester };
}

/**
 * Starts the host in a SharedWorker scope: holds the worker's Web Lock (tabs wait on it to learn that the
 * worker died), then serves every connecting tab.
 */
export function startSharedWorker(scope: SharedWorkerScopeLike, options: SharedSocketHostOptions = {}): SharedSocketHost {
  const locks = scope.navigator?.locks ?? null;
  const workerLock = locks === null ? null : `phx-socket:worker:${Date.now().toString(36)}-${Math.random().toString(36).slice(2, 10)}`;
  const host = new SharedSocketHost({ locks, workerLock, ...options });
  const waiting: HostPort[] = [];
  let ready = locks === null;
  scope.onconnect = (event) => {
    const port = event.ports[0];
    if (port === undefined) return;
    if (ready) host.connect(port);
    else waiting.push(port);
  };
  if (locks !== null && workerLock !== null) {
    const start = (): void => {
      if (ready) return;
      ready = true;
      for (const port of waiting.splice(0)) host.connect(port);
    };
    locks
      .request(workerLock, () => {
        start();
        // Held for the worker's lifetime: released only when the worker ends.
        return new Promise(() => {});
      })
      .catch(start);
  }
  return host;
}

const scope = globalThis as unknown as SharedWorkerScopeLike & { SharedWorkerGlobalScope?: unknown };
if (typeof scope.SharedWorkerGlobalScope === 'function' && globalThis instanceof (scope.SharedWorkerGlobalScope as new () => object)) {
  startSharedWorker(scope);
}
