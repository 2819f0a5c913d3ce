/**
 * A connected socket and the channels a command joined: join/leave/push with their failures turned into
 * `CliError`s, every inbound message, lifecycle change, presence sync and (with `--telemetry`) telemetry
 * event printed through the `Printer`, and a clean `close()` that leaves every channel first.
 */
import {
  CHANNEL_EVENTS,
  ConnectionLostError,
  JoinError,
  Presence,
  ReplyError,
  Socket,
  TimeoutError,
  type Channel,
  type Push,
} from '@phx-socket/client';
import type { ConnectOptions, OutputOptions } from './args';
import { displayURL, firstConnect, socketOptions } from './connect';
import { CliError, messageOf, reasonOf } from './errors';
import type { Printer } from './output';

/** A channel this session joined. */
export interface JoinedChannel {
  readonly topic: string;
  readonly channel: Channel;
  readonly presence: Presence;
  /** True once the first join was answered ok (later joins are rejoins). */
  joined: boolean;
}

/** The answer to a push that got one. */
export interface PushReply {
  status: 'ok' | 'error';
  response: unknown;
}

const LIFECYCLE = new Set<string>(Object.values(CHANNEL_EVENTS));

/** Settles when `push` gets any outcome (ok, error, timeout); never rejects. */
function settled(push: Push): Promise<void> {
  return new Promise((resolve) => {
    push.receive('ok', () => resolve()).receive('error', () => resolve()).receive('timeout', () => resolve());
  });
}

export interface SessionOptions {
  connect: ConnectOptions;
  output: OutputOptions;
  printer: Printer;
  /** Print only these events (empty: every event). */
  events?: readonly string[];
}

/**
 * @example
 * const session = await Session.open({ connect, output, printer });
 * await session.join('room:lobby', {});
 * const reply = await session.push('room:lobby', 'ping', {});
 * await session.close();
 */
export class Session {
  readonly socket: Socket;
  readonly channels = new Map<string, JoinedChannel>();
  readonly #printer: Printer;
  readonly #output: OutputOptions;
  readonly #events: ReadonlySet<string>;
  readonly #timeoutMs: number;
  readonly #offs: Array<() => void> = [];
  /** Socket timers are unref'd in Node; this keeps the process alive while reconnecting. */
  readonly #keepAlive = setInterval(() => {}, 2 ** 30);
  #connectedOnce = false;
  /** True while a connection is open: failed reconnect attempts print nothing. */
  #open = false;
  #closing = false;

  private constructor(socket: Socket, options: SessionOptions) {
    this.socket = socket;
    this.#printer = options.printer;
    this.#output = options.output;
    this.#events = new Set(options.events ?? []);
    this.#timeoutMs = options.connect.timeoutMs;
    this.#watch(options.connect.url);
  }

  /** Builds the socket and connects; rejects with `connect_failed` when the first connect fails. */
  static async open(options: SessionOptions): Promise<Session> {
    const socketOpts = await socketOptions(options.connect);
    let socket: Socket;
    try {
      socket = new Socket(options.connect.url, socketOpts);
    } catch (error) {
      throw new CliError('usage', messageOf(error));
    }
    const session = new Session(socket, options);
    try {
      await firstConnect(socket, options.connect.url, options.connect.connectTimeoutMs);
    } catch (error) {
      session.#dispose();
      throw error;
    }
    return session;
  }

  /** The topics joined (or joining), in join order. */
  topics(): string[] {
    return [...this.channels.keys()];
  }

