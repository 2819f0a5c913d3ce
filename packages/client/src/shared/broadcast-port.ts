/**
 * A tab's end of the leader tab, shaped like a SharedWorker's `MessagePort` so the {@link WorkerLink} runs
 * over it unchanged. Messages go out in envelopes addressed to the leader and come back addressed to this
 * port only (a BroadcastChannel reaches every tab). Until a leader announces itself, messages wait here; a
 * leader that steps down (or another one announcing itself) fires `close`, which the link takes for a dead
 * worker and reconnects through the next leader.
 */
import type { BroadcastChannelLike, SharedWorkerLike, TabPort } from './options';
import { isLeaderEnvelope, SHARED_PROTOCOL_VERSION, type LeaderEnvelope } from './protocol';

let portSeq = 0;

type EnvelopeBody = LeaderEnvelope extends infer E ? (E extends unknown ? Omit<E, 'v'> : never) : never;

/** {@link TabPort} over the leader's BroadcastChannel. */
export class BroadcastTabPort implements TabPort {
  /** This port's address on the channel. */
  readonly id = `${Date.now().toString(36)}-${(++portSeq).toString(36)}-${Math.random().toString(36).slice(2, 10)}`;
  onmessage: ((event: MessageEvent) => unknown) | null = null;
  private readonly channel: BroadcastChannelLike;
  private leader: string | null = null;
  private queue: unknown[] = [];
  private closed = false;
  private readonly closeListeners: (() => void)[] = [];

  constructor(channel: BroadcastChannelLike) {
    this.channel = channel;
    channel.onmessage = (event) => this.receive(event.data);
    this.send({ e: 'who', port: this.id });
  }

  /** The leader this port talks to, once one announced itself. */
  get leaderId(): string | null {
    return this.leader;
  }

  /** Sends to the leader, or keeps the message (cloned now, as a port would) until one announces itself. */
  postMessage(message: unknown): void {
    if (this.closed) return;
    if (this.leader !== null) {
      this.send({ e: 'to_leader', leader: this.leader, port: this.id, msg: message });
      return;
    }
    // Clone now: an uncloneable payload throws `DataCloneError` to the caller, as `postMessage` would.
    this.queue.push(typeof structuredClone === 'function' ? structuredClone(message) : message);
  }

  start(): void {}

  close(): void {
    if (this.closed) return;
    this.closed = true;
    this.queue = [];
    this.channel.onmessage = null;
    this.channel.close();
  }

  addEventListener(type: 'close', listener: () => void): void {
    if (type === 'close') this.closeListeners.push(listener);
  }

  private receive(data: unknown): void {
    if (this.closed || !isLeaderEnvelope(data)) return;
    switch (data.e) {
      case 'leader':
        if (this.leader === null) return this.bind(data.leader);
        if (data.leader !== this.leader) this.lost(); // a new leader: ours is gone
        return;
      case 'gone':
        if (data.leader === this.leader) this.lost();
        return;
      case 'to_tab':
        if (data.port === this.id && data.leader === this.leader) this.onmessage?.({ data: data.msg } as MessageEvent);
        return;
    }
  }

  private bind(leader: string): void {
    this.leader = leader;
    for (const msg of this.queue.splice(0)) this.send({ e: 'to_leader', leader, port: this.id, msg });
  }

  private lost(): void {
    if (this.closed) return;
    this.close();
    for (const listener of this.closeListeners.splice(0)) listener();
  }

  private send(body: EnvelopeBody): void {
    this.channel.postMessage({ v: SHARED_PROTOCOL_VERSION, ...body });
  }
}

/** A {@link SharedWorkerLike} whose port reaches the leader tab over a fresh BroadcastChannel `name`. */
export function leaderWorker(createChannel: (name: string) => BroadcastChannelLike, name: string): SharedWorkerLike {
  return { port: new BroadcastTabPort(createChannel(name)), onerror: null };
}
