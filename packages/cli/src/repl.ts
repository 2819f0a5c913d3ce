/**
 * `phx-socket repl URL`: an interactive session over node:readline. On a terminal: a prompt kept below
 * incoming messages, history (saved to `~/.phx_socket_history`, or `$PHX_SOCKET_HISTORY`), tab completion.
 * From a pipe: no prompt, each line runs after the previous one finished (its reply printed), and the
 * session ends once stdin ends and the last command is done. Exit 0, or 1 when any command failed.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { join } from 'node:path';
import { clearLine, createInterface, cursorTo, type Interface } from 'node:readline';
import type { ReplCommand } from './args';
import { CliError, EXIT, messageOf, type ExitCode } from './errors';
import type { Printer } from './output';
import { createCompleter, parseReplLine, REPL_HELP, type ReplInput } from './repl-commands';
import { Session } from './session';

/** Streams the repl reads and writes. */
export interface ReplIO {
  input: NodeJS.ReadableStream;
  /** Where the prompt and echo go on a terminal. */
  output: NodeJS.WritableStream;
  /** True when a person types (stdin and stdout are terminals). */
  terminal: boolean;
  /** One-line error reports. */
  error(line: string): void;
  /** History file; `null` keeps no history on disk. */
  historyFile: string | null;
}

/** The history file: `$PHX_SOCKET_HISTORY`, else `~/.phx_socket_history`. */
export function historyFileOf(env: Readonly<Record<string, string | undefined>>): string {
  return env.PHX_SOCKET_HISTORY ?? join(homedir(), '.phx_socket_history');
}

const HISTORY_SIZE = 1000;

function loadHistory(file: string | null): string[] {
  if (file === null) return [];
  try {
    // readline keeps the newest entry first; the file has it last.
    return readFileSync(file, 'utf8').split('\n').filter(Boolean).slice(-HISTORY_SIZE).reverse();
  } catch {
    return [];
  }
}

function saveHistory(file: string | null, history: readonly string[]): void {
  if (file === null || history.length === 0) return;
  try {
    writeFileSync(file, `${[...history].reverse().join('\n')}\n`, { mode: 0o600 });
  } catch {
    // History is a convenience: an unwritable home must not fail the session.
  }
}

/** Runs one parsed line. Returns false for `quit`. */
async function execute(input: ReplInput, session: Session, printer: Printer, known: Set<string>): Promise<boolean> {
  switch (input.kind) {
    case 'nothing':
      return true;
    case 'quit':
      return false;
    case 'help':
      printer.text(REPL_HELP);
      return true;
    case 'topics': {
      const topics = session.topics();
      printer.status('topics', topics.length === 0 ? 'no topics joined' : `joined: ${topics.join(', ')}`, { topics });
      return true;
    }
    case 'join':
      known.add(input.topic);
      await session.join(input.topic, input.params);
      return true;
    case 'leave':
      await session.leave(input.topic);
      return true;
    case 'presence':
      printer.presence(input.topic, session.presenceOf(input.topic));
      return true;
    case 'push': {
      const reply = await session.push(input.topic, input.event, input.payload);
      printer.reply(input.topic, input.event, reply.status, reply.response);
      if (reply.status === 'error') throw new CliError('reply_error', `"${input.event}" on ${input.topic} was answered with an error`);
      return true;
    }
  }
}

/** Keeps the prompt (and what the user typed) below lines printed while waiting for input. */
function keepPromptBelow(rl: Interface, output: NodeJS.WritableStream, busy: () => boolean): (write: () => void) => void {
  return (write) => {
    if (busy()) return write();
    clearLine(output, 0);
    cursorTo(output, 0);
    write();
    rl.prompt(true);
  };
}

export async function repl(command: ReplCommand, printer: Printer, io: ReplIO): Promise<ExitCode> {
  const session = await Session.open({ connect: command.connect, output: command.output, printer });
  const known = new Set<string>();
  let history: string[] = io.terminal ? loadHistory(io.historyFile) : [];
  const rl = createInterface({
    input: io.input,
    ...(io.terminal ? { output: io.output } : {}),
    terminal: io.terminal,
    completer: createCompleter({ joined: () => session.topics(), known: () => [...known] }),
    history,
    historySize: io.terminal ? HISTORY_SIZE : 0,
    prompt: 'phx> ',
    removeHistoryDuplicates: true,
  });
  rl.on('history', (next: string[]) => (history = next));
  // Ctrl-C at the prompt ends the session like quit; from a pipe, SIGINT does the same.
  rl.on('SIGINT', () => rl.close());
  const onSignal = (): void => void rl.close();
  process.once('SIGINT', onSignal);
  process.once('SIGTERM', onSignal);

  let busy = false;
  let failures = 0;
  if (io.terminal) {
    printer.wrapWrites(keepPromptBelow(rl, io.output, () => busy));
    io.output.write('Type help for commands, Tab to complete, Ctrl-D to quit.\n');
    rl.prompt();
  }
  try {
    for await (const line of rl) {
      busy = true;
      let more = true;
      try {
        more = await execute(parseReplLine(line), session, printer, known);
      } catch (error) {
        failures++;
        io.error(`phx-socket: ${error instanceof CliError ? error.message : messageOf(error)}`);
      } finally {
        busy = false;
      }
      if (!more) break;
      if (io.terminal) rl.prompt();
    }
  } finally {
    process.off('SIGINT', onSignal);
    process.off('SIGTERM', onSignal);
    printer.wrapWrites(null);
    rl.close();
    if (io.terminal) saveHistory(io.historyFile, history);
    await session.close();
  }
  return failures === 0 ? EXIT.ok : EXIT.replyError;
}
