/**
 * The `/socket/longpoll` endpoint at the HTTP level: sessions, held polls, ndjson and single-JSON POSTs,
 * 410 for unknown or forged tokens, connect refusal, the auth-token header, dropAll.
 */
import { describe, expect, it } from 'vitest';
import type { TestServer } from '../src/index';
import { useServer } from './helpers/server';

interface Answer {
  status: number;
  token?: string;
  messages?: string[];
}

async function get(server: TestServer, query: string, headers: Record<string, string> = {}): Promise<Answer> {
  const response = await fetch(`${server.httpUrl}/longpoll?${query}`, { headers });
  expect(response.status).toBe(200);
  return (await response.json()) as Answer;
}

async function post(server: TestServer, token: string, body: string, contentType = 'application/x-ndjson'): Promise<Answer> {
  const response = await fetch(`${server.httpUrl}/longpoll?vsn=2.0.0&token=${encodeURIComponent(token)}`, {
    method: 'POST',
    headers: { 'content-type': contentType },
    body,
  });
  return (await response.json()) as Answer;
}

async function open(server: TestServer, query = 'vsn=2.0.0', headers: Record<string, string> = {}): Promise<string> {
  const answer = await get(server, query, headers);
  expect(answer.status).toBe(410);
  expect(typeof answer.token).toBe('string');
  return answer.token!;
}

async function echoServer(window = 200): Promise<TestServer> {
  const server = await useServer({ longPollWindowMs: window });
  server.channel('room:*', { handleIn: (_event, payload) => ({ reply: 'ok', response: payload }) });
  return server;
}

describe('LongPoll endpoint', () => {
  it('opens a session with 410 and a token, after connect accepted the params', async () => {
    const server = await echoServer();
    const connection = server.waitFor('connection');
    await open(server, 'vsn=2.0.0&user=ann');
    expect((await connection).params).toEqual({ vsn: '2.0.0', user: 'ann' });
    expect(server.connections[0]?.transport).toBe('longpoll');
  });

  it('answers a poll with nothing to say with 204 after the window', async () => {
    const server = await echoServer(100);
    const token = await open(server);
    const started = Date.now();
    const answer = await get(server, `vsn=2.0.0&token=${encodeURIComponent(token)}`);
    expect(answer).toMatchObject({ status: 204, token, messages: [] });
    expect(Date.now() - started).toBeGreaterThanOrEqual(90);
  });

  it('runs every line of an ndjson POST in order and returns the replies on the next poll', async () => {
    const server = await echoServer();
    const token = await open(server);
    const frames = [
      JSON.stringify(['1', '1', 'room:1', 'phx_join', {}]),
      JSON.stringify(['1', '2', 'room:1', 'a', { n: 1 }]),
      JSON.stringify(['1', '3', 'room:1', 'b', { n: 2 }]),
    ];
    expect(await post(server, token, frames.join('\n'))).toEqual({ status: 200 });
    const messages: string[] = [];
    while (messages.length < 3) {
      const answer = await get(server, `vsn=2.0.0&token=${encodeURIComponent(token)}`);
      messages.push(...(answer.messages ?? []));
    }
    expect(messages.map((m) => JSON.parse(m) as unknown)).toEqual([
      ['1', '1', 'room:1', 'phx_reply', { status: 'ok', response: {} }],
      ['1', '2', 'room:1', 'phx_reply', { status: 'ok', response: { n: 1 } }],
      ['1', '3', 'room:1', 'phx_reply', { status: 'ok', response: { n: 2 } }],
    ]);
  });

  it('accepts a single JSON frame as a plain POST body', async () => {
    const server = await echoServer();
    const token = await open(server);
    const seen = server.waitFor('message');
    await post(server, token, JSON.stringify([null, '5', 'phoenix', 'heartbeat', {}]), 'application/json');
    expect((await seen).message).toMatchObject({ topic: 'phoenix', event: 'heartbeat', ref: '5' });
  });

  it('answers 410 to polls and POSTs with an unknown or forged token', async () => {
    const server = await echoServer();
    const token = await open(server);
    const forged = `${token.split('.')[0]}.AAAAAAAAAAAAAAAAAAAAAA`;
    expect((await get(server, `vsn=2.0.0&token=${encodeURIComponent(forged)}`)).status).toBe(410);
    expect((await get(server, 'vsn=2.0.0&token=nope')).status).toBe(410);
    expect((await post(server, forged, '[]')).status).toBe(410);
    expect(server.connections).toHaveLength(1);
  });

  it('refuses with 403 when connect says no, and hands connect the X-Phoenix-AuthToken header', async () => {
    const tokens: Array<string | undefined> = [];
    const server = await useServer({
      connect: (_params, info) => {
        tokens.push(info.authToken);
        return info.authToken === 'good';
      },
    });
    expect((await get(server, 'vsn=2.0.0', { 'X-Phoenix-AuthToken': 'bad' })).status).toBe(403);
    await open(server, 'vsn=2.0.0', { 'X-Phoenix-AuthToken': 'good' });
    expect(tokens).toEqual(['bad', 'good']);
    expect(server.stats().refusedConnections).toBe(1);
  });

  it('refuses the msgpack vsn: its frames are binary and LongPoll carries text', async () => {
    const server = await echoServer();
    expect((await get(server, 'vsn=2.0.0-msgpack')).status).toBe(403);
  });

  it('ends sessions on dropAll: a held poll gets 410 at once, and so does the next one', async () => {
    const server = await echoServer(5000);
    const token = await open(server);
    const held = get(server, `vsn=2.0.0&token=${encodeURIComponent(token)}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
    const gone = server.waitFor('disconnect');
    await server.dropAll();
    expect((await held).status).toBe(410);
    await gone;
    expect((await get(server, `vsn=2.0.0&token=${encodeURIComponent(token)}`)).status).toBe(410);
  });

  it('ends a session nobody polls within the window', async () => {
    const server = await echoServer(100);
    const gone = server.waitFor('disconnect');
    await open(server);
    expect((await gone).reason).toBe('longpoll session expired');
  });

  it('answers CORS preflights like Phoenix', async () => {
    const server = await echoServer();
    const response = await fetch(`${server.httpUrl}/longpoll`, {
      method: 'OPTIONS',
      headers: { 'access-control-request-headers': 'x-phoenix-authtoken, content-type', origin: 'http://app.example' },
    });
    expect(response.status).toBe(200);
    expect(response.headers.get('access-control-allow-origin')).toBe('*');
    expect(response.headers.get('access-control-allow-headers')).toBe('x-phoenix-authtoken, content-type');
  });
});
