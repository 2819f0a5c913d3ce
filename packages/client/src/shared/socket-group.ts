/**
 * The tabs sharing one real `Socket` (one endpoint + params): connect/disconnect are reference-counted by
 * tab, channels by topic + params, telemetry is forwarded to the tabs it concerns.
 */
import type { Socket, SocketOptions, TelemetryEventName } from '@phx-socket/client';
import { ChannelEntry, type EntryClient, type EntryPush } from './channel-entry';
import { SharedParamsMismatchError } from './errors';
import { paramsKey, socketOptionsOf, toWireError, toWireMetadata, type ResolveWhat, type WireParams, type WireSocketOptions } from './protocol';

/** A tab as a group sees it. */
export interface GroupClient extends EntryClient {
  readonly wantsTelemetry: boolean;
  readonly dynamic: { readonly params: boolean; readonly authToken: boolean };
  /** Asks the tab to compute a function option (params / authToken); rejects when it cannot. */
  resolve(what: ResolveWhat): Promise<unknown>;
}

/** Builds the worker's socket. The host passes the real `Socket`; tests may wrap it. */
export type SocketFactory = (url: string, options: SocketOptions) => Socket;

/** Events that change `socket.state`: forwarded to every tab, telemetry wanted or not. */
const STATE_EVENTS: ReadonlySet<TelemetryEventName> = new Set<TelemetryEventName>([
  'socket:connecting',
  'socket:connected',
  'socket:disconnected',
  'socket:reconnect_scheduled',
  'socket:reconnect_exhausted',
  'socket:circuit_open',
  'socket:circuit_closed',
  'socket:error',
]);

/** Each tab times its own pushes (its `push:reply` includes the hop to the worker): the worker's are not forwarded. */
const TAB_OWN_EVENTS: ReadonlySet<TelemetryEventName> = new Set<TelemetryEventName>(['push:reply', 'push:timeout']);

/** One socket and the tabs on it. */
export class SocketGroup {
  readonly key: string;
  readonly socket: Socket;
  private readonly clients = new Set<GroupClient>();
  private readonly connected = new Set<GroupClient>();
  private readonly entries = new Map<string, ChannelEntry>();
  /** Per tab: its channel objects (by the tab's id) → the entry they are attached to. */
  private readonly chans = new Map<GroupClient, Map<number, ChannelEntry>>();
  private readonly onEmpty: (group: SocketGroup) => void;
  private readonly timeoutMs: number;
  private lastParams: WireParams;
  private lastAuthToken: string | null;

  constructor(
    key: string,
    url: string,
    init: { options: WireSocketOptions; params: WireParams; authToken: string | null; dynamic: { params: boolean; authToken: boolean } },
    createSocket: SocketFactory,
    onEmpty: (group: SocketGroup) => void,
  ) {
    this.key = key;
    this.onEmpty = onEmpty;
    this.lastParams = init.params;
    this.lastAuthToken = init.authToken;
    this.timeoutMs = init.options.timeout ?? 10_000;
    const options: SocketOptions = { ...socketOptionsOf(init.options) };
    // Functions stay in the tabs: the socket asks one of them at every (re)connect.
    options.params = init.dynamic.params ? () => this.fresh('params') as Promise<WireParams> : () => this.lastParams;
    if (init.dynamic.authToken) options.authToken = () => this.fresh('authToken') as Promise<string | null>;
    else if (init.authToken !== null) options.authToken = init.authToken;
    this.socket = createSocket(url, options);
    this.socket.telemetry.on('*', (name, event) => this.forwardTelemetry(name, event));
  }

  /** Tabs on this socket. */
  get size(): number {
    return this.clients.size;
  }

  /** Shared channels: topic → attachments. */
  channelRefs(): { topic: string; refs: number; tabs: number }[] {
    return [...this.entries.values()].map((e) => ({ topic: e.topic, refs: e.refs, tabs: e.clients }));
  }

  add(client: GroupClient): void {
    this.clients.add(client);
    this.chans.set(client, new Map());
  }

