/**
 * The repl's language: one command per line, parsed into a `ReplInput` (pure, so it is tested without a
 * terminal), and the tab completer (command names, then joined topics).
 */
import { CliError } from './errors';
import { parseJSON } from './input';

/** Command names, in the order `help` lists them. */
export const REPL_COMMANDS = ['join', 'leave', 'push', 'presence', 'topics', 'help', 'quit'] as const;

/** One parsed line. */
export type ReplInput =
  | { kind: 'join'; topic: string; params: Record<string, unknown> }
  | { kind: 'leave'; topic: string }
  | { kind: 'push'; topic: string; event: string; payload: unknown }
  | { kind: 'presence'; topic: string }
  | { kind: 'topics' }
  | { kind: 'help' }
  | { kind: 'quit' }
  | { kind: 'nothing' };

export const REPL_HELP = `Commands:
  join TOPIC [json-params]   join a topic (params: a JSON object)
  leave TOPIC                leave a joined topic
  push TOPIC EVENT [json]    push to a joined topic and wait for the reply (payload defaults to {})
  presence TOPIC             the presence list of a joined topic
  topics                     the joined topics
  help                       this text
  quit                       leave every topic and exit (also Ctrl-D)
Tab completes commands and joined topics; lines starting with # are ignored.`;

/** Splits off `count` words; `rest` is what follows them, trimmed (JSON may contain spaces). */
function words(line: string, count: number): { words: string[]; rest: string } {
  const out: string[] = [];
  let rest = line.trim();
  while (out.length < count && rest !== '') {
    const match = /^(\S+)\s*/.exec(rest)!;
    out.push(match[1]!);
    rest = rest.slice(match[0].length);
  }
  return { words: out, rest };
}

function bad(message: string): CliError {
  return new CliError('usage', `${message} (type help)`);
}

/**
 * Parses one repl line. Throws `CliError` (`usage` or `bad_json`) for a line that is not a command.
 *
 * @example
 * parseReplLine('push room:1 new_msg {"body": "hi"}'); // { kind: 'push', topic: 'room:1', event: 'new_msg', payload: { body: 'hi' } }
 */
export function parseReplLine(line: string): ReplInput {
  const trimmed = line.trim();
  if (trimmed === '' || trimmed.startsWith('#')) return { kind: 'nothing' };
  const [name] = words(trimmed, 1).words as [string];
  switch (name) {
    case 'join': {
      const { words: [, topic], rest } = words(trimmed, 2);
      if (topic === undefined) throw bad('join needs a TOPIC');
      const params = rest === '' ? {} : parseJSON(rest, 'join params');
      if (params === null || typeof params !== 'object' || Array.isArray(params)) throw new CliError('bad_json', 'join params must be a JSON object');
      return { kind: 'join', topic, params: params as Record<string, unknown> };
    }
    case 'push': {
      const { words: [, topic, event], rest } = words(trimmed, 3);
      if (topic === undefined || event === undefined) throw bad('push needs TOPIC EVENT [json]');
      return { kind: 'push', topic, event, payload: rest === '' ? {} : parseJSON(rest, 'payload') };
    }
    case 'leave':
    case 'presence': {
      const { words: [, topic], rest } = words(trimmed, 2);
      if (topic === undefined) throw bad(`${name} needs a TOPIC`);
      if (rest !== '') throw bad(`${name} takes one TOPIC; unexpected '${rest}'`);
      return { kind: name, topic };
    }
    case 'topics':
    case 'help':
    case 'quit':
    case 'exit': {
      const { rest } = words(trimmed, 1);
      if (rest !== '') throw bad(`${name} takes no arguments`);
      return { kind: name === 'exit' ? 'quit' : name };
    }
    default:
      throw bad(`unknown command '${name}'`);
  }
}

/** What the completer offers topics from. */
export interface CompletionSource {
  /** Topics joined now (for leave, push, presence). */
  joined(): readonly string[];
  /** Topics used before in this session (offered to join too). */
  known(): readonly string[];
}

/** node:readline's completer shape: `[candidates, the text they complete]`. */
export type Completer = (line: string) => [string[], string];

/**
 * The repl's tab completion: the first word completes to a command, the second (after join, leave,
 * push, presence) to a topic.
 *
 * @example
 * const complete = createCompleter({ joined: () => ['room:lobby'], known: () => [] });
 * complete('pu');            // [['push'], 'pu']
 * complete('push room:l');   // [['room:lobby'], 'room:l']
 */
export function createCompleter(source: CompletionSource): Completer {
  return (line) => {
    const parts = line.trimStart().split(/\s+/);
    if (parts.length === 1) {
      const partial = parts[0]!;
      return [REPL_COMMANDS.filter((c) => c.startsWith(partial)), partial];
    }
    if (parts.length === 2) {
      const [command, partial] = parts as [string, string];
      const pool =
        command === 'join'
          ? source.known().filter((t) => !source.joined().includes(t))
          : command === 'leave' || command === 'push' || command === 'presence'
            ? source.joined()
            : [];
      return [pool.filter((t) => t.startsWith(partial)), partial];
    }
    return [[], parts[parts.length - 1]!];
  };
}
