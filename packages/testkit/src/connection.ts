import type { IncomingHttpHeaders } from 'node:http';
import type { Codec, SerializerVersion } from './codec';
import type { ChannelHost, HandlerName, JoinOutcome } from './channel-process';
import { ChannelProcess } from './channel-process';
import { CLOSE_CODE, EVENTS, PHOENIX_TOPIC, REASONS, STATUS } from './constants';
import { MalformedFrameError } from './errors';
import type { InboundMessage, WireData } from './frame';
import { wireByteLength } from './frame';
import type { Hub } from './hub';
import { OutboundQueue } from './outbound-queue';
import { SerialQueue } from './serial-queue';
import type { Assigns, ConnectParams, ConnectionHandle, JoinParams, LeaveReason, TransportKind } from './types';

/**
 * The transport under a connection (a WebSocket, or a LongPoll session). The connection core never
 * touches sockets: it hands encoded frames to the sink and asks it to close.
 */
export interface ConnectionSink {
  /** Writes one encoded frame. */
  write(data: WireData): void;
  /** Closes the transport; the transport then calls `Connection.closed()`. */
  close(code: number, reason: string): void;
  /** Negotiated extensions (`''` when none). */
  readonly extensions: string;
}

/** Everything known about a connection when it is accepted. */
export interface ConnectionInit {
  readonly params: ConnectParams;
  readonly headers: IncomingHttpHeaders;
  readonly subprotocols: readonly string[];
  readonly authToken: string | undefined;
  readonly codec: Codec;
  readonly assigns: Assigns;
  readonly transport: TransportKind;
  readonly socketId: string | null;
}

/**
 * One client connection: decodes frames, answers heartbeats, routes pushes to its channels by
 * topic (a `Map`), joins and leaves, and encodes what goes back. Transport-independent.
 */
export class Connection implements ConnectionHandle, ChannelHost {
  readonly id: string;
  readonly params: ConnectParams;
  readonly headers: IncomingHttpHeaders;
  readonly subprotocols: readonly string[];
  readonly authToken: string | undefined;
  readonly assigns: Assigns;
  readonly transport: TransportKind;
  readonly socketId: string | null;
  private readonly codec: Codec;
  private readonly channels = new Map<string, ChannelProcess>();
  private readonly inbox: SerialQueue;
  private readonly outbound: OutboundQueue;
  private sink: ConnectionSink | undefined;
  private open = true;

  constructor(
    private readonly hub: Hub,
    init: ConnectionInit,
  ) {
    this.id = hub.nextConnectionId();
    this.params = init.params;
    this.headers = init.headers;
    this.subprotocols = init.subprotocols;
    this.authToken = init.authToken;
    this.assigns = init.assigns;
    this.codec = init.codec;
    this.transport = init.transport;
    this.socketId = init.socketId;
    this.inbox = new SerialQueue(() => undefined);
    this.outbound = new OutboundQueue((data) => this.writeNow(data), () => hub.replyDelayMs);
  }

  get connection(): ConnectionHandle {
    return this;
  }

  get vsn(): SerializerVersion {
    return this.codec.vsn;
  }

  get extensions(): string {
    return this.sink?.extensions ?? '';
  }

  get topics(): readonly string[] {
    return [...this.channels.keys()];
  }

  /** Joined channels (live view for the server). */
  get channelList(): readonly ChannelProcess[] {
    return [...this.channels.values()];
  }

  /** The codec of this connection (the hub encodes a broadcast once per codec). */
  get serializer(): Codec {
    return this.codec;
  }

  /** Attaches the transport and registers the connection. */
  attach(sink: ConnectionSink): void {
    this.sink = sink;
    this.hub.connectionOpened(this);
  }

  close(code: number = CLOSE_CODE.normal, reason = ''): void {
    if (this.open) this.sink?.close(code, reason);
  }

  /** A frame from the transport: a string for text frames, bytes for binary frames. */
  receive(data: WireData): void {
    if (!this.open) return;
    this.hub.stats.framesIn++;
    this.hub.stats.bytesIn += wireByteLength(data);
    let message: InboundMessage;
    try {
      message = this.codec.decode(data);
    } catch (error) {
      const malformed = error instanceof MalformedFrameError ? error : new MalformedFrameError(String(error), { cause: error });
      this.hub.malformed(this, malformed, data);
      // Phoenix's socket process crashes on a frame it cannot decode, which closes the connection.
      this.sink?.close(CLOSE_CODE.internalError, 'malformed frame');
      return;
    }
    this.hub.events.emit('message', { connection: this, message });
    this.inbox.run(() => this.route(message));
  }

