/**
 * Bad input of every kind ends with ONE line on stderr (`phx-socket: ...`), no stack trace, and a non-zero
 * exit (64 for what the user typed), before any connection is attempted.
 */
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { killChildren, requireBuild, runCli } from './helpers/cli';

beforeAll(requireBuild);
afterEach(killChildren);

const URL_OK = 'ws://127.0.0.1:9/socket';

const cases: Array<[string, string[], RegExp]> = [
  ['no command', [], /^phx-socket: missing command: listen, push or repl \(see phx-socket --help\)$/],
  ['an unknown command', ['lsten', URL_OK, 'room:1'], /^phx-socket: unknown command 'lsten': expected listen, push or repl/],
  ['an unknown option', ['listen', URL_OK, 'room:1', '--colour'], /^phx-socket: unknown option --colour \(see phx-socket --help\)$/],
  ['an option without its value', ['listen', URL_OK, 'room:1', '--token'], /^phx-socket: option --token needs a value/],
  ['an option of another command', ['push', URL_OK, 'room:1', 'ev', '--event', 'x'], /^phx-socket: option --event does not apply to push \(only to listen\)/],
  ['a URL that is not a URL', ['listen', 'localhost:4000', 'room:1'], /^phx-socket: bad URL 'localhost:4000': the scheme must be ws, wss, http or https, got 'localhost'$/],
  ['a relative URL', ['listen', '/socket', 'room:1'], /^phx-socket: bad URL '\/socket': expected an absolute URL like ws:\/\/localhost:4000\/socket$/],
  ['a URL with another scheme', ['repl', 'ftp://example.com/socket'], /^phx-socket: bad URL 'ftp:\/\/example.com\/socket': the scheme must be ws, wss, http or https, got 'ftp'$/],
  ['listen without a topic', ['listen', URL_OK], /^phx-socket: listen needs listen URL TOPIC\.\.\./],
  ['push without an event', ['push', URL_OK, 'room:1'], /^phx-socket: push needs push URL TOPIC EVENT \[PAYLOAD\|-\]/],
  ['push with too many arguments', ['push', URL_OK, 'room:1', 'ev', '{}', 'extra'], /^phx-socket: push takes push URL TOPIC EVENT \[PAYLOAD\|-\]; unexpected 'extra'/],
  ['a --timeout that is not a number', ['push', URL_OK, 'room:1', 'ev', '--timeout', '1s'], /^phx-socket: --timeout must be a whole number of milliseconds above 0, got '1s'/],
  ['a --params without =', ['listen', URL_OK, 'room:1', '--params', 'user'], /^phx-socket: --params takes key=value, got 'user'/],
  ['an unknown serializer', ['listen', URL_OK, 'room:1', '--serializer', 'v3'], /^phx-socket: --serializer must be v1, v2 or msgpack, got 'v3'/],
  ['msgpack over LongPoll', ['listen', URL_OK, 'room:1', '--serializer', 'msgpack', '--longpoll'], /^phx-socket: --serializer msgpack needs binary frames, which --longpoll cannot carry/],
  ['a --ca file that does not exist', ['listen', 'wss://127.0.0.1:9/socket', 'room:1', '--ca', '/nonexistent/ca.pem'], /^phx-socket: cannot read --ca \/nonexistent\/ca\.pem: no such file$/],
  ['a bad JSON payload', ['push', URL_OK, 'room:1', 'ev', '[1,'], /^phx-socket: bad JSON payload '\[1,': /],
];

describe('bad input', () => {
  it.each(cases)('%s is one stderr line and exit 64', async (_name, args, message) => {
    const exit = await runCli(args);
    expect(exit.code).toBe(64);
    expect(exit.stdout).toBe('');
    const lines = exit.stderr.split('\n');
    expect(lines).toHaveLength(2); // one line + the final newline
    expect(lines[0]).toMatch(message);
  });
});

describe('--help and --version', () => {
  it('prints the usage with every command and exit code, exit 0', async () => {
    const exit = await runCli(['--help']);
    expect(exit.code).toBe(0);
    for (const word of ['listen URL TOPIC', 'push URL TOPIC EVENT', 'repl URL', '--json', '--serializer', '--longpoll', '--insecure', '4 connect failed']) {
      expect(exit.stdout).toContain(word);
    }
  });

  it("prints the package's version", async () => {
    const { version } = JSON.parse(readFileSync(resolve(__dirname, '../package.json'), 'utf8')) as { version: string };
    const exit = await runCli(['--version']);
    expect(exit).toMatchObject({ code: 0, stdout: `${version}\n`, stderr: '' });
  });
});
