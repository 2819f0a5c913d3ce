// Runs an example the way a user does (`node index.mjs ...`, against the built packages) and lets a
// test wait for what it prints. Each child is killed by its PID in `stopAll()`.
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

export const examplesDir = join(dirname(fileURLToPath(import.meta.url)), '..');
const repoRoot = join(examplesDir, '..');

export interface ExampleProcess {
  readonly child: ChildProcess;
  /** Everything printed to stdout so far. */
  stdout(): string;
  stderr(): string;
  /** Resolves with the stdout text once `pattern` matched `count` times; rejects on exit or timeout. */
  waitFor(pattern: RegExp | string, options?: { count?: number; timeoutMs?: number }): Promise<string>;
  /** Parsed `{"type": ...}` JSON lines printed to stdout. */
  jsonLines<T = Record<string, unknown>>(): T[];
  /** Resolves with the exit code (or signal name). */
  readonly exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
}

const running = new Set<ChildProcess>();

/** Starts `node examples/<name>/index.mjs ...args`. */
export function runExample(name: string, args: string[] = [], env: Record<string, string> = {}): ExampleProcess {
  const dist = join(repoRoot, 'packages', 'client', 'dist', 'index.mjs');
  if (!existsSync(dist)) throw new Error(`${dist} is missing: examples run against the built packages; run the root build first`);
  const child = spawn(process.execPath, [join(examplesDir, name, 'index.mjs'), ...args], {
    cwd: join(examplesDir, name),
    env: { ...process.env, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  running.add(child);
  let out = '';
  let err = '';
  const listeners = new Set<() => void>();
  child.stdout!.setEncoding('utf8').on('data', (chunk: string) => {
    out += chunk;
    for (const l of listeners) l();
  });
  child.stderr!.setEncoding('utf8').on('data', (chunk: string) => (err += chunk));
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) =>
    child.once('exit', (code, signal) => {
      running.delete(child);
      resolve({ code, signal });
      for (const l of listeners) l();
    }),
  );

  return {
    child,
    exited,
    stdout: () => out,
    stderr: () => err,
    jsonLines<T>() {
      return out
        .split('\n')
        .filter((line) => line.startsWith('{'))
        .map((line) => JSON.parse(line) as T);
    },
    waitFor(pattern, { count = 1, timeoutMs = 10_000 } = {}) {
      const matches = (): number => {
        if (typeof pattern === 'string') return out.split(pattern).length - 1;
        return [...out.matchAll(new RegExp(pattern.source, pattern.flags.includes('g') ? pattern.flags : `${pattern.flags}g`))].length;
      };
      return new Promise((resolve, reject) => {
        const check = (): void => {
          if (matches() >= count) return done(() => resolve(out));
          if (child.exitCode !== null || child.signalCode !== null) {
            done(() => reject(new Error(`${name} exited (${child.exitCode ?? child.signalCode}) before printing ${String(pattern)} ×${count}\nstdout:\n${out}\nstderr:\n${err}`)));
          }
        };
        const timer = setTimeout(
          () => done(() => reject(new Error(`${name} did not print ${String(pattern)} ×${count} within ${timeoutMs} ms\nstdout:\n${out}\nstderr:\n${err}`))),
          timeoutMs,
        );
        const done = (settle: () => void): void => {
          clearTimeout(timer);
          listeners.delete(check);
          settle();
        };
        listeners.add(check);
        check();
      });
    },
  };
}

/** Kills every child still running, by PID. */
export function stopAll(): void {
  for (const child of running) {
    if (child.pid !== undefined) process.kill(child.pid, 'SIGKILL');
  }
  running.clear();
}
