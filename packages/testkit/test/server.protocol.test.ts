import { describe, expect, it } from 'vitest';
import { decodeServerFrame, encodeClientPush, startServer } from '../src/index';
import { RawClient, type V2Frame } from './helpers/raw-client';
import { track, useServer } from './helpers/server';

type V1Frame = { topic: string; event: string; payload: { status?: string; response?: unknown } & Record<string, unknown>; ref: string | null };

async function echoServer() {
  const server = await useServer();
  server.channel('room:*', {
    handleIn(event, payload, socket) {
      if (event === 'echo') return { reply: 'ok', response: payload };
      if (event === 'fail') return { reply: 'error', response: { reason: 'nope' } };
      if (event === 'shout') {
        socket.broadcast('shout', payload);
        return { noreply: true };
      }
      if (event === 'whisper') {
        socket.push('whisper', payload);
        return undefined;
      }
      if (event === 'boom') throw new Error('handler crashed');
      if (event === 'bye') return { stop: 'normal', reply: { reply: 'ok', response: { bye: true } } };
      if (event === 'die') return { stop: 'weird' };
      return undefined;
    },
  });
  return server;
}

describe('V2 JSON framing', () => {
  it('answers a join with [join_ref, ref, topic, "phx_reply", {status, response}]', async () => {
    const server = await echoServer();
    const client = track(await RawClient.connect(server.url));
    const reply = await client.join('room:1', {}, '7');
    expect(reply).toEqual(['7', '7', 'room:1', 'phx_reply', { status: 'ok', response: {} }]);
  });

  it('replies to a push with the channel join_ref and the push ref', async () => {
    const server = await echoServer();
    const client = track(await RawClient.connect(server.url));
    await client.join('room:1', {}, '1');
    const ref = client.push('room:1', 'echo', { a: 1 }, '1');
    expect(await client.reply(ref)).toEqual(['1', ref, 'room:1', 'phx_reply', { status: 'ok', response: { a: 1 } }]);
    const failRef = client.push('room:1', 'fail', {}, '1');
    expect(await client.reply(failRef)).toEqual(['1', failRef, 'room:1', 'phx_reply', { status: 'error', response: { reason: 'nope' } }]);
  });

  it('sends a server push as [join_ref, null, topic, event, payload]', async () => {
    const server = await echoServer();
    const client = track(await RawClient.connect(server.url));
    await client.join('room:1', {}, '1');
    client.push('room:1', 'whisper', { w: 1 }, '1');
    const push = await client.waitJson<V2Frame>((m) => m[3] === 'whisper');
    expect(push).toEqual(['1', null, 'room:1', 'whisper', { w: 1 }]);
  });

  it('sends broadcasts as [null, null, topic, event, payload] to every subscriber', async () => {
    const server = await echoServer();
    const a = track(await RawClient.connect(server.url));
    const b = track(await RawClient.connect(server.url));
    await a.join('room:1', {}, '1');
    await b.join('room:1', {}, '5');
    a.push('room:1', 'shout', { s: 1 }, '1');
    const expected = [null, null, 'room:1', 'shout', { s: 1 }];
    expect(await a.waitJson<V2Frame>((m) => m[3] === 'shout')).toEqual(expected);
    expect(await b.waitJson<V2Frame>((m) => m[3] === 'shout')).toEqual(expected);
    server.broadcast('room:1', 'news', { n: 2 });
    expect(await b.waitJson<V2Frame>((m) => m[3] === 'news')).toEqual([null, null, 'room:1', 'news', { n: 2 }]);
  });

  it('treats a missing vsn as 1.0.0 and refuses an unknown vsn with 403', async () => {
    const server = await echoServer();
    const v1 = track(await RawClient.connect(server.url, { vsn: null }));
    expect(server.connections[0]?.vsn).toBe('1.0.0');
    v1.send({ topic: 'room:1', event: 'phx_join', payload: {}, ref: '1' });
    await v1.waitJson<V1Frame>((m) => m.event === 'phx_reply');
    await expect(RawClient.connect(server.url, { vsn: '3.0.0' })).rejects.toMatchObject({ status: 403 });
  });
});

