import { Socket } from '@phx-socket/client';
import { startServer, type TestServer } from '@phx-socket/testkit';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runExample, stopAll } from '../../test-helpers/child';
import { EditorClient } from '../editor-client.mjs';
import { installEditorChannel } from '../editor-server.mjs';
import { apply, compose, deleteOp, insertOp, transform } from '../ot.mjs';
import { randomEdit, rng } from '../random-edits.mjs';

describe('ot', () => {
  it('applies inserts and deletes', () => {
    expect(apply('hello world', [6, -5, 'there'])).toBe('hello there');
    expect(apply('abc', insertOp(3, 3, '!'))).toBe('abc!');
    expect(apply('abc', deleteOp(3, 0, 2))).toBe('c');
    expect(() => apply('abc', [2, 'x'])).toThrow(RangeError);
  });

  it('breaks insert ties in favour of the first operation', () => {
    const [a2, b2] = transform(insertOp(2, 1, 'A'), insertOp(2, 1, 'B'));
    expect(apply(apply('xy', insertOp(2, 1, 'A')), b2)).toBe('xABy');
    expect(apply(apply('xy', insertOp(2, 1, 'B')), a2)).toBe('xABy');
  });

  it('keeps a concurrent insert that lands inside a deleted range', () => {
    const del = deleteOp(6, 1, 4); // "abcdef" → "af"
    const ins = insertOp(6, 3, 'XY'); // "abcXYdef"
    const [del2, ins2] = transform(del, ins);
    expect(apply(apply('abcdef', del), ins2)).toBe('aXYf');
    expect(apply(apply('abcdef', ins), del2)).toBe('aXYf');
  });

  it('converges for random concurrent pairs (TP1) and composes like sequential application', () => {
    const random = rng(42);
    for (let n = 0; n < 2000; n++) {
      let doc = '';
      for (let k = Math.floor(random() * 4); k > 0; k--) doc = apply(doc, randomEdit(random, doc));
      const a = randomEdit(random, doc);
      const b = randomEdit(random, doc);
      const [a2, b2] = transform(a, b);
      expect(apply(apply(doc, a), b2)).toBe(apply(apply(doc, b), a2));
      const c = randomEdit(random, apply(doc, a));
      expect(apply(doc, compose(a, c))).toBe(apply(apply(doc, a), c));
    }
  });
});

describe('two editors over real sockets', () => {
  let server: TestServer;
  const sockets: Socket[] = [];
  beforeAll(async () => {
    server = await startServer();
    installEditorChannel(server, { initial: 'shared text' });
  });
  afterAll(async () => {
    for (const s of sockets) s.disconnect();
    await server.close();
  });

  const open = async (topic: string): Promise<EditorClient> => {
    const socket = new Socket(server.url);
    sockets.push(socket);
    socket.connect();
    const editor = new EditorClient(socket, topic);
    await editor.open();
    return editor;
  };

  it.each([1, 2, 3])('seed %i: concurrent random edits converge to the server text', async (seed) => {
    const topic = `doc:test-${seed}`;
    const editors = [await open(topic), await open(topic)];
    expect(editors[0]!.doc).toBe('shared text');
    // Both type without waiting for each other: every edit goes out while the other's are in flight.
    for (let n = 0; n < 150; n++) {
      for (const [i, editor] of editors.entries()) {
        const random = rng(seed * 1_000_003 + n * 2 + i);
        editor.edit(randomEdit(random, editor.doc));
      }
      if (n % 10 === 0) await new Promise((resolve) => setImmediate(resolve));
    }
    await expect.poll(() => editors.every((e) => e.synchronized), { timeout: 10_000 }).toBe(true);
    const snapshot = await editors[0]!.snapshot();
    await expect.poll(() => editors.map((e) => e.version)).toEqual([snapshot.version, snapshot.version]);

    expect(editors.map((e) => e.error)).toEqual([null, null]);
    expect(editors[0]!.doc).toBe(snapshot.doc);
    expect(editors[1]!.doc).toBe(snapshot.doc);
    // The run really was concurrent: the server transformed, clients transformed and buffered.
    expect(snapshot.transforms).toBeGreaterThan(0);
    expect(editors.reduce((n, e) => n + e.stats.transformed, 0)).toBeGreaterThan(0);
    expect(editors.reduce((n, e) => n + e.stats.composed, 0)).toBeGreaterThan(0);
  });
});

describe('node index.mjs', () => {
  afterAll(stopAll);

  it('three editors converge and it says so', async () => {
    const run = runExample('collab-editor', ['--editors', '3', '--edits', '150', '--seed', '11', '--json']);
    const { code } = await run.exited;
    expect(code, run.stdout() + run.stderr()).toBe(0);
    const [result] = run.jsonLines<{ converged: boolean; errors: string[]; version: number; serverTransforms: number }>();
    expect(result).toMatchObject({ converged: true, errors: [] });
    expect(result!.version).toBeGreaterThan(0);
    expect(result!.serverTransforms).toBeGreaterThan(0);
  });
});
