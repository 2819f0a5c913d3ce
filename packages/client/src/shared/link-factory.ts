/**
 * Which way a `SharedSocket` reaches the server, and the links that do it: the mode chosen at the first
 * connect (the SharedWorker; else a leader tab elected over Web Locks and reached over BroadcastChannel;
 * else the tab's own socket), the worker, this tab's leader candidacy, and the hello naming the socket key.
 * The mode only ever moves towards `'local'`.
 */
import type { Scheduler, SocketOptions } from '@phx-socket/client';
import { leaderWorker } from './broadcast-port';
import { defaultWorker } from './default-worker';
import type { LinkLossReason, LinkOwner, SharedLink } from './link';
import { LocalLink } from './local-link';
import { DEFAULT_SHARED_OPTIONS, wireOptions, type BroadcastChannelLike, type SharedMode, type SharedSocketOptions, type SharedWorkerLike, type TabLocks } from './options';
import { leaderNames, socketKey, socketOptionsOf, type TabMessageBody, type WireParams } from './protocol';
import { TabLeader } from './tab-leader';
import { WorkerLink, type WorkerLinkOptions } from './worker-link';

/**
 * Why the socket is in its mode (`shared:mode` telemetry `reason`): `shared_worker`; `no_shared_worker`
 * (leader-tab or local because SharedWorker is missing); `mode_option`; `no_leader_support` (`mode:
 * 'leader-tab'` without BroadcastChannel or Web Locks); `elected` (this tab became the leader);
 * `leader_gone` / `leader_silent` (the leader tab went away, the next one takes over); or why a link was
 * lost (`worker_gone`, `worker_start_timeout`...; in leader-tab mode these concern the leader tab).
 */
export type SharedModeReason = 'shared_worker' | 'no_shared_worker' | 'mode_option' | 'no_leader_support' | 'elected' | 'leader_gone' | 'leader_silent' | LinkLossReason;

/** What a {@link LinkFactory} is built with. */
export interface LinkFactoryOptions {
  readonly endPoint: string;
  readonly options: SharedSocketOptions;
  readonly scheduler: Scheduler;
  /** Who the links report to. */
  readonly owner: LinkOwner;
  /** This tab became the leader of its socket key. */
  readonly onElected: () => void;
  readonly reportError: (error: unknown, where: string) => void;
}

let clientSeq = 0;

/** Chooses the mode and opens links in it. */
export class LinkFactory {
  private readonly config: LinkFactoryOptions;
  private readonly locks: TabLocks | null;
  private readonly createChannel: ((name: string) => BroadcastChannelLike) | null;
  /** The mode links are opened in; null until the first connect. */
  private tier: SharedMode | null = null;
  /** A worker created while choosing the mode, used by the first link. */
  private firstWorker: SharedWorkerLike | null = null;
  private leader: TabLeader | null = null;

  constructor(config: LinkFactoryOptions) {
    this.config = config;
    const { options } = config;
    const nav = (globalThis as { navigator?: { locks?: TabLocks } }).navigator;
    this.locks = options.locks === undefined ? (nav?.locks ?? null) : options.locks;
    const BC = (globalThis as { BroadcastChannel?: new (name: string) => BroadcastChannelLike }).BroadcastChannel;
    this.createChannel = options.createBroadcastChannel !== undefined ? options.createBroadcastChannel : typeof BC === 'function' ? (name) => new BC(name) : null;
  }

  /** True once the first connect chose a mode. */
  get chosen(): boolean {
    return this.tier !== null;
  }

  /** True while this tab runs the shared socket of the other tabs (leader-tab mode). */
  get isLeader(): boolean {
    return this.leader?.isLeader ?? false;
  }

  /**
   * Picks the first mode: SharedWorker, else leader tab, else own socket (or what the `mode` option says).
   * In leader-tab mode the promise resolves once the first election answer is known, so the first
   * `shared:mode` says at once who leads; otherwise it is null.
   */
  choose(params: WireParams): { reason: SharedModeReason; decided: Promise<boolean> | null } {
    const reason = this.pick();
    return { reason, decided: this.tier === 'leader-tab' ? this.candidacy(params).decided : null };
  }

  /**
   * The tier after losing a link for `reason`: a leader tab that went away hands over (same mode, next
   * leader); a worker that only released this tab is said hello again; anything else falls back to an own
   * socket for good.
   */
  lost(reason: LinkLossReason): SharedModeReason {
    if (this.tier === 'leader-tab' && (reason === 'worker_gone' || reason === 'worker_silent')) {
      return reason === 'worker_gone' ? 'leader_gone' : 'leader_silent';
    }
    if (reason !== 'released') {
      this.tier = 'local';
      this.stepDown();
    }
    return reason;
  }

  /** Opens a link in the current mode; `reason` is what `shared:mode` will say (changed if the mode did). */
  open(reason: SharedModeReason, params: WireParams): { link: SharedLink; reason: SharedModeReason } {
    const { owner, endPoint } = this.config;
    if (this.tier === 'shared-worker') {
      const worker = this.firstWorker ?? this.createWorker();
      this.firstWorker = null;
      if (worker !== null) return { link: new WorkerLink(owner, this.workerOptions(worker, this.hello(params))), reason };
      this.tier = 'local';
      reason = 'no_shared_worker';
    } else if (this.tier === 'leader-tab' && this.createChannel !== null) {
      const hello = this.hello(params);
      this.candidacy(params);
      const worker = leaderWorker(this.createChannel, leaderNames(hello.key).channel);
      return { link: new WorkerLink(owner, { ...this.workerOptions(worker, hello), mode: 'leader-tab' }), reason };
    }
    return { link: new LocalLink(owner, endPoint, this.localOptions()), reason };
  }

