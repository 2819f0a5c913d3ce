/**
 * Harness for the shared-socket suites: a host in this process and "tabs" talking to it over real
 * `MessageChannel` ports (structured clone included), torn down after each test.
 */
import { afterEach } from 'vitest';
import { SharedSocketHost, type SharedSocketHostOptions } from '../../src/shared/host';
import { SharedSocket, type SharedSocketOptions } from '../../src/shared/index';
import { SHARED_PROTOCOL_VERSION, tabMessage, type TabMessageBody, type WorkerMessage } from '../../src/shared/protocol';
import { server } from './harness';

const hosts: SharedSocketHost[] = [];
const ports: MessagePort[] = [];
const sockets: SharedSocket[] = [];

afterEach(() => {
  for (const socket of sockets.splice(0)) socket.dispose();
  for (const host of hosts.splice(0)) host.close();
  for (const port of ports.splice(0)) port.close();
});

/** A tab's SharedSocket with quick fixed retry delays, disposed after the test. */
export function sharedSocket(url: string, options: SharedSocketOptions): SharedSocket {
  const socket = new SharedSocket(url, { reconnectAfterMs: 20, rejoinAfterMs: 20, jitter: 'none', ...options });
  sockets.push(socket);
  return socket;
}

/**
 * A server whose `room:*` joins answer `{ hello: user }` (and refuse user `nobody`), track the user in
 * presence, reply `error` to `bad` and echo every other push.
 */
export async function chatServer() {
  const s = await server();
  s.channel('room:*', {
    presence: true,
    join: (_topic, params, socket) => {
      if (params.user === 'nobody') return { error: { reason: 'who?' } };
      socket.assigns.user = params.user ?? 'anon';
      return { ok: { hello: params.user ?? 'anon' } };
    },
    afterJoin: (socket) => {
      s.track(socket, socket.topic, String(socket.assigns.user), { online_at: 1 });
    },
    handleIn: (event, payload) => (event === 'bad' ? { reply: 'error', response: { reason: 'bad' } } : { reply: 'ok', response: { echo: payload } }),
  });
  return s;
}

/** A host closed after the test. */
export function host(options: SharedSocketHostOptions = {}): SharedSocketHost {
  const h = new SharedSocketHost(options);
  hosts.push(h);
  return h;
}

/** A MessageChannel whose first port is served by `h`; the second is the tab's. Closed after the test. */
export function portPair(h: SharedSocketHost): MessagePort {
  const { port1, port2 } = new MessageChannel();
  ports.push(port1, port2);
  h.connect(port1);
  return port2;
}

let tabSeq = 0;

/** A raw tab: sends protocol messages, records and awaits what the worker sends. */
export class RawTab {
  readonly id = `tab-${++tabSeq}`;
  readonly received: WorkerMessage[] = [];
  private readonly port: MessagePort;
  private waiters: { pred: (m: WorkerMessage) => boolean; resolve: (m: WorkerMessage) => void }[] = [];

  constructor(h: SharedSocketHost) {
    this.port = portPair(h);
    this.port.onmessage = (event: MessageEvent) => {
      const m = event.data as WorkerMessage;
      this.received.push(m);
      for (const w of [...this.waiters]) {
        if (w.pred(m)) {
          this.waiters.splice(this.waiters.indexOf(w), 1);
          w.resolve(m);
        }
      }
    };
  }

  send(body: TabMessageBody): void {
    this.port.postMessage(tabMessage(body));
  }

  /** Posts anything (another protocol version, garbage). */
  sendRaw(data: unknown): void {
    this.port.postMessage(data);
  }

  hello(url: string, extra: Partial<Extract<TabMessageBody, { t: 'hello' }>> = {}): void {
    this.send({
      t: 'hello',
      client: this.id,
      key: `key:${url}`,
      url,
      options: { reconnectAfterMs: 20, rejoinAfterMs: 20, jitter: 'none' },
      params: {},
      authToken: null,
      dynamic: { params: false, authToken: false },
      telemetry: true,
      timeoutMs: 60_000,
      ...extra,
    });
  }

  /** The first message already received, or the next one, matching `pred`. */
  next<T extends WorkerMessage['t']>(t: T, pred: (m: Extract<WorkerMessage, { t: T }>) => boolean = () => true, timeoutMs = 5000): Promise<Extract<WorkerMessage, { t: T }>> {
    const match = (m: WorkerMessage): boolean => m.t === t && m.v === SHARED_PROTOCOL_VERSION && pred(m as Extract<WorkerMessage, { t: T }>);
    const seen = this.received.find(match);
    if (seen) return Promise.resolve(seen as Extract<WorkerMessage, { t: T }>);
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`${this.id}: no "${t}" message within ${timeoutMs} ms; got ${JSON.stringify(this.received.map((x) => x.t))}`)), timeoutMs);
      this.waiters.push({ pred: match, resolve: (m) => (clearTimeout(timer), resolve(m as Extract<WorkerMessage, { t: T }>)) });
    });
  }

  /** Messages of type `t` received so far. */
  all<T extends WorkerMessage['t']>(t: T): Extract<WorkerMessage, { t: T }>[] {
    return this.received.filter((m) => m.t === t) as Extract<WorkerMessage, { t: T }>[];
  }

  close(): void {
    this.port.close();
  }
}

interface LockWaiter {
  readonly callback: (lock: unknown) => unknown;
  readonly resolve: (value: unknown) => void;
  readonly reject: (error: unknown) => void;
  readonly signal: AbortSignal | undefined;
}

/**
 * `navigator.locks` of one origin, in memory: exclusive locks granted in request order, held while the
 * callback's promise is pending, `ifAvailable` and `signal` as in the Web Locks API. Every "tab" of a test
 * gets the same one (locks are per origin).
 */
export class FakeLocks {
  private readonly held = new Set<string>();
  private readonly queues = new Map<string, LockWaiter[]>();

  request(name: string, options: { signal?: AbortSignal; ifAvailable?: boolean }, callback: (lock: unknown) => unknown): Promise<unknown> {
    return new Promise((resolve, reject) => {
      const { signal } = options;
      if (signal?.aborted) return reject(new DOMException('aborted', 'AbortError'));
      const waiter: LockWaiter = { callback, resolve, reject, signal };
      if (!this.held.has(name)) return this.grant(name, waiter);
      if (options.ifAvailable) {
        Promise.resolve()
          .then(() => callback(null))
          .then(resolve, reject);
        return;
      }
      const queue = this.queues.get(name) ?? [];
      queue.push(waiter);
      this.queues.set(name, queue);
      signal?.addEventListener('abort', () => {
        const i = queue.indexOf(waiter);
        if (i < 0) return;
        queue.splice(i, 1);
        reject(new DOMException('aborted', 'AbortError'));
      });
    });
  }

  /** Names of the locks held now. */
  heldNames(): string[] {
    return [...this.held];
  }

  private grant(name: string, waiter: LockWaiter): void {
    this.held.add(name);
    Promise.resolve()
      .then(() => waiter.callback({ name }))
      .then(
        (value) => {
          this.release(name);
          waiter.resolve(value);
        },
        (error: unknown) => {
          this.release(name);
          waiter.reject(error);
        },
      );
  }

  private release(name: string): void {
    this.held.delete(name);
    const next = this.queues.get(name)?.shift();
    if (next !== undefined) this.grant(name, next);
  }
}