describe('V1 JSON framing', () => {
  it('speaks {topic, event, payload, ref} and never sends join_ref', async () => {
    const server = await echoServer();
    const client = track(await RawClient.connect(server.url, { vsn: '1.0.0' }));
    client.send({ topic: 'room:1', event: 'phx_join', payload: {}, ref: '1', join_ref: '1' });
    const joined = await client.waitJson<V1Frame>((m) => m.ref === '1');
    expect(joined).toEqual({ topic: 'room:1', event: 'phx_reply', payload: { status: 'ok', response: {} }, ref: '1' });
    client.send({ topic: 'room:1', event: 'echo', payload: { x: 1 }, ref: '2' });
    expect(await client.waitJson<V1Frame>((m) => m.ref === '2')).toEqual({
      topic: 'room:1',
      event: 'phx_reply',
      payload: { status: 'ok', response: { x: 1 } },
      ref: '2',
    });
    client.send({ topic: 'room:1', event: 'shout', payload: { y: 2 }, ref: '3' });
    expect(await client.waitJson<V1Frame>((m) => m.event === 'shout')).toEqual({ topic: 'room:1', event: 'shout', payload: { y: 2 }, ref: null });
    for (const frame of client.json()) expect(frame).not.toHaveProperty('join_ref');
  });
});

describe('V2 binary frames', () => {
  it('delivers a kind 0 client push to handleIn as bytes and answers a binary response as kind 1', async () => {
    const server = await echoServer();
    const client = track(await RawClient.connect(server.url));
    await client.join('room:1', {}, '1');
    client.send(Buffer.from(encodeClientPush('1', '2', 'room:1', 'echo', new Uint8Array([1, 2, 3]))));
    const frame = await client.waitFrame((f) => f.binary);
    const expected = Buffer.concat([
      Buffer.from([1, 1, 1, 6, 2]),
      Buffer.from('1' + '2' + 'room:1' + 'ok'),
      Buffer.from([1, 2, 3]),
    ]);
    expect(Buffer.compare(frame.data as Buffer, expected)).toBe(0);
  });

  it('encodes a binary server push as kind 0 without a ref', async () => {
    const server = await echoServer();
    const client = track(await RawClient.connect(server.url));
    await client.join('room:1', {}, '12');
    client.send(Buffer.from(encodeClientPush('12', '3', 'room:1', 'whisper', new Uint8Array([9, 8]))));
    const frame = await client.waitFrame((f) => f.binary);
    const expected = Buffer.concat([Buffer.from([0, 2, 6, 7]), Buffer.from('12room:1whisper'), Buffer.from([9, 8])]);
    expect(Buffer.compare(frame.data as Buffer, expected)).toBe(0);
    expect(decodeServerFrame(frame.data as Buffer)).toMatchObject({ kind: 'push', joinRef: '12', topic: 'room:1', event: 'whisper' });
  });

  it('encodes a binary broadcast as kind 2', async () => {
    const server = await echoServer();
    const client = track(await RawClient.connect(server.url));
    await client.join('room:1', {}, '1');
    server.broadcast('room:1', 'blob', new Uint8Array([255, 0]).buffer);
    const frame = await client.waitFrame((f) => f.binary);
    const expected = Buffer.concat([Buffer.from([2, 6, 4]), Buffer.from('room:1blob'), Buffer.from([255, 0])]);
    expect(Buffer.compare(frame.data as Buffer, expected)).toBe(0);
  });
});

describe('heartbeat', () => {
  it('answers [null, ref, "phoenix", "heartbeat", {}] with an ok reply on topic phoenix', async () => {
    const server = await echoServer();
    const client = track(await RawClient.connect(server.url));
    client.send([null, '9', 'phoenix', 'heartbeat', {}]);
    expect(await client.reply('9')).toEqual([null, '9', 'phoenix', 'phx_reply', { status: 'ok', response: {} }]);
    expect(server.stats().heartbeats).toBe(1);
  });
});

