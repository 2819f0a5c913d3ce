import { describe, expect, it } from 'vitest';
import { Channel } from '../src/channel';
import { BufferOverflowError, JoinError, ReplyError, TimeoutError } from '../src/errors';
import { FakeHost, replyTo } from './helpers/fake-host';

function joined(host = new FakeHost()) {
  const channel = new Channel('room:1', { user: 'ana' }, host);
  channel.join();
  channel.dispatch(replyTo(host.last('phx_join'), 'ok'));
  return { host, channel };
}

describe('Push', () => {
  it('resolves with the ok response when awaited', async () => {
    const { host, channel } = joined();
    const push = channel.push('new_msg', { body: 'hi' });
    channel.dispatch(replyTo(host.last('new_msg'), 'ok', { id: 7 }));
    await expect(push).resolves.toEqual({ id: 7 });
  });

  it('rejects with ReplyError carrying the response on an error reply', async () => {
    const { host, channel } = joined();
    const push = channel.push('new_msg', {});
    channel.dispatch(replyTo(host.last('new_msg'), 'error', { reason: 'nope' }));
    const error = await push.then(() => null, (e: unknown) => e);
    expect(error).toBeInstanceOf(ReplyError);
    expect(error).toMatchObject({ code: 'reply_error', response: { reason: 'nope' } });
  });

  it('rejects with TimeoutError after the timeout and fires timeout hooks', async () => {
    const { host, channel } = joined();
    const seen: string[] = [];
    const push = channel.push('slow', {}, 250).receive('timeout', () => seen.push('timeout'));
    host.scheduler.advance(249);
    expect(seen).toEqual([]);
    host.scheduler.advance(1);
    expect(seen).toEqual(['timeout']);
    const error = await push.then(() => null, (e: unknown) => e);
    expect(error).toBeInstanceOf(TimeoutError);
    expect(error).toMatchObject({ code: 'timeout', timeoutMs: 250 });
    expect(host.eventNames()).toContain('push:timeout');
  });

  it('fires a receive hook at once when it is added after the reply came', () => {
    const { host, channel } = joined();
    const push = channel.push('ping', {});
    channel.dispatch(replyTo(host.last('ping'), 'ok', { pong: true }));
    const seen: unknown[] = [];
    push.receive('ok', (r) => seen.push(r));
    expect(seen).toEqual([{ pong: true }]);
  });

  it('never produces an unhandled rejection when only receive is used', async () => {
    const { host, channel } = joined();
    const unhandled: unknown[] = [];
    const onUnhandled = (reason: unknown) => unhandled.push(reason);
    process.on('unhandledRejection', onUnhandled);
    try {
      const errors: unknown[] = [];
      channel.push('a', {}).receive('error', (r) => errors.push(r));
      channel.dispatch(replyTo(host.last('a'), 'error', { reason: 'x' }));
      channel.push('b', {}, 10);
      host.scheduler.advance(10);
      await new Promise((r) => setTimeout(r, 20));
      expect(errors).toEqual([{ reason: 'x' }]);
      expect(unhandled).toEqual([]);
    } finally {
      process.off('unhandledRejection', onUnhandled);
    }
  });

  it('counts the timeout of a buffered push from when it is actually sent', () => {
    const host = new FakeHost();
    const channel = new Channel('room:1', {}, host);
    channel.join();
    const seen: string[] = [];
    channel.push('queued', {}, 300).receive('timeout', () => seen.push('timeout'));
    host.scheduler.advance(200);
    channel.dispatch(replyTo(host.last('phx_join'), 'ok'));
    expect(host.last('queued').ref).not.toBeNull();
    host.scheduler.advance(299);
    expect(seen).toEqual([]);
    host.scheduler.advance(1);
    expect(seen).toEqual(['timeout']);
  });

  it('emits push:reply with the round-trip time measured on the injected clock', () => {
    const { host, channel } = joined();
    channel.push('ping', {});
    host.scheduler.advance(42);
    channel.dispatch(replyTo(host.last('ping'), 'ok'));
    const reply = host.events.filter((e) => e.name === 'push:reply').at(-1);
    expect(reply?.event).toMatchObject({ measurements: { rtt_ms: 42 }, metadata: { event: 'ping', status: 'ok' } });
  });

  it('rejects a push dropped by a full buffer with BufferOverflowError and tells error hooks', async () => {
    const host = new FakeHost(1000, 2, 'drop-oldest');
    const channel = new Channel('room:1', {}, host);
    channel.join();
    const reasons: unknown[] = [];
    const first = channel.push('m', { n: 1 }).receive('error', (r) => reasons.push(r));
    channel.push('m', { n: 2 });
    channel.push('m', { n: 3 });
    const error = await first.then(() => null, (e: unknown) => e);
    expect(error).toBeInstanceOf(BufferOverflowError);
    expect(reasons).toEqual([{ reason: 'buffer_overflow' }]);
    expect(host.eventNames()).toContain('buffer:overflow');
    channel.dispatch(replyTo(host.last('phx_join'), 'ok'));
    expect(host.sent.filter((m) => m.event === 'm').map((m) => m.payload)).toEqual([{ n: 2 }, { n: 3 }]);
  });

  it('rejects the join promise with JoinError when the server refuses', async () => {
    const host = new FakeHost();
    const channel = new Channel('room:1', {}, host);
    const join = channel.join();
    channel.dispatch(replyTo(host.last('phx_join'), 'error', { reason: 'unauthorized' }));
    const error = await join.then(() => null, (e: unknown) => e);
    expect(error).toBeInstanceOf(JoinError);
    expect(error).toMatchObject({ code: 'join_error', response: { reason: 'unauthorized' } });
  });

  it('isolates a throwing receive hook from the others', () => {
    const { host, channel } = joined();
    const seen: string[] = [];
    channel
      .push('p', {})
      .receive('ok', () => {
        throw new Error('boom');
      })
      .receive('ok', () => seen.push('second'));
    channel.dispatch(replyTo(host.last('p'), 'ok'));
    expect(seen).toEqual(['second']);
    expect(host.errors).toHaveLength(1);
  });
});
