import { describe, expect, it } from 'vitest';
import { Telemetry } from '../src/telemetry';

const hb = (rtt: number) => ({ measurements: { rtt_ms: rtt }, metadata: { ref: '1' } });

describe('Telemetry', () => {
  it('delivers an event to its subscribers and stops after unsubscribe', () => {
    const t = new Telemetry();
    const seen: number[] = [];
    const off = t.on('heartbeat', (e) => seen.push(e.measurements.rtt_ms));
    t.emit('heartbeat', hb(5));
    off();
    off();
    t.emit('heartbeat', hb(6));
    expect(seen).toEqual([5]);
    expect(t.has('heartbeat')).toBe(false);
  });

  it("hands every event to '*' subscribers with its name", () => {
    const t = new Telemetry();
    const seen: string[] = [];
    t.on('*', (name) => seen.push(name));
    t.emit('heartbeat', hb(1));
    t.emit('socket:error', { measurements: {}, metadata: { error: 'x' } });
    expect(seen).toEqual(['heartbeat', 'socket:error']);
  });

  it('attaches one handler to many events and detaches it at once', () => {
    const t = new Telemetry();
    const seen: string[] = [];
    const off = t.attachMany(['heartbeat', 'heartbeat:timeout'], (name) => seen.push(name));
    t.emit('heartbeat', hb(1));
    t.emit('heartbeat:timeout', { measurements: { timeout_ms: 1 }, metadata: { ref: '2' } });
    off();
    t.emit('heartbeat', hb(1));
    expect(seen).toEqual(['heartbeat', 'heartbeat:timeout']);
  });

  it('runs subscribers in order, named before wildcard, each emit on the list it started with', () => {
    const t = new Telemetry();
    const seen: string[] = [];
    let offSecond = (): void => undefined;
    t.on('heartbeat', () => {
      seen.push('first');
      offSecond(); // removed during the emit: still runs this time
      t.on('heartbeat', () => seen.push('late')); // added during the emit: runs from the next one
    });
    offSecond = t.on('heartbeat', () => seen.push('second'));
    t.on('*', (name) => seen.push(`* ${name}`));
    t.emit('heartbeat', hb(1));
    expect(seen).toEqual(['first', 'second', '* heartbeat']);
    seen.length = 0;
    t.emit('heartbeat', hb(2));
    expect(seen).toEqual(['first', 'late', '* heartbeat']);
  });

  it('counts a subscriber per name: has() stays true until the last one leaves', () => {
    const t = new Telemetry();
    const offA = t.on('heartbeat', () => undefined);
    const offB = t.on('heartbeat', () => undefined);
    offA();
    offA();
    expect(t.has('heartbeat')).toBe(true);
    offB();
    expect(t.has('heartbeat')).toBe(false);
    const offAny = t.on('*', () => undefined);
    expect(t.has('heartbeat')).toBe(true);
    offAny();
    expect(t.has('heartbeat')).toBe(false);
  });

  it('keeps dispatching when a subscriber throws, and reports the error as handler:error', () => {
    const t = new Telemetry();
    const errors: unknown[] = [];
    const seen: number[] = [];
    t.on('handler:error', (e) => errors.push(e.metadata.error));
    t.on('heartbeat', () => {
      throw new Error('boom');
    });
    t.on('heartbeat', (e) => seen.push(e.measurements.rtt_ms));
    expect(() => t.emit('heartbeat', hb(7))).not.toThrow();
    expect(seen).toEqual([7]);
    expect(errors).toHaveLength(1);
    expect((errors[0] as Error).message).toBe('boom');
  });

  it('does not loop when a handler:error subscriber throws too', () => {
    const t = new Telemetry();
    let calls = 0;
    t.on('handler:error', () => {
      calls++;
      throw new Error('again');
    });
    t.on('*', () => {
      throw new Error('wild');
    });
    expect(() => t.emit('heartbeat', hb(1))).not.toThrow();
    expect(calls).toBe(1);
  });

  it('reports nobody listening so hot paths can skip building events', () => {
    const t = new Telemetry();
    expect(t.has('message:received')).toBe(false);
    const off = t.on('*', () => {});
    expect(t.has('message:received')).toBe(true);
    off();
    expect(t.has('message:received')).toBe(false);
  });
});