  /** The transport closed: every channel ends without a notice, its presences leave. */
  closed(code: number, reason: string): void {
    if (!this.open) return;
    this.open = false;
    this.inbox.clear();
    this.outbound.clear();
    for (const channel of [...this.channels.values()]) channel.end('closed', 'none');
    this.hub.connectionClosed(this, code, reason);
  }

  /** Writes an already-encoded frame (a broadcast encoded once per codec, or raw bytes from sendRaw). */
  writeFrame(data: WireData): void {
    if (this.open) this.outbound.push(data, false);
  }

  // ChannelHost

  sendMessage(topic: string, joinRef: string | null, ref: string | null, event: string, payload: unknown): void {
    if (!this.open) return;
    this.outbound.push(this.codec.encodeMessage({ joinRef, ref, topic, event, payload }), false);
  }

  sendReply(topic: string, joinRef: string | null, ref: string | null, status: string, response: unknown): void {
    if (!this.open) return;
    this.outbound.push(this.codec.encodeReply({ joinRef, ref, topic, status, response }), true);
  }

  broadcast(topic: string, event: string, payload: unknown, except?: ChannelProcess): void {
    this.hub.broadcast(topic, event, payload, except);
  }

  channelEnded(channel: ChannelProcess, reason: LeaveReason, crashed: boolean): void {
    if (this.channels.get(channel.topic) === channel) this.channels.delete(channel.topic);
    this.hub.channelEnded(channel, reason, crashed);
  }

  handlerError(channel: ChannelProcess, callback: HandlerName, error: unknown): void {
    this.hub.handlerError(channel, callback, error);
  }

  // Routing

  private route(message: InboundMessage): Promise<void> | undefined {
    const { topic, event } = message;
    if (topic === PHOENIX_TOPIC && event === EVENTS.heartbeat) {
      this.hub.stats.heartbeats++;
      this.sendReply(PHOENIX_TOPIC, null, message.ref, STATUS.ok, {});
      return undefined;
    }
    const channel = this.channels.get(topic);
    if (event === EVENTS.join) return this.join(message, channel);
    if (channel) {
      if (event !== EVENTS.leave) channel.deliver(message);
      // A leave for an older join raced a server close: Phoenix ignores it (V1 joins have no ref).
      else if (channel.joinRef === null || channel.joinRef === message.joinRef) channel.leave(message);
      return undefined;
    }
    if (event === EVENTS.leave) {
      this.sendReply(topic, message.joinRef, message.ref, STATUS.ok, {});
    } else {
      this.sendReply(topic, null, message.ref, STATUS.error, { reason: REASONS.unmatchedTopic });
    }
    return undefined;
  }

  private async join(message: InboundMessage, existing: ChannelProcess | undefined): Promise<void> {
    const { topic, ref, joinRef } = message;
    // Duplicate join: the old channel is shut down, the client gets phx_close for the old join ref.
    if (existing) existing.end('duplicate_join', 'phx_close');
    const spec = this.hub.registry.find(topic);
    if (!spec) {
      this.hub.stats.joinErrors++;
      this.sendReply(topic, null, ref, STATUS.error, { reason: REASONS.unmatchedTopic });
      return;
    }
    const params: JoinParams =
      message.payload !== null && typeof message.payload === 'object' && !Array.isArray(message.payload) && !message.binary
        ? (message.payload as JoinParams)
        : {};
    if (this.channels.size >= this.hub.maxChannels) {
      this.answerJoin(topic, joinRef, ref, params, { status: 'error', response: { ...this.hub.channelCapRefusal } });
      return;
    }
    const channel = new ChannelProcess(this, spec, topic, joinRef, this.assigns);
    const outcome: JoinOutcome = await channel.join(params);
    if (!this.open) return;
    if (outcome.status === 'ok') {
      this.channels.set(topic, channel);
      this.hub.subscribe(channel);
    }
    this.answerJoin(topic, joinRef, ref, params, outcome);
    if (outcome.status !== 'ok') return;
    if (channel.wantsPresenceState) this.hub.pushPresenceState(channel);
    channel.afterJoin();
  }

  private answerJoin(topic: string, joinRef: string | null, ref: string | null, params: JoinParams, outcome: JoinOutcome): void {
    if (outcome.status === 'ok') this.hub.stats.joins++;
    else this.hub.stats.joinErrors++;
    this.sendReply(topic, joinRef, ref, outcome.status, outcome.response);
    this.hub.events.emit('join', { connection: this, topic, joinRef, params, status: outcome.status, response: outcome.response });
  }

  private writeNow(data: WireData): void {
    if (!this.open || !this.sink) return;
    this.hub.stats.framesOut++;
    this.hub.stats.bytesOut += wireByteLength(data);
    this.sink.write(data);
  }
}
