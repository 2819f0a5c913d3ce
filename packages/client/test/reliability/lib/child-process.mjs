// Runs child.mjs for one scenario and client and returns its JSON line, its exit code, and whether it
// ended by itself within the deadline (a leaked timer or socket keeps a process alive).
import { spawn } from 'node:child_process';
import { join } from 'node:path';

const CHILD = join(import.meta.dirname, '..', 'child.mjs');

/**
 * @param {string} scenario file name in scenarios/, without .mjs
 * @param {string} variant client kind or scenario variant
 * @param {{ scale?: 'short' | 'long', options?: Record<string, unknown>, nodeArgs?: string[], deadlineMs?: number }} [how]
 * @returns {Promise<{ exitCode: number | null, exitedByItself: boolean, ms: number, report: any, stderr: string }>}
 */
export function runChild(scenario, variant, how = {}) {
  const { scale = 'short', options = {}, nodeArgs = [], deadlineMs = 120_000 } = how;
  const started = performance.now();
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [...nodeArgs, CHILD, scenario, variant, scale, JSON.stringify(options)], {
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk) => (stdout += chunk));
    child.stderr.on('data', (chunk) => (stderr += chunk));
    let killed = false;
    const deadline = setTimeout(() => {
      killed = true;
      child.kill('SIGKILL');
    }, deadlineMs);
    child.on('error', (error) => {
      clearTimeout(deadline);
      reject(error);
    });
    child.on('close', (exitCode) => {
      clearTimeout(deadline);
      const line = stdout.trim().split('\n').pop() ?? '';
      let report = null;
      try {
        report = JSON.parse(line);
      } catch {
        // Left null: the caller reports stderr.
      }
      resolve({ exitCode, exitedByItself: !killed, ms: Math.round(performance.now() - started), report, stderr });
    });
  });
}
