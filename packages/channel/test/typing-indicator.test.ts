import { describe, expect, it } from 'vitest';
import { Channel } from '../src/channel';
import { TypingIndicator } from '../src/typing-indicator';
import { FakeHost, replyTo } from './helpers/fake-host';

function setup(options?: ConstructorParameters<typeof TypingIndicator>[1]) {
  const host = new FakeHost();
  const channel = new Channel('room:1', {}, host);
  channel.join();
  channel.dispatch(replyTo(host.last('phx_join'), 'ok'));
  const indicator = new TypingIndicator(channel, options);
  const typingPushes = () => host.sent.filter((m) => m.event === 'typing').map((m) => m.payload);
  return { host, indicator, typingPushes };
}

describe('TypingIndicator', () => {
  it('sends one start for a burst of keystrokes', () => {
    const { host, indicator, typingPushes } = setup();
    for (let i = 0; i < 10; i++) {
      indicator.typing();
      host.scheduler.advance(100);
    }
    expect(typingPushes()).toEqual([{ typing: true }]);
    expect(indicator.isTyping).toBe(true);
  });

  it('stops by itself after the timeout of quiet, so no indicator gets stuck', () => {
    const { host, indicator, typingPushes } = setup();
    indicator.typing();
    host.scheduler.advance(2999);
    expect(typingPushes()).toEqual([{ typing: true }]);
    host.scheduler.advance(1);
    expect(typingPushes()).toEqual([{ typing: true }, { typing: false }]);
    expect(indicator.isTyping).toBe(false);
  });

  it('sends the stop at once on stop() and not again when the timer would have fired', () => {
    const { host, indicator, typingPushes } = setup({ timeoutMs: 500 });
    indicator.typing();
    indicator.stop();
    host.scheduler.advance(1000);
    expect(typingPushes()).toEqual([{ typing: true }, { typing: false }]);
  });

  it('uses a custom event and payload', () => {
    const { host, indicator } = setup({ event: 'user:typing', payload: (t) => ({ state: t ? 'on' : 'off' }) });
    indicator.typing();
    expect(host.last('user:typing').payload).toEqual({ state: 'on' });
  });

  it('rejects a non-positive timeout with a RangeError naming the option', () => {
    const host = new FakeHost();
    const channel = new Channel('room:1', {}, host);
    expect(() => new TypingIndicator(channel, { timeoutMs: 0 })).toThrow(/typingIndicator\.timeoutMs/);
  });
});
