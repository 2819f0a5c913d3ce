/**
 * One socket slot of a `SocketPool`: its socket (created when the first channel is placed on it), the
 * channels placed there, its capacity, and its health, read from the socket's own signals — consecutive
 * failed connects (`socket:reconnect_scheduled`), the circuit breaker (`socket:circuit_open`), and a
 * connection that stayed up `recoverAfterMs` (recovered). A socket with no channels, home to none,
 * disconnects after `idleSocketCloseMs` and is made again when a channel is placed there.
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
  /** The slot's socket was idle `idleMs` and is about to disconnect. */
  idle(slot: PoolSlot, idleMs: number): void;
  unhealthy(slot: PoolSlot, reason: string): void;
  healthy(slot: PoolSlot, unhealthyMs: number): void;
}

export class PoolSlot implements PoolSlotInfo {
  readonly index: number;
  readonly endpoint: string;
  readonly id: string;
  /** The channels placed here (change it through {@link add} / {@link remove}). */
  readonly members = new Set<PoolChannel<object, object>>();
  /** Channels whose home this is (they move back when it recovers); kept open while any. */
  homes = 0;
  socket: Socket | null = null;
  healthy = true;
  capacity: number;
  /** Failed connects in a row (reset once a connection stays up `recoverAfterMs`). */
  failures = 0;
  private unhealthySince = 0;
  private recoverTimer: TimerHandle | null = null;
  private idleTimer: TimerHandle | null = null;
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

  add(channel: PoolChannel<object, object>): void {
    this.members.add(channel);
    this.stopIdle();
  }

  remove(channel: PoolChannel<object, object>): void {
    if (this.members.delete(channel)) this.checkIdle();
  }

  /** A channel whose home this was went home elsewhere, or closed. */
  homeLeft(): void {
    this.homes--;
    this.checkIdle();
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

  /** Arms the idle timer when nothing needs the socket any more. */
  private checkIdle(): void {
    const ms = this.options.idleSocketCloseMs;
    if (this.socket === null || this.idleTimer !== null || ms === Infinity || this.needed()) return;
    const since = this.scheduler.now();
    const fire = (): void => {
      this.idleTimer = null;
      const socket = this.socket;
      if (socket === null || this.needed()) return;
      // A channel that moved away may still be leaving here: its move ends with the server's leave reply.
      if (socket.channelCount > 0) {
        this.idleTimer = this.scheduler.setTimeout(fire, Math.max(ms, 100));
        return;
      }
      this.closeIdle(this.scheduler.now() - since);
    };
    this.idleTimer = this.scheduler.setTimeout(fire, ms);
  }

  /** Channels are on it, or (with rebalance) will move back to it when it recovers. */
  private needed(): boolean {
    return this.members.size > 0 || (this.homes > 0 && this.options.rebalance);
  }

  private stopIdle(): void {
    if (this.idleTimer !== null) this.scheduler.clearTimeout(this.idleTimer);
    this.idleTimer = null;
  }

  /** Disconnects the idle socket; the next channel placed here makes a fresh one (healthy, full capacity). */
  private closeIdle(idleMs: number): void {
    const socket = this.socket as Socket;
    this.hooks.idle(this, idleMs);
    this.stopRecovering();
    for (const off of this.offs.splice(0)) off();
    this.socket = null;
    this.healthy = true;
    this.failures = 0;
    this.capacity = this.options.maxChannelsPerSocket;
    socket.disconnect();
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
    this.stopIdle();
    for (const off of this.offs.splice(0)) off();
  }
}
