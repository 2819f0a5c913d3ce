/**
 * `SocketPool`: spreads channels over several sockets and endpoints behind `Socket`'s `channel(topic,
 * params)` API. Sockets open lazily; a socket whose endpoint keeps failing is marked unhealthy and its
 * channels move (handlers and unsent pushes with them) to healthy sockets, and back when it recovers; a
 * join refused as "full" goes to another socket.
 */
import { realScheduler, type Channel, type ChannelParams, type EventMap, type Scheduler } from '@phx-socket/channel';
import type { TransportCloseEvent } from '@phx-socket/transport';
import type { ChannelOptions } from '../channel-options';
import type { Socket } from '../socket';
import { PoolChannel, type MoveReason, type PoolChannelHost } from './pool-channel';
import { PoolConnection } from './pool-connection';
import { resolvePoolOptions, type ResolvedPoolOptions, type SocketPoolOptions } from './pool-options';
import type { PoolMoveStats, PoolStats } from './pool-stats';
import { PoolTelemetry } from './pool-telemetry';
import { PoolSlot } from './pool-slot';
import { strategyOf, type PoolStrategy } from './strategy';

type AnyPoolChannel = PoolChannel<object, object>;

/**
 * A pool of sockets with the `Socket` channel API.
 *
 * @example
 * import { SocketPool } from '@phx-socket/client';
 * const pool = new SocketPool({ endpoints: [urlA, urlB, urlC], maxChannelsPerSocket: 100, socket: { params: { token } } });
 * pool.connect();
 * const room = pool.channel('room:42');
 * room.on('new_msg', (msg) => render(msg));
 * await room.join();
 * pool.telemetry.on('pool:channel_moved', ({ metadata }) => console.log(metadata.topic, '→', metadata.to));
 */
export class SocketPool implements PoolChannelHost {
  /** Combined telemetry of every socket (metadata gains `socket_index`, `endpoint`) plus `pool:*` events. */
  readonly telemetry = new PoolTelemetry();
  readonly timeoutMs: number;
  readonly sendBufferLimit: number;
  readonly overflowPolicy: 'drop-oldest' | 'reject';
  private readonly options: ResolvedPoolOptions;
  private readonly strategy: PoolStrategy;
  private readonly slots: PoolSlot[] = [];
  private readonly scheduler: Scheduler;
  private readonly moveCounts: PoolMoveStats = { failover: 0, rebalance: 0, overflow: 0 };
  private wantConnected = false;
  private readonly connection = new PoolConnection((error, where) => this.reportError(error, where));

  constructor(options: SocketPoolOptions) {
    this.options = resolvePoolOptions(options);
    this.strategy = strategyOf(this.options.strategy);
    const s = this.options.socket;
    this.scheduler = s.scheduler ?? realScheduler;
    this.timeoutMs = s.timeout ?? 10_000;
    this.sendBufferLimit = s.sendBufferLimit ?? 1000;
    this.overflowPolicy = s.overflowPolicy ?? 'drop-oldest';
    const { endpoints, socketsPerEndpoint } = this.options;
    const hooks = {
      created: (slot: PoolSlot) => this.created(slot),
      idle: (slot: PoolSlot, ms: number) => this.idle(slot, ms),
      unhealthy: (slot: PoolSlot, reason: string) => this.unhealthy(slot, reason),
      healthy: (slot: PoolSlot, ms: number) => this.recovered(slot, ms),
    };
    for (let n = 0; n < socketsPerEndpoint; n++) {
      endpoints.forEach((endpoint, e) => {
        this.slots.push(new PoolSlot(n * endpoints.length + e, endpoint, n, this.options, this.scheduler, hooks));
      });
    }
  }

  /** Socket slots: `endpoints.length * socketsPerEndpoint`. */
  get size(): number {
    return this.slots.length;
  }

  /** The socket of slot `index`, or null while unopened (for its own telemetry, state, `ping`...). */
  socket(index: number): Socket | null {
    return this.slots[index]?.socket ?? null;
  }

  /** Sockets created so far. */
  sockets(): Socket[] {
    return this.slots.flatMap((slot) => (slot.socket === null ? [] : [slot.socket]));
  }

  /**
   * A channel for `topic`, placed on a socket when it joins. Same signature as `socket.channel`:
   * `options.rateLimit` applies on whichever socket it is (the pool's sockets need the `rateLimit` option),
   * and an `options.catchUp` cursor follows the channel when it moves, so its rejoin elsewhere asks for
   * what it missed.
   */
  channel<In extends object = EventMap, Out extends object = EventMap>(topic: string, params?: ChannelParams, options?: ChannelOptions): PoolChannel<In, Out> {
    if (typeof topic !== 'string' || topic === '') throw new TypeError('pool.channel(topic): topic must be a non-empty string');
    return new PoolChannel<In, Out>(this, topic, params, options);
  }

  /** Connects every socket that has channels; sockets created later connect at once. */
  connect(): void {
    this.wantConnected = true;
    for (const slot of this.slots) slot.socket?.connect();
  }

