/**
 * Inbound routing: one `Map` read per message, whatever the number of channels. A message carrying a
 * join_ref goes to the channel that sent that join; one without (broadcasts, V1 frames) goes to the
 * newest channel on its topic.
 */
import type { HostedChannel } from '@phx-socket/channel';
import type { Message } from '@phx-socket/transport';

/** Why a message reached no channel. */
export type DropReason = 'stale_join_ref' | 'unknown_topic';

/**
 * Topic → newest channel, join_ref → channel, and the set of every channel the socket owns (walked only
 * on connection events, never per message).
 *
 * @example
 * const router = new Router<Channel>();
 * router.add(channel);
 * router.bindJoinRef(channel, '3', null);
 * router.route(message) ?? drop(router.dropReason(message));
 */
export class Router<C extends HostedChannel = HostedChannel> {
  private readonly byTopic = new Map<string, C>();
  private readonly byJoinRef = new Map<string, C>();
  private readonly channels = new Set<C>();

  /** Channels owned, oldest first. */
  get size(): number {
    return this.channels.size;
  }

  /** Registers a new channel; it becomes the topic's target for join_ref-less messages. */
  add(channel: C): void {
    this.channels.add(channel);
    this.byTopic.set(channel.topic, channel);
  }

  /** Forgets a channel and its join_ref; an older channel on the same topic takes the topic back. */
  remove(channel: C): void {
    if (!this.channels.delete(channel)) return;
    const joinRef = channel.joinRef;
    if (joinRef !== null && this.byJoinRef.get(joinRef) === channel) this.byJoinRef.delete(joinRef);
    if (this.byTopic.get(channel.topic) !== channel) return;
    this.byTopic.delete(channel.topic);
    // Removal is rare (leave/close), so finding a successor may walk the channels.
    let successor: C | undefined;
    for (const other of this.channels) if (other.topic === channel.topic) successor = other;
    if (successor) this.byTopic.set(channel.topic, successor);
  }

  /** Routes `joinRef` to `channel`; `previous` (its old join_ref) becomes stale. `null` unbinds. */
  bindJoinRef(channel: C, joinRef: string | null, previous: string | null): void {
    if (previous !== null && this.byJoinRef.get(previous) === channel) this.byJoinRef.delete(previous);
    if (joinRef !== null) this.byJoinRef.set(joinRef, channel);
  }

  /** The channel `message` belongs to, or undefined (see `dropReason`). */
  route(message: Message): C | undefined {
    return message.joinRef !== null ? this.byJoinRef.get(message.joinRef) : this.byTopic.get(message.topic);
  }

  /** Why `route(message)` found nothing. */
  dropReason(message: Message): DropReason {
    return message.joinRef !== null ? 'stale_join_ref' : 'unknown_topic';
  }

  /** The channel bound to `joinRef`, if any. */
  byRef(joinRef: string): C | undefined {
    return this.byJoinRef.get(joinRef);
  }

  /** Every other channel on `topic` that is joined or joining (for duplicate-topic handling). */
  openOnTopic(topic: string, except: C): C[] {
    const found: C[] = [];
    for (const other of this.channels) {
      if (other !== except && other.topic === topic && (other.state === 'joined' || other.state === 'joining')) found.push(other);
    }
    return found;
  }

  /** A snapshot of every channel, safe to iterate while callbacks add or remove channels. */
  all(): C[] {
    return Array.from(this.channels);
  }
}
