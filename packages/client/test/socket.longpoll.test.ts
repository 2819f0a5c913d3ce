/**
 * The Socket over LongPoll against the testkit's `/socket/longpoll`: real HTTP, the whole lifecycle.
 */
import { describe, expect, it } from 'vitest';
import { createLongPollTransport, LongPoll, LongPollBinaryError, LongPollError, Presence, TransportError, type FetchLike, type LongPollErrorEvent } from '../src/index';
import { connected, echoRooms, nextEvent, server, socket, until } from './helpers/harness';

const WINDOW = { longPollWindowMs: 300 };

describe('Socket over LongPoll', () => {
  it('connects, joins, gets replies, server pushes and broadcasts, with no heartbeat', async () => {
    const s = await server(WINDOW);
    echoRooms(s);
    const seen = s.waitFor('connection');
    const client = await connected(socket(s.url, { transport: LongPoll, heartbeatIntervalMs: 50, params: { user: 'ann' } }));
    const connection = await seen;
    expect(connection.transport).toBe('longpoll');
    expect(connection.params).toMatchObject({ user: 'ann', vsn: '2.0.0' });
    expect(client.state).toMatchObject({ status: 'open', transport: 'LongPoll' });

    const room = client.channel<{ shout: { text: string } }>('room:1');
    await expect(room.join()).resolves.toEqual({ joined: true });
    await expect(room.push('echo', { a: 1 })).resolves.toEqual({ a: 1 });
    await expect(room.push('fail', {})).rejects.toMatchObject({ code: 'reply_error' });
    const heard = new Promise((resolve) => room.on('shout', resolve));
    s.broadcast('room:1', 'shout', { text: 'hi' });
    await expect(heard).resolves.toEqual({ text: 'hi' });

    // Several 50 ms heartbeat intervals and poll windows pass: no beat, same session.
    await new Promise((resolve) => setTimeout(resolve, 400));
    expect(s.stats()).toMatchObject({ heartbeats: 0, totalConnections: 1 });
    expect(client.isConnected()).toBe(true);
  });

  it('sends the auth token as X-Phoenix-AuthToken', async () => {
    const s = await server({ ...WINDOW, connect: (_params, info) => info.authToken === 'tök-1' });
    await connected(socket(s.url, { transport: LongPoll, authToken: async () => 'tök-1' }));
    expect(s.connections[0]?.authToken).toBe('tök-1');
  });

  it('tracks presence over LongPoll', async () => {
    const s = await server(WINDOW);
    s.channel('room:*', {
      presence: true,
      join: (_topic, params, channel) => {
        channel.assigns['user'] = params['user'];
      },
      afterJoin: (channel) => {
        s.track(channel, channel.topic, String(channel.assigns['user']), { online: true });
      },
    });
    const a = await connected(socket(s.url, { transport: LongPoll }));
    const room = a.channel('room:p', { user: 'ann' });
    const presence = new Presence(room);
    await room.join();
    const b = await connected(socket(s.url, { transport: LongPoll }));
    const other = b.channel('room:p', { user: 'bob' });
    await other.join();
    await until(() => presence.count() === 2, 5000, 'both presences');
    await other.leave();
    await until(() => presence.count() === 1, 5000, 'bob left');
    expect(presence.list((key) => key)).toEqual(['ann']);
  });

  it('recovers a dropped session (410 after open): reconnects on a new session and rejoins', async () => {
    const s = await server(WINDOW);
    echoRooms(s);
    const client = await connected(socket(s.url, { transport: LongPoll }));
    const room = client.channel('room:1');
    await room.join();
    const errors: unknown[] = [];
    client.onError((e) => errors.push(e));
    const rejoined = s.waitFor('join', (e) => e.status === 'ok' && e.topic === 'room:1');
    await s.dropAll();
    await rejoined;
    await until(() => room.state === 'joined', 5000, 'rejoined');
    expect(s.stats().totalConnections).toBe(2);
    expect(errors.some((e) => (e as { error?: unknown }).error instanceof LongPollError && (e as { error: LongPollError }).error.reason === 'session_gone')).toBe(true);
    await expect(room.push('echo', { after: 'drop' })).resolves.toEqual({ after: 'drop' });
  });

  it('splits more than 100 queued pushes into POSTs of at most 100, delivered in order', async () => {
    const s = await server(WINDOW);
    echoRooms(s);
    const posts: number[] = [];
    const counting: FetchLike = (url, init) => {
      if (init.method === 'POST') posts.push((init.body ?? '').split('\n').length);
      return fetch(url, init);
    };
    const client = await connected(socket(s.url, { transport: createLongPollTransport({ fetch: counting }) }));
    const room = client.channel('room:bulk');
    await room.join();
    posts.length = 0;
    const order: number[] = [];
    const off = s.on('message', ({ message }) => {
      if (message.event === 'n') order.push((message.payload as { i: number }).i);
    });
    const replies = Array.from({ length: 250 }, (_, i) => room.push('n', { i }));
    await Promise.all(replies);
    off();
    expect(order).toEqual(Array.from({ length: 250 }, (_, i) => i));
    expect(posts).toEqual([100, 100, 50]);
  });

  it('fails a binary push with LongPollBinaryError and stays connected', async () => {
    const s = await server(WINDOW);
    echoRooms(s);
    const client = await connected(socket(s.url, { transport: LongPoll }));
    const room = client.channel('room:1');
    await room.join();
    const reported = nextEvent(client, 'socket:error', (e) => e.metadata.error instanceof LongPollBinaryError);
    const push = room.push('bytes', new Uint8Array([1, 2, 3]).buffer);
    await expect(push).rejects.toBeInstanceOf(LongPollBinaryError);
    await expect(push).rejects.toMatchObject({ code: 'binary_unsupported' });
    await reported;
    expect(client.isConnected()).toBe(true);
    await expect(room.push('echo', { still: 'up' })).resolves.toEqual({ still: 'up' });
  });

  it('passes longpollerTimeout to the transport: a poll held longer errors and the socket reconnects', async () => {
    const s = await server({ longPollWindowMs: 2000 });
    const client = await connected(socket(s.url, { transport: LongPoll, longpollerTimeout: 150 }));
    const timedOut = nextEvent(
      client,
      'socket:error',
      (e) => e.metadata.error instanceof TransportError && (e.metadata.error.cause as LongPollErrorEvent).error.reason === 'timeout',
    );
    await timedOut;
    await nextEvent(client, 'socket:connected');
  });
});
