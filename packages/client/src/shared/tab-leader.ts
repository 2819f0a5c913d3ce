/**
 * The leader-tab election, for where SharedWorker does not exist: every tab of one socket key queues for one
 * Web Lock; the tab holding it runs the same {@link SharedSocketHost} a SharedWorker runs, behind a
 * {@link BroadcastHub}. When that tab closes (or crashes) the browser hands the lock to the next tab in the
 * queue, which starts a host of its own; the other tabs' links see the old leader go and reconnect.
 */
import type { Scheduler } from '@phx-socket/client';
import { BroadcastHub } from './broadcast-hub';
import { SharedSocketHost, type SharedSocketHostOptions } from './host';
import type { BroadcastChannelLike, TabLocks } from './options';

/** What a {@link TabLeader} is built with. */
export interface TabLeaderOptions {
  /** The election lock (one per socket key). */
  readonly lockName: string;
  /** The BroadcastChannel the tabs of this key talk on. */
  readonly channelName: string;
  readonly locks: TabLocks;
  readonly createChannel: (name: string) => BroadcastChannelLike;
  readonly scheduler: Scheduler;
  /** Passed to the host (tab timeout, socket factory in tests). */
  readonly host?: Omit<SharedSocketHostOptions, 'locks' | 'workerLock' | 'scheduler'>;
  /** This tab became the leader (not called once {@link TabLeader.dispose} ran). */
  readonly onElected: () => void;
  /** Starting the host failed (the tab stays a candidate no more). */
  readonly onError: (error: unknown) => void;
}

let leaderSeq = 0;

/** One tab's candidacy, and its host while it leads. */
export class TabLeader {
  /** Resolves once the first answer is known: true when this tab leads right away. */
  readonly decided: Promise<boolean>;
  private readonly options: TabLeaderOptions;
  private readonly abort = new AbortController();
  private leading = false;
  private disposed = false;
  private host: SharedSocketHost | null = null;
  private hub: BroadcastHub | null = null;
  private stepDown: (() => void) | null = null;
  private decide: (leads: boolean) => void = () => {};

  constructor(options: TabLeaderOptions) {
    this.options = options;
    this.decided = new Promise((resolve) => {
      this.decide = resolve;
    });
    this.campaign();
  }

  /** True while this tab runs the shared socket. */
  get isLeader(): boolean {
    return this.leading;
  }

  /** Steps down (or leaves the queue): the host closes its socket and the next tab in the queue leads. */
  dispose(): void {
    if (this.disposed) return;
    this.disposed = true;
    this.decide(false);
    this.abort.abort();
    this.hub?.close();
    this.host?.close();
    this.hub = null;
    this.host = null;
    this.leading = false;
    this.stepDown?.();
    this.stepDown = null;
  }

  /** Takes the lock at once if it is free, else queues for it. */
  private campaign(): void {
    const { locks, lockName } = this.options;
    locks
      .request(lockName, { ifAvailable: true }, (lock) => {
        if (lock !== null && lock !== undefined) return this.lead();
        this.decide(false);
        if (this.disposed) return undefined;
        locks.request(lockName, { signal: this.abort.signal }, () => this.lead()).catch(() => {});
        return undefined;
      })
      .catch((error: unknown) => {
        this.decide(false);
        if (!this.disposed) this.options.onError(error);
      });
  }

  /** Runs the host until {@link dispose}; the returned promise holds the election lock. */
  private async lead(): Promise<void> {
    if (this.disposed) return;
    const { locks, createChannel, channelName, scheduler } = this.options;
    const id = `${Date.now().toString(36)}-${(++leaderSeq).toString(36)}-${Math.random().toString(36).slice(2, 10)}`;
    const workerLock = `phx-socket:worker:leader-${id}`;
    const held = new Promise<void>((resolve) => {
      this.stepDown = resolve;
    });
    try {
      // The lock the tabs' links wait on to learn that this leader died (as they do for a SharedWorker).
      await new Promise<void>((granted, failed) => {
        locks.request(workerLock, { signal: this.abort.signal }, () => (granted(), held)).catch(failed);
      });
      if (this.disposed) return;
      const host = new SharedSocketHost({
        ...this.options.host,
        scheduler,
        workerLock,
        locks: { request: (name, callback) => locks.request(name, {}, callback) },
      });
      this.host = host;
      this.hub = new BroadcastHub(createChannel(channelName), host, id);
      this.leading = true;
      this.decide(true);
      this.options.onElected();
    } catch (error) {
      this.decide(false);
      if (!this.disposed) this.options.onError(error);
      this.dispose();
      return;
    }
    await held;
  }
}
