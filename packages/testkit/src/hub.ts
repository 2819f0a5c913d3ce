import type { ChannelProcess, HandlerName } from './channel-process';
import { ChannelRegistry } from './channel-registry';
import type { Codec } from './codec';
import { EVENTS } from './constants';
import type { Connection } from './connection';
import { TypedEmitter } from './emitter';
import type { MalformedFrameError } from './errors';
import type { ServerEvents } from './events';
import type { WireData } from './frame';
import type { PresenceState, TopicDiff } from './presence';
import { PresenceTracker } from './presence';
import type { ServerStats } from './stats';
import { emptyStats } from './stats';
import type { LeaveReason } from './types';

/**
 * The transport-independent core shared by every connection: channel routes, live connections,
 * topic subscriptions (a `Map` of `Set`s), presence, stats and events. WebSocket and LongPoll
 * transports both feed `Connection`s that report here.
 */
export class Hub {
  readonly registry = new ChannelRegistry();
  readonly events = new TypedEmitter<ServerEvents>();
  readonly presence = new PresenceTracker();
  stats: ServerStats = emptyStats();
  /** Reply delay (ms) applied by every connection's outbound queue; 0 = off. */
  replyDelayMs = 0;
  private readonly live = new Map<string, Connection>();
  private readonly subscribers = new Map<string, Set<ChannelProcess>>();
  private connectionSeq = 0;

  constructor(
    readonly maxChannels: number,
    /** The refusal of a join over `maxChannels`. */
    readonly channelCapRefusal: { readonly reason: string },
  ) {}

  nextConnectionId(): string {
    this.connectionSeq += 1;
    return `c${this.connectionSeq}`;
  }

  get connections(): readonly Connection[] {
    return [...this.live.values()];
  }

  connectionOpened(connection: Connection): void {
    this.live.set(connection.id, connection);
    this.stats.connections = this.live.size;
    this.stats.totalConnections++;
    this.events.emit('connection', connection);
  }

  connectionClosed(connection: Connection, code: number, reason: string): void {
    if (!this.live.delete(connection.id)) return;
    this.stats.connections = this.live.size;
    this.events.emit('disconnect', { connection, code, reason });
  }

  subscribe(channel: ChannelProcess): void {
    let set = this.subscribers.get(channel.topic);
    if (!set) {
      set = new Set();
      this.subscribers.set(channel.topic, set);
    }
    set.add(channel);
    this.stats.channels++;
  }

  channelEnded(channel: ChannelProcess, reason: LeaveReason, crashed: boolean): void {
    const set = this.subscribers.get(channel.topic);
    if (set?.delete(channel)) {
      this.stats.channels--;
      this.stats.leaves++;
      if (crashed) this.stats.crashes++;
      if (set.size === 0) this.subscribers.delete(channel.topic);
      this.events.emit('leave', { connection: channel.connection, topic: channel.topic, joinRef: channel.joinRef, reason });
    }
    for (const diff of this.presence.removeOwner(channel)) this.broadcastDiff(diff);
  }

  /**
   * Sends `[null, null, topic, event, payload]` to every subscriber of `topic` except `except`,
   * encoding once per serializer. V1 subscribers are skipped for binary payloads (V1 has no binary frames).
   */
  broadcast(topic: string, event: string, payload: unknown, except?: ChannelProcess): void {
    this.relay?.(topic, event, payload);
    this.deliver(topic, event, payload, except);
  }

  /**
   * Set by a cluster: every broadcast made on this node is relayed to the other nodes, as Phoenix.PubSub
   * does across a cluster.
   */
  relay: ((topic: string, event: string, payload: unknown) => void) | null = null;

  /** Sends a broadcast to this node's subscribers only (a relayed one arrives here). */
  deliver(topic: string, event: string, payload: unknown, except?: ChannelProcess): void {
    this.stats.broadcasts++;
    const set = this.subscribers.get(topic);
    if (!set) return;
    const encoded = new Map<Codec, WireData | null>();
    for (const channel of set) {
      if (channel === except || channel.closed) continue;
      const connection = channel.connection as Connection;
      const codec = connection.serializer;
      let frame = encoded.get(codec);
      if (frame === undefined) {
        try {
          frame = codec.encodeBroadcast({ topic, event, payload });
        } catch {
          frame = null;
        }
        encoded.set(codec, frame);
      }
      if (frame !== null) connection.writeFrame(frame);
    }
  }

  /** Pushes `presence_state` for the channel's topic to that channel. */
  pushPresenceState(channel: ChannelProcess): void {
    channel.push(EVENTS.presenceState, this.presence.list(channel.topic));
  }

  presenceList(topic: string): PresenceState {
    return this.presence.list(topic);
  }

  broadcastDiff(diff: TopicDiff | undefined): void {
    if (diff) this.broadcast(diff.topic, EVENTS.presenceDiff, diff.diff);
  }

  malformed(connection: Connection, error: MalformedFrameError, data: WireData): void {
    this.stats.malformed++;
    this.events.emit('malformed', { connection, error, data });
  }

  handlerError(channel: ChannelProcess, callback: HandlerName, error: unknown): void {
    this.events.emit('handlerError', { connection: channel.connection, topic: channel.topic, callback, error });
  }
}
