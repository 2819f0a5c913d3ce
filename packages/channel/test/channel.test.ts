import { describe, expect, it } from 'vitest';
import { Channel } from '../src/channel';
import { AlreadyJoinedError, ChannelClosedError, ConnectionLostError, PushBeforeJoinError, TimeoutError } from '../src/errors';
import { FakeHost, replyTo } from './helpers/fake-host';

function setup(params: ConstructorParameters<typeof Channel>[1] = { user: 'ana' }) {
  const host = new FakeHost();
  const channel = new Channel('room:1', params, host);
  return { host, channel };
}

describe('Channel', () => {
  it('sends phx_join with its params and a join_ref equal to the ref', () => {
    const { host, channel } = setup();
    channel.join();
    const join = host.last('phx_join');
    expect(join).toMatchObject({ topic: 'room:1', payload: { user: 'ana' } });
    expect(join.joinRef).toBe(join.ref);
    expect(channel.joinRef).toBe(join.ref);
    expect(channel.state).toBe('joining');
    expect(host.joinRefs.get(join.ref as string)).toBe(channel);
  });

  it('becomes joined on an ok reply and flushes pushes buffered while joining, in order', () => {
    const { host, channel } = setup();
    channel.join();
    channel.push('a', { n: 1 });
    channel.push('b', { n: 2 });
    expect(host.sent.map((m) => m.event)).toEqual(['phx_join']);
    channel.dispatch(replyTo(host.last('phx_join'), 'ok'));
    expect(channel.state).toBe('joined');
    expect(host.sent.map((m) => m.event)).toEqual(['phx_join', 'a', 'b']);
    expect(host.last('a').joinRef).toBe(channel.joinRef);
  });

  it('errors on a join error and rejoins with backoff while the socket is connected', () => {
    const { host, channel } = setup();
    channel.join();
    channel.dispatch(replyTo(host.last('phx_join'), 'error', { reason: 'no' }));
    expect(channel.state).toBe('errored');
    host.scheduler.advance(99);
    expect(host.sent.filter((m) => m.event === 'phx_join')).toHaveLength(1);
    host.scheduler.advance(1);
    expect(host.sent.filter((m) => m.event === 'phx_join')).toHaveLength(2);
    expect(channel.state).toBe('joining');
  });

  it('sends phx_leave, errors and rejoins later when the join times out', async () => {
    const { host, channel } = setup();
    const join = channel.join(500);
    host.scheduler.advance(500);
    expect(host.last('phx_leave')).toBeDefined();
    expect(channel.state).toBe('errored');
    await expect(join).rejects.toBeInstanceOf(TimeoutError);
    await expect(join).rejects.toMatchObject({ code: 'join_timeout' });
    host.scheduler.advance(100);
    expect(channel.state).toBe('joining');
  });

  it('re-reads function params at every rejoin', () => {
    let n = 0;
    const { host, channel } = setup(() => ({ n: ++n }));
    channel.join();
    channel.dispatch(replyTo(host.last('phx_join'), 'error'));
    host.scheduler.advance(100);
    expect(host.sent.filter((m) => m.event === 'phx_join').map((m) => m.payload)).toEqual([{ n: 1 }, { n: 2 }]);
  });

  it('awaits async params before sending the join', async () => {
    const { host, channel } = setup(async () => ({ token: 'fresh' }));
    channel.join();
    expect(host.sent).toHaveLength(0);
    await Promise.resolve();
    await Promise.resolve();
    expect(host.last('phx_join').payload).toEqual({ token: 'fresh' });
    expect(channel.joinRef).toBe(host.last('phx_join').ref);
  });

  it('delivers events to bound handlers through onMessage', () => {
    const { host, channel } = setup();
    channel.join();
    channel.dispatch(replyTo(host.last('phx_join'), 'ok'));
    channel.onMessage = (_event, payload) => ({ wrapped: payload });
    const seen: unknown[] = [];
    channel.on('new_msg', (p) => seen.push(p));
    channel.dispatch({ joinRef: null, ref: null, topic: 'room:1', event: 'new_msg', payload: { body: 'x' } });
    expect(seen).toEqual([{ wrapped: { body: 'x' } }]);
  });

  it('removes one handler by ref or all handlers of an event with off', () => {
    const { channel } = setup();
    const seen: string[] = [];
    const a = channel.on('e', () => seen.push('a'));
    channel.on('e', () => seen.push('b'));
    channel.off('e', a);
    channel.dispatch({ joinRef: null, ref: null, topic: 'room:1', event: 'e', payload: {} });
    channel.off('e');
    channel.dispatch({ joinRef: null, ref: null, topic: 'room:1', event: 'e', payload: {} });
    expect(seen).toEqual(['b']);
  });

  it('keeps dispatching to other handlers when one throws, and reports the error', () => {
    const { host, channel } = setup();
    const seen: string[] = [];
    channel.on('e', () => {
      throw new Error('boom');
    });
    channel.on('e', () => seen.push('ok'));
    channel.dispatch({ joinRef: null, ref: null, topic: 'room:1', event: 'e', payload: {} });
    expect(seen).toEqual(['ok']);
    expect(host.errors[0]?.where).toContain('"e" handler');
  });

  it('ignores lifecycle events carrying a stale join_ref', () => {
    const { host, channel } = setup();
    channel.join();
    channel.dispatch(replyTo(host.last('phx_join'), 'ok'));
    channel.dispatch({ joinRef: 'stale', ref: null, topic: 'room:1', event: 'phx_close', payload: {} });
    expect(channel.state).toBe('joined');
  });

  it('errors on phx_error from the server, calls onError, and rejoins', () => {
    const { host, channel } = setup();
    const reasons: unknown[] = [];
    channel.onError((r) => reasons.push(r));
    channel.join();
    channel.dispatch(replyTo(host.last('phx_join'), 'ok'));
    channel.dispatch({ joinRef: channel.joinRef, ref: null, topic: 'room:1', event: 'phx_error', payload: { reason: 'crash' } });
    expect(channel.state).toBe('errored');
    expect(reasons).toEqual([{ reason: 'crash' }]);
    host.scheduler.advance(100);
    expect(channel.state).toBe('joining');
  });

  it('closes on phx_close, calls onClose, and is removed from the host', () => {
    const { host, channel } = setup();
    let closed = 0;
    channel.onClose(() => closed++);
    channel.join();
    channel.dispatch(replyTo(host.last('phx_join'), 'ok'));
    const joinRef = channel.joinRef as string;
    channel.dispatch({ joinRef, ref: null, topic: 'room:1', event: 'phx_close', payload: {} });
    expect(channel.state).toBe('closed');
    expect(closed).toBe(1);
    expect(host.removed).toContain(channel);
    expect(host.joinRefs.has(joinRef)).toBe(false);
  });

  it('closes after the server acknowledges a leave, and fails pushes still buffered', async () => {
    const { host, channel } = setup();
    channel.join();
    const pending = channel.push('late', {});
    channel.dispatch(replyTo(host.last('phx_join'), 'error'));
    const leave = channel.leave();
    expect(channel.state).toBe('leaving');
    channel.dispatch(replyTo(host.last('phx_leave'), 'ok'));
    await expect(leave).resolves.toEqual({});
    expect(channel.state).toBe('closed');
    await expect(pending).rejects.toBeInstanceOf(ChannelClosedError);
  });

  it('closes locally at once when leaving while the socket is down', () => {
    const { host, channel } = setup();
    channel.join();
    host.connected = false;
    channel.leave();
    expect(channel.state).toBe('closed');
  });

  it('errors when the socket goes down and rejoins when it opens again', () => {
    const { host, channel } = setup();
    channel.join();
    channel.dispatch(replyTo(host.last('phx_join'), 'ok'));
    host.connected = false;
    channel.onSocketDown('transport');
    expect(channel.state).toBe('errored');
    channel.push('offline', { n: 1 });
    host.connected = true;
    channel.onSocketOpen();
    expect(channel.state).toBe('joining');
    channel.dispatch(replyTo(host.last('phx_join'), 'ok'));
    expect(host.last('offline').payload).toEqual({ n: 1 });
  });

  it('refuses a second join and a push before any join with typed errors', () => {
    const { channel } = setup();
    expect(() => channel.push('x', {})).toThrow(PushBeforeJoinError);
    channel.join();
    expect(() => channel.join()).toThrow(AlreadyJoinedError);
  });

  it('emits joining, joined and left telemetry', () => {
    const { host, channel } = setup();
    channel.join();
    channel.dispatch(replyTo(host.last('phx_join'), 'ok'));
    channel.leave();
    channel.dispatch(replyTo(host.last('phx_leave'), 'ok'));
    expect(host.eventNames()).toEqual(expect.arrayContaining(['channel:joining', 'channel:joined', 'channel:left']));
  });

  it('resends pushes left unanswered by a dropped connection after the rejoin, ahead of offline pushes, under the resend policy', async () => {
    const { host, channel } = setup();
    Object.assign(host, { inFlightPolicy: 'resend' });
    channel.join();
    channel.dispatch(replyTo(host.last('phx_join'), 'ok'));
    const first = channel.push('a', { n: 1 });
    channel.push('b', { n: 2 });
    host.connected = false;
    channel.onSocketDown('transport');
    channel.push('c', { n: 3 });
    host.connected = true;
    channel.onSocketOpen();
    channel.dispatch(replyTo(host.last('phx_join'), 'ok'));
    const afterRejoin = host.sent.slice(host.sent.findIndex((m) => m === host.last('phx_join')) + 1);
    expect(afterRejoin.map((m) => m.event)).toEqual(['a', 'b', 'c']);
    expect(afterRejoin.every((m) => m.joinRef === channel.joinRef)).toBe(true);
    channel.dispatch(replyTo(host.last('a'), 'ok', { done: 1 }));
    await expect(first).resolves.toEqual({ done: 1 });
  });

  it('fails unanswered pushes with ConnectionLostError by default', async () => {
    const host = new FakeHost();
    const channel = new Channel('room:1', {}, host);
    channel.join();
    channel.dispatch(replyTo(host.last('phx_join'), 'ok'));
    const push = channel.push('a', {});
    host.connected = false;
    channel.onSocketDown('transport');
    await expect(push).rejects.toBeInstanceOf(ConnectionLostError);
    host.connected = true;
    channel.onSocketOpen();
    channel.dispatch(replyTo(host.last('phx_join'), 'ok'));
    expect(host.sent.filter((m) => m.event === 'a')).toHaveLength(1);
  });
});
