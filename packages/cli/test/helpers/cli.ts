/**
 * Runs the real built binary (`node packages/cli/bin/phx-socket.mjs`) as a child process, asynchronously,
 * so the testkit server in the test's own process keeps answering. Every child is remembered and killed
 * by PID in `killChildren()` (call it in afterEach).
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import { resolve } from 'node:path';

export const ROOT = resolve(__dirname, '../../../..');
export const BIN = resolve(__dirname, '../../bin/phx-socket.mjs');
export const DIST = resolve(__dirname, '../../dist/index.mjs');

/** Throws a readable error when the package was not built. */
export function requireBuild(): void {
  if (!existsSync(DIST)) throw new Error('packages/cli/dist is missing: run the build first (npx --yes pnpm@9.15.9 run build)');
}

export interface Exit {
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
}

export interface CliChild {
  readonly child: ChildProcess;
  stdout(): string;
  stderr(): string;
  /** stdout split into non-empty lines. */
  lines(): string[];
  /** Resolves once stdout matches; rejects (with what was printed) after `timeoutMs` or when the process ends first. */
  waitFor(match: string | RegExp | ((stdout: string) => boolean), timeoutMs?: number): Promise<string>;
  readonly exited: Promise<Exit>;
}

const children = new Set<ChildProcess>();
const groups = new WeakSet<ChildProcess>();

export interface StartOptions {
  env?: Record<string, string | undefined>;
  /** Written to stdin, which is then closed; `'keep'` leaves stdin open (a pipe). */
  stdin?: string | 'keep';
  cwd?: string;
  /** Program and leading args instead of `node BIN` (e.g. `['npx', 'phx-socket']`). */
  command?: string[];
  /**
   * Start it as its own process group and kill the group (`npx` runs the bin as a grandchild, which a
   * kill of npx's PID alone would leave running).
   */
  group?: boolean;
}

/** An environment without colour switches, so each test sets exactly what it checks. */
export function cleanEnv(extra: Record<string, string | undefined> = {}): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = { ...process.env };
  delete env.NO_COLOR;
  delete env.FORCE_COLOR;
  for (const [key, value] of Object.entries(extra)) {
    if (value === undefined) delete env[key];
    else env[key] = value;
  }
  return env;
}

export function startCli(args: string[], options: StartOptions = {}): CliChild {
  const [program, ...lead] = options.command ?? [process.execPath, BIN];
  const child = spawn(program!, [...lead, ...args], {
    cwd: options.cwd ?? ROOT,
    env: cleanEnv(options.env),
    stdio: ['pipe', 'pipe', 'pipe'],
    detached: options.group === true,
  });
  children.add(child);
  if (options.group === true) groups.add(child);
  let out = '';
  let err = '';
  child.stdout!.setEncoding('utf8').on('data', (chunk: string) => (out += chunk));
  child.stderr!.setEncoding('utf8').on('data', (chunk: string) => (err += chunk));
  if (options.stdin !== 'keep') child.stdin!.end(options.stdin ?? '');
  const exited = new Promise<Exit>((resolveExit) => {
    child.on('close', (code, signal) => {
      children.delete(child);
      resolveExit({ code, signal, stdout: out, stderr: err });
    });
  });
  const waitFor = (match: string | RegExp | ((stdout: string) => boolean), timeoutMs = 10_000): Promise<string> => {
    const test = typeof match === 'function' ? match : typeof match === 'string' ? (s: string) => s.includes(match) : (s: string) => match.test(s);
    return new Promise<string>((resolveWait, reject) => {
      const check = (): void => {
        if (test(out)) {
          cleanup();
          resolveWait(out);
        }
      };
      const timer = setTimeout(() => {
        cleanup();
        reject(new Error(`timed out waiting for ${String(match)}\nstdout:\n${out}\nstderr:\n${err}`));
      }, timeoutMs);
      const ended = (): void => {
        setImmediate(() => {
          if (test(out)) return;
          cleanup();
          reject(new Error(`exited before ${String(match)}\nstdout:\n${out}\nstderr:\n${err}`));
        });
      };
      const cleanup = (): void => {
        clearTimeout(timer);
        child.stdout!.off('data', check);
        child.off('close', ended);
      };
      child.stdout!.on('data', check);
      child.on('close', ended);
      check();
    });
  };
  return {
    child,
    stdout: () => out,
    stderr: () => err,
    lines: () => out.split('\n').filter((line) => line !== ''),
    waitFor,
    exited,
  };
}

/** Runs to completion. */
export function runCli(args: string[], options: StartOptions = {}): Promise<Exit> {
  return startCli(args, options).exited;
}

/** Kills (by PID) every child still running. */
export function killChildren(): void {
  for (const child of children) {
    if (child.pid !== undefined && child.exitCode === null && child.signalCode === null) {
      try {
        process.kill(groups.has(child) ? -child.pid : child.pid, 'SIGKILL');
      } catch {
        // Already gone.
      }
    }
  }
  children.clear();
}
