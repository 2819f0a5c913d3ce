/**
 * @phx-socket/cli: the `phx-socket` command (listen, push, repl) on top of @phx-socket/client. The bin
 * calls `run`; the pieces are exported for programs that want the same parsing or output.
 */
export { run, type RunContext } from './main';
export { parseCommandLine, checkURL, pairs, USAGE, DEFAULT_ARGS, type Command, type ConnectOptions, type ListenCommand, type OutputOptions, type PushCommand, type ReplCommand, type SerializerName } from './args';
export { CliError, EXIT, type CliErrorCode, type ExitCode } from './errors';
export { colorEnabled, Printer, toJSON, type LineSink, type PrinterOptions, type RecordType } from './output';
export { createCompleter, parseReplLine, REPL_COMMANDS, REPL_HELP, type Completer, type CompletionSource, type ReplInput } from './repl-commands';
export { Session, type JoinedChannel, type PushReply, type SessionOptions } from './session';