  /** Disconnects every socket; channels error and rejoin after the next `connect()`. */
  disconnect(callback?: () => void): void {
    this.wantConnected = false;
    const open = this.sockets();
    let left = open.length;
    if (left === 0) {
      callback?.();
      return;
    }
    for (const socket of open) {
      socket.disconnect(() => {
        if (--left === 0) callback?.();
      });
    }
  }

  /** True when at least one socket is open. */
  isConnected(): boolean {
    return this.slots.some((slot) => slot.socket?.isConnected() === true);
  }

  /** phoenix.js's four values, for the pool: `'open'` while any socket is open. */
  connectionState(): 'connecting' | 'open' | 'closing' | 'closed' {
    const states = this.sockets().map((socket) => socket.connectionState());
    if (states.includes('open')) return 'open';
    if (states.includes('connecting')) return 'connecting';
    return states.includes('closing') ? 'closing' : 'closed';
  }

  /**
   * Called when the pool goes from no open socket to one (not for each socket: see
   * `pool.telemetry`'s `socket:connected`). Returns a ref for `off`.
   */
  onOpen(callback: () => void): string {
    return this.connection.add('open', callback);
  }

  /** Called when the pool's last open socket closes. Returns a ref for `off`. */
  onClose(callback: (event: TransportCloseEvent) => void): string {
    return this.connection.add('close', callback);
  }

  /** Called on an error of any of the pool's sockets (failed connects, undecodable frames...). */
  onError(callback: (error: unknown) => void): string {
    return this.connection.add('error', callback);
  }

  /** Removes `onOpen` / `onClose` / `onError` callbacks by ref. */
  off(refs: readonly string[]): void {
    this.connection.off(refs);
  }

  /** A snapshot of every slot, and totals. */
  stats(): PoolStats {
    const sockets = this.slots.map((slot) => ({
      index: slot.index,
      endpoint: slot.endpoint,
      state: slot.socket?.state.status ?? ('unopened' as const),
      channels: slot.channels,
      healthy: slot.healthy,
      capacity: slot.capacity,
    }));
    return {
      sockets,
      channels: sockets.reduce((sum, s) => sum + s.channels, 0),
      opened: this.slots.filter((s) => s.opened).length,
      healthy: this.slots.filter((s) => s.healthy).length,
      moves: { ...this.moveCounts },
    };
  }

  /**
   * Leaves every channel (pushes still waiting fail with `ChannelClosedError`, so none hangs), stops
   * watching the sockets and disconnects them. The pool is not usable afterwards.
   */
  dispose(): void {
    for (const channel of this.slots.flatMap((slot) => [...slot.members])) channel.leave();
    this.disconnect();
    for (const slot of this.slots) slot.dispose();
  }

  // ── PoolChannelHost ──────────────────────────────────────────────────────────────────────────────

  /** @internal */
  place(channel: AnyPoolChannel): Socket {
    // As on one Socket, joining a topic leaves the channel already open on it: placed beside it, the socket
    // does exactly that, and no topic is joined (and delivered) twice across sockets. Twins only on
    // unhealthy sockets are left here, and the new channel is placed like every other.
    let twin: PoolSlot | null = null;
    let unhealthyTwins = false;
    for (const s of this.slots) {
      if (s.socket === null || s.socket.openOnTopic(channel.topic).length === 0) continue;
      if (s.healthy) {
        twin = s;
        break;
      }
      unhealthyTwins = true;
    }
    const slot = twin ?? this.pick(channel.topic, null);
    this.setHome(channel, slot);
    if (twin === null && unhealthyTwins) for (const s of this.slots) for (const open of s.socket?.openOnTopic(channel.topic) ?? []) (open as Channel).leave();
    return this.assign(channel, slot);
  }

  /** @internal */
  isFullRefusal(response: unknown): boolean {
    return this.options.isFullRefusal(response);
  }

  /** @internal */
  refusedFull(channel: AnyPoolChannel, socket: Socket, reason: unknown): boolean {
    const slot = channel.slot;
    if (slot === null || slot.socket !== socket) return false;
    const others = slot.channels - 1;
    if (others < slot.capacity) {
      slot.capacity = Math.max(others, 0);
      this.telemetry.emit('pool:socket_full', {
        measurements: { channels: others },
        metadata: { socket_index: slot.index, endpoint: slot.endpoint, topic: channel.topic, reason },
      });
    }
    const target = this.pickStrict(channel.topic, slot);
    if (target === null) return false;
    this.setHome(channel, target);
    this.relocate(channel, slot, target, 'overflow');
    return true;
  }

  /** @internal */
  closed(channel: AnyPoolChannel): void {
    channel.slot?.remove(channel);
    channel.slot = null;
    this.setHome(channel, null);
  }

