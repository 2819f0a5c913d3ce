/**
 * `SharedSocket`: the `Socket` API in every tab, backed by one real socket per origin, endpoint and params:
 * in a SharedWorker; where SharedWorker does not exist, in a leader tab elected over Web Locks and reached
 * over BroadcastChannel; where those are missing too (or a worker or leader fails to start, or a worker
 * dies), in the tab itself, without the app noticing. Telemetry `shared:mode` says which mode and why.
 */
import {
  realScheduler,
  Telemetry,
  type Scheduler,
  type SocketParams,
  type SocketState,
  type EventMap,
  type TelemetryEventMap,
  type TelemetryEventName,
} from '@phx-socket/client';
import type { LinkChannel, LinkLossReason, LinkOwner, LinkPush, SharedLink } from './link';
import { LinkFactory, type SharedModeReason } from './link-factory';
import { checkSharedOptions, DEFAULT_SHARED_OPTIONS, type SharedMode, type SharedSocketOptions } from './options';
import type { ResolveWhat, WireParams } from './protocol';
import { SharedChannel, type SharedChannelOwner } from './shared-channel';
import type { SharedPush } from './shared-push';

export type { SharedModeReason } from './link-factory';

/**
 * Metadata of the `shared:mode` telemetry event. `leader` is there in `'leader-tab'` mode only: true in the
 * tab that runs the socket.
 */
export interface SharedModeMetadata {
  readonly mode: SharedMode;
  readonly reason: SharedModeReason;
  readonly leader?: boolean;
}

type Callback<A extends unknown[]> = (...args: A) => void;

/**
 * @example
 * import { SharedSocket } from '@phx-socket/client/shared';
 *
 * const socket = new SharedSocket('wss://example.com/socket', { params: { token } });
 * socket.connect();
 * const room = socket.channel('room:lobby');  // one server channel for every tab
 * room.on('new_msg', (msg) => render(msg));    // every tab hears each broadcast once
 * await room.join();
 * await room.push('new_msg', { body: 'hi' });  // the reply comes back to this tab only
 * socket.telemetry.on('shared:mode', ({ metadata }) => console.log(metadata.mode, metadata.reason));
 */
export class SharedSocket implements SharedChannelOwner, LinkOwner {
  readonly endPoint: string;
  readonly telemetry = new Telemetry();
  readonly timeoutMs: number;
  private readonly options: SharedSocketOptions;
  /** Timers and clock of the tab side (heartbeat to the worker, helpers such as `TypingIndicator`). */
  readonly scheduler: Scheduler;
  private readonly channels = new Map<number, LinkChannel>();
  private link: SharedLink | null = null;
  private modeValue: SharedMode | null = null;
  private linkStateValue: SocketState = { status: 'idle' };
  private wanted: 'idle' | 'connected' | 'disconnected' = 'idle';
  private connectParams: WireParams | null = null;
  /** Work waiting for the link (a params function is being resolved at the first connect). */
  private waiting: (() => void)[] = [];
  private opening = false;
  private disposed = false;
  private readonly links: LinkFactory;
  private announced: { mode: SharedMode; leader: boolean | null } | null = null;
  private readonly callbacks = { open: new Map<string, Callback<[]>>(), close: new Map<string, Callback<[unknown]>>(), error: new Map<string, Callback<[unknown]>>() };
  private callbackSeq = 0;
  private readonly offPageHooks: (() => void)[] = [];

  constructor(endPoint: string, options: SharedSocketOptions = {}) {
    if (typeof endPoint !== 'string' || endPoint === '') throw new TypeError('SharedSocket: endPoint must be a non-empty string');
    checkSharedOptions(options);
    this.endPoint = endPoint;
    this.options = options;
    this.timeoutMs = options.timeout ?? DEFAULT_SHARED_OPTIONS.timeout;
    this.scheduler = realScheduler;
    this.links = new LinkFactory({
      endPoint,
      options,
      scheduler: this.scheduler,
      owner: this,
      onElected: () => {
        if (this.link?.mode === 'leader-tab') this.announce('elected', false);
      },
      reportError: this.reportError,
    });
    this.watchPage();
  }

  /** `'shared-worker'`, `'leader-tab'` or `'local'` once connecting began; null before. */
  get mode(): SharedMode | null {
    return this.modeValue;
  }

  /** The connection as this tab sees it (the worker's socket state, on this tab's clock). */
  get state(): SocketState {
    if (this.wanted === 'disconnected') return { status: 'closed', reason: 'disconnected', attempts: 0, lastClose: null };
    return this.linkStateValue;
  }

  isConnected(): boolean {
    return this.wanted === 'connected' && this.linkStateValue.status === 'open';
  }

  /** phoenix.js's four values. */
  connectionState(): 'connecting' | 'open' | 'closing' | 'closed' {
    const s = this.state.status;
    return s === 'open' ? 'open' : s === 'closing' ? 'closing' : s === 'connecting' || s === 'reconnecting' ? 'connecting' : 'closed';
  }