  /** A tab left or went silent: its channels are released, and the socket closes with the last tab. */
  remove(client: GroupClient): void {
    if (!this.clients.delete(client)) return;
    this.connected.delete(client);
    this.chans.delete(client);
    for (const entry of [...this.entries.values()]) entry.detachClient(client);
    if (this.clients.size === 0) {
      for (const entry of [...this.entries.values()]) entry.close();
      this.socket.disconnect();
      this.onEmpty(this);
    } else if (this.connected.size === 0) {
      this.socket.disconnect();
    }
  }

  connect(client: GroupClient, params: WireParams | null): void {
    if (params !== null && !client.dynamic.params) this.lastParams = params;
    const first = this.connected.size === 0;
    this.connected.add(client);
    if (first || !this.socket.isConnected()) this.socket.connect();
  }

  /** The socket stays up while another tab wants it. */
  disconnect(client: GroupClient): void {
    if (!this.connected.delete(client)) return;
    if (this.connected.size === 0) this.socket.disconnect();
  }

  join(client: GroupClient, chan: number, topic: string, params: WireParams, timeoutMs: number): void {
    const mine = this.chans.get(client);
    if (mine === undefined) return;
    let entry = this.entries.get(topic);
    if (entry !== undefined && entry.paramsKey !== paramsKey(params)) {
      const error = new SharedParamsMismatchError(topic, entry.params);
      client.post({ t: 'join_failed', chans: [chan], status: 'error', response: { reason: error.code }, error: { ...toWireError(error), response: entry.params }, final: true });
      return;
    }
    if (entry === undefined) {
      entry = new ChannelEntry(this.socket, topic, params, timeoutMs, (gone) => this.entryGone(gone));
      this.entries.set(topic, entry);
    }
    mine.set(chan, entry);
    entry.attach(client, chan);
  }

  leave(client: GroupClient, chan: number): void {
    const mine = this.chans.get(client);
    const entry = mine?.get(chan);
    if (mine === undefined || entry === undefined) return;
    mine.delete(chan);
    entry.detach(client, chan);
  }

  push(client: GroupClient, chan: number, push: EntryPush): void {
    const entry = this.chans.get(client)?.get(chan);
    if (entry === undefined) {
      const wire = { name: 'ChannelClosedError', code: 'channel_closed', message: `the channel is not joined on the shared socket; join it before pushing "${push.event}"` };
      client.post({ t: 'reply', id: push.id, status: 'error', response: { reason: wire.code }, error: wire });
      return;
    }
    entry.push(client, push);
  }

  private entryGone(entry: ChannelEntry): void {
    if (this.entries.get(entry.topic) === entry) this.entries.delete(entry.topic);
    for (const mine of this.chans.values()) {
      for (const [chan, e] of mine) if (e === entry) mine.delete(chan);
    }
  }

  /** Asks the oldest tab that gave a function for `what`; falls back to the last value on failure. */
  private async fresh(what: ResolveWhat): Promise<unknown> {
    const last = what === 'params' ? this.lastParams : this.lastAuthToken;
    for (const client of this.connected.size > 0 ? this.connected : this.clients) {
      if (!client.dynamic[what]) continue;
      try {
        const value = await client.resolve(what);
        if (what === 'params') this.lastParams = (value ?? {}) as WireParams;
        else this.lastAuthToken = typeof value === 'string' ? value : null;
        return value;
      } catch {
        // That tab could not answer (closing, its function threw): try the next one.
      }
    }
    return last;
  }

  private forwardTelemetry(name: TelemetryEventName, event: { measurements: unknown; metadata: unknown }): void {
    if (TAB_OWN_EVENTS.has(name)) return;
    const isState = STATE_EVENTS.has(name);
    const topic = (event.metadata as { topic?: unknown } | null)?.topic;
    const entry = typeof topic === 'string' ? this.entries.get(topic) : undefined;
    let wire: { measurements: unknown; metadata: unknown } | null = null;
    const state = this.socket.state;
    for (const client of this.clients) {
      if (!isState && !client.wantsTelemetry) continue;
      // Channel events go to the tabs on that channel; socket events to all.
      if (typeof topic === 'string' && topic !== 'phoenix' && (entry === undefined || !entry.has(client))) continue;
      wire ??= { measurements: event.measurements, metadata: toWireMetadata(event.metadata) };
      client.post({ t: 'telemetry', name, event: wire, state });
    }
  }
}
