import type { HostedChannel, Message } from '../src/index';
import { describe, expect, it } from 'vitest';
import { Router } from '../src/router';

function chan(topic: string, joinRef: string | null = null, state: HostedChannel['state'] = 'joined'): HostedChannel {
  return { topic, joinRef, state, dispatch() {}, onSocketOpen() {}, onSocketDown() {} };
}
const msg = (topic: string, joinRef: string | null): Message => ({ topic, joinRef, ref: null, event: 'e', payload: {} });

describe('Router', () => {
  it('routes by join_ref when the message has one, by topic otherwise', () => {
    const r = new Router();
    const a = chan('room:a', '1');
    r.add(a);
    r.bindJoinRef(a, '1', null);
    expect(r.route(msg('room:a', '1'))).toBe(a);
    expect(r.route(msg('room:a', null))).toBe(a);
  });

  it('treats an old join_ref as stale once the channel rejoined', () => {
    const r = new Router();
    const a = chan('room:a');
    r.add(a);
    r.bindJoinRef(a, '1', null);
    r.bindJoinRef(a, '5', '1');
    expect(r.route(msg('room:a', '1'))).toBeUndefined();
    expect(r.dropReason(msg('room:a', '1'))).toBe('stale_join_ref');
    expect(r.route(msg('room:a', '5'))).toBe(a);
  });

  it('sends topic messages to the newest channel and falls back when it is removed', () => {
    const r = new Router();
    const old = chan('room:a');
    const fresh = chan('room:a');
    r.add(old);
    r.add(fresh);
    expect(r.route(msg('room:a', null))).toBe(fresh);
    r.remove(fresh);
    expect(r.route(msg('room:a', null))).toBe(old);
    r.remove(old);
    expect(r.route(msg('room:a', null))).toBeUndefined();
    expect(r.dropReason(msg('room:a', null))).toBe('unknown_topic');
  });

  it('finds other open channels on a topic for duplicate-join handling', () => {
    const r = new Router();
    const joined = chan('t', null, 'joined');
    const closed = chan('t', null, 'closed');
    const me = chan('t', null, 'joining');
    [joined, closed, me].forEach((c) => r.add(c));
    expect(r.openOnTopic('t', me)).toEqual([joined]);
  });
});