  /**
   * Connects (through the shared socket: it stays up while any tab wants it). `params` replace the
   * `params` option, as with `Socket.connect(params)`.
   */
  connect(params?: SocketParams): void {
    if (params !== undefined) (this.options as { params?: SocketParams }).params = params;
    const wasDisconnected = this.wanted === 'disconnected';
    this.wanted = 'connected';
    this.withLink((link) => {
      if (this.wanted !== 'connected') return;
      link.connect(this.connectParams);
      if (wasDisconnected) for (const c of this.channels.values()) if (c.wantsJoin()) this.joinChannel(c);
    });
  }

  /**
   * This tab stops using the connection: its channels error (and rejoin on `connect()`); the shared socket
   * closes when no tab wants it.
   */
  disconnect(callback?: () => void): void {
    if (this.wanted !== 'connected') {
      callback?.();
      return;
    }
    this.wanted = 'disconnected';
    const link = this.link;
    if (link !== null) {
      for (const c of this.channels.values()) {
        if (!c.wantsJoin()) continue;
        link.leave(c);
        c.sinkErrored({ reason: 'disconnected' });
      }
      link.disconnect();
    }
    for (const cb of this.callbacks.close.values()) this.isolated(() => cb({ code: 1000, reason: 'disconnected', wasClean: true }), 'onClose callback');
    if (callback) queueMicrotask(callback);
  }

  /** A channel on `topic`; tabs joining the same topic with the same params share one server channel. */
  channel<In extends object = EventMap, Out extends object = EventMap>(topic: string, params: WireParams = {}): SharedChannel<In, Out> {
    if (typeof topic !== 'string' || topic === '') throw new TypeError('SharedSocket.channel: topic must be a non-empty string');
    if (typeof params !== 'object' || params === null) throw new TypeError('SharedSocket.channel: params must be a plain object (functions cannot reach the SharedWorker)');
    const channel = new SharedChannel<In, Out>(this, topic, params);
    this.channels.set(channel.id, channel);
    // A closed channel cannot join again: forget it, so switching rooms leaks nothing.
    channel.onClose(() => this.channels.delete(channel.id));
    return channel;
  }

  onOpen(callback: () => void): string {
    return this.addCallback('open', callback);
  }

  onClose(callback: (event: unknown) => void): string {
    return this.addCallback('close', callback);
  }

  onError(callback: (error: unknown) => void): string {
    return this.addCallback('error', callback);
  }

  /** Removes `onOpen`/`onClose`/`onError` callbacks by ref. */
  off(refs: readonly string[]): void {
    for (const ref of refs) for (const map of Object.values(this.callbacks)) map.delete(ref);
  }

  /**
   * Leaves the shared socket for good: says bye to the worker (or closes the own socket), steps down as
   * leader tab (the next tab takes over), drops page hooks.
   */
  dispose(): void {
    this.disposed = true;
    this.wanted = 'disconnected';
    this.link?.dispose();
    this.link = null;
    this.links.stepDown();
    for (const off of this.offPageHooks.splice(0)) off();
  }

  // ── SharedChannelOwner ────────────────────────────────────────────────────────────────────────────

  /** @internal */
  joinChannel(channel: LinkChannel): void {
    this.channels.set(channel.id, channel);
    if (this.wanted === 'disconnected') return; // joins on connect()
    this.withLink((link) => {
      if (channel.wantsJoin()) link.join(channel);
    });
  }

  /** @internal */
  leaveChannel(channel: LinkChannel): void {
    this.link?.leave(channel);
  }

  /** @internal */
  pushChannel(channel: LinkChannel, push: SharedPush, payload: unknown, maxResends: number | null): void {
    this.withLink((link) => link.push({ channel, push, payload, maxResends }));
  }

  /** @internal A user callback threw: telemetry `handler:error`, dispatch goes on. */
  readonly reportError = (error: unknown, where: string): void => {
    this.telemetry.emit('handler:error', { measurements: {}, metadata: { error, where } });
  };

  // ── LinkOwner ─────────────────────────────────────────────────────────────────────────────────────

  /** @internal */
  channelById(id: number): LinkChannel | undefined {
    return this.channels.get(id);
  }

  /** @internal */
  linkState(state: SocketState): void {
    const before = this.linkStateValue.status;
    this.linkStateValue = state;
    if (this.wanted !== 'connected' || before === state.status) return;
    if (state.status === 'open') for (const cb of this.callbacks.open.values()) this.isolated(() => cb(), 'onOpen callback');
  }

  /** @internal */
  emitTelemetry<K extends TelemetryEventName>(name: K, event: TelemetryEventMap[K]): void {
    // A tab that called disconnect() no longer hears the shared socket's lifecycle.
    if (this.wanted === 'disconnected' && name.startsWith('socket:')) return;
    if (name === 'socket:error') for (const cb of this.callbacks.error.values()) this.isolated(() => cb((event.metadata as { error: unknown }).error), 'onError callback');
    if (name === 'socket:disconnected' && this.wanted === 'connected') {
      for (const cb of this.callbacks.close.values()) this.isolated(() => cb(event.metadata), 'onClose callback');
    }
    this.telemetry.emit(name, event);
  }

