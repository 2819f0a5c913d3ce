/**
 * One channel of the worker's socket, shared by every tab that joined its topic with the same params.
 * Reference-counted by attachment (a tab's channel object): the first attachment joins, later ones get the
 * join response and the presence state at once, the last one leaves.
 */
import { Presence, type Channel, type Socket } from '@phx-socket/client';
import { paramsKey, toWireError, type WireError, type WireParams, type WorkerMessageBody } from './protocol';

/** What an entry needs from a tab connection. */
export interface EntryClient {
  readonly id: string;
  post(message: WorkerMessageBody): void;
}

/** The push a tab asked for. */
export interface EntryPush {
  readonly id: number;
  readonly event: string;
  readonly payload: unknown;
  readonly timeoutMs: number;
  readonly maxResends: number | null;
}

type EntryStatus = 'joining' | 'joined' | 'errored' | 'closed';

/** The worker-side state of one shared channel. */
export class ChannelEntry {
  readonly topic: string;
  readonly params: WireParams;
  readonly paramsKey: string;
  private readonly channel: Channel;
  private readonly presence: Presence;
  private readonly attachments = new Map<EntryClient, Set<number>>();
  private status: EntryStatus = 'joining';
  private lastJoin: { joinRef: string | null; response: unknown } | null = null;
  private lastFailure: { status: 'error' | 'timeout'; response: unknown; error: WireError } | null = null;
  private readonly onGone: (entry: ChannelEntry) => void;

  /** Joins `topic` on `socket` now; `onGone` runs once when the entry is closed (last leave or server close). */
  constructor(socket: Socket, topic: string, params: WireParams, timeoutMs: number, onGone: (entry: ChannelEntry) => void) {
    this.topic = topic;
    this.params = params;
    this.paramsKey = paramsKey(params);
    this.onGone = onGone;
    const channel = socket.channel(topic, params);
    this.channel = channel;
    // Kept here so a tab attaching later gets the current presence at once.
    this.presence = new Presence(channel);
    // Every inbound event of the channel, bound or not, reaches the attached tabs.
    channel.onMessage = (event, payload, ref, joinRef) => {
      this.forward(event, payload, ref, joinRef ?? null);
      return payload;
    };
    channel.onError((reason) => {
      if (this.status === 'closed') return;
      this.status = 'errored';
      this.broadcast((chans) => ({ t: 'channel_error', chans, reason: toCloneable(reason) }));
    });
    channel.onClose((payload) => {
      if (this.status === 'closed') return;
      // The server closed the channel (or a leave we did not ask for): every tab's channel closes.
      this.broadcast((chans) => ({ t: 'channel_closed', chans, payload: toCloneable(payload) }));
      this.end();
    });
    channel
      .join(timeoutMs)
      .receive('ok', (response) => {
        if (this.status === 'closed') return;
        this.status = 'joined';
        this.lastFailure = null;
        this.lastJoin = { joinRef: channel.joinRef, response };
        this.broadcast((chans) => ({ t: 'joined', chans, joinRef: channel.joinRef, response }));
      })
      .receive('error', (response) => this.joinFailed('error', response))
      .receive('timeout', (response) => this.joinFailed('timeout', response));
  }

  /** Attachments over all tabs (a tab may hold several channel objects on one topic). */
  get refs(): number {
    let n = 0;
    for (const chans of this.attachments.values()) n += chans.size;
    return n;
  }

  /** The tabs attached. */
  get clients(): number {
    return this.attachments.size;
  }

  /** True when `client` has a channel attached here. */
  has(client: EntryClient): boolean {
    return this.attachments.has(client);
  }

  /** A tab's channel joins: it shares this channel and learns its current state now. */
  attach(client: EntryClient, chan: number): void {
    let chans = this.attachments.get(client);
    if (chans === undefined) this.attachments.set(client, (chans = new Set()));
    chans.add(chan);
    if (this.status === 'joined' && this.lastJoin !== null) {
      client.post({ t: 'joined', chans: [chan], joinRef: this.lastJoin.joinRef, response: this.lastJoin.response });
      if (!this.presence.inPendingSyncState()) {
        const state = Object.fromEntries(this.presence.list((key, entry) => [key, entry] as const));
        client.post({ t: 'event', chans: [chan], event: 'presence_state', payload: state, ref: null, joinRef: this.lastJoin.joinRef });
      }
    } else if (this.status === 'errored' && this.lastFailure !== null) {
      client.post({ t: 'join_failed', chans: [chan], ...this.lastFailure, final: false });
    }
  }

  /** A tab's channel leaves; the last attachment leaves the topic on the server. */
  detach(client: EntryClient, chan: number): void {
    const chans = this.attachments.get(client);
    if (chans === undefined || !chans.delete(chan)) return;
    if (chans.size === 0) this.attachments.delete(client);
    this.leaveIfUnused();
  }

  /** Every channel of `client` leaves (the tab went away). */
  detachClient(client: EntryClient): void {
    if (!this.attachments.delete(client)) return;
    this.leaveIfUnused();
  }

  /** Sends a tab's push; its reply goes to that tab only. */
  push(client: EntryClient, push: EntryPush): void {
    const reply = (status: 'ok' | 'error' | 'timeout', response: unknown, error: WireError | null): void =>
      client.post({ t: 'reply', id: push.id, status, response: toCloneable(response), error });
    try {
      const options = push.maxResends === null ? { timeoutMs: push.timeoutMs } : { timeoutMs: push.timeoutMs, maxResends: push.maxResends };
      this.channel.push(push.event, push.payload, options).then(
        (response) => reply('ok', response, null),
        (error: unknown) => {
          const wire = toWireError(error);
          const timedOut = wire.code === 'timeout';
          reply(timedOut ? 'timeout' : 'error', timedOut ? {} : (wire.response ?? { reason: wire.code }), wire);
        },
      );
    } catch (error) {
      const wire = toWireError(error);
      reply('error', { reason: wire.code }, wire);
    }
  }

  /** Leaves now, whoever is attached (the socket group is going away). */
  close(): void {
    if (this.status === 'closed') return;
    this.attachments.clear();
    this.channel.leave();
    this.end();
  }

  private joinFailed(status: 'error' | 'timeout', response: unknown): void {
    if (this.status === 'closed') return;
    this.status = 'errored';
    const error: WireError =
      status === 'error'
        ? { name: 'JoinError', code: 'join_error', message: `join of "${this.topic}" refused`, response: toCloneable(response) }
        : { name: 'TimeoutError', code: 'join_timeout', message: `join of "${this.topic}" timed out` };
    this.lastFailure = { status, response: toCloneable(response), error };
    this.broadcast((chans) => ({ t: 'join_failed', chans, status, response: toCloneable(response), error, final: false }));
  }

  private forward(event: string, payload: unknown, ref: string | null, joinRef: string | null): void {
    this.broadcast((chans) => ({ t: 'event', chans, event, payload, ref, joinRef }));
  }

  private broadcast(build: (chans: readonly number[]) => WorkerMessageBody): void {
    for (const [client, chans] of this.attachments) client.post(build([...chans]));
  }

  private leaveIfUnused(): void {
    if (this.attachments.size > 0 || this.status === 'closed') return;
    this.channel.leave();
    this.end();
  }

  private end(): void {
    if (this.status === 'closed') return;
    this.status = 'closed';
    this.presence.dispose();
    this.onGone(this);
  }
}

/** Errors inside a value are replaced by their wire form (a join refusal's reason may be anything). */
function toCloneable(value: unknown): unknown {
  return value instanceof Error ? toWireError(value) : value;
}
