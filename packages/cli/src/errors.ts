/**
 * The CLI's errors and exit codes. Every failure the user can cause (bad input, an unreachable server, a
 * refused join, a push answered with an error or not at all) is a `CliError` with a stable `code` and the
 * exit code it maps to; `main` prints its message as one line on stderr, never a stack trace.
 */

/** Exit codes, as documented in the README. */
export const EXIT = Object.freeze({
  /** The command did what it was asked (push: the reply was `ok`). */
  ok: 0,
  /** push: the server answered `{status: "error"}`; repl: some command failed. */
  replyError: 1,
  /** No reply (join or push) within `--timeout`. */
  timeout: 2,
  /** The server refused a join. */
  joinRefused: 3,
  /** The first connect failed (or did not open within `--connect-timeout`), or the connection was lost before a reply. */
  connectFailed: 4,
  /** Bad command line or input: unknown command/option, bad URL, bad JSON, unreadable file. */
  usage: 64,
  /** A bug: something threw that should not have. */
  internal: 70,
} as const);

/** One of the exit codes above. */
export type ExitCode = (typeof EXIT)[keyof typeof EXIT];

/** Stable codes of `CliError`. */
export type CliErrorCode =
  | 'usage'
  | 'bad_url'
  | 'bad_json'
  | 'bad_file'
  | 'connect_failed'
  | 'connection_lost'
  | 'join_refused'
  | 'join_timeout'
  | 'reply_timeout'
  | 'reply_error'
  | 'not_joined';

const EXIT_OF: Readonly<Record<CliErrorCode, ExitCode>> = Object.freeze({
  usage: EXIT.usage,
  bad_url: EXIT.usage,
  bad_json: EXIT.usage,
  bad_file: EXIT.usage,
  connect_failed: EXIT.connectFailed,
  connection_lost: EXIT.connectFailed,
  join_refused: EXIT.joinRefused,
  join_timeout: EXIT.timeout,
  reply_timeout: EXIT.timeout,
  reply_error: EXIT.replyError,
  not_joined: EXIT.usage,
});

/**
 * A failure to report as `phx-socket: <message>` and exit with `exitCode`.
 *
 * @example
 * throw new CliError('join_refused', 'join refused on room:x: unauthorized');
 */
export class CliError extends Error {
  override readonly name = 'CliError';
  readonly code: CliErrorCode;
  readonly exitCode: ExitCode;
  constructor(code: CliErrorCode, message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.code = code;
    this.exitCode = EXIT_OF[code];
  }
}

/** A usage error that points at `--help`. */
export function usageError(message: string): CliError {
  return new CliError('usage', `${message} (see phx-socket --help)`);
}

/** The most readable one-line reason in a server's error response: `reason` when it is a string, else the JSON. */
export function reasonOf(response: unknown): string {
  if (typeof response === 'string') return response;
  if (response !== null && typeof response === 'object') {
    const reason = (response as { reason?: unknown }).reason;
    if (typeof reason === 'string') return reason;
  }
  try {
    return JSON.stringify(response) ?? String(response);
  } catch {
    return String(response);
  }
}

/** The message of whatever a transport or socket reported (an error event, an Error, a string). */
export function messageOf(value: unknown): string {
  if (typeof value === 'string') return value;
  if (value instanceof Error) return value.message;
  if (value !== null && typeof value === 'object') {
    const { error, message } = value as { error?: unknown; message?: unknown };
    if (error instanceof Error && error.message !== '') return error.message;
    if (typeof message === 'string' && message !== '') return message;
  }
  return 'unknown error';
}