  /** Stops leading (or queueing to lead): the next tab in the queue takes over. */
  stepDown(): void {
    this.leader?.dispose();
    this.leader = null;
  }

  private pick(): SharedModeReason {
    const mode = this.config.options.mode ?? DEFAULT_SHARED_OPTIONS.mode;
    if (mode === 'local') {
      this.tier = 'local';
      return 'mode_option';
    }
    if (mode === 'auto') {
      this.firstWorker = this.createWorker();
      if (this.firstWorker !== null) {
        this.tier = 'shared-worker';
        return 'shared_worker';
      }
    }
    const leaderSupported = this.locks !== null && this.createChannel !== null;
    this.tier = leaderSupported ? 'leader-tab' : 'local';
    if (mode === 'auto') return 'no_shared_worker';
    return leaderSupported ? 'mode_option' : 'no_leader_support';
  }

  /** This tab's candidacy for leader of its socket key (started once, kept across links). */
  private candidacy(params: WireParams): TabLeader {
    if (this.leader !== null) return this.leader;
    const { locks, createChannel } = this;
    if (locks === null || createChannel === null) throw new Error('SharedSocket: leader-tab mode needs Web Locks and BroadcastChannel');
    const names = leaderNames(this.key(params));
    const { options, scheduler, onElected, reportError } = this.config;
    const leader = new TabLeader({
      lockName: names.lock,
      channelName: names.channel,
      locks,
      createChannel,
      scheduler,
      host: { tabTimeoutMs: options.tabTimeoutMs ?? DEFAULT_SHARED_OPTIONS.tabTimeoutMs },
      onElected: () => {
        if (this.leader === leader) onElected();
      },
      onError: (error) => reportError(error, 'leader-tab election'),
    });
    this.leader = leader;
    return leader;
  }

  private createWorker(): SharedWorkerLike | null {
    const { options } = this.config;
    const name = options.workerName ?? DEFAULT_SHARED_OPTIONS.workerName;
    try {
      if (options.createWorker) return options.createWorker(name);
      if (typeof (globalThis as { SharedWorker?: unknown }).SharedWorker !== 'function') return null;
      if (options.workerUrl !== undefined) {
        return new SharedWorker(options.workerUrl, { name, type: options.workerType ?? DEFAULT_SHARED_OPTIONS.workerType }) as unknown as SharedWorkerLike;
      }
      return defaultWorker(name);
    } catch (error) {
      this.config.reportError(error, 'creating the SharedWorker');
      return null;
    }
  }

  private workerOptions(worker: SharedWorkerLike, hello: Extract<TabMessageBody, { t: 'hello' }>): WorkerLinkOptions {
    const o = this.config.options;
    return {
      worker,
      scheduler: this.config.scheduler,
      locks: this.locks,
      startTimeoutMs: o.workerStartTimeoutMs ?? DEFAULT_SHARED_OPTIONS.workerStartTimeoutMs,
      heartbeatIntervalMs: o.tabHeartbeatIntervalMs ?? DEFAULT_SHARED_OPTIONS.tabHeartbeatIntervalMs,
      timeoutMs: hello.timeoutMs,
      timeOrigin: typeof performance !== 'undefined' ? performance.timeOrigin : 0,
      hello,
    };
  }

  /** Groups the tabs sharing one socket (and names the leader lock). */
  private key(params: WireParams): string {
    const { options: o, endPoint } = this.config;
    const authToken = typeof o.authToken === 'string' ? o.authToken : null;
    return o.shareKey !== undefined ? `key:${o.shareKey}|${endPoint}` : socketKey(endPoint, o.vsn, params, authToken);
  }

  /** A fresh hello (new client id). */
  private hello(params: WireParams): Extract<TabMessageBody, { t: 'hello' }> {
    const { options: o, endPoint } = this.config;
    return {
      t: 'hello',
      client: `${Date.now().toString(36)}-${(++clientSeq).toString(36)}-${Math.random().toString(36).slice(2, 10)}`,
      key: this.key(params),
      url: endPoint,
      options: wireOptions(o),
      params,
      authToken: typeof o.authToken === 'string' ? o.authToken : null,
      dynamic: { params: typeof o.params === 'function', authToken: typeof o.authToken === 'function' },
      telemetry: o.forwardTelemetry ?? DEFAULT_SHARED_OPTIONS.forwardTelemetry,
      timeoutMs: o.tabTimeoutMs ?? DEFAULT_SHARED_OPTIONS.tabTimeoutMs,
    };
  }

  private localOptions(): SocketOptions {
    const o = this.config.options;
    const { circuitBreaker, ...wire } = socketOptionsOf(wireOptions(o));
    const options: SocketOptions = { ...wire, ...o.localOptions };
    if (circuitBreaker !== undefined) options.circuitBreaker = circuitBreaker;
    if (o.params !== undefined) options.params = o.params;
    if (o.authToken !== undefined) options.authToken = o.authToken;
    return options;
  }
}
