import { describe, expect, it } from 'vitest';
import {
  DEFAULT_HIBERNATION_OPTIONS,
  HibernationManager,
  resolveHibernationOptions,
  type HibernatedEvent,
  type HibernationHost,
  type HibernationOptions,
  type WokeEvent,
} from '../src/index';
import { FakeScheduler } from './helpers/fake-scheduler';

class Host implements HibernationHost {
  hidden = false;
  live = false;
  held = 0;
  calls: string[] = [];
  hibernations: HibernatedEvent[] = [];
  wakes: WokeEvent[] = [];
  shed(): number {
    this.calls.push('shed');
    const released = this.held;
    this.held = 0;
    return released;
  }
  unshed(): void {
    this.calls.push('unshed');
  }
  heldBytes(): number {
    return this.held;
  }
  canDisconnect(): boolean {
    return !this.live;
  }
  disconnect(): void {
    this.calls.push('disconnect');
  }
  reconnect(): void {
    this.calls.push('reconnect');
  }
  isPageHidden(): boolean {
    return this.hidden;
  }
  hibernated(event: HibernatedEvent): void {
    this.hibernations.push(event);
  }
  woke(event: WokeEvent): void {
    this.wakes.push(event);
  }
}

function setup(options: HibernationOptions = {}): { manager: HibernationManager; host: Host; clock: FakeScheduler } {
  const clock = new FakeScheduler();
  const host = new Host();
  const resolved = resolveHibernationOptions({ idleTimeoutMs: 1000, ...options });
  if (resolved === null) throw new Error('disabled');
  const manager = new HibernationManager(resolved, host, clock);
  manager.start();
  return { manager, host, clock };
}

describe('HibernationManager', () => {
  it('sheds after idleTimeoutMs without traffic and reports the bytes released', () => {
    const { manager, host, clock } = setup();
    host.held = 500;
    clock.advance(999);
    expect(manager.state).toBe('awake');
    clock.advance(1);
    expect(manager.state).toBe('shed');
    expect(host.hibernations).toEqual([{ measurements: { bytes_released: 500, idle_ms: 1000 }, metadata: { reason: 'idle', mode: 'shed' } }]);
    expect(clock.pending).toBe(0);
  });

  it('stays awake while traffic keeps coming', () => {
    const { manager, clock } = setup();
    for (let i = 0; i < 20; i++) {
      clock.advance(200);
      manager.touch();
    }
    expect(manager.state).toBe('awake');
  });

  it('wakes on the next traffic, resuming what shedding paused', () => {
    const { manager, host, clock } = setup();
    clock.advance(1000);
    clock.advance(3000);
    manager.touch();
    expect(manager.state).toBe('awake');
    expect(host.calls).toEqual(['shed', 'unshed']);
    expect(host.wakes).toEqual([{ measurements: { hibernated_ms: 3000 }, metadata: { reason: 'traffic', reconnect: false } }]);
    expect(manager.stats()).toMatchObject({ hibernations: 1, wakes: 1, hibernatedMs: 3000 });
  });

  it('counts a hidden page as idle even with traffic, and wakes when it is shown', () => {
    const { manager, host, clock } = setup();
    host.hidden = true;
    for (let i = 0; i < 5; i++) {
      manager.touch();
      clock.advance(250);
    }
    expect(host.hibernations[0]?.metadata.reason).toBe('hidden');
    manager.touch();
    expect(manager.state).toBe('shed');
    host.hidden = false;
    manager.visible();
    expect(host.wakes[0]?.metadata.reason).toBe('visible');
  });

  it('sheds when cached bytes pass memoryThreshold, traffic or not', () => {
    const { manager, host, clock } = setup({ memoryThreshold: 100 });
    host.held = 101;
    manager.touch();
    clock.advance(250);
    expect(host.hibernations[0]).toMatchObject({ measurements: { bytes_released: 101 }, metadata: { reason: 'memory' } });
    expect(manager.stats().memorySheds).toBe(1);
  });

  it("in 'disconnect' mode closes the transport and reconnects on demand", () => {
    const { manager, host, clock } = setup({ mode: 'disconnect' });
    clock.advance(1000);
    expect(manager.state).toBe('disconnected');
    expect(host.calls).toEqual(['shed', 'disconnect']);
    expect(clock.pending).toBe(0);
    manager.demand('push');
    expect(host.calls).toEqual(['shed', 'disconnect', 'unshed', 'reconnect']);
    expect(host.wakes[0]?.metadata).toEqual({ reason: 'push', reconnect: true });
  });

  it("in 'disconnect' mode only sheds while a channel needs live delivery, and disconnects once none does", () => {
    const { manager, host, clock } = setup({ mode: 'disconnect' });
    host.live = true;
    clock.advance(1000);
    expect(manager.state).toBe('shed');
    host.live = false;
    clock.advance(1000);
    expect(manager.state).toBe('disconnected');
    expect(host.hibernations.map((e) => e.metadata.mode)).toEqual(['shed', 'disconnect']);
  });

  it('does nothing after stop() and never reconnects on behalf of an app that disconnected', () => {
    const { manager, host, clock } = setup({ mode: 'disconnect' });
    clock.advance(1000);
    manager.stop();
    manager.demand('push');
    expect(host.calls).not.toContain('reconnect');
    expect(clock.pending).toBe(0);
  });

  it('validates options eagerly and treats enabled: false as off', () => {
    expect(resolveHibernationOptions(undefined)).toBeNull();
    expect(resolveHibernationOptions({ enabled: false })).toBeNull();
    expect(() => resolveHibernationOptions({ idleTimeoutMs: 0 })).toThrow(/hibernation\.idleTimeoutMs/);
    expect(() => resolveHibernationOptions({ mode: 'sleep' as never })).toThrow(RangeError);
    expect(() => resolveHibernationOptions({ memoryThreshold: -5 })).toThrow(/hibernation\.memoryThreshold/);
    expect(() => resolveHibernationOptions({ needsLiveDelivery: 1 as never })).toThrow(TypeError);
    expect(() => resolveHibernationOptions({ enabled: 'yes' as never })).toThrow(TypeError);
    expect(Object.isFrozen(DEFAULT_HIBERNATION_OPTIONS)).toBe(true);
  });
});
