/** The rate-limiting seam (`ChannelHost.pacer`): what a channel hands to a pacer, and what it does on its turn. */
import { describe, expect, it } from 'vitest';
import { Channel } from '../src/channel';
import { ChannelClosedError } from '../src/errors';
import type { ChannelPacer, PacedChannel } from '../src/host';
import type { Push } from '../src/push';
import { FakeHost, replyTo } from './helpers/fake-host';

/** A pacer that holds everything until the test releases it. */
class HoldingPacer implements ChannelPacer {
  readonly pushes: { channel: PacedChannel; push: Push }[] = [];
  readonly joins: PacedChannel[] = [];
  push(channel: PacedChannel, push: Push): void {
    this.pushes.push({ channel, push });
  }
  join(channel: PacedChannel): void {
    this.joins.push(channel);
  }
  releaseAll(): void {
    for (const channel of this.joins.splice(0)) channel.sendPacedJoin();
    for (const { channel, push } of this.pushes.splice(0)) channel.sendPaced(push);
  }
}

function setup() {
  const pacer = new HoldingPacer();
  const host = Object.assign(new FakeHost(), { pacer });
  const channel = new Channel('room:1', {}, host);
  return { host, pacer, channel };
}

describe('Channel with a pacer', () => {
  it('hands its join to the pacer with no timer running, and sends it on its turn', () => {
    const { host, pacer, channel } = setup();
    channel.join();
    expect(host.sent).toEqual([]);
    expect(pacer.joins).toEqual([channel]);
    host.scheduler.advance(5000); // far past the 1 s timeout: nothing times out while waiting
    expect(channel.state).toBe('joining');
    pacer.releaseAll();
    expect(host.last('phx_join').topic).toBe('room:1');
    channel.dispatch(replyTo(host.last('phx_join'), 'ok'));
    expect(channel.state).toBe('joined');
  });

  it('hands pushes that could go out to the pacer, in order, including those buffered while joining', () => {
    const { host, pacer, channel } = setup();
    channel.join();
    channel.push('early', {});
    pacer.releaseAll();
    channel.dispatch(replyTo(host.last('phx_join'), 'ok'));
    channel.push('late', {});
    expect(pacer.pushes.map((p) => p.push.event)).toEqual(['early', 'late']);
    pacer.releaseAll();
    expect(host.sent.map((m) => m.event)).toEqual(['phx_join', 'early', 'late']);
  });

  it("keeps a push whose turn comes while offline for the rejoin, and fails it once the channel closed", () => {
    const { host, pacer, channel } = setup();
    channel.join();
    pacer.releaseAll();
    channel.dispatch(replyTo(host.last('phx_join'), 'ok'));
    const offline = channel.push('a', {});
    host.connected = false;
    pacer.releaseAll();
    expect(channel.bufferedCount).toBe(1);
    host.connected = true;
    const closed = channel.push('b', {});
    channel.leave();
    pacer.releaseAll(); // its turn comes while leaving: it fails at once
    channel.dispatch(replyTo(host.last('phx_leave'), 'ok')); // closed: the buffered one fails too
    return Promise.all([expect(closed).rejects.toBeInstanceOf(ChannelClosedError), expect(offline).rejects.toBeInstanceOf(ChannelClosedError)]);
  });

  it('does not send a paced join for a channel that stopped waiting to join', () => {
    const { host, pacer, channel } = setup();
    channel.join();
    channel.leave();
    pacer.releaseAll();
    expect(host.sent.filter((m) => m.event === 'phx_join')).toEqual([]);
  });
});
