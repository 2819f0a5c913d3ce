/**
 * The socket's optional parts, as the socket sees them: message hooks (built in: small, and `use()` is a
 * method) and, when the app passes `features: perfFeatures`, the binary pool, topic handlers + route
 * cache and hibernation. The heavy parts live in `perf-features.ts` and reach the socket only through
 * that option, so an app that does not use them does not bundle them (or lru-cache). The per-message
 * path asks one question, `features.tap !== null`; with nothing configured the answer is always no.
 */
import type { Channel, HostedChannel, Scheduler } from '@phx-socket/channel';
import {
  Cacheable,
  type BinaryPoolOptions,
  type BinaryPoolStats,
  type HibernatedEvent,
  type HibernationOptions,
  type HibernationStats,
  type RouteCacheOptions,
  type WokeEvent,
} from '@phx-socket/perf';
import { CHANNEL_EVENTS, type Message, type Serializer } from '@phx-socket/transport';
import { MessageHooks, type HookStats, type MessageHook, type MessageHookFn } from './hooks';
import type { ChannelHandlerSpec, TopicHandlerMap, TopicHandlerStats } from './topic-handlers';

/** The options the perf features read (declared on `SocketOptions`). */
export interface SocketFeatureOptions {
  binaryPool?: BinaryPoolOptions;
  routeCache?: RouteCacheOptions;
  topicHandlers?: TopicHandlerMap;
  defaultHandler?: ChannelHandlerSpec;
  hibernation?: HibernationOptions;
}

/**
 * `socket.stats()`: one snapshot per component; `null` for a component that is not configured.
 *
 * @example
 * const { binaryPool, routeCache, hibernation, hooks } = socket.stats();
 * console.log(`pool hit rate ${binaryPool && binaryPool.hits / (binaryPool.hits + binaryPool.misses)}`);
 */
export interface SocketStats {
  binaryPool: BinaryPoolStats | null;
  routeCache: TopicHandlerStats | null;
  hibernation: HibernationStats | null;
  hooks: HookStats;
}

/** What the features need from their socket. */
export interface FeatureHost {
  readonly scheduler: Scheduler;
  channels(): HostedChannel[];
  /** Heartbeat interval override while hibernated; null restores it. */
  stretchHeartbeat(intervalMs: number | null): void;
  /** Closes the transport on hibernation's behalf (not the app's `disconnect()`: no give-up). */
  closeTransport(): void;
  openTransport(): void;
  hibernated(event: HibernatedEvent): void;
  woke(event: WokeEvent): void;
  reportError(error: unknown, where: string): void;
}

/** What `perfFeatures` builds: the pool, topic handlers and hibernation of one socket. */
export interface PerfFeatureSet {
  /** Wraps the serializer (binary pool), or returns it. */
  serializer(base: Serializer): Serializer;
  /** Attaches topic handlers to a new channel; null when there are none. */
  readonly attach: ((channel: Channel) => void) | null;
  /** App traffic went by (hibernation); null when hibernation is off. */
  readonly touch: (() => void) | null;
  /** Something needs the connection (hibernation). */
  demand(reason: 'push' | 'join'): void;
  connected(): void;
  disconnected(): void;
  stats(): Omit<SocketStats, 'hooks'>;
}

/**
 * The `features` option: builds a socket's perf parts from its options. Pass `perfFeatures`.
 *
 * @example
 * import { Socket, perfFeatures } from '@phx-socket/client';
 * new Socket(url, { features: perfFeatures, binaryPool: { size: 200 }, hibernation: { idleTimeoutMs: 60_000 } });
 */
export type PerfFeatures = (options: SocketFeatureOptions, host: FeatureHost) => PerfFeatureSet;

/** Per-message work of the configured features. */
export interface Tap {
  /** An app message arrived: the message to route, or null when a hook dropped it. */
  inbound(message: Message): Message | null;
  /** An app message is about to go out: the message to send, or null when a hook dropped it. */
  outbound(message: Message): Message | null;
}

const PERF_OPTIONS = ['binaryPool', 'routeCache', 'topicHandlers', 'defaultHandler', 'hibernation'] as const;

/**
 * Hooks plus the perf set (if any), and the one `tap` the socket consults per message.
 */
export class SocketFeatures {
  /** Vue's `markRaw` flag: a reactive proxy of a socket or channel (Vue `reactive`/`ref`) stops at this internal object, whose #private members a proxy could not reach (socket.proxy.test.ts). */
  private get __v_skip(): true {
    return true;
  }

  readonly hooks: MessageHooks;
  /** Null unless `features` was given. */
  readonly #perf: PerfFeatureSet | null;

  /** Null while no hook is installed and hibernation is off: the socket then skips all of this. */
  tap: Tap | null = null;

  constructor(options: SocketFeatureOptions & { features?: PerfFeatures }, host: FeatureHost) {
    this.hooks = new MessageHooks(host.reportError);
    const factory = options.features;
    if (factory !== undefined && typeof factory !== 'function') {
      throw new TypeError(`features must be perfFeatures (import { perfFeatures } from '@phx-socket/client'), got ${typeof factory}`);
    }
    if (factory === undefined) {
      const used = PERF_OPTIONS.find((name) => options[name] !== undefined);
      if (used !== undefined) {
        throw new TypeError(`${used} needs features: perfFeatures (import { perfFeatures } from '@phx-socket/client')`);
      }
    }
    this.#perf = factory === undefined ? null : factory(options, host);
    this.#retap();
  }

  /** The socket's serializer, wrapped by the binary pool when there is one. */
  serializer(base: Serializer): Serializer {
    return this.#perf === null ? base : this.#perf.serializer(base);
  }

  /** Topic handler attachment for new channels, or null. */
  get attach(): ((channel: Channel) => void) | null {
    return this.#perf?.attach ?? null;
  }

  /** Installs a hook; returns its remover. */
  use(hook: MessageHook | MessageHookFn): () => void {
    const remove = this.hooks.add(hook);
    this.#retap();
    return () => {
      remove();
      this.#retap();
    };
  }

  /** The app called `connect()`. */
  connected(): void {
    this.#perf?.connected();
  }

  /** The app called `disconnect()`. */
  disconnected(): void {
    this.#perf?.disconnected();
  }

  /** A push waits in a channel buffer for the connection. */
  demand(): void {
    this.#perf?.demand('push');
  }

  stats(): SocketStats {
    const perf = this.#perf?.stats() ?? { binaryPool: null, routeCache: null, hibernation: null };
    return { ...perf, hooks: this.hooks.stats() };
  }

  #retap(): void {
    const hooks = this.hooks.size > 0 ? this.hooks : null;
    const perf = this.#perf;
    const touch = perf?.touch ?? null;
    if (hooks === null && touch === null) {
      this.tap = null;
      return;
    }
    this.tap = {
      inbound: (message) => {
        if (touch !== null) touch();
        return hooks === null ? message : hooks.inbound(message);
      },
      outbound: (message) => {
        if (touch !== null) perf?.demand(message.event === CHANNEL_EVENTS.join ? 'join' : 'push');
        if (hooks === null) return message;
        const payload = message.payload;
        if (!(payload instanceof Cacheable)) return hooks.outbound(message);
        // Hooks see the payload, not the pool's marker (spreading the marker would send its fields). If
        // no hook replaced the message, the marker goes on to the pool; a replaced one is encoded as is.
        const plain: Message = { ...message, payload: payload.value };
        const result = hooks.outbound(plain);
        return result === plain ? message : result;
      },
    };
  }
}
