/**
 * The fallback: the tab's own `Socket`, behind the same seam as the worker. Channel objects of one topic
 * share one channel here too, so the tab behaves the same in both modes.
 */
import { ChannelClosedError, pushError, Socket, type Channel, type SocketOptions, type SocketState } from '@phx-socket/client';
import type { LinkChannel, LinkOwner, LinkPush, SharedLink } from './link';
import { paramsKey, type WireParams } from './protocol';
import { SharedParamsMismatchError, toPhxError } from './errors';

interface LocalEntry {
  readonly channel: Channel;
  readonly key: string;
  readonly params: WireParams;
  readonly members: Set<LinkChannel>;
  joined: { joinRef: string | null; response: unknown } | null;
}

/** The tab's own socket. */
export class LocalLink implements SharedLink {
  readonly mode = 'local' as const;
  readonly socket: Socket;
  private readonly owner: LinkOwner;
  private readonly entries = new Map<string, LocalEntry>();
  private disposed = false;
  private readonly offTelemetry: () => void;

  constructor(owner: LinkOwner, url: string, options: SocketOptions) {
    this.owner = owner;
    this.socket = new Socket(url, options);
    this.offTelemetry = this.socket.telemetry.on('*', (name, event) => {
      if (this.disposed) return;
      owner.linkState(this.socket.state);
      owner.emitTelemetry(name, event);
    });
  }

  get state(): SocketState {
    return this.socket.state;
  }

  isConnected(): boolean {
    return this.socket.isConnected();
  }

  connect(params: WireParams | null): void {
    if (params === null) this.socket.connect();
    else this.socket.connect(params);
  }

  disconnect(): void {
    this.socket.disconnect();
  }

  join(member: LinkChannel): void {
    const key = paramsKey(member.params);
    let entry = this.entries.get(member.topic);
    if (entry !== undefined && entry.key !== key) {
      const error = new SharedParamsMismatchError(member.topic, entry.params);
      member.sinkJoinFailed('error', { reason: error.code }, error, true);
      return;
    }
    if (entry === undefined) entry = this.open(member.topic, member.params, key, member.timeoutMs);
    entry.members.add(member);
    if (entry.joined !== null) member.sinkJoined(entry.joined.joinRef, entry.joined.response);
  }

  leave(member: LinkChannel): void {
    const entry = this.entries.get(member.topic);
    if (entry === undefined || !entry.members.delete(member)) return;
    if (entry.members.size > 0) return;
    this.entries.delete(member.topic);
    entry.channel.leave();
  }

  push({ channel: member, push, payload, maxResends }: LinkPush): void {
    const entry = this.entries.get(member.topic);
    if (entry === undefined || !entry.members.has(member)) {
      push.settle('error', { reason: 'channel_closed' }, new ChannelClosedError(member.topic, push.event));
      return;
    }
    try {
      const options = maxResends === null ? { timeoutMs: push.timeoutMs } : { timeoutMs: push.timeoutMs, maxResends };
      entry.channel.push(push.event, payload, options).then(
        (response) => push.settle('ok', response, null),
        (error: unknown) => {
          const phx = toPhxError(error);
          const timedOut = phx.code === 'timeout';
          const response = (phx as { response?: unknown }).response;
          push.settle(timedOut ? 'timeout' : 'error', timedOut ? {} : (response ?? { reason: phx.code }), phx);
        },
      );
    } catch (error) {
      const phx = toPhxError(error);
      push.settle('error', { reason: phx.code }, phx);
    }
  }

  dispose(): void {
    if (this.disposed) return;
    this.disposed = true;
    this.offTelemetry();
    this.socket.disconnect();
  }

  private open(topic: string, params: WireParams, key: string, timeoutMs: number): LocalEntry {
    const channel = this.socket.channel(topic, params);
    const entry: LocalEntry = { channel, key, params, members: new Set(), joined: null };
    this.entries.set(topic, entry);
    channel.onMessage = (event, payload, ref, joinRef) => {
      for (const m of [...entry.members]) m.sinkEvent(event, payload, ref, joinRef ?? null);
      return payload;
    };
    channel.onError((reason) => {
      for (const m of [...entry.members]) m.sinkErrored(reason);
    });
    channel.onClose((payload) => {
      if (this.entries.get(topic) !== entry) return;
      this.entries.delete(topic);
      for (const m of [...entry.members]) m.sinkClosed(payload);
    });
    channel
      .join(timeoutMs)
      .receive('ok', (response) => {
        entry.joined = { joinRef: channel.joinRef, response };
        for (const m of [...entry.members]) m.sinkJoined(channel.joinRef, response);
      })
      .receive('error', (response) => {
        entry.joined = null;
        for (const m of [...entry.members]) m.sinkJoinFailed('error', response, pushError(topic, 'phx_join', 'error', response, timeoutMs), false);
      })
      .receive('timeout', (response) => {
        entry.joined = null;
        for (const m of [...entry.members]) m.sinkJoinFailed('timeout', response, pushError(topic, 'phx_join', 'timeout', response, timeoutMs), false);
      });
    return entry;
  }
}
