import { describe, expect, it, vi } from 'vitest';
import { authTokenProtocols } from '../src/auth-token';
import { LongPollBinaryError, LongPollError } from '../src/errors';
import { createLongPollTransport, LongPoll, type LongPollErrorEvent } from '../src/longpoll';
import type { TransportCloseEvent } from '../src/transport';
import { fakeFetch } from './helpers/fake-fetch';

const URL = 'ws://example.test/socket/websocket?user=ann&vsn=2.0.0';
const tick = () => new Promise((resolve) => setTimeout(resolve, 5));

/** A LongPoll on a fake fetch, with every event recorded. */
function setup(options: { protocols?: string[]; pollTimeoutMs?: number; maxBatchSize?: number } = {}) {
  const fake = fakeFetch();
  const conn = new LongPoll(URL, options.protocols, { fetch: fake.fetch, ...(options.pollTimeoutMs ? { pollTimeoutMs: options.pollTimeoutMs } : {}), ...(options.maxBatchSize ? { maxBatchSize: options.maxBatchSize } : {}) });
  const events: string[] = [];
  const messages: string[] = [];
  const errors: LongPollError[] = [];
  const closes: TransportCloseEvent[] = [];
  conn.onopen = () => events.push('open');
  conn.onmessage = ({ data }) => messages.push(data as string);
  conn.onerror = (e) => {
    events.push('error');
    errors.push((e as LongPollErrorEvent).error);
  };
  conn.onclose = (e) => {
    events.push('close');
    closes.push(e);
  };
  async function open(token = 'T1') {
    const first = await fake.next('GET');
    first.answer(410, { token });
    await tick();
    return first;
  }
  return { ...fake, conn, events, messages, errors, closes, open };
}

