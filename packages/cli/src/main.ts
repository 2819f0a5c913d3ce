/**
 * `run(argv)`: parse the command line, run the command, and turn every failure into one stderr line
 * (`phx-socket: join refused on room:x: unauthorized`) and an exit code. Never throws.
 */
import { parseCommandLine, USAGE } from './args';
import { CliError, EXIT, messageOf, type ExitCode } from './errors';
import { listen } from './listen';
import { colorEnabled, Printer, type LineSink } from './output';
import { push } from './push';
import { historyFileOf, repl } from './repl';

/** What `run` reads and writes; every field defaults to the process's own. */
export interface RunContext {
  /** Printed by `--version`. */
  version: string;
  stdout?: LineSink & NodeJS.WritableStream;
  stderr?: { write(text: string): unknown };
  stdin?: NodeJS.ReadableStream & { isTTY?: boolean };
  env?: Readonly<Record<string, string | undefined>>;
}

/**
 * Runs one command line and resolves with its exit code.
 *
 * @example
 * process.exitCode = await run(process.argv.slice(2), { version: '0.1.0' });
 */
export async function run(argv: readonly string[], context: RunContext): Promise<ExitCode> {
  const stdout = context.stdout ?? process.stdout;
  const stderr = context.stderr ?? process.stderr;
  const stdin = context.stdin ?? process.stdin;
  const env = context.env ?? process.env;
  try {
    const command = parseCommandLine(argv);
    if (command.kind === 'help') {
      stdout.write(`${USAGE}\n`);
      return EXIT.ok;
    }
    if (command.kind === 'version') {
      stdout.write(`${context.version}\n`);
      return EXIT.ok;
    }
    const printer = new Printer({ json: command.output.json, color: colorEnabled(stdout, env), out: stdout });
    switch (command.kind) {
      case 'listen':
        return await listen(command, printer);
      case 'push':
        return await push(command, printer, stdin as AsyncIterable<Buffer | string>);
      case 'repl':
        return await repl(command, printer, {
          input: stdin,
          output: stdout,
          terminal: stdin.isTTY === true && stdout.isTTY === true,
          error: (line) => stderr.write(`${line}\n`),
          historyFile: historyFileOf(env),
        });
    }
  } catch (error) {
    if (error instanceof CliError) {
      stderr.write(`phx-socket: ${error.message}\n`);
      return error.exitCode;
    }
    stderr.write(`phx-socket: internal error: ${messageOf(error)}\n`);
    return EXIT.internal;
  }
}
