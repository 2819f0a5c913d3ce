/**
 * The command line: `node:util` parseArgs for the options, then one parsed `Command` per sub-command with
 * every value checked (URL, numbers, `k=v` pairs). Nothing here touches the network or stdin, so every
 * usage error is reported before a connection is attempted.
 */
import { parseArgs, type ParseArgsConfig } from 'node:util';
import { CliError, usageError } from './errors';

/** Which frame codec to speak. */
export type SerializerName = 'v1' | 'v2' | 'msgpack';

/** Options every connecting command shares. */
export interface ConnectOptions {
  /** Endpoint as given (`ws://host/socket`); `/websocket` is appended by the client. */
  url: string;
  /** `--params k=v`: the socket's connect params (query string). */
  params: Record<string, string>;
  /** `--token T`: the socket's `authToken` (sent as a WebSocket subprotocol). */
  token: string | undefined;
  serializer: SerializerName;
  longpoll: boolean;
  /** `--ca FILE`: path of a PEM file of certificate authorities to trust. */
  caFile: string | undefined;
  /** `--insecure`: accept any server certificate. */
  insecure: boolean;
  /** `--timeout MS`: join, push and leave timeout. */
  timeoutMs: number;
  /** `--connect-timeout MS`: how long the first connect may take before exit 4. */
  connectTimeoutMs: number;
}

/** Options of how things are printed. */
export interface OutputOptions {
  json: boolean;
  telemetry: boolean;
  presence: boolean;
}

export interface ListenCommand {
  kind: 'listen';
  connect: ConnectOptions;
  output: OutputOptions;
  topics: string[];
  /** `--event E`: print only these events (empty: all). */
  events: string[];
  joinParams: Record<string, string>;
}

export interface PushCommand {
  kind: 'push';
  connect: ConnectOptions;
  output: OutputOptions;
  topic: string;
  event: string;
  /** The JSON text as given, `'-'` for stdin, `undefined` for `{}`. */
  payload: string | undefined;
  joinParams: Record<string, string>;
}

export interface ReplCommand {
  kind: 'repl';
  connect: ConnectOptions;
  output: OutputOptions;
}

/** A parsed command line. */
export type Command = ListenCommand | PushCommand | ReplCommand | { kind: 'help' } | { kind: 'version' };

/** Defaults of the numeric options. */
export const DEFAULT_ARGS = Object.freeze({
  timeoutMs: 10_000,
  connectTimeoutMs: 10_000,
  serializer: 'v2' as SerializerName,
});

const OPTIONS = {
  json: { type: 'boolean' },
  telemetry: { type: 'boolean' },
  presence: { type: 'boolean' },
  serializer: { type: 'string' },
  longpoll: { type: 'boolean' },
  ca: { type: 'string' },
  insecure: { type: 'boolean' },
  params: { type: 'string', multiple: true },
  token: { type: 'string' },
  timeout: { type: 'string' },
  'connect-timeout': { type: 'string' },
  event: { type: 'string', multiple: true },
  'join-params': { type: 'string', multiple: true },
  help: { type: 'boolean', short: 'h' },
  version: { type: 'boolean', short: 'v' },
} as const satisfies ParseArgsConfig['options'];

type OptionName = keyof typeof OPTIONS;

/** Options that only some commands take. */
const ONLY_FOR: Partial<Record<OptionName, readonly string[]>> = {
  event: ['listen'],
  'join-params': ['listen', 'push'],
};

export const COMMANDS = ['listen', 'push', 'repl'] as const;

/** What each command takes after its name. */
const POSITIONALS: Record<(typeof COMMANDS)[number], { min: number; max: number; usage: string }> = {
  listen: { min: 2, max: Infinity, usage: 'listen URL TOPIC...' },
  push: { min: 3, max: 4, usage: 'push URL TOPIC EVENT [PAYLOAD|-]' },
  repl: { min: 1, max: 1, usage: 'repl URL' },
};

