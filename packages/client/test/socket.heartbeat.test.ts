import { describe, expect, it } from 'vitest';
import { connected, nextEvent, server, socket } from './helpers/harness';

describe('Socket heartbeat', () => {
  it('measures the round trip of every beat', async () => {
    const s = await server();
    const client = await connected(socket(s.url, { heartbeatIntervalMs: 30 }));
    const beat = await nextEvent(client, 'heartbeat');
    expect(beat.measurements.rtt_ms).toBeGreaterThanOrEqual(0);
    expect(beat.metadata.ref).toMatch(/^\d+$/);
  });

  it('detects a stalled server within interval + timeout, then reconnects once it answers again', async () => {
    const s = await server();
    const heartbeatIntervalMs = 100;
    const heartbeatTimeoutMs = 100;
    const client = await connected(socket(s.url, { heartbeatIntervalMs, heartbeatTimeoutMs }));
    const room = client.channel('room:1');
    s.channel('room:*', { join: () => ({ ok: {} }) });
    await room.join();

    const timedOut = nextEvent(client, 'heartbeat:timeout');
    const channelError = nextEvent(client, 'channel:error');
    const stalledAt = Date.now();
    s.stall();
    expect((await timedOut).measurements.timeout_ms).toBe(heartbeatTimeoutMs);
    expect(Date.now() - stalledAt).toBeLessThanOrEqual(heartbeatIntervalMs + heartbeatTimeoutMs + 250);
    expect((await channelError).metadata.reason).toEqual({ reason: 'heartbeat_timeout' });
    expect(client.state).toMatchObject({ status: expect.stringMatching(/reconnecting|connecting/) });

    const back = nextEvent(client, 'socket:connected');
    s.resume();
    await back;
    await nextEvent(client, 'channel:joined');
    expect(room.state).toBe('joined');
  });

  it('reports the heartbeat timeout as a close with code 1006 to onClose callbacks', async () => {
    const s = await server();
    const client = await connected(socket(s.url, { heartbeatIntervalMs: 50, heartbeatTimeoutMs: 50 }));
    const closed = new Promise<{ code: number; reason: string }>((resolve) => client.onClose(resolve));
    s.stall();
    expect(await closed).toMatchObject({ code: 1006, reason: 'heartbeat_timeout' });
    s.resume();
  });

  it('sends no heartbeat with heartbeatIntervalMs: 0', async () => {
    const s = await server();
    let beats = 0;
    s.on('message', ({ message }) => {
      if (message.event === 'heartbeat') beats++;
    });
    await connected(socket(s.url, { heartbeatIntervalMs: 0 }));
    await new Promise((r) => setTimeout(r, 100));
    expect(beats).toBe(0);
  });
});
