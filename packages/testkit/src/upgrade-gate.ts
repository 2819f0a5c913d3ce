import type { IncomingMessage } from 'node:http';
import type { Duplex } from 'node:stream';

interface HeldUpgrade {
  readonly request: IncomingMessage;
  readonly socket: Duplex;
  readonly head: Buffer;
}

/**
 * Holds HTTP upgrade requests unanswered while closed (`holdUpgrades()`, and while the server is
 * stalled): the TCP connection is open, the client's connect timeout runs. Opening the gate
 * answers every held request that is still connected.
 */
export class UpgradeGate {
  private held: HeldUpgrade[] = [];
  private reasons = new Set<'hold' | 'stall'>();

  constructor(private readonly process: (request: IncomingMessage, socket: Duplex, head: Buffer) => void) {}

  /** True while upgrades are held. */
  get closed(): boolean {
    return this.reasons.size > 0;
  }

  /** Number of upgrades waiting. */
  get pending(): number {
    return this.held.length;
  }

  /** Passes the upgrade on, or holds it while the gate is closed. */
  admit(request: IncomingMessage, socket: Duplex, head: Buffer): void {
    if (!this.closed) {
      this.process(request, socket, head);
      return;
    }
    const entry: HeldUpgrade = { request, socket, head };
    this.held.push(entry);
    socket.once('close', () => {
      this.held = this.held.filter((h) => h !== entry);
    });
  }

  close(reason: 'hold' | 'stall'): void {
    this.reasons.add(reason);
  }

  /** Removes one reason; when none is left, answers the held upgrades in arrival order. */
  open(reason: 'hold' | 'stall'): void {
    this.reasons.delete(reason);
    if (this.closed) return;
    const held = this.held;
    this.held = [];
    for (const { request, socket, head } of held) {
      if (!socket.destroyed) this.process(request, socket, head);
    }
  }

  /** Destroys every held socket (server close). */
  destroyAll(): void {
    const held = this.held;
    this.held = [];
    for (const { socket } of held) socket.destroy();
  }
}
