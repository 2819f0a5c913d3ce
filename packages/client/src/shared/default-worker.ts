/**
 * The bundled worker script, found next to this module. The expression is written out in full because
 * bundlers (Vite, webpack 5, Parcel, esbuild with plugins) recognise exactly
 * `new SharedWorker(new URL('…', import.meta.url), { type: 'module' })` and emit the worker as its own
 * bundle. Without a bundler, or with the IIFE build, host `phx-socket-shared-worker.iife.js` and pass
 * `workerUrl`.
 */
import type { SharedWorkerLike } from './options';

/** Starts (or joins) the bundled SharedWorker named `name`. */
export function defaultWorker(name: string): SharedWorkerLike {
  return new SharedWorker(new URL('./shared-worker.mjs', import.meta.url), { type: 'module', name }) as unknown as SharedWorkerLike;
}