  /** @internal */
  moved(channel: AnyPoolChannel, from: Socket, to: Socket, reason: MoveReason): void {
    this.moveCounts[reason]++;
    const toSlot = channel.slot;
    // Its new socket failed while it moved: move on.
    if (toSlot !== null && !toSlot.healthy) {
      const next = this.pickStrict(channel.topic, toSlot) ?? this.anyHealthy(channel.topic, toSlot);
      if (next !== null) this.relocate(channel, toSlot, next, 'failover');
    }
    if (!this.telemetry.has('pool:channel_moved')) return;
    const fromSlot = this.slots.find((s) => s.socket === from) as PoolSlot;
    const target = this.slots.find((s) => s.socket === to) as PoolSlot;
    this.telemetry.emit('pool:channel_moved', {
      measurements: {},
      metadata: { topic: channel.topic, from_index: fromSlot.index, to_index: target.index, from: fromSlot.endpoint, to: target.endpoint, reason },
    });
  }

  /** @internal */
  reportError(error: unknown, where: string): void {
    const socket = this.sockets()[0];
    if (socket !== undefined) socket.reportError(error, where);
    else console.error(`[phx-socket] ${where} threw`, error);
  }

  // ── placement ────────────────────────────────────────────────────────────────────────────────────

  /** A healthy slot with room for `topic` (any healthy one when all are full; any at all when none is healthy). */
  private pick(topic: string, exclude: PoolSlot | null): PoolSlot {
    const strict = this.pickStrict(topic, exclude);
    if (strict !== null) return strict;
    const healthy = this.slots.filter((s) => s.healthy && s !== exclude);
    const pool = healthy.length > 0 ? healthy : this.slots;
    return this.strategy.pick(topic, pool) as PoolSlot;
  }

  private pickStrict(topic: string, exclude: PoolSlot | null): PoolSlot | null {
    const candidates = this.slots.filter((s) => s.healthy && !s.full && s !== exclude);
    if (candidates.length === 0) return null;
    return this.strategy.pick(topic, candidates) as PoolSlot;
  }

  private assign(channel: AnyPoolChannel, slot: PoolSlot): Socket {
    channel.slot?.remove(channel);
    channel.slot = slot;
    slot.add(channel);
    return slot.ensureSocket(this.wantConnected);
  }

  /** The slot a channel moves back to when it recovers; counted there, so it stays open meanwhile. */
  private setHome(channel: AnyPoolChannel, slot: PoolSlot | null): void {
    if (channel.home === slot) return;
    const old = channel.home;
    channel.home = slot;
    if (slot !== null) slot.homes++;
    old?.homeLeft();
  }

  private relocate(channel: AnyPoolChannel, from: PoolSlot, to: PoolSlot, reason: MoveReason): void {
    if (from === to) return;
    const socket = this.assign(channel, to);
    if (!channel.moveTo(socket, reason)) this.assign(channel, from);
  }

  private created(slot: PoolSlot): void {
    this.connection.watch(slot.socket as Socket);
    this.telemetry.addSource((slot.socket as Socket).telemetry, { socket_index: slot.index, endpoint: slot.endpoint });
    this.telemetry.emit('pool:socket_opened', { measurements: {}, metadata: { socket_index: slot.index, endpoint: slot.endpoint } });
  }

  private idle(slot: PoolSlot, idleMs: number): void {
    const socket = slot.socket as Socket;
    this.telemetry.removeSource(socket.telemetry);
    this.connection.closed(socket, { code: 1000, reason: 'idle', wasClean: true });
    this.telemetry.emit('pool:socket_closed', { measurements: { idle_ms: idleMs }, metadata: { socket_index: slot.index, endpoint: slot.endpoint, reason: 'idle' } });
  }

  private unhealthy(slot: PoolSlot, reason: string): void {
    this.telemetry.emit('pool:socket_unhealthy', {
      measurements: { failures: slot.failures, channels: slot.channels },
      metadata: { socket_index: slot.index, endpoint: slot.endpoint, reason },
    });
    for (const channel of [...slot.members]) {
      const target = this.pickStrict(channel.topic, slot) ?? this.anyHealthy(channel.topic, slot);
      if (target !== null) this.relocate(channel, slot, target, 'failover');
    }
  }

  private anyHealthy(topic: string, exclude: PoolSlot): PoolSlot | null {
    const healthy = this.slots.filter((s) => s.healthy && s !== exclude);
    return healthy.length === 0 ? null : (this.strategy.pick(topic, healthy) as PoolSlot);
  }

  private recovered(slot: PoolSlot, unhealthyMs: number): void {
    this.telemetry.emit('pool:socket_healthy', { measurements: { unhealthy_ms: unhealthyMs }, metadata: { socket_index: slot.index, endpoint: slot.endpoint } });
    if (!this.options.rebalance) return;
    for (const current of this.slots) {
      if (current === slot) continue;
      for (const channel of [...current.members]) {
        if (slot.full) break;
        if (channel.home === slot) this.relocate(channel, current, slot, 'rebalance');
      }
    }
    // Channels stranded on unhealthy sockets (no healthy socket was left) come here too.
    for (const other of this.slots) {
      if (other.healthy || other === slot) continue;
      for (const channel of [...other.members]) {
        if (slot.full) return;
        this.relocate(channel, other, slot, 'failover');
      }
    }
  }
}
