// `npm run demo` is the README's first command: run it as a user does and hold it to what it prints.
import { afterAll, describe, expect, it } from 'vitest';
import { runExample, stopAll } from '../../test-helpers/child';

afterAll(() => stopAll());

describe('the demo', () => {
  it('joins, pushes, hears the broadcast, sees presence, and survives a drop without losing or repeating a push', async () => {
    const demo = runExample('demo');
    const { code } = await demo.exited;
    const out = demo.stdout();
    expect(demo.stderr()).not.toContain('✗');
    expect(code).toBe(0);
    const checks = out.split('\n').filter((line) => line.startsWith('✓ '));
    expect(checks).toEqual([
      '✓ ana joined room:lobby: {"welcome":"hello ana"}',
      '✓ bob joined room:lobby',
      '✓ push answered: {"stored":true}',
      '✓ bob got the broadcast: {"user":"ana","body":"hi bob"}',
      '✓ presence seen by bob: ana, bob',
      '✓ an unknown event is refused with ReplyError (reply_error)',
      '✓ the push in flight at the drop failed with ConnectionLostError (connection_lost)',
      '✓ after the server dropped every connection, ana reconnected, rejoined and the buffered push was delivered',
      '✓ the push in flight at the drop ran once on the server: not re-sent after the rejoin',
    ]);
    // Telemetry lines and the monitor's report are part of what the demo shows.
    expect(out).toMatch(/\[ana\] socket:connected/);
    expect(out).toMatch(/\[bob\] presence: ana is online/);
    expect(out).toContain('demo finished');
  }, 30_000);
});
