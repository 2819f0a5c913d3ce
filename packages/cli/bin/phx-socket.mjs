#!/usr/bin/env node
// The `phx-socket` command: reads its own version, hands argv to the built CLI and exits with its code.
import { readFileSync } from 'node:fs';
import { run } from '../dist/index.mjs';

// `phx-socket listen ... | head -1`: once the reader is gone there is nobody left to print for.
process.stdout.on('error', (error) => process.exit(error.code === 'EPIPE' ? 0 : 74));

const { version } = JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8'));

run(process.argv.slice(2), { version }).then(
  (code) => {
    process.exitCode = code;
    // Sockets and timers are closed by now; exit anyway so a stray handle cannot keep a finished command alive.
    process.stdout.write('', () => process.exit(code));
  },
  (error) => {
    process.stderr.write(`phx-socket: internal error: ${error instanceof Error ? error.message : String(error)}\n`);
    process.exit(70);
  },
);
