/**
 * What stdout looks like: no escape codes when stdout is not a terminal or NO_COLOR is set, colours on a
 * terminal (checked through a pseudo-terminal made by util-linux `script`), and JSON that survives
 * binary payloads and errors.
 */
import { existsSync } from 'node:fs';
import { afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { startServer, type TestServer } from '@phx-socket/testkit';
import { colorEnabled, Printer, toJSON } from '../src/output';
import { BIN, killChildren, requireBuild, runCli } from './helpers/cli';

const ESC = '\x1b[';
let server: TestServer;

beforeAll(requireBuild);
beforeEach(async () => {
  server = await startServer();
  server.channel('room:*', { handleIn: (_e, payload) => ({ reply: 'ok', response: payload }) });
});
afterEach(async () => {
  killChildren();
  await server.close();
});

describe('colours', () => {
  it('are never used when stdout is a pipe', async () => {
    const exit = await runCli(['push', server.url, 'room:1', 'echo', '{"a":1}']);
    expect(exit.code).toBe(0);
    expect(exit.stdout).toContain('reply ok {"a":1}');
    expect(exit.stdout).not.toContain(ESC);
  });

  const hasScript = existsSync('/usr/bin/script');
  const inTerminal = (env: Record<string, string | undefined>) =>
    runCli(['-qefc', `${process.execPath} ${BIN} push ${server.url} room:1 echo '{"a":1}'`, '/dev/null'], { command: ['script'], env });

  it.skipIf(!hasScript)('are used on a terminal', async () => {
    const exit = await inTerminal({});
    expect(exit.code).toBe(0);
    expect(exit.stdout).toContain(`${ESC}32mreply ok${ESC}0m`);
  });

  it.skipIf(!hasScript)('are not used on a terminal when NO_COLOR is set', async () => {
    const exit = await inTerminal({ NO_COLOR: '1' });
    expect(exit.code).toBe(0);
    expect(exit.stdout).toContain('reply ok {"a":1}');
    expect(exit.stdout).not.toContain(ESC);
  });

  it('follow the terminal and NO_COLOR rules', () => {
    expect(colorEnabled({ write() {}, isTTY: true }, {})).toBe(true);
    expect(colorEnabled({ write() {}, isTTY: true }, { NO_COLOR: '1' })).toBe(false);
    expect(colorEnabled({ write() {}, isTTY: true }, { NO_COLOR: '' })).toBe(true);
    expect(colorEnabled({ write() {} }, {})).toBe(false);
  });

  it('are never mixed into --json lines', () => {
    let out = '';
    const printer = new Printer({ json: true, color: true, out: { write: (t: string) => (out += t) }, now: () => new Date(0) });
    printer.message('room:1', 'ev', { a: 1 });
    expect(out).toBe('{"type":"message","topic":"room:1","event":"ev","payload":{"a":1},"ts":"1970-01-01T00:00:00.000Z"}\n');
  });
});

describe('JSON output', () => {
  it('writes binary payloads as base64 and errors by name, code and message', () => {
    const error = Object.assign(new Error('boom'), { code: 'x_failed' });
    expect(toJSON({ bin: new Uint8Array([1, 2, 3]), buf: new Uint8Array([255]).buffer, node: Buffer.from('hi'), error })).toBe(
      '{"bin":{"$binary":"AQID"},"buf":{"$binary":"/w=="},"node":{"$binary":"aGk="},"error":{"name":"Error","code":"x_failed","message":"boom"}}',
    );
  });

  it('cuts cycles instead of throwing', () => {
    const a: Record<string, unknown> = { n: 1 };
    a.self = a;
    expect(toJSON(a)).toBe('{"n":1,"self":"[circular]"}');
  });
});