/**
 * Parses `argv` (without `node` and the script). Throws `CliError` (exit 64) for anything wrong.
 *
 * @example
 * parseCommandLine(['push', 'ws://localhost:4000/socket', 'room:1', 'ping', '{}', '--timeout', '500']);
 */
export function parseCommandLine(argv: readonly string[]): Command {
  const { values, positionals } = parseOrExplain(argv);
  if (values.help) return { kind: 'help' };
  if (values.version) return { kind: 'version' };
  const [name, ...rest] = positionals;
  if (name === undefined) throw usageError('missing command: listen, push or repl');
  if (name === 'help') return { kind: 'help' };
  if (!(COMMANDS as readonly string[]).includes(name)) throw usageError(`unknown command '${name}': expected listen, push or repl`);
  const kind = name as (typeof COMMANDS)[number];

  for (const [option, commands] of Object.entries(ONLY_FOR)) {
    if (values[option as OptionName] !== undefined && !commands.includes(kind)) {
      throw usageError(`option --${option} does not apply to ${kind} (only to ${commands.join(', ')})`);
    }
  }
  const shape = POSITIONALS[kind];
  if (rest.length < shape.min) throw usageError(`${kind} needs ${shape.usage}`);
  if (rest.length > shape.max) throw usageError(`${kind} takes ${shape.usage}; unexpected '${rest[shape.max]}'`);

  const connect = connectOptions(rest[0]!, values);
  const output: OutputOptions = { json: values.json ?? false, telemetry: values.telemetry ?? false, presence: values.presence ?? false };
  if (kind === 'repl') return { kind, connect, output };
  const joinParams = pairs(values['join-params'], '--join-params');
  if (kind === 'listen') {
    const topics = rest.slice(1).map((topic) => checkName(topic, 'topic'));
    return { kind, connect, output, topics: [...new Set(topics)], events: values.event ?? [], joinParams };
  }
  return {
    kind,
    connect,
    output,
    topic: checkName(rest[1]!, 'topic'),
    event: checkName(rest[2]!, 'event'),
    payload: rest[3],
    joinParams,
  };
}

type Values = { [K in OptionName]?: (typeof OPTIONS)[K] extends { type: 'boolean' } ? boolean : (typeof OPTIONS)[K] extends { multiple: true } ? string[] : string };

function parseOrExplain(argv: readonly string[]): { values: Values; positionals: string[] } {
  try {
    const { values, positionals } = parseArgs({ args: [...argv], options: OPTIONS, allowPositionals: true, strict: true });
    return { values: values as Values, positionals };
  } catch (error) {
    throw usageError(explainParseError(error));
  }
}

/** parseArgs' messages suggest `--` tricks; say what is wrong in our own words. */
function explainParseError(error: unknown): string {
  const message = error instanceof Error ? error.message : String(error);
  const code = (error as { code?: string }).code;
  const option = /'(-[^' ]+)/.exec(message)?.[1];
  if (code === 'ERR_PARSE_ARGS_UNKNOWN_OPTION') return `unknown option ${option ?? message}`;
  if (code === 'ERR_PARSE_ARGS_INVALID_OPTION_VALUE') {
    return option !== undefined && /argument missing/.test(message) ? `option ${option} needs a value` : `option ${option ?? ''} takes no value`.trim();
  }
  return message;
}

