/**
 * The worker side: accepts tab ports, runs one real `Socket` per endpoint + params (a {@link SocketGroup}),
 * and releases the channels of a tab that said bye, whose Web Lock was released (the tab is gone), or that
 * went silent for longer than its heartbeat timeout (port close is not reported reliably by browsers).
 */
import { realScheduler, Socket, type Scheduler, type TimerHandle } from '@phx-socket/client';
import {
  isTabMessage,
  messageVersion,
  SHARED_PROTOCOL_VERSION,
  workerMessage,
  type ResolveWhat,
  type TabMessage,
  type WorkerMessageBody,
} from './protocol';
import { SocketGroup, type GroupClient, type SocketFactory } from './socket-group';

/** The part of a `MessagePort` the host uses (a browser port, a Node `MessageChannel` port, a fake). */
export interface HostPort {
  postMessage(message: unknown): void;
  onmessage: ((event: MessageEvent) => unknown) | null;
  close(): void;
  /** `close` fires when the tab's end goes away, where the platform reports it (Chrome 123+, Node). */
  addEventListener?(type: 'close', listener: () => void): void;
}

/** The part of `navigator.locks` the host uses. */
export interface LockRequester {
  request(name: string, callback: () => unknown): Promise<unknown>;
}

/** Options of {@link SharedSocketHost}. */
export interface SharedSocketHostOptions {
  /** Builds each real socket. @default `(url, options) => new Socket(url, options)` */
  createSocket?: SocketFactory;
  /** Timers and clock for tab liveness. @default platform timers */
  scheduler?: Scheduler;
  /** `navigator.locks` where it exists: a released tab lock frees that tab's channels at once. @default none */
  locks?: LockRequester | null;
  /** Name of a Web Lock this host holds for its lifetime; tabs wait on it to learn that the worker died. */
  workerLock?: string | null;
  /** A tab's heartbeat timeout when its hello gives none, ms. @default 75000 */
  tabTimeoutMs?: number;
  /** How long the host waits for a tab to resolve a params/authToken function, ms. @default 5000 */
  resolveTimeoutMs?: number;
  /** Clock origin sent to tabs so they can shift state times to their own clock. @default performance.timeOrigin or 0 */
  timeOrigin?: number;
}

/** What {@link SharedSocketHost.stats} reports. */
export interface SharedHostStats {
  readonly tabs: number;
  readonly sockets: { readonly key: string; readonly tabs: number; readonly channels: { topic: string; refs: number; tabs: number }[] }[];
}

/** Default heartbeat timeout of a tab, ms: above Chrome's one-wake-up-per-minute throttling of hidden tabs. */
export const DEFAULT_TAB_TIMEOUT_MS = 75_000;

let hostSeq = 0;

/** One tab connection. */
class HostClient implements GroupClient {
  id = '';
  group: SocketGroup | null = null;
  wantsTelemetry = false;
  dynamic = { params: false, authToken: false };
  timeoutMs: number;
  lastSeenAt: number;
  private resolveSeq = 0;
  private readonly resolving = new Map<number, { resolve(value: unknown): void; reject(error: Error): void; timer: TimerHandle }>();

  constructor(
    readonly port: HostPort,
    private readonly host: { scheduler: Scheduler; resolveTimeoutMs: number },
    timeoutMs: number,
  ) {
    this.timeoutMs = timeoutMs;
    this.lastSeenAt = host.scheduler.now();
  }

  post(message: WorkerMessageBody): void {
    try {
      this.port.postMessage(workerMessage(message));
    } catch {
      // An uncloneable payload from the server cannot happen (it was decoded from the wire); a closed
      // port can, and the tab's liveness check will release it.
    }
  }

  resolve(what: ResolveWhat): Promise<unknown> {
    const id = ++this.resolveSeq;
    return new Promise((resolve, reject) => {
      const timer = this.host.scheduler.setTimeout(() => {
        this.resolving.delete(id);
        reject(new Error(`the tab did not resolve ${what} in time`));
      }, this.host.resolveTimeoutMs);
      this.resolving.set(id, { resolve, reject, timer });
      this.post({ t: 'resolve', id, what });
    });
  }