describe('routing', () => {
  it('answers a join to a topic no channel matches with "unmatched topic"', async () => {
    const server = await echoServer();
    const client = track(await RawClient.connect(server.url));
    expect(await client.join('nope:1', {}, '3')).toEqual([null, '3', 'nope:1', 'phx_reply', { status: 'error', response: { reason: 'unmatched topic' } }]);
  });

  it('answers a push to a topic not joined on this connection with "unmatched topic", as Phoenix does', async () => {
    const server = await echoServer();
    const client = track(await RawClient.connect(server.url));
    const ref = client.push('room:9', 'echo', {}, '1');
    expect(await client.reply(ref)).toEqual([null, ref, 'room:9', 'phx_reply', { status: 'error', response: { reason: 'unmatched topic' } }]);
  });

  it('acknowledges a leave for a topic that is not joined with ok', async () => {
    const server = await echoServer();
    const client = track(await RawClient.connect(server.url));
    const ref = client.push('room:9', 'phx_leave', {}, '4');
    expect(await client.reply(ref)).toEqual(['4', ref, 'room:9', 'phx_reply', { status: 'ok', response: {} }]);
  });

  it('matches exact topics and prefix patterns in registration order', async () => {
    const server = await useServer();
    server.channel('lobby', { join: () => ({ ok: { which: 'exact' } }) });
    server.channel('user:*', { join: () => ({ ok: { which: 'prefix' } }) });
    const client = track(await RawClient.connect(server.url));
    expect((await client.join('lobby'))[4]).toEqual({ status: 'ok', response: { which: 'exact' } });
    expect((await client.join('user:42'))[4]).toEqual({ status: 'ok', response: { which: 'prefix' } });
    expect(((await client.join('lobby:x'))[4] as { status: string }).status).toBe('error');
    expect(() => server.channel('a*b', {})).toThrow(TypeError);
  });
});

describe('joins', () => {
  it('passes join params and the connection assigns to join, and answers {error}', async () => {
    const server = await useServer({ connect: (params) => ({ user: params['user'] }) });
    server.channel('room:*', {
      join: (topic, params, socket) =>
        params['secret'] === 'yes' ? { ok: { user: socket.assigns['user'], topic } } : { error: { reason: 'unauthorized' } },
    });
    const client = track(await RawClient.connect(server.url, { params: { user: 'ann' } }));
    expect((await client.join('room:1', { secret: 'yes' }))[4]).toEqual({ status: 'ok', response: { user: 'ann', topic: 'room:1' } });
    expect((await client.join('room:2', { secret: 'no' }))[4]).toEqual({ status: 'error', response: { reason: 'unauthorized' } });
  });

  it('answers a throwing join with {reason: "join crashed"}', async () => {
    const server = await useServer();
    server.channel('room:*', {
      join: () => {
        throw new Error('bad join');
      },
    });
    const client = track(await RawClient.connect(server.url));
    const errors = server.waitFor('handlerError');
    expect((await client.join('room:1'))[4]).toEqual({ status: 'error', response: { reason: 'join crashed' } });
    expect((await errors).callback).toBe('join');
  });

  it('closes the old channel with phx_close for the OLD join_ref on a duplicate join, then joins again', async () => {
    const server = await echoServer();
    const client = track(await RawClient.connect(server.url));
    await client.join('room:1', {}, '1');
    client.send(['2', '2', 'room:1', 'phx_join', {}]);
    await client.reply('2');
    const events = client.json().map((m) => (m as V2Frame).slice(0, 4));
    expect(events.slice(1)).toEqual([
      ['1', '1', 'room:1', 'phx_close'],
      ['2', '2', 'room:1', 'phx_reply'],
    ]);
    expect(server.connections[0]?.topics).toEqual(['room:1']);
  });

  it('refuses join number maxChannels + 1 with "too many channels joined"', async () => {
    const server = await echoServer();
    const limited = await useServer({ maxChannels: 2 });
    limited.channel('room:*', {});
    const client = track(await RawClient.connect(limited.url));
    await client.join('room:1');
    await client.join('room:2');
    expect((await client.join('room:3'))[4]).toEqual({ status: 'error', response: { reason: 'too many channels joined' } });
    expect(server.port).not.toBe(limited.port);
  });

  it('words the channel-cap refusal as Supabase Realtime does with maxChannelsRefusal: supabase', async () => {
    const limited = await useServer({ maxChannels: 1, maxChannelsRefusal: 'supabase' });
    limited.channel('room:*', {});
    const client = track(await RawClient.connect(limited.url));
    expect((await client.join('room:1'))[4]).toEqual({ status: 'ok', response: {} });
    expect((await client.join('room:2'))[4]).toEqual({ status: 'error', response: { reason: 'too_many_channels' } });
    expect(limited.stats().joinErrors).toBe(1);
  });

  it('rejects an unknown maxChannelsRefusal wording', async () => {
    await expect(startServer({ maxChannelsRefusal: 'elixir' as never })).rejects.toThrow(/maxChannelsRefusal/);
  });

  it('allows 100 channels by default and refuses the 101st', async () => {
    const server = await useServer();
    server.channel('t:*', {});
    const client = track(await RawClient.connect(server.url));
    for (let i = 1; i <= 100; i++) client.send([String(i), String(i), `t:${i}`, 'phx_join', {}]);
    await client.reply('100');
    expect((await client.join('t:101', {}, '101'))[4]).toEqual({ status: 'error', response: { reason: 'too many channels joined' } });
  });
});