function connectOptions(url: string, values: Values): ConnectOptions {
  const serializer = values.serializer ?? DEFAULT_ARGS.serializer;
  if (serializer !== 'v1' && serializer !== 'v2' && serializer !== 'msgpack') {
    throw usageError(`--serializer must be v1, v2 or msgpack, got '${serializer}'`);
  }
  const longpoll = values.longpoll ?? false;
  if (longpoll && serializer === 'msgpack') throw usageError('--serializer msgpack needs binary frames, which --longpoll cannot carry');
  if (longpoll && (values.ca !== undefined || values.insecure)) {
    throw usageError('--ca and --insecure apply to the WebSocket transport only; LongPoll uses Node\'s fetch (set NODE_EXTRA_CA_CERTS=FILE instead)');
  }
  if (values.token === '') throw usageError('--token must not be empty');
  return {
    url: checkURL(url),
    params: pairs(values.params, '--params'),
    token: values.token,
    serializer,
    longpoll,
    caFile: values.ca,
    insecure: values.insecure ?? false,
    timeoutMs: positiveMs(values.timeout, '--timeout', DEFAULT_ARGS.timeoutMs),
    connectTimeoutMs: positiveMs(values['connect-timeout'], '--connect-timeout', DEFAULT_ARGS.connectTimeoutMs),
  };
}

/** An absolute ws/wss/http/https URL; anything else is a `bad_url` error. */
export function checkURL(text: string): string {
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    throw new CliError('bad_url', `bad URL '${text}': expected an absolute URL like ws://localhost:4000/socket`);
  }
  if (!['ws:', 'wss:', 'http:', 'https:'].includes(url.protocol)) {
    throw new CliError('bad_url', `bad URL '${text}': the scheme must be ws, wss, http or https, got '${url.protocol.slice(0, -1)}'`);
  }
  if (url.hostname === '') throw new CliError('bad_url', `bad URL '${text}': no host`);
  return text;
}

function checkName(value: string, what: 'topic' | 'event'): string {
  if (value.trim() === '') throw usageError(`the ${what} must not be empty`);
  return value;
}

/** `k=v` pairs (split at the first `=`) into an object; a later key wins. */
export function pairs(list: readonly string[] | undefined, option: string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const item of list ?? []) {
    const at = item.indexOf('=');
    if (at <= 0) throw usageError(`${option} takes key=value, got '${item}'`);
    out[item.slice(0, at)] = item.slice(at + 1);
  }
  return out;
}

function positiveMs(value: string | undefined, option: string, fallback: number): number {
  if (value === undefined) return fallback;
  const ms = /^\d+$/.test(value) ? Number(value) : NaN;
  if (!Number.isSafeInteger(ms) || ms <= 0 || ms > 2_147_483_647) {
    throw usageError(`${option} must be a whole number of milliseconds above 0, got '${value}'`);
  }
  return ms;
}

/** `--help` text. */
export const USAGE = `Usage: phx-socket <command> [options]

Commands:
  listen URL TOPIC...               join every topic and print every message until Ctrl-C
  push URL TOPIC EVENT [PAYLOAD|-]  join, push a JSON payload ('-' reads stdin, none = {}), print the reply
  repl URL                          interactive: join, leave, push, presence, topics, help, quit

Connection:
  --params k=v          connect param (repeatable)
  --token T             auth token (sent as the Phoenix auth-token WebSocket subprotocol)
  --serializer NAME     v1, v2 (default) or msgpack (needs the msgpackr package)
  --longpoll            use the LongPoll transport instead of WebSocket
  --ca FILE             trust the certificate authorities in this PEM file (wss)
  --insecure            accept any server certificate (wss; development only)
  --timeout MS          join/push/leave timeout (default ${DEFAULT_ARGS.timeoutMs})
  --connect-timeout MS  give up (exit 4) when the first connect takes longer (default ${DEFAULT_ARGS.connectTimeoutMs})

Channels:
  --join-params k=v     join param (listen, push; repeatable)
  --event E             print only event E (listen; repeatable)

Output:
  --json                one JSON object per line (for jq)
  --presence            print the presence list on every sync
  --telemetry           print the socket's telemetry events
  -h, --help            this text
  -v, --version         the version

Exit codes: 0 ok, 1 error reply, 2 timeout, 3 join refused, 4 connect failed, 64 bad input.
Colours only on a terminal, and never when NO_COLOR is set.`;