  resolved(id: number, ok: boolean, value: unknown): void {
    const pending = this.resolving.get(id);
    if (pending === undefined) return;
    this.resolving.delete(id);
    this.host.scheduler.clearTimeout(pending.timer);
    if (ok) pending.resolve(value);
    else pending.reject(new Error(`the tab's ${String(value)}`));
  }

  dispose(): void {
    for (const { reject, timer } of this.resolving.values()) {
      this.host.scheduler.clearTimeout(timer);
      reject(new Error('the tab went away'));
    }
    this.resolving.clear();
  }
}

/**
 * Shares sockets between tabs. The shared-worker entry creates one and hands it every connecting port;
 * it runs just as well in Node over `MessageChannel` ports (that is how it is unit-tested).
 *
 * @example
 * const host = new SharedSocketHost({ locks: navigator.locks });
 * self.onconnect = (e) => host.connect(e.ports[0]);
 */
export class SharedSocketHost {
  readonly id: string;
  private readonly createSocket: SocketFactory;
  private readonly scheduler: Scheduler;
  private readonly locks: LockRequester | null;
  private readonly workerLock: string | null;
  private readonly defaultTabTimeoutMs: number;
  readonly resolveTimeoutMs: number;
  private readonly timeOrigin: number;
  private readonly clients = new Set<HostClient>();
  private readonly groups = new Map<string, SocketGroup>();
  private sweepTimer: TimerHandle | null = null;

  constructor(options: SharedSocketHostOptions = {}) {
    this.id = `${Date.now().toString(36)}-${(++hostSeq).toString(36)}-${Math.random().toString(36).slice(2, 8)}`;
    this.createSocket = options.createSocket ?? ((url, socketOptions) => new Socket(url, socketOptions));
    this.scheduler = options.scheduler ?? realScheduler;
    this.locks = options.locks ?? null;
    this.workerLock = options.workerLock ?? null;
    this.defaultTabTimeoutMs = positive(options.tabTimeoutMs ?? DEFAULT_TAB_TIMEOUT_MS, 'tabTimeoutMs');
    this.resolveTimeoutMs = positive(options.resolveTimeoutMs ?? 5000, 'resolveTimeoutMs');
    this.timeOrigin = options.timeOrigin ?? (typeof performance !== 'undefined' ? performance.timeOrigin : 0);
  }

  /** Serves one tab over `port`. */
  connect(port: HostPort): void {
    const client = new HostClient(port, { scheduler: this.scheduler, resolveTimeoutMs: this.resolveTimeoutMs }, this.defaultTabTimeoutMs);
    this.clients.add(client);
    port.onmessage = (event) => this.receive(client, event.data);
    port.addEventListener?.('close', () => this.release(client));
    this.scheduleSweep();
  }

  /** Tabs, sockets and reference counts now. */
  stats(): SharedHostStats {
    return {
      tabs: this.clients.size,
      sockets: [...this.groups.values()].map((g) => ({ key: g.key, tabs: g.size, channels: g.channelRefs() })),
    };
  }

  /** Releases every tab and closes every socket. */
  close(): void {
    for (const client of [...this.clients]) this.release(client, true);
    if (this.sweepTimer !== null) this.scheduler.clearTimeout(this.sweepTimer);
    this.sweepTimer = null;
  }

  private receive(client: HostClient, data: unknown): void {
    if (!this.clients.has(client)) {
      // A tab released for silence speaks again (it was frozen, not gone): it must say hello anew.
      const version = messageVersion(data);
      if (version === SHARED_PROTOCOL_VERSION && (data as { t?: unknown }).t !== 'hello') {
        try {
          client.port.postMessage(workerMessage({ t: 'refused', reason: 'unknown_client', message: 'this tab was released after going silent; say hello again' }));
        } catch {
          // closed port
        }
        return;
      }
      this.clients.add(client);
      client.lastSeenAt = this.scheduler.now();
      this.scheduleSweep();
    }
    if (!isTabMessage(data)) {
      const version = messageVersion(data);
      client.post({
        t: 'refused',
        reason: version !== null && version !== SHARED_PROTOCOL_VERSION ? 'version' : 'bad_message',
        message:
          version !== null && version !== SHARED_PROTOCOL_VERSION
            ? `this SharedWorker speaks protocol v${SHARED_PROTOCOL_VERSION}, the tab v${version}: an older or newer build of @phx-socket/client is still running in another tab`
            : 'not a phx-socket shared protocol message',
      });
      return;
    }
    client.lastSeenAt = this.scheduler.now();
    this.handle(client, data);
  }

