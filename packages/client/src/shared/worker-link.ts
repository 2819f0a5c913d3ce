/**
 * The tab's end of the SharedWorker: says hello, keeps a heartbeat, holds a Web Lock the worker waits on (so
 * a closed or crashed tab is noticed at once), waits on the worker's lock (so a dead worker is noticed at
 * once), and turns worker messages into channel and push outcomes. Any sign of a dead or missing worker ends
 * the link and the socket falls back to its own connection.
 */
import { ConnectionLostError, type Scheduler, type SocketState, type TelemetryEventMap, type TelemetryEventName, type TimerHandle } from '@phx-socket/client';
import { fromWireError, RemoteError } from './errors';
import type { LinkChannel, LinkLossReason, LinkOwner, LinkPush, SharedLink } from './link';
import type { SharedWorkerLike, TabLocks } from './options';
import {
  isWireErrorValue,
  isWorkerMessage,
  messageVersion,
  SHARED_PROTOCOL_VERSION,
  shiftState,
  tabMessage,
  type TabMessage,
  type TabMessageBody,
  type WireParams,
  type WorkerMessage,
} from './protocol';
import { SharedCloneError } from './errors';

/** What a worker link is opened with. */
export interface WorkerLinkOptions {
  readonly worker: SharedWorkerLike;
  readonly hello: Extract<TabMessageBody, { t: 'hello' }>;
  readonly scheduler: Scheduler;
  readonly locks: TabLocks | null;
  readonly startTimeoutMs: number;
  readonly heartbeatIntervalMs: number;
  readonly timeoutMs: number;
  /** The tab's clock origin (`performance.timeOrigin`). */
  readonly timeOrigin: number;
  /** What the link reports as its mode: `'leader-tab'` when `worker` is a leader tab's BroadcastChannel port. @default 'shared-worker' */
  readonly mode?: 'shared-worker' | 'leader-tab';
}

interface Pending extends LinkPush {
  readonly sentAt: number;
}

let pushSeq = 0;

/** The tab's connection to the SharedWorker. */
export class WorkerLink implements SharedLink {
  readonly mode: 'shared-worker' | 'leader-tab';
  private readonly owner: LinkOwner;
  private readonly options: WorkerLinkOptions;
  private readonly port: WorkerLinkOptions['worker']['port'];
  private stateValue: SocketState = { status: 'idle' };
  private welcomed = false;
  private disposed = false;
  private clockOffsetMs = 0;
  private readonly pending = new Map<number, Pending>();
  private startTimer: TimerHandle | null = null;
  private beatTimer: TimerHandle | null = null;
  private pingSentAt: number | null = null;
  private readonly aborts: AbortController[] = [];
  private releaseTabLock: (() => void) | null = null;

  constructor(owner: LinkOwner, options: WorkerLinkOptions) {
    this.owner = owner;
    this.options = options;
    this.mode = options.mode ?? 'shared-worker';
    this.port = options.worker.port;
    options.worker.onerror = () => this.lost('worker_error');
    this.port.onmessage = (event) => this.receive(event.data);
    this.port.addEventListener?.('close', () => this.lost('worker_gone'));
    this.port.start?.();
    this.holdTabLock();
    this.post({ ...options.hello });
    this.startTimer = options.scheduler.setTimeout(() => this.lost('worker_start_timeout'), options.startTimeoutMs);
  }

  get state(): SocketState {
    return this.stateValue;
  }

  isConnected(): boolean {
    return this.stateValue.status === 'open';
  }

  connect(params: WireParams | null): void {
    this.post({ t: 'connect', params });
  }

  disconnect(): void {
    this.post({ t: 'disconnect' });
  }

  join(channel: LinkChannel): void {
    this.post({ t: 'join', chan: channel.id, topic: channel.topic, params: channel.params, timeoutMs: channel.timeoutMs }, () => {
      const error = new SharedCloneError(`the join params of "${channel.topic}"`);
      channel.sinkJoinFailed('error', { reason: error.code }, error, true);
    });
  }

  leave(channel: LinkChannel): void {
    this.post({ t: 'leave', chan: channel.id });
  }

