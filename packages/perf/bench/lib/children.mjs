// Child processes for the benchmarks: every measured client and the server run in their own
// process. Each child is remembered by PID and killed (by that PID only) when the harness exits,
// fails, or is interrupted. Children also exit by themselves when their IPC channel to us closes.
import { fork } from 'node:child_process';

const live = new Map(); // pid -> ChildProcess

function killByPid(pid) {
  try {
    process.kill(pid, 'SIGKILL');
  } catch {
    // already gone
  }
}

export function killAllChildren() {
  for (const pid of live.keys()) killByPid(pid);
  live.clear();
}

process.once('exit', killAllChildren);
for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP']) {
  process.once(signal, () => {
    killAllChildren();
    process.exit(130);
  });
}

/**
 * Forks `modulePath` with an IPC channel. `execArgv` lets a child get `--expose-gc`, `--cpu-prof`, ...
 * Returns a handle with `request(msg, timeoutMs)` (a reply carries the same `id`), `wait(type)`,
 * `on(type, fn)` and `kill()`.
 */
export function spawnChild(modulePath, { args = [], execArgv = [], env = {}, name = modulePath } = {}) {
  const child = fork(modulePath, args, {
    execArgv,
    env: { ...process.env, ...env },
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
    serialization: 'advanced',
  });
  live.set(child.pid, child);

  const listeners = new Map(); // type -> Set<fn>
  let exited = null;
  const exitWaiters = new Set();
  child.on('message', (msg) => {
    const set = listeners.get(msg?.type);
    if (set) for (const fn of [...set]) fn(msg);
  });
  child.once('exit', (code, signal) => {
    live.delete(child.pid);
    exited = { code, signal };
    for (const fn of exitWaiters) fn(exited);
  });

  const handle = {
    name,
    pid: child.pid,
    on(type, fn) {
      if (!listeners.has(type)) listeners.set(type, new Set());
      listeners.get(type).add(fn);
      return () => listeners.get(type).delete(fn);
    },
    send(msg) {
      if (child.connected) child.send(msg);
    },
    /** Resolves with the first message of `type` (rejects on exit or timeout). */
    wait(type, timeoutMs = 120_000) {
      return new Promise((resolve, reject) => {
        const cleanup = () => {
          clearTimeout(timer);
          off();
          exitWaiters.delete(onExit);
        };
        const onExit = (e) => {
          cleanup();
          reject(new Error(`${name} (pid ${child.pid}) exited (code ${e.code}, signal ${e.signal}) while waiting for "${type}"`));
        };
        const timer = setTimeout(() => {
          cleanup();
          reject(new Error(`${name} (pid ${child.pid}): no "${type}" within ${timeoutMs} ms`));
        }, timeoutMs);
        const off = handle.on(type, (msg) => {
          cleanup();
          if (msg.error) reject(new Error(`${name}: ${msg.error}`));
          else resolve(msg);
        });
        if (exited) onExit(exited);
        else exitWaiters.add(onExit);
      });
    },
    /** Sends `msg` with a fresh id and resolves with the `reply` carrying that id. */
    request(msg, timeoutMs = 120_000) {
      const id = `${Date.now()}-${Math.random()}`;
      return new Promise((resolve, reject) => {
        const cleanup = () => {
          clearTimeout(timer);
          off();
          exitWaiters.delete(onExit);
        };
        const onExit = (e) => {
          cleanup();
          reject(new Error(`${name} (pid ${child.pid}) exited (code ${e.code}, signal ${e.signal}) during "${msg.type}"`));
        };
        const timer = setTimeout(() => {
          cleanup();
          reject(new Error(`${name} (pid ${child.pid}): no reply to "${msg.type}" within ${timeoutMs} ms`));
        }, timeoutMs);
        const off = handle.on('reply', (reply) => {
          if (reply.id !== id) return;
          cleanup();
          if (reply.error) reject(new Error(`${name}: ${reply.error}`));
          else resolve(reply);
        });
        if (exited) return onExit(exited);
        exitWaiters.add(onExit);
        child.send({ ...msg, id });
      });
    },
    /** Resolves when the child has exited (kills it after `graceMs`). */
    async stop(graceMs = 2_000) {
      if (exited) return exited;
      const done = new Promise((resolve) => exitWaiters.add(resolve));
      if (child.connected) child.disconnect();
      const timer = setTimeout(() => killByPid(child.pid), graceMs);
      const result = await done;
      clearTimeout(timer);
      return result;
    },
    kill() {
      killByPid(child.pid);
    },
  };
  return handle;
}

/** In a child: exit when the parent goes away, and report crashes to it before dying. */
export function childLifecycle(onDisconnect = () => process.exit(0)) {
  process.on('disconnect', onDisconnect);
  const fail = (err) => {
    const error = err instanceof Error ? `${err.message}\n${err.stack}` : String(err);
    try {
      process.send?.({ type: 'fatal', error });
    } catch {
      // parent gone
    }
    console.error(err);
    process.exit(1);
  };
  process.on('uncaughtException', fail);
  process.on('unhandledRejection', fail);
}