  /**
   * @internal The link died: fall back to an own socket; or, when the worker only released this tab, say
   * hello again; or, when a leader tab went away, reconnect through the next leader.
   */
  linkLost(reason: LinkLossReason, unsent: readonly LinkPush[]): void {
    this.link = null;
    const link = this.openLink(this.links.lost(reason));
    this.reattach(link);
    for (const item of unsent) link.push(item);
  }

  /** @internal */
  async resolveOption(what: ResolveWhat): Promise<unknown> {
    const value = what === 'params' ? this.options.params : this.options.authToken;
    return typeof value === 'function' ? await value() : (value ?? null);
  }

  // ── links ─────────────────────────────────────────────────────────────────────────────────────────

  /** Runs `fn` with the link, opening it first (after resolving a params function). */
  private withLink(fn: (link: SharedLink) => void): void {
    if (this.link !== null) return fn(this.link);
    this.waiting.push(() => {
      if (this.link !== null) fn(this.link);
    });
    if (this.wanted !== 'connected' || this.opening) return;
    this.opening = true;
    void this.resolveOption('params').then(
      (params) => this.opened((params ?? {}) as WireParams),
      (error: unknown) => {
        this.reportError(error, 'params function');
        this.opened({});
      },
    );
  }

  private opened(params: WireParams): void {
    this.connectParams = params;
    const first = this.links.chosen ? null : this.links.choose(params);
    const finish = (): void => {
      this.opening = false;
      if (this.disposed) return;
      if (this.link === null) this.openLink(first?.reason ?? 'released');
      for (const run of this.waiting.splice(0)) run();
    };
    if (first?.decided) void first.decided.then(finish);
    else finish();
  }

  private openLink(reason: SharedModeReason): SharedLink {
    const opened = this.links.open(reason, this.connectParams ?? {});
    this.link = opened.link;
    this.announce(opened.reason, opened.reason === 'released' || opened.reason === 'leader_gone' || opened.reason === 'leader_silent');
    return opened.link;
  }

  /** Emits `shared:mode` when the mode (or, in leader-tab mode, who leads) changed, or when `force`d. */
  private announce(reason: SharedModeReason, force: boolean): void {
    const mode = this.link?.mode;
    if (mode === undefined) return;
    const leader = mode === 'leader-tab' ? this.links.isLeader : null;
    if (!force && this.announced !== null && this.announced.mode === mode && this.announced.leader === leader) return;
    this.announced = { mode, leader };
    this.modeValue = mode;
    const metadata: SharedModeMetadata = leader === null ? { mode, reason } : { mode, reason, leader };
    this.telemetry.emit('shared:mode', { measurements: {}, metadata });
  }

  /** After a fallback: connect if wanted, and every channel that wants to be joined joins through the new link. */
  private reattach(link: SharedLink): void {
    if (this.wanted === 'connected') link.connect(this.connectParams);
    if (this.wanted === 'disconnected') return;
    for (const c of this.channels.values()) {
      if (!c.wantsJoin()) continue;
      if (c.state === 'joined') c.sinkErrored({ reason: 'shared_worker_lost' });
      link.join(c);
    }
  }

  /** Bye on pagehide (the reliable "tab closes" signal); hello again when the page comes back from bfcache. */
  private watchPage(): void {
    const win = globalThis as { addEventListener?: (type: string, fn: (e: { persisted?: boolean }) => void) => void; removeEventListener?: (type: string, fn: (e: { persisted?: boolean }) => void) => void };
    if (typeof win.addEventListener !== 'function' || typeof (globalThis as { document?: unknown }).document === 'undefined') return;
    const hide = (): void => {
      if (this.link === null || this.link.mode === 'local') return;
      this.link.dispose();
      this.link = null;
      // A page kept in the back/forward cache is frozen: it must not stay the leader of the other tabs.
      this.links.stepDown();
    };
    const show = (event: { persisted?: boolean }): void => {
      if (!event.persisted || this.link !== null || this.wanted !== 'connected') return;
      this.reattach(this.openLink('released'));
    };
    win.addEventListener('pagehide', hide);
    win.addEventListener('pageshow', show);
    this.offPageHooks.push(() => {
      win.removeEventListener?.('pagehide', hide);
      win.removeEventListener?.('pageshow', show);
    });
  }

  private addCallback(kind: 'open' | 'close' | 'error', callback: Callback<never[]>): string {
    if (typeof callback !== 'function') throw new TypeError(`SharedSocket.on${kind[0]?.toUpperCase()}${kind.slice(1)}: callback must be a function`);
    const ref = String(++this.callbackSeq);
    (this.callbacks[kind] as Map<string, Callback<never[]>>).set(ref, callback);
    return ref;
  }

  private isolated(fn: () => void, where: string): void {
    try {
      fn();
    } catch (error) {
      this.reportError(error, where);
    }
  }
}
