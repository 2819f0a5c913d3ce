/**
 * Tab completion of the repl: the completer alone (commands first, then joined topics), and the same
 * completer inside node:readline on a fake terminal, where Tab must complete what is typed.
 */
import { PassThrough } from 'node:stream';
import { createInterface } from 'node:readline';
import { describe, expect, it } from 'vitest';
import { createCompleter, parseReplLine, REPL_COMMANDS } from '../src/repl-commands';

const complete = createCompleter({ joined: () => ['room:lobby', 'room:life', 'game:1'], known: () => ['room:lobby', 'room:old'] });

describe('the repl completer', () => {
  it('offers every command for an empty line', () => {
    expect(complete('')).toEqual([[...REPL_COMMANDS], '']);
  });

  it('completes a command from its first letters', () => {
    expect(complete('pu')).toEqual([['push'], 'pu']);
    expect(complete('p')).toEqual([['push', 'presence'], 'p']);
    expect(complete('x')).toEqual([[], 'x']);
  });

  it('completes the topic of leave, push and presence from the joined topics', () => {
    expect(complete('push room:l')).toEqual([['room:lobby', 'room:life'], 'room:l']);
    expect(complete('leave g')).toEqual([['game:1'], 'g']);
    expect(complete('presence room:lo')).toEqual([['room:lobby'], 'room:lo']);
  });

  it('offers join the topics used before that are not joined now', () => {
    expect(complete('join room:')).toEqual([['room:old'], 'room:']);
  });

  it('offers nothing after the topic', () => {
    expect(complete('push room:lobby ev')).toEqual([[], 'ev']);
    expect(complete('topics x')).toEqual([[], 'x']);
  });
});

describe('the completer inside node:readline', () => {
  function terminal() {
    const input = new PassThrough();
    const output = new PassThrough();
    output.resume();
    Object.assign(output, { isTTY: true, columns: 80 });
    const rl = createInterface({ input, output, terminal: true, completer: complete });
    return { input, rl };
  }
  const tick = () => new Promise((r) => setTimeout(r, 20));

  it('completes a unique command and then a joined topic when Tab is pressed', async () => {
    const { input, rl } = terminal();
    input.write('pu\t');
    await tick();
    expect(rl.line).toBe('push');
    input.write(' game\t');
    await tick();
    expect(rl.line).toBe('push game:1');
    rl.close();
  });

  it('completes to the common prefix of several topics', async () => {
    const { input, rl } = terminal();
    input.write('leave ro\t');
    await tick();
    expect(rl.line).toBe('leave room:l');
    rl.close();
  });
});

describe('repl lines', () => {
  it('parse into commands, with JSON that may contain spaces', () => {
    expect(parseReplLine('  push room:1 new_msg {"body": "a b"} ')).toEqual({ kind: 'push', topic: 'room:1', event: 'new_msg', payload: { body: 'a b' } });
    expect(parseReplLine('join room:1')).toEqual({ kind: 'join', topic: 'room:1', params: {} });
    expect(parseReplLine('join room:1 {"user":"ana"}')).toEqual({ kind: 'join', topic: 'room:1', params: { user: 'ana' } });
    expect(parseReplLine('exit')).toEqual({ kind: 'quit' });
    expect(parseReplLine('# a comment')).toEqual({ kind: 'nothing' });
  });

  it('refuse what is not a command', () => {
    expect(() => parseReplLine('join')).toThrow('join needs a TOPIC');
    expect(() => parseReplLine('join room:1 [1]')).toThrow('join params must be a JSON object');
    expect(() => parseReplLine('leave a b')).toThrow("leave takes one TOPIC; unexpected 'b'");
    expect(() => parseReplLine('frobnicate')).toThrow("unknown command 'frobnicate'");
  });
});
