import { GRACEFUL_STOP, REASONS, STATUS } from './constants';
import type { InboundMessage } from './frame';
import { SerialQueue } from './serial-queue';
import type {
  Assigns,
  ChannelSocket,
  ChannelSpec,
  ConnectParams,
  ConnectionHandle,
  HandleResult,
  JoinParams,
  JoinResult,
  LeaveReason,
  ReplyResult,
} from './types';

/** What a channel needs from its connection and from the server core. */
export interface ChannelHost {
  readonly connection: ConnectionHandle;
  sendMessage(topic: string, joinRef: string | null, ref: string | null, event: string, payload: unknown): void;
  sendReply(topic: string, joinRef: string | null, ref: string | null, status: string, response: unknown): void;
  broadcast(topic: string, event: string, payload: unknown, except?: ChannelProcess): void;
  channelEnded(channel: ChannelProcess, reason: LeaveReason, crashed: boolean): void;
  handlerError(channel: ChannelProcess, callback: HandlerName, error: unknown): void;
}

/** The channel callbacks whose errors are reported. */
export type HandlerName = 'join' | 'afterJoin' | 'handleIn' | 'handleLeave';

/** How the client is told that a channel ended. */
type Notice = 'phx_close' | 'phx_error' | 'none';

/** Outcome of a join, for the connection to answer. */
export type JoinOutcome = { status: 'ok'; response: unknown } | { status: 'error'; response: unknown };

function isGraceful(reason: string): boolean {
  return reason === GRACEFUL_STOP.normal || reason === GRACEFUL_STOP.shutdown || reason.startsWith(GRACEFUL_STOP.shutdownPrefix);
}

/**
 * One joined channel on one connection: the testkit's `Phoenix.Channel.Server`. It is also the
 * `ChannelSocket` user callbacks receive. Pushes are handled one at a time, in order.
 */
export class ChannelProcess implements ChannelSocket {
  readonly assigns: Assigns;
  private ended = false;
  private readonly inbox: SerialQueue;

  constructor(
    private readonly host: ChannelHost,
    private readonly spec: ChannelSpec,
    readonly topic: string,
    readonly joinRef: string | null,
    assigns: Assigns,
  ) {
    this.assigns = { ...assigns };
    this.inbox = new SerialQueue((error) => this.crash('handleIn', error));
  }

  get params(): ConnectParams {
    return this.host.connection.params;
  }

  get connection(): ConnectionHandle {
    return this.host.connection;
  }

  /** True once the channel ended. */
  get closed(): boolean {
    return this.ended;
  }

  /** Whether the spec asked for `presence_state` right after join. */
  get wantsPresenceState(): boolean {
    return this.spec.presence === true;
  }

  push(event: string, payload: unknown = {}): void {
    if (this.ended) return;
    this.host.sendMessage(this.topic, this.joinRef, null, event, payload);
  }

  broadcast(event: string, payload: unknown = {}): void {
    this.host.broadcast(this.topic, event, payload);
  }

  broadcastFrom(event: string, payload: unknown = {}): void {
    this.host.broadcast(this.topic, event, payload, this);
  }

  /** Runs the spec's `join`; a throw becomes `{reason: 'join crashed'}`. */
  async join(params: JoinParams): Promise<JoinOutcome> {
    let result: JoinResult;
    try {
      result = this.spec.join ? await this.spec.join(this.topic, params, this) : undefined;
    } catch (error) {
      this.host.handlerError(this, 'join', error);
      return { status: 'error', response: { reason: REASONS.joinCrashed } };
    }
    if (result && 'error' in result) return { status: 'error', response: result.error };
    return { status: 'ok', response: (result && 'ok' in result ? result.ok : undefined) ?? {} };
  }

  /** Runs the spec's `afterJoin` in the channel's mailbox; a throw crashes the channel. */
  afterJoin(): void {
    const afterJoin = this.spec.afterJoin;
    if (!afterJoin) return;
    this.inbox.run(() => {
      if (this.ended) return;
      try {
        afterJoin.call(this.spec, this);
      } catch (error) {
        this.crash('afterJoin', error);
      }
    });
  }

  /** Queues a client push for `handleIn`. */
  deliver(message: InboundMessage): void {
    this.inbox.run(() => this.handleIn(message));
  }

  /** Queues a `phx_leave`: reply ok, then `phx_close`. */
  leave(message: InboundMessage): void {
    this.inbox.run(() => {
      if (this.ended) return;
      this.host.sendReply(this.topic, this.joinRef, message.ref, STATUS.ok, {});
      this.end('left', 'phx_close');
    });
  }

  /**
   * Ends the channel: unsubscribes, drops its presences, calls `handleLeave` once, and tells the
   * client with `notice`. Idempotent.
   */
  end(reason: LeaveReason, notice: Notice): void {
    if (this.ended) return;
    this.ended = true;
    this.inbox.clear();
    this.host.channelEnded(this, reason, notice === 'phx_error');
    if (notice !== 'none') this.host.sendMessage(this.topic, this.joinRef, this.joinRef, notice, {});
    if (this.spec.handleLeave) {
      try {
        this.spec.handleLeave(this, reason);
      } catch (error) {
        this.host.handlerError(this, 'handleLeave', error);
      }
    }
  }

  private handleIn(message: InboundMessage): unknown {
    if (this.ended || !this.spec.handleIn) return undefined;
    let result: HandleResult | Promise<HandleResult>;
    try {
      result = this.spec.handleIn(message.event, message.payload, this);
    } catch (error) {
      this.crash('handleIn', error);
      return undefined;
    }
    if (result instanceof Promise) {
      return result.then(
        (settled) => this.apply(settled, message),
        (error: unknown) => this.crash('handleIn', error),
      );
    }
    this.apply(result, message);
    return undefined;
  }

  private apply(result: HandleResult, message: InboundMessage): void {
    if (this.ended) return;
    try {
      if (!result || 'noreply' in result) return;
      if ('stop' in result) {
        if (result.reply) this.reply(message, result.reply);
        this.end(`stop:${result.stop}`, isGraceful(result.stop) ? 'phx_close' : 'phx_error');
        return;
      }
      if ('reply' in result) {
        this.reply(message, result);
        return;
      }
      throw new TypeError('handleIn must return {reply}, {noreply: true}, {stop} or undefined');
    } catch (error) {
      this.crash('handleIn', error);
    }
  }

  private reply(message: InboundMessage, result: ReplyResult): void {
    this.host.sendReply(this.topic, this.joinRef, message.ref, result.reply, result.response ?? {});
  }

  private crash(callback: 'handleIn' | 'afterJoin', error: unknown): void {
    if (this.ended) return;
    this.host.handlerError(this, callback, error);
    this.end('crashed', 'phx_error');
  }
}

