import type { Message } from '@phx-socket/transport';
import type { ChannelHost, HostedChannel, OverflowPolicy } from '../../src/host';
import type { TelemetryEventMap } from '../../src/telemetry-events';
import { ManualScheduler } from './manual-scheduler';

/** A socket stand-in that records what channels send and emit, for unit tests of the channel layer. */
export class FakeHost implements ChannelHost {
  readonly scheduler = new ManualScheduler();
  readonly sent: Message[] = [];
  readonly events: { name: keyof TelemetryEventMap; event: unknown }[] = [];
  readonly errors: { error: unknown; where: string }[] = [];
  readonly joinRefs = new Map<string, HostedChannel>();
  readonly removed: HostedChannel[] = [];
  connected = true;
  private ref = 0;

  constructor(
    readonly timeoutMs = 1000,
    readonly sendBufferLimit = 100,
    readonly overflowPolicy: OverflowPolicy = 'drop-oldest',
  ) {}

  rejoinAfterMs(tries: number): number {
    return [100, 200, 500][tries - 1] ?? 1000;
  }
  makeRef(): string {
    return String(++this.ref);
  }
  isConnected(): boolean {
    return this.connected;
  }
  send(message: Message): void {
    this.sent.push(message);
  }
  emit<K extends keyof TelemetryEventMap>(name: K, event: TelemetryEventMap[K]): void {
    this.events.push({ name, event });
  }
  reportError(error: unknown, where: string): void {
    this.errors.push({ error, where });
  }
  log(): void {}
  bindJoinRef(channel: HostedChannel, joinRef: string | null, previous: string | null): void {
    if (previous !== null) this.joinRefs.delete(previous);
    if (joinRef !== null) this.joinRefs.set(joinRef, channel);
  }
  remove(channel: HostedChannel): void {
    this.removed.push(channel);
  }
  leaveOpenTopic(): void {}

  /** The last message sent with `event`. */
  last(event: string): Message {
    const found = [...this.sent].reverse().find((m) => m.event === event);
    if (!found) throw new Error(`nothing sent with event ${event}`);
    return found;
  }

  /** Names of the telemetry events emitted so far. */
  eventNames(): string[] {
    return this.events.map((e) => e.name);
  }
}

/** The reply the server would send to `message`. */
export function replyTo(message: Message, status: 'ok' | 'error', response: unknown = {}): Message {
  return { joinRef: message.joinRef, ref: message.ref, topic: message.topic, event: 'phx_reply', payload: { status, response } };
}