  /**
   * Joins `topic`. Rejects with `join_refused` (the server's reason), `join_timeout`, or `usage` when it
   * is joined already; a refused or timed-out channel is left so it stops rejoining.
   */
  async join(topic: string, params: Record<string, unknown>): Promise<unknown> {
    if (this.channels.has(topic)) throw new CliError('usage', `already joined ${topic}: leave it first`);
    const channel = this.socket.channel(topic, params);
    const presence = new Presence(channel);
    const entry: JoinedChannel = { topic, channel, presence, joined: false };
    if (this.#output.presence) {
      presence.onSync(() => this.#printer.presence(topic, presence.list((key, { metas }) => ({ key, metas }))));
    }
    channel.onError((reason) => {
      if (entry.joined && !this.#closing) this.#printer.status('channel_error', `${topic} errored (${reasonOf(reason)}); rejoining`, { topic, reason });
    });
    channel.onClose(() => {
      if (this.channels.get(topic) !== entry || this.#closing) return;
      this.channels.delete(topic);
      presence.dispose();
      if (entry.joined) this.#printer.status('closed', `${topic} closed`, { topic });
    });
    this.channels.set(topic, entry);
    try {
      // Printed from the reply itself, so "joined" comes before the messages that follow the join.
      return await channel.join().receive('ok', (response) => {
        // The join push answers every rejoin too; those print "rejoined" (channel:joined telemetry).
        if (entry.joined) return;
        entry.joined = true;
        this.#printer.status('joined', `joined ${topic}`, { topic, response });
      });
    } catch (error) {
      await this.leave(topic, { quiet: true });
      if (error instanceof JoinError) throw new CliError('join_refused', `join refused on ${topic}: ${reasonOf(error.response)}`);
      if (error instanceof TimeoutError) throw new CliError('join_timeout', `no reply to the join of ${topic} within ${error.timeoutMs} ms (--timeout)`);
      throw new CliError('connection_lost', `join of ${topic} failed: ${messageOf(error)}`);
    }
  }

  /** Leaves `topic` and waits for the server's answer (or the timeout). */
  async leave(topic: string, { quiet = false } = {}): Promise<void> {
    const entry = this.channels.get(topic);
    if (entry === undefined) throw new CliError('not_joined', `not joined to ${topic}`);
    this.channels.delete(topic);
    entry.presence.dispose();
    await settled(entry.channel.leave());
    if (!quiet) this.#printer.status('left', `left ${topic}`, { topic });
  }

  /**
   * Pushes and waits for the reply. Resolves with ok and error replies; rejects with `reply_timeout`,
   * `connection_lost` or `not_joined`.
   */
  async push(topic: string, event: string, payload: unknown): Promise<PushReply> {
    const entry = this.channels.get(topic);
    if (entry === undefined) throw new CliError('not_joined', `not joined to ${topic}: join it first`);
    try {
      const response = await entry.channel.push(event, payload as never, this.#timeoutMs);
      return { status: 'ok', response };
    } catch (error) {
      if (error instanceof ReplyError) return { status: 'error', response: error.response };
      if (error instanceof TimeoutError) throw new CliError('reply_timeout', `no reply to "${event}" on ${topic} within ${error.timeoutMs} ms (--timeout)`);
      if (error instanceof ConnectionLostError) throw new CliError('connection_lost', `the connection dropped before "${event}" on ${topic} was answered`);
      throw new CliError('reply_error', `"${event}" on ${topic} failed: ${messageOf(error)}`);
    }
  }

  /** The presence list of a joined topic. */
  presenceOf(topic: string): Array<{ key: string; metas: unknown[] }> {
    const entry = this.channels.get(topic);
    if (entry === undefined) throw new CliError('not_joined', `not joined to ${topic}: join it first`);
    return entry.presence.list((key, { metas }) => ({ key, metas }));
  }

  /** Leaves every channel (bounded by the timeout), disconnects, and lets the process end. */
  async close(): Promise<void> {
    if (this.#closing) return;
    this.#closing = true;
    await Promise.all(this.topics().map((topic) => this.leave(topic, { quiet: true }).catch(() => {})));
    await new Promise<void>((resolve) => {
      const timer = setTimeout(resolve, 1000);
      this.socket.disconnect(() => {
        clearTimeout(timer);
        resolve();
      });
    });
    this.#dispose();
  }

  #dispose(): void {
    clearInterval(this.#keepAlive);
    for (const off of this.#offs.splice(0)) off();
  }

  #watch(url: string): void {
    const { telemetry } = this.socket;
    if (this.#output.telemetry) this.#offs.push(telemetry.on('*', (name, event) => this.#printer.telemetry(name, event)));
    this.#offs.push(
      telemetry.on('socket:connected', () => {
        const again = this.#connectedOnce;
        this.#connectedOnce = true;
        this.#open = true;
        this.#printer.status(again ? 'reconnected' : 'connected', `${again ? 'reconnected' : 'connected'} to ${displayURL(url)}`, { url: displayURL(url) });
      }),
      telemetry.on('socket:disconnected', ({ metadata }) => {
        const wasOpen = this.#open;
        this.#open = false;
        if (metadata.requested || this.#closing || !wasOpen) return;
        const why = `code ${metadata.code}${metadata.reason ? `: ${metadata.reason}` : ''}`;
        this.#printer.status('disconnected', `disconnected (${why}); reconnecting`, { code: metadata.code, reason: metadata.reason });
      }),
      telemetry.on('channel:joined', ({ metadata }) => {
        const entry = this.channels.get(metadata.topic);
        if (entry?.joined && !this.#closing) this.#printer.status('rejoined', `rejoined ${metadata.topic}`, { topic: metadata.topic });
      }),
    );
    const ref = this.socket.onMessage((message) => {
      if (!this.channels.has(message.topic) || LIFECYCLE.has(message.event)) return;
      if (this.#events.size > 0 && !this.#events.has(message.event)) return;
      this.#printer.message(message.topic, message.event, message.payload);
    });
    this.#offs.push(() => this.socket.off([ref]));
  }
}