  private handle(client: HostClient, msg: TabMessage): void {
    switch (msg.t) {
      case 'hello': {
        if (client.group !== null) client.group.remove(client);
        client.id = msg.client;
        client.wantsTelemetry = msg.telemetry;
        client.dynamic = { params: msg.dynamic.params, authToken: msg.dynamic.authToken };
        if (typeof msg.timeoutMs === 'number' && msg.timeoutMs > 0 && msg.timeoutMs !== client.timeoutMs) {
          client.timeoutMs = msg.timeoutMs;
          // A shorter timeout than the one the sweep was planned for: plan again.
          if (this.sweepTimer !== null) this.scheduler.clearTimeout(this.sweepTimer);
          this.sweepTimer = null;
          this.scheduleSweep();
        }
        let group = this.groups.get(msg.key);
        if (group === undefined) {
          group = new SocketGroup(msg.key, msg.url, msg, this.createSocket, (g) => {
            if (this.groups.get(g.key) === g) this.groups.delete(g.key);
          });
          this.groups.set(msg.key, group);
        }
        client.group = group;
        group.add(client);
        client.post({ t: 'welcome', worker: this.workerLock ?? this.id, timeOrigin: this.timeOrigin, state: group.socket.state });
        return;
      }
      case 'locked':
        this.locks?.request(msg.lock, () => this.release(client, true)).catch(() => {});
        return;
      case 'ping':
        client.post({ t: 'pong' });
        return;
      case 'bye':
        this.release(client, true);
        return;
      case 'resolved':
        client.resolved(msg.id, msg.ok, msg.value);
        return;
    }
    const group = client.group;
    if (group === null) {
      client.post({ t: 'refused', reason: 'unknown_client', message: `"${msg.t}" before hello` });
      return;
    }
    switch (msg.t) {
      case 'connect':
        group.connect(client, msg.params);
        return;
      case 'disconnect':
        group.disconnect(client);
        return;
      case 'join':
        group.join(client, msg.chan, msg.topic, msg.params, msg.timeoutMs);
        return;
      case 'leave':
        group.leave(client, msg.chan);
        return;
      case 'push':
        group.push(client, msg.chan, { id: msg.id, event: msg.event, payload: msg.payload, timeoutMs: msg.timeoutMs, maxResends: msg.maxResends });
        return;
    }
  }

  /** The tab is gone (bye, lock released, silent): its channels are released. Idempotent. */
  private release(client: HostClient, closePort = false): void {
    if (!this.clients.delete(client)) return;
    client.group?.remove(client);
    client.group = null;
    client.dispose();
    // A silent tab may only be frozen: its port stays open so it can be told to say hello again.
    if (closePort) client.port.close();
  }

  private scheduleSweep(): void {
    if (this.sweepTimer !== null || this.clients.size === 0) return;
    let shortest = Infinity;
    for (const c of this.clients) shortest = Math.min(shortest, c.timeoutMs);
    this.sweepTimer = this.scheduler.setTimeout(() => {
      this.sweepTimer = null;
      const now = this.scheduler.now();
      for (const client of [...this.clients]) if (now - client.lastSeenAt > client.timeoutMs) this.release(client);
      this.scheduleSweep();
    }, Math.max(10, Math.floor(shortest / 3)));
  }
}

function positive(value: number, name: string): number {
  if (typeof value !== 'number' || !(value > 0)) throw new RangeError(`SharedSocketHost: ${name} must be a positive number of ms, got ${String(value)}`);
  return value;
}
