/**
 * The leader tab's end of its BroadcastChannel: every tab port that speaks to this leader becomes one
 * {@link HostPort} of the {@link SharedSocketHost}, exactly as a SharedWorker's `connect` port would. Replies
 * go back addressed to that port only.
 */
import type { HostPort, SharedSocketHost } from './host';
import type { BroadcastChannelLike } from './options';
import { isLeaderEnvelope, SHARED_PROTOCOL_VERSION } from './protocol';

/** One tab port as the host sees it. */
class HubPort implements HostPort {
  onmessage: ((event: MessageEvent) => unknown) | null = null;
  constructor(
    private readonly hub: BroadcastHub,
    readonly id: string,
  ) {}

  postMessage(message: unknown): void {
    this.hub.sendTo(this.id, message);
  }

  /** The host released this tab: a later message from it starts a new port (and a new hello). */
  close(): void {
    this.hub.forget(this);
  }
}

/** Serves the tabs on one BroadcastChannel with one host. */
export class BroadcastHub {
  /** This leader's id on the channel. */
  readonly id: string;
  private readonly channel: BroadcastChannelLike;
  private readonly host: SharedSocketHost;
  private readonly ports = new Map<string, HubPort>();
  private closed = false;

  constructor(channel: BroadcastChannelLike, host: SharedSocketHost, id: string) {
    this.channel = channel;
    this.host = host;
    this.id = id;
    channel.onmessage = (event) => this.receive(event.data);
    this.announce();
  }

  /** Steps down: tells the tabs (they reconnect through the next leader) and closes the channel. */
  close(): void {
    if (this.closed) return;
    this.closed = true;
    try {
      this.channel.postMessage({ v: SHARED_PROTOCOL_VERSION, e: 'gone', leader: this.id });
    } catch {
      // channel already closed
    }
    this.channel.onmessage = null;
    this.channel.close();
    this.ports.clear();
  }

  /** @internal */
  sendTo(port: string, msg: unknown): void {
    if (this.closed) return;
    // A DataCloneError cannot happen (messages come from the wire or the host); a closed channel is ignored.
    try {
      this.channel.postMessage({ v: SHARED_PROTOCOL_VERSION, e: 'to_tab', leader: this.id, port, msg });
    } catch {
      // closed
    }
  }

  /** @internal */
  forget(port: HubPort): void {
    if (this.ports.get(port.id) === port) this.ports.delete(port.id);
  }

  private announce(): void {
    this.channel.postMessage({ v: SHARED_PROTOCOL_VERSION, e: 'leader', leader: this.id });
  }

  private receive(data: unknown): void {
    if (this.closed || !isLeaderEnvelope(data)) return;
    if (data.e === 'who') return this.announce();
    if (data.e !== 'to_leader' || data.leader !== this.id) return;
    let port = this.ports.get(data.port);
    if (port === undefined) {
      port = new HubPort(this, data.port);
      this.ports.set(data.port, port);
      this.host.connect(port);
    }
    port.onmessage?.({ data: data.msg } as MessageEvent);
  }
}
