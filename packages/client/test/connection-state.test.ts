import { describe, expect, it } from 'vitest';
import { canTransition, ConnectionStateMachine, phoenixConnectionState } from '../src/connection-state';
import { Telemetry } from '../src/telemetry';

function machine() {
  const telemetry = new Telemetry();
  const events: [string, unknown][] = [];
  telemetry.on('*', (name, e) => events.push([name, e]));
  const illegal: string[] = [];
  const m = new ConnectionStateMachine(telemetry, (from, to) => illegal.push(`${from}->${to}`));
  return { m, events, illegal };
}

const connecting = { status: 'connecting', attempt: 0, url: 'ws://h/socket/websocket', transport: 'WebSocket', startedAt: 100 } as const;

describe('ConnectionStateMachine', () => {
  it('starts idle and maps statuses to the phoenix.js connectionState()', () => {
    expect(machine().m.state).toEqual({ status: 'idle' });
    expect(phoenixConnectionState('idle')).toBe('closed');
    expect(phoenixConnectionState('reconnecting')).toBe('closed');
    expect(phoenixConnectionState('connecting')).toBe('connecting');
    expect(phoenixConnectionState('open')).toBe('open');
    expect(phoenixConnectionState('closing')).toBe('closing');
  });

  it('emits connecting then connected with the time it took', () => {
    const { m, events } = machine();
    m.transition(connecting);
    m.transition({ status: 'open', attempt: 0, url: connecting.url, transport: 'WebSocket', connectedAt: 130 });
    expect(events).toEqual([
      ['socket:connecting', { measurements: { attempt: 0 }, metadata: { url: connecting.url, transport: 'WebSocket' } }],
      ['socket:connected', { measurements: { duration_ms: 30 }, metadata: { url: connecting.url, transport: 'WebSocket' } }],
    ]);
  });

  it('emits disconnected then reconnect_scheduled when an open socket loses its transport', () => {
    const { m, events } = machine();
    m.transition(connecting);
    m.transition({ status: 'open', attempt: 0, url: connecting.url, transport: 'WebSocket', connectedAt: 130 });
    events.length = 0;
    const lastClose = { code: 1000, reason: 'bye', requested: false };
    m.transition({ status: 'reconnecting', attempt: 1, delayMs: 10, nextAttemptAt: 140, reason: 'transport_close', lastClose });
    expect(events).toEqual([
      ['socket:disconnected', { measurements: {}, metadata: { code: 1000, reason: 'bye', requested: false } }],
      ['socket:reconnect_scheduled', { measurements: { attempt: 1, delay_ms: 10 }, metadata: { reason: 'transport_close' } }],
    ]);
  });

  it('does not announce a schedule while a reconnect waits for the page to be visible', () => {
    const { m, events } = machine();
    m.transition(connecting);
    events.length = 0;
    m.transition({ status: 'reconnecting', attempt: 1, delayMs: null, nextAttemptAt: null, reason: 'connect_error', lastClose: null });
    expect(events).toEqual([]);
  });

  it('emits reconnect_exhausted when attempts ran out', () => {
    const { m, events } = machine();
    m.transition(connecting);
    events.length = 0;
    m.transition({ status: 'closed', reason: 'reconnect_exhausted', attempts: 3, lastClose: { code: 1006, reason: '', requested: false } });
    expect(events.map(([n]) => n)).toEqual(['socket:disconnected', 'socket:reconnect_exhausted']);
  });

  it('snapshots are frozen', () => {
    const { m } = machine();
    m.transition(connecting);
    expect(Object.isFrozen(m.state)).toBe(true);
  });

  it('reports an illegal move but still applies it', () => {
    const { m, illegal } = machine();
    m.transition({ status: 'open', attempt: 0, url: 'u', transport: 't', connectedAt: 0 });
    expect(illegal).toEqual(['idle->open']);
    expect(m.status).toBe('open');
    expect(canTransition('closed', 'connecting')).toBe(true);
    expect(canTransition('closed', 'open')).toBe(false);
  });
});
