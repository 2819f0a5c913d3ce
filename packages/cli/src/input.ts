/**
 * Reading what the user hands in: a whole stream (stdin for `push ... -`) and JSON text, with errors that
 * say which input was bad.
 */
import { CliError } from './errors';

/** Reads a whole stream as UTF-8. */
export async function readAll(input: AsyncIterable<Buffer | string>): Promise<string> {
  let text = '';
  for await (const chunk of input) text += typeof chunk === 'string' ? chunk : chunk.toString('utf8');
  return text;
}

/** Parses a JSON payload; `what` names it in the error (`payload`, `join params`...). */
export function parseJSON(text: string, what: string): unknown {
  try {
    return JSON.parse(text);
  } catch (error) {
    const detail = error instanceof Error ? error.message : String(error);
    const shown = text.length > 40 ? `${text.slice(0, 40)}...` : text;
    throw new CliError('bad_json', `bad JSON ${what} '${shown.replace(/\s+/g, ' ').trim()}': ${detail}`);
  }
}

/** The payload of a push: `{}` when none, stdin for `-`, else the argument. */
export async function payloadOf(arg: string | undefined, stdin: AsyncIterable<Buffer | string>): Promise<unknown> {
  if (arg === undefined) return {};
  const text = arg === '-' ? await readAll(stdin) : arg;
  if (text.trim() === '') throw new CliError('bad_json', `bad JSON payload: ${arg === '-' ? 'stdin was empty' : 'it is empty'}`);
  return parseJSON(text, 'payload');
}