describe('LongPoll', () => {
  it('looks like a WebSocket that skips heartbeats and ignores binaryType', () => {
    const { conn } = setup();
    expect(conn.readyState).toBe(0);
    expect(conn.skipHeartbeat).toBe(true);
    conn.binaryType = 'blob';
    expect(LongPoll.transportName).toBe('LongPoll');
    expect(conn.pollURL).toBe('http://example.test/socket/longpoll?user=ann&vsn=2.0.0');
    conn.close();
  });

  it('opens on the first 410, then polls with the token', async () => {
    const t = setup();
    const first = await t.open('T1');
    expect(first.url).toBe('http://example.test/socket/longpoll?user=ann&vsn=2.0.0');
    expect(first.headers['Accept']).toBe('application/json');
    expect(t.events).toEqual(['open']);
    expect(t.conn.readyState).toBe(1);
    const second = await t.next('GET');
    expect(second.url).toBe('http://example.test/socket/longpoll?user=ann&vsn=2.0.0&token=T1');
    t.conn.close();
  });

  it('delivers each polled frame in order, each in its own task, and polls again', async () => {
    const t = setup();
    await t.open();
    const order: string[] = [];
    t.conn.onmessage = ({ data }) => {
      order.push(data as string);
      void Promise.resolve().then(() => order.push(`after ${data as string}`));
    };
    (await t.next('GET')).answer(200, { token: 'T1', messages: ['a', 'b'] });
    await tick();
    expect(order).toEqual(['a', 'after a', 'b', 'after b']);
    (await t.next('GET')).answer(204, { token: 'T1' });
    await t.next('GET');
    t.conn.close();
  });

  it('batches the sends of one tick into one ndjson POST, at most maxBatchSize frames each, in order', async () => {
    const t = setup({ maxBatchSize: 3 });
    await t.open();
    for (let i = 1; i <= 7; i++) t.conn.send(`f${i}`);
    const first = await t.next('POST');
    expect(first.headers['Content-Type']).toBe('application/x-ndjson');
    expect(first.url).toContain('token=T1');
    expect(first.body).toBe('f1\nf2\nf3');
    t.conn.send('f8');
    first.answer(200);
    const second = await t.next('POST');
    expect(second.body).toBe('f4\nf5\nf6');
    second.answer(200);
    const third = await t.next('POST');
    expect(third.body).toBe('f7\nf8');
    third.answer(200);
    await tick();
    expect(t.requests.filter((r) => r.method === 'POST')).toHaveLength(3);
    t.conn.close();
  });

  it('sends frames queued while connecting once the session opens', async () => {
    const t = setup();
    t.conn.send('early');
    await t.open();
    expect((await t.next('POST')).body).toBe('early');
    t.conn.close();
  });

  it('throws LongPollBinaryError for a binary frame and keeps working', async () => {
    const t = setup();
    await t.open();
    expect(() => t.conn.send(new ArrayBuffer(8))).toThrow(LongPollBinaryError);
    try {
      t.conn.send(new ArrayBuffer(8));
    } catch (error) {
      expect(error).toMatchObject({ code: 'binary_unsupported', bytes: 8 });
    }
    t.conn.send('text');
    expect((await t.next('POST')).body).toBe('text');
    expect(t.conn.readyState).toBe(1);
    t.conn.close();
  });

  it('sends the auth token from the subprotocols as X-Phoenix-AuthToken on every request', async () => {
    const t = setup({ protocols: authTokenProtocols('tök3n')! });
    const first = await t.open();
    expect(first.headers['X-Phoenix-AuthToken']).toBe('tök3n');
    t.conn.send('x');
    expect((await t.next('POST')).headers['X-Phoenix-AuthToken']).toBe('tök3n');
    t.conn.close();
  });

  it.each([
    ['410 after open', (r: { answer: (s: number) => void }) => r.answer(410), 'session_gone', 3410, 'session_gone'],
    ['403', (r: { answer: (s: number) => void }) => r.answer(403), 'forbidden', 1008, 'forbidden'],
    ['500', (r: { answer: (s: number) => void }) => r.answer(500), 'server_error', 1011, 'internal server error'],
    ['a proxy 502', (r: { raw: (s: number, t: string) => void }) => r.raw(502, 'bad gateway'), 'server_error', 1011, 'internal server error'],
    ['a network failure', (r: { fail: () => void }) => r.fail(), 'network_error', 1011, 'internal server error'],
    ['a 200 that is not the protocol', (r: { raw: (s: number, t: string) => void }) => r.raw(200, '<html>'), 'network_error', 1011, 'internal server error'],
  ])('reports %s as a typed error, then a close', async (_what, respond, reason, code, closeReason) => {
    const t = setup();
    await t.open();
    respond((await t.next('GET')) as never);
    await tick();
    expect(t.events).toEqual(['open', 'error', 'close']);
    expect(t.errors[0]).toBeInstanceOf(LongPollError);
    expect(t.errors[0]?.reason).toBe(reason);
    expect(t.closes[0]).toEqual({ code, reason: closeReason, wasClean: false });
    expect(t.conn.readyState).toBe(3);
  });

  it('reports a refused first poll (403) as error + close, never open', async () => {
    const t = setup();
    (await t.next('GET')).answer(403);
    await tick();
    expect(t.events).toEqual(['error', 'close']);
  });

  it('aborts a request over the poll timeout and reports a timeout', async () => {
    const t = setup({ pollTimeoutMs: 30 });
    await t.open();
    const held = await t.next('GET');
    await new Promise((resolve) => setTimeout(resolve, 60));
    expect(held.signal.aborted).toBe(true);
    expect(t.errors[0]?.reason).toBe('timeout');
    expect(t.closes[0]).toMatchObject({ code: 1005, reason: 'timeout' });
  });

  it('fails the connection when a POST is not acknowledged', async () => {
    const t = setup();
    await t.open();
    t.conn.send('x');
    (await t.next('POST')).answer(410);
    await tick();
    expect(t.errors[0]?.reason).toBe('session_gone');
  });

  it('closes on the next tick, aborts its requests, and reports nothing else afterwards', async () => {
    const t = setup();
    await t.open();
    const held = await t.next('GET');
    t.conn.send('dropped');
    t.conn.close(1000, 'bye');
    expect(t.conn.readyState).toBe(2);
    expect(t.events).toEqual(['open']);
    await tick();
    expect(held.signal.aborted).toBe(true);
    expect(t.closes).toEqual([{ code: 1000, reason: 'bye', wasClean: true }]);
    expect(t.conn.readyState).toBe(3);
    t.conn.send('after close');
    await tick();
    expect(t.requests.filter((r) => r.method === 'POST')).toHaveLength(0);
  });

  it('closed before its first poll makes no request at all', async () => {
    const t = setup();
    t.conn.close();
    await tick();
    expect(t.requests).toHaveLength(0);
    expect(t.closes[0]).toMatchObject({ code: 1005 });
  });

  it('takes a timeout set phoenix.js-style through the timeout property, validated', async () => {
    const t = setup();
    t.conn.timeout = 25;
    expect(() => {
      t.conn.timeout = -1;
    }).toThrow(RangeError);
    await t.open();
    await new Promise((resolve) => setTimeout(resolve, 60));
    expect(t.errors[0]?.reason).toBe('timeout');
  });

  it('reports fetch_unavailable when there is no fetch at all', async () => {
    vi.stubGlobal('fetch', undefined);
    try {
      const conn = new LongPoll(URL);
      const errors: LongPollError[] = [];
      conn.onerror = (e) => errors.push((e as LongPollErrorEvent).error);
      await tick();
      expect(errors[0]?.reason).toBe('fetch_unavailable');
    } finally {
      vi.unstubAllGlobals();
    }
  });
});

describe('createLongPollTransport', () => {
  it('makes a configured class and validates options up front', async () => {
    const fake = fakeFetch();
    const Configured = createLongPollTransport({ fetch: fake.fetch, headers: { 'x-app': 'test' } });
    expect(Configured.transportName).toBe('LongPoll');
    const conn = new Configured(URL);
    expect((await fake.next('GET')).headers['x-app']).toBe('test');
    conn.close();
    expect(() => createLongPollTransport({ maxBatchSize: 0 })).toThrow(RangeError);
  });
});
