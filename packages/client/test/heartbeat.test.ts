import { describe, expect, it } from 'vitest';
import { Heartbeat } from '../src/heartbeat';
import { FakeScheduler } from './helpers/fake-scheduler';

function setup(intervalMs = 100, timeoutMs = 50) {
  const scheduler = new FakeScheduler();
  const sent: string[] = [];
  const replies: number[] = [];
  const timeouts: string[] = [];
  let ref = 0;
  const hb = new Heartbeat(
    { intervalMs, timeoutMs, scheduler },
    {
      send: (r) => sent.push(r),
      makeRef: () => String(++ref),
      onReply: (rtt) => replies.push(rtt),
      onTimeout: (r) => timeouts.push(r),
    },
  );
  return { scheduler, hb, sent, replies, timeouts };
}

describe('Heartbeat', () => {
  it('beats after the interval and schedules the next beat from the reply', () => {
    const { scheduler, hb, sent, replies } = setup();
    hb.start();
    scheduler.advance(99);
    expect(sent).toEqual([]);
    scheduler.advance(1);
    expect(sent).toEqual(['1']);
    scheduler.advance(20);
    expect(hb.handleReply('1')).toBe(true);
    expect(replies).toEqual([20]);
    scheduler.advance(99);
    expect(sent).toEqual(['1']);
    scheduler.advance(1);
    expect(sent).toEqual(['1', '2']);
  });

  it('times out when no reply comes within timeoutMs', () => {
    const { scheduler, hb, timeouts } = setup();
    hb.start();
    scheduler.advance(149);
    expect(timeouts).toEqual([]);
    scheduler.advance(1);
    expect(timeouts).toEqual(['1']);
    expect(hb.pendingRef).toBeNull();
  });

  it('ignores replies to other refs and late replies after stop', () => {
    const { scheduler, hb } = setup();
    hb.start();
    scheduler.advance(100);
    expect(hb.handleReply('nope')).toBe(false);
    expect(hb.handleReply(null)).toBe(false);
    hb.stop();
    expect(hb.handleReply('1')).toBe(false);
    expect(scheduler.pending).toBe(0);
  });

  it('does nothing with an interval of 0', () => {
    const { scheduler, hb, sent } = setup(0);
    hb.start();
    expect(hb.enabled).toBe(false);
    scheduler.advance(10_000);
    expect(sent).toEqual([]);
  });
});