  push(item: LinkPush): void {
    const id = ++pushSeq;
    const { channel, push } = item;
    this.pending.set(id, { ...item, sentAt: this.options.scheduler.now() });
    this.post(
      { t: 'push', chan: channel.id, id, event: push.event, payload: item.payload, timeoutMs: push.timeoutMs, maxResends: item.maxResends },
      (cause) => {
        this.pending.delete(id);
        const error = new SharedCloneError(`the payload of "${push.event}" on "${channel.topic}"`, { cause });
        push.settle('error', { reason: error.code }, error);
      },
    );
  }

  dispose(): void {
    if (this.disposed) return;
    this.post({ t: 'bye' });
    this.end();
    try {
      this.port.close();
    } catch {
      // already closed
    }
  }

  /** Stops timers and locks; no callback after this. */
  private end(): void {
    this.disposed = true;
    const { scheduler } = this.options;
    if (this.startTimer !== null) scheduler.clearTimeout(this.startTimer);
    if (this.beatTimer !== null) scheduler.clearTimeout(this.beatTimer);
    this.startTimer = this.beatTimer = null;
    for (const abort of this.aborts.splice(0)) abort.abort();
    this.releaseTabLock?.();
    this.releaseTabLock = null;
    this.port.onmessage = null;
    this.options.worker.onerror = null;
  }

  private lost(reason: LinkLossReason): void {
    if (this.disposed) return;
    const all = [...this.pending.values()];
    this.pending.clear();
    this.end();
    try {
      this.port.close();
    } catch {
      // already closed
    }
    // Before the welcome the worker handled nothing: those pushes can go out through the next link.
    const unsent = this.welcomed ? [] : all;
    if (this.welcomed) {
      for (const p of all) {
        p.push.settle('error', { reason: 'connection_lost' }, new ConnectionLostError(p.channel.topic, p.push.event));
      }
    }
    this.owner.linkLost(reason, unsent);
  }

  private post(body: TabMessageBody, onCloneError?: (cause: unknown) => void): void {
    if (this.disposed) return;
    const message: TabMessage = tabMessage(body);
    try {
      this.port.postMessage(message);
    } catch (error) {
      if (onCloneError !== undefined && (error as { name?: unknown }).name === 'DataCloneError') onCloneError(error);
      else this.lost('post_failed');
    }
  }

  private receive(data: unknown): void {
    if (this.disposed) return;
    if (!isWorkerMessage(data)) {
      const version = messageVersion(data);
      if (version !== null && version !== SHARED_PROTOCOL_VERSION) this.lost('version');
      return;
    }
    this.handle(data);
  }

  private handle(msg: WorkerMessage): void {
    switch (msg.t) {
      case 'welcome':
        this.welcomed = true;
        if (this.startTimer !== null) this.options.scheduler.clearTimeout(this.startTimer);
        this.startTimer = null;
        this.clockOffsetMs = msg.timeOrigin - this.options.timeOrigin;
        this.setState(msg.state);
        this.watchWorker(msg.worker);
        this.scheduleBeat();
        return;
      case 'refused':
        this.lost(msg.reason === 'unknown_client' ? 'released' : 'version');
        return;
      case 'pong':
        this.pingSentAt = null;
        return;
      case 'telemetry': {
        this.setState(msg.state);
        this.owner.emitTelemetry(msg.name as TelemetryEventName, fromWireTelemetry(msg.event) as TelemetryEventMap[TelemetryEventName]);
        return;
      }
      case 'joined':
        for (const c of this.channels(msg.chans)) c.sinkJoined(msg.joinRef, msg.response);
        return;
      case 'join_failed':
        for (const c of this.channels(msg.chans)) {
          c.sinkJoinFailed(msg.status, msg.response, fromWireError(msg.error, c.topic, 'phx_join', c.timeoutMs), msg.final);
        }
        return;
      case 'channel_error':
        for (const c of this.channels(msg.chans)) c.sinkErrored(msg.reason);
        return;
      case 'channel_closed':
        for (const c of this.channels(msg.chans)) c.sinkClosed(msg.payload);
        return;
      case 'event':
        for (const c of this.channels(msg.chans)) c.sinkEvent(msg.event, msg.payload, msg.ref, msg.joinRef);
        return;
      case 'reply':
        this.reply(msg);
        return;
      case 'resolve':
        this.owner.resolveOption(msg.what).then(
          (value) => this.post({ t: 'resolved', id: msg.id, ok: true, value }),
          (error: unknown) => this.post({ t: 'resolved', id: msg.id, ok: false, value: String((error as Error)?.message ?? error) }),
        );
        return;
    }
  }

