/**
 * One socket slot of a `SocketPool`: its socket (created when the first channel is placed on it), the
 * channels placed there, its capacity, and its health, read from the socket's own signals — consecutive
 * failed connects (`socket:reconnect_scheduled`), the circuit breaker (`socket:circuit_open`), and a
 * connection that stayed up `recoverAfterMs` (recovered).
 */
import type { Scheduler, TimerHandle } from '@phx-socket/channel';
import { Socket } from '../socket';
import type { Unsubscribe } from '../telemetry';
import { realChannelClosed, type PoolChannel } from './pool-channel';
import type { ResolvedPoolOptions } from './pool-options';
import type { PoolSlotInfo } from './strategy';

/** What a slot tells its pool. */
export interface SlotHooks {
  created(slot: PoolSlot): void;
  unhealthy(slot: PoolSlot, reason: string): void;
  healthy(slot: PoolSlot, unhealthyMs: number): void;
}

export class PoolSlot implements PoolSlotInfo {
  readonly index: number;
  readonly endpoint: string;
  readonly id: string;
  readonly members = new Set<PoolChannel<object, object>>();
  socket: Socket | null = null;
  healthy = true;
  capacity: number;
  /** Failed connects in a row (reset once a connection stays up `recoverAfterMs`). */
  failures = 0;
  private unhealthySince = 0;
  private recoverTimer: TimerHandle | null = null;
  private readonly offs: Unsubscribe[] = [];
  private readonly options: ResolvedPoolOptions;
  private readonly scheduler: Scheduler;
  private readonly hooks: SlotHooks;

  constructor(index: number, endpoint: string, slot: number, options: ResolvedPoolOptions, scheduler: Scheduler, hooks: SlotHooks) {
    this.index = index;
    this.endpoint = endpoint;
    this.id = `${endpoint}#${slot}`;
    this.options = options;
    this.capacity = options.maxChannelsPerSocket;
    this.scheduler = scheduler;
    this.hooks = hooks;
  }

  get channels(): number {
    return this.members.size;
  }

  get opened(): boolean {
    return this.socket !== null;
  }

  get full(): boolean {
    return this.members.size >= this.capacity;
  }

  /** The slot's socket, created (and connected when `connect`) on first use. */
  ensureSocket(connect: boolean): Socket {
    if (this.socket !== null) return this.socket;
    const socket = new Socket(this.endpoint, this.options.socket);
    socket.channelClosed = realChannelClosed;
    this.socket = socket;
    const t = socket.telemetry;
    this.offs.push(
      t.on('socket:reconnect_scheduled', () => this.failed()),
      t.on('socket:circuit_open', () => this.markUnhealthy('circuit_open')),
      t.on('socket:connected', () => this.opened_()),
      t.on('socket:disconnected', () => this.stopRecovering()),
    );
    this.hooks.created(this);
    if (connect) socket.connect();
    return socket;
  }

  private failed(): void {
    this.failures++;
    if (this.failures >= this.options.unhealthyAfterFailures) this.markUnhealthy('connect_failures');
  }

  private markUnhealthy(reason: string): void {
    if (!this.healthy) return;
    this.healthy = false;
    this.unhealthySince = this.scheduler.now();
    this.hooks.unhealthy(this, reason);
  }

  private opened_(): void {
    this.stopRecovering();
    this.recoverTimer = this.scheduler.setTimeout(() => {
      this.recoverTimer = null;
      this.failures = 0;
      if (this.healthy) return;
      this.healthy = true;
      this.hooks.healthy(this, this.scheduler.now() - this.unhealthySince);
    }, this.options.recoverAfterMs);
  }

  private stopRecovering(): void {
    if (this.recoverTimer !== null) this.scheduler.clearTimeout(this.recoverTimer);
    this.recoverTimer = null;
  }

  /** Stops watching the socket (the pool is disposed). */
  dispose(): void {
    this.stopRecovering();
    for (const off of this.offs.splice(0)) off();
  }
}
