/**
 * Inbound routing: one `Map` read per message, whatever the number of channels. A message carrying a
 * join_ref goes to the channel that sent that join; one without (broadcasts, V1 frames) goes to the
 * newest channel on its topic.
 */
import type { HostedChannel } from '@phx-socket/channel';
import type { Message } from '@phx-socket/transport';

/** Returned when there is nothing to list; callers only read it. */
const NONE: readonly never[] = /* @__PURE__ */ Object.freeze([]);

/** Why a message reached no channel. */
export type DropReason = 'stale_join_ref' | 'unknown_topic';

/**
 * Topic → newest channel, join_ref → channel, and the older channels of a topic (only when a topic was
 * joined twice, which is rare). Nothing here walks every channel except `all()`, which the socket uses
 * on connection events, never per message or per join.
 *
 * @example
 * const router = new Router<Channel>();
 * router.add(channel);
 * router.bindJoinRef(channel, '3', null);
 * router.route(message) ?? drop(router.dropReason(message));
 */
export class Router<C extends HostedChannel = HostedChannel> {
  /** Vue's `markRaw` flag: a reactive proxy of a socket or channel (Vue `reactive`/`ref`) stops at this internal object, whose #private members a proxy could not reach (socket.proxy.test.ts). */
  private get __v_skip(): true {
    return true;
  }

  readonly #byTopic = new Map<string, C>();
  /**
   * join_ref → channel, only for bindings the channel's own `joinRef` does not show (a channel reports
   * the join_ref it was bound to, so in practice this stays empty and costs nothing per channel).
   */
  readonly #byJoinRef = new Map<string, C>();
  /** Channels shadowed by a newer one on the same topic, oldest first. */
  readonly #older = new Map<string, C[]>();
  #count = 0;

  /** Channels owned. */
  get size(): number {
    return this.#count;
  }

  /** Registers a new channel; it becomes the topic's target for join_ref-less messages. */
  add(channel: C): void {
    const previous = this.#byTopic.get(channel.topic);
    if (previous === channel) return;
    if (previous !== undefined) {
      const list = this.#older.get(channel.topic);
      if (list) list.push(previous);
      else this.#older.set(channel.topic, [previous]);
    }
    this.#byTopic.set(channel.topic, channel);
    this.#count++;
  }

  /** Forgets a channel and its join_ref; an older channel on the same topic takes the topic back. */
  remove(channel: C): void {
    const { topic } = channel;
    const list = this.#older.get(topic);
    if (this.#byTopic.get(topic) === channel) {
      const successor = list?.pop();
      if (successor !== undefined) this.#byTopic.set(topic, successor);
      else this.#byTopic.delete(topic);
    } else {
      const at = list ? list.indexOf(channel) : -1;
      if (!list || at < 0) return;
      list.splice(at, 1);
    }
    if (list && list.length === 0) this.#older.delete(topic);
    this.#count--;
    const joinRef = channel.joinRef;
    if (joinRef !== null && this.#byJoinRef.get(joinRef) === channel) this.#byJoinRef.delete(joinRef);
  }

  /** Routes `joinRef` to `channel`; `previous` (its old join_ref) becomes stale. `null` unbinds. */
  bindJoinRef(channel: C, joinRef: string | null, previous: string | null): void {
    if (previous !== null && this.#byJoinRef.get(previous) === channel) this.#byJoinRef.delete(previous);
    if (joinRef !== null && channel.joinRef !== joinRef) this.#byJoinRef.set(joinRef, channel);
  }

  /**
   * The channel `message` belongs to, or undefined (see `dropReason`): one `Map` read by topic, then the
   * join_ref check. Only when the topic's newest channel has another join_ref are the topic's older
   * channels (a duplicate join, rare) and the explicit bindings looked at.
   */
  route(message: Message): C | undefined {
    const channel = this.#byTopic.get(message.topic);
    const joinRef = message.joinRef;
    if (joinRef === null || (channel !== undefined && channel.joinRef === joinRef)) return channel;
    return this.byRef(joinRef, message.topic);
  }

  /** Why `route(message)` found nothing. */
  dropReason(message: Message): DropReason {
    return message.joinRef !== null ? 'stale_join_ref' : 'unknown_topic';
  }

  /** The channel bound to `joinRef` on `topic`, if any; never walks channels of other topics. */
  byRef(joinRef: string, topic: string): C | undefined {
    const bound = this.#byJoinRef.get(joinRef);
    if (bound !== undefined) return bound;
    const newest = this.#byTopic.get(topic);
    if (newest !== undefined && newest.joinRef === joinRef) return newest;
    const older = this.#older.get(topic);
    if (older !== undefined) for (const channel of older) if (channel.joinRef === joinRef) return channel;
    return undefined;
  }

  /** Every channel on `topic` but `except` that is joined or joining (for duplicate-topic handling). */
  openOnTopic(topic: string, except: C | null = null): C[] {
    const newest = this.#byTopic.get(topic);
    // The common case, checked once per join: the joining channel is the only one on its topic.
    if (newest === undefined || (newest === except && !this.#older.has(topic))) return NONE as unknown as C[];
    const found: C[] = [];
    const isOpen = (other: C): boolean => other !== except && (other.state === 'joined' || other.state === 'joining');
    for (const other of this.#older.get(topic) ?? []) if (isOpen(other)) found.push(other);
    if (isOpen(newest)) found.push(newest);
    return found;
  }

  /** A snapshot of every channel, safe to iterate while callbacks add or remove channels. */
  all(): C[] {
    const out = Array.from(this.#byTopic.values());
    for (const list of this.#older.values()) out.push(...list);
    return out;
  }
}
