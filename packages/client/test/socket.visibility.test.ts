/** Browser page signals, simulated with EventTargets on globalThis (the socket feature-detects them). */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { Socket } from '../src/index';
import { FakeScheduler } from './helpers/fake-scheduler';
import { FakeTransport } from './helpers/fake-transport';

class FakeDocument extends EventTarget {
  visibilityState: 'visible' | 'hidden' = 'visible';
  get hidden(): boolean {
    return this.visibilityState === 'hidden';
  }
  setHidden(hidden: boolean): void {
    this.visibilityState = hidden ? 'hidden' : 'visible';
    this.dispatchEvent(new Event('visibilitychange'));
  }
}

const g = globalThis as { document?: unknown; window?: unknown };
let doc: FakeDocument;
let win: EventTarget;
let clock: FakeScheduler;

beforeEach(() => {
  doc = new FakeDocument();
  win = new EventTarget();
  g.document = doc;
  g.window = win;
  clock = new FakeScheduler();
  FakeTransport.instances = [];
});
afterEach(() => {
  delete g.document;
  delete g.window;
});

function make(): Socket {
  return new Socket('ws://example.test/socket', { transport: FakeTransport, scheduler: clock, jitter: 'none', reconnectAfterMs: 5000 });
}

describe('Socket page signals', () => {
  it('reconnects at once when the page becomes visible instead of waiting out the backoff', () => {
    const socket = make();
    socket.connect();
    FakeTransport.last.open();
    FakeTransport.last.serverClose(1006);
    expect(socket.state).toMatchObject({ status: 'reconnecting', delayMs: 5000 });
    doc.setHidden(true);
    doc.setHidden(false);
    expect(FakeTransport.instances).toHaveLength(2);
    expect(socket.connectionState()).toBe('connecting');
  });

  it('does not reconnect while hidden, and defers until visible', () => {
    const socket = make();
    socket.connect();
    FakeTransport.last.open();
    doc.setHidden(true);
    FakeTransport.last.serverClose(1006);
    expect(socket.state).toMatchObject({ status: 'reconnecting', nextAttemptAt: null });
    clock.advance(60_000);
    expect(FakeTransport.instances).toHaveLength(1);
    doc.setHidden(false);
    expect(FakeTransport.instances).toHaveLength(2);
  });

  it('a timer that fires while the page is hidden waits for visibility', () => {
    const socket = make();
    socket.connect();
    FakeTransport.last.open();
    FakeTransport.last.serverClose(1006);
    doc.visibilityState = 'hidden';
    clock.advance(5000);
    expect(FakeTransport.instances).toHaveLength(1);
    expect(socket.state).toMatchObject({ status: 'reconnecting', nextAttemptAt: null });
    win.dispatchEvent(new Event('pageshow'));
    expect(FakeTransport.instances).toHaveLength(1);
    doc.visibilityState = 'visible';
    win.dispatchEvent(new Event('pageshow'));
    expect(FakeTransport.instances).toHaveLength(2);
  });

  it("coming back 'online' retries at once", () => {
    const socket = make();
    socket.connect();
    FakeTransport.last.serverClose(1006);
    win.dispatchEvent(new Event('online'));
    expect(FakeTransport.instances).toHaveLength(2);
    expect(socket.state).toMatchObject({ status: 'connecting', attempt: 1 });
  });

  it("resumes a socket whose circuit opened at once when the page comes back 'online' or visible", () => {
    const socket = new Socket('ws://example.test/socket', {
      transport: FakeTransport,
      scheduler: clock,
      reconnectAfterMs: 10,
      circuitBreaker: { threshold: 2, coolDownMs: 60_000, minFailingMs: 0 },
    });
    socket.connect();
    FakeTransport.last.serverClose(1006);
    clock.advance(10);
    FakeTransport.last.serverClose(1006);
    clock.advance(10);
    FakeTransport.last.serverClose(1006);
    expect(socket.state).toMatchObject({ status: 'suspended', failures: 2, coolDownMs: 60_000 });
    clock.advance(30_000);
    expect(FakeTransport.instances).toHaveLength(3);
    win.dispatchEvent(new Event('online'));
    expect(FakeTransport.instances).toHaveLength(4);
    FakeTransport.last.serverClose(1006);
    expect(socket.state).toMatchObject({ status: 'suspended' });
    doc.setHidden(true);
    doc.setHidden(false);
    expect(FakeTransport.instances).toHaveLength(5);
    FakeTransport.last.open();
    clock.advance(1000);
    expect(socket.state).toMatchObject({ status: 'open' });
  });

  it('stops listening to the page after disconnect()', () => {
    const socket = make();
    socket.connect();
    FakeTransport.last.open();
    socket.disconnect();
    FakeTransport.last.serverClose(1000);
    win.dispatchEvent(new Event('online'));
    doc.setHidden(false);
    expect(FakeTransport.instances).toHaveLength(1);
  });
});
