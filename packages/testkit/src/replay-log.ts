/**
 * A channel that keeps a numbered log and replays from the `last_seq` join param: the server half of a
 * catch-up test (the client keeps the cursor, the server fills the gap after a reconnect).
 */
import type { ChannelSpec, JoinParams } from './types';

/** One logged message. */
export interface ReplayEntry {
  readonly seq: number;
  readonly payload: Record<string, unknown>;
}

/** Options of {@link ReplayLog}. */
export interface ReplayLogOptions {
  /** Join param naming the last seq the client saw. @default 'last_seq' */
  param?: string;
  /** Event name of published and replayed messages. @default 'msg' */
  event?: string;
  /** Most entries kept (oldest dropped first); a replay from before the oldest starts at the oldest. @default 10000 */
  limit?: number;
}

/** What a {@link ReplayLog} sends: a broadcast publisher bound to a server. */
export interface ReplayBroadcaster {
  broadcast(topic: string, event: string, payload: unknown): void;
}

/**
 * A log per topic with increasing `seq` (from 1). `publish()` appends and broadcasts
 * `{ seq, ...payload }`; a join carrying `last_seq` gets every later entry pushed right after its reply, in
 * order. `skip()` burns a seq without sending it (to provoke the client's gap detector).
 *
 * @example
 * const log = new ReplayLog(server);
 * server.channel('feed:*', log.spec());
 * log.publish('feed:1', { body: 'hi' }); // broadcast { seq: 1, body: 'hi' }
 */
export class ReplayLog {
  readonly param: string;
  readonly event: string;
  private readonly limit: number;
  private readonly logs = new Map<string, ReplayEntry[]>();
  private readonly seqs = new Map<string, number>();
  private replayed = 0;

  constructor(
    private readonly server: ReplayBroadcaster,
    options: ReplayLogOptions = {},
  ) {
    this.param = options.param ?? 'last_seq';
    this.event = options.event ?? 'msg';
    const limit = options.limit ?? 10_000;
    if (!Number.isInteger(limit) || limit < 1) throw new RangeError(`ReplayLog({ limit }): expected an integer >= 1, got ${String(limit)}`);
    this.limit = limit;
  }

  /** Entries replayed to joining clients so far. */
  get replayedCount(): number {
    return this.replayed;
  }

  /** The last seq published (or skipped) on `topic`; 0 before any. */
  lastSeq(topic: string): number {
    return this.seqs.get(topic) ?? 0;
  }

  /** Appends to `topic`'s log and broadcasts it; returns its seq. */
  publish(topic: string, payload: Record<string, unknown> = {}): number {
    const seq = this.lastSeq(topic) + 1;
    this.seqs.set(topic, seq);
    const entry: ReplayEntry = { seq, payload: { ...payload, seq } };
    let log = this.logs.get(topic);
    if (log === undefined) this.logs.set(topic, (log = []));
    log.push(entry);
    if (log.length > this.limit) log.shift();
    this.server.broadcast(topic, this.event, entry.payload);
    return seq;
  }

  /** Uses up the next seq of `topic` without logging or sending it: the client sees a gap. */
  skip(topic: string, count = 1): void {
    this.seqs.set(topic, this.lastSeq(topic) + count);
  }

  /** Entries of `topic` after `seq`. */
  since(topic: string, seq: number): ReplayEntry[] {
    return (this.logs.get(topic) ?? []).filter((e) => e.seq > seq);
  }

  /** A channel spec that replays after the join reply when the join carries the cursor param. */
  spec(base: ChannelSpec = {}): ChannelSpec {
    const log = this;
    return {
      ...base,
      afterJoin(socket) {
        base.afterJoin?.call(base, socket);
        const from = (socket.assigns.__replayFrom as number | undefined) ?? null;
        if (from === null) return;
        for (const entry of log.since(socket.topic, from)) {
          log.replayed++;
          socket.push(log.event, entry.payload);
        }
      },
      join(topic, params: JoinParams, socket) {
        const last = params[log.param];
        if (typeof last === 'number' && Number.isFinite(last)) socket.assigns.__replayFrom = last;
        return base.join ? base.join.call(base, topic, params, socket) : undefined;
      },
    };
  }
}