describe('leaving and ending channels', () => {
  it('acknowledges a leave with ok then sends phx_close {}', async () => {
    const server = await echoServer();
    const client = track(await RawClient.connect(server.url));
    await client.join('room:1', {}, '1');
    const ref = client.push('room:1', 'phx_leave', {}, '1');
    const close = await client.waitJson<V2Frame>((m) => m[3] === 'phx_close');
    expect(client.json().slice(-2)).toEqual([
      ['1', ref, 'room:1', 'phx_reply', { status: 'ok', response: {} }],
      ['1', '1', 'room:1', 'phx_close', {}],
    ]);
    expect(close[1]).toBe('1');
    expect(server.connections[0]?.topics).toEqual([]);
  });

  it('sends phx_error (ref = join_ref, payload {}) when handleIn throws, and removes the channel', async () => {
    const server = await echoServer();
    const client = track(await RawClient.connect(server.url));
    await client.join('room:1', {}, '1');
    const leave = server.waitFor('leave');
    client.push('room:1', 'boom', {}, '1');
    expect(await client.waitJson<V2Frame>((m) => m[3] === 'phx_error')).toEqual(['1', '1', 'room:1', 'phx_error', {}]);
    expect((await leave).reason).toBe('crashed');
    const ref = client.push('room:1', 'echo', {}, '1');
    expect(((await client.reply(ref))[4] as { response: unknown }).response).toEqual({ reason: 'unmatched topic' });
  });

  it('replies then sends phx_close on a graceful stop, and phx_error on an abnormal stop reason', async () => {
    const server = await echoServer();
    const client = track(await RawClient.connect(server.url));
    await client.join('room:1', {}, '1');
    const ref = client.push('room:1', 'bye', {}, '1');
    await client.waitJson<V2Frame>((m) => m[3] === 'phx_close');
    expect(client.json().slice(-2)).toEqual([
      ['1', ref, 'room:1', 'phx_reply', { status: 'ok', response: { bye: true } }],
      ['1', '1', 'room:1', 'phx_close', {}],
    ]);
    await client.join('room:2', {}, '5');
    client.push('room:2', 'die', {}, '5');
    expect(await client.waitJson<V2Frame>((m) => m[3] === 'phx_error')).toEqual(['5', '5', 'room:2', 'phx_error', {}]);
  });

  it('calls handleLeave once with the reason and emits leave events', async () => {
    const server = await useServer();
    const reasons: string[] = [];
    server.channel('room:*', { handleLeave: (_socket, reason) => reasons.push(reason) });
    const client = track(await RawClient.connect(server.url));
    await client.join('room:1', {}, '1');
    await client.join('room:1', {}, '2');
    client.push('room:1', 'phx_leave', {}, '2');
    await client.waitJson<V2Frame>((m) => m[3] === 'phx_close' && m[0] === '2');
    await client.join('room:2', {}, '3');
    const gone = server.waitFor('leave', (e) => e.topic === 'room:2');
    client.close();
    await gone;
    expect(reasons).toEqual(['duplicate_join', 'left', 'closed']);
  });

  it('processes pushes of one channel in order even when handlers are async', async () => {
    const server = await useServer();
    server.channel('room:*', {
      async handleIn(_event, payload) {
        const { n } = payload as { n: number };
        await new Promise((r) => setTimeout(r, n % 2 === 0 ? 15 : 1));
        return { reply: 'ok', response: { n } };
      },
    });
    const client = track(await RawClient.connect(server.url));
    await client.join('room:1', {}, '1');
    const refs = [0, 1, 2, 3].map((n) => client.push('room:1', 'n', { n }, '1'));
    await client.reply(refs[3] as string);
    const order = client.json().slice(1).map((m) => ((m as V2Frame)[4] as { response: { n: number } }).response.n);
    expect(order).toEqual([0, 1, 2, 3]);
  });
});