  private reply(msg: Extract<WorkerMessage, { t: 'reply' }>): void {
    const pending = this.pending.get(msg.id);
    if (pending === undefined) return;
    this.pending.delete(msg.id);
    const { channel, push } = pending;
    const now = this.options.scheduler.now();
    if (msg.status === 'timeout') {
      this.owner.emitTelemetry('push:timeout', { measurements: { timeout_ms: push.timeoutMs }, metadata: { topic: channel.topic, event: push.event, ref: String(msg.id) } });
    } else if (msg.error === null || msg.error.code === 'reply_error') {
      this.owner.emitTelemetry('push:reply', {
        measurements: { rtt_ms: now - pending.sentAt },
        metadata: { topic: channel.topic, event: push.event, ref: String(msg.id), status: msg.status },
      });
    }
    const error = msg.error === null ? null : fromWireError(msg.error, channel.topic, push.event, push.timeoutMs);
    push.settle(msg.status, msg.response, error);
  }

  private *channels(ids: readonly number[]): Iterable<LinkChannel> {
    for (const id of ids) {
      const c = this.owner.channelById(id);
      if (c !== undefined) yield c;
    }
  }

  private setState(state: SocketState): void {
    this.stateValue = shiftState(state, this.clockOffsetMs);
    this.owner.linkState(this.stateValue);
  }

  /** Heartbeat: a ping unanswered for `timeoutMs` means the worker is gone (robust to throttled timers). */
  private scheduleBeat(): void {
    const { scheduler, heartbeatIntervalMs, timeoutMs } = this.options;
    this.beatTimer = scheduler.setTimeout(() => {
      this.beatTimer = null;
      if (this.disposed) return;
      const now = scheduler.now();
      if (this.pingSentAt !== null) {
        if (now - this.pingSentAt > timeoutMs) return this.lost('worker_silent');
      } else {
        this.pingSentAt = now;
        this.post({ t: 'ping' });
      }
      this.scheduleBeat();
    }, heartbeatIntervalMs);
  }

  /** Holds a lock named after this tab until the link ends: the worker learns of the tab's death through it. */
  private holdTabLock(): void {
    const { locks } = this.options;
    if (locks === null) return;
    const name = `phx-socket:tab:${this.options.hello.client}`;
    const abort = new AbortController();
    this.aborts.push(abort);
    locks
      .request(name, { signal: abort.signal }, () => {
        if (this.disposed) return undefined;
        this.post({ t: 'locked', lock: name });
        return new Promise<void>((resolve) => {
          this.releaseTabLock = resolve;
        });
      })
      .catch(() => {});
  }

  /** The worker holds the lock it named in its welcome; getting it means the worker ended. */
  private watchWorker(lock: string): void {
    const { locks } = this.options;
    if (locks === null || !lock.startsWith('phx-socket:worker:')) return;
    const abort = new AbortController();
    this.aborts.push(abort);
    locks
      .request(lock, { signal: abort.signal }, () => {
        this.lost('worker_gone');
        return undefined;
      })
      .catch(() => {});
  }
}

/** Errors in forwarded telemetry metadata become {@link RemoteError}s again. */
function fromWireTelemetry(event: { measurements: unknown; metadata: unknown }): { measurements: unknown; metadata: unknown } {
  const metadata = event.metadata;
  if (typeof metadata !== 'object' || metadata === null) return event;
  let out: Record<string, unknown> | null = null;
  for (const [k, v] of Object.entries(metadata)) {
    if (isWireErrorValue(v)) {
      out ??= { ...(metadata as Record<string, unknown>) };
      out[k] = new RemoteError(v);
    }
  }
  return out === null ? event : { measurements: event.measurements, metadata: out };
}
