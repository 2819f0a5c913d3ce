/**
 * `perfFeatures`: the binary pool, topic handlers + route cache, and hibernation of a socket, built from
 * its options. Passed in as `features: perfFeatures` rather than built into `Socket`, so apps that do not
 * use them bundle none of this (nor lru-cache).
 */
import type { Channel } from '@phx-socket/channel';
import { BinaryPool, HibernationManager, pooledSerializer, resolveHibernationOptions } from '@phx-socket/perf';
import type { Serializer } from '@phx-socket/transport';
import type { FeatureHost, PerfFeatures, PerfFeatureSet, SocketFeatureOptions, SocketStats } from './socket-features';
import { TopicHandlers } from './topic-handlers';
import { isPageHidden, watchPage } from './visibility';

/**
 * Enables `binaryPool`, `routeCache`, `topicHandlers`/`defaultHandler` and `hibernation` on a socket.
 * Options are checked eagerly, from the socket's constructor (`TypeError`/`RangeError` naming the option).
 *
 * @example
 * import { Socket, perfFeatures } from '@phx-socket/client';
 * const socket = new Socket(url, {
 *   features: perfFeatures,
 *   binaryPool: { size: 200 },
 *   topicHandlers: { 'rooms:*': ChatHandler },
 *   hibernation: { idleTimeoutMs: 120_000 },
 * });
 */
export const perfFeatures: PerfFeatures = (options, host) => new PerfFeatureParts(options, host);

class PerfFeatureParts implements PerfFeatureSet {
  readonly pool: BinaryPool | null;
  readonly handlers: TopicHandlers | null;
  readonly hibernation: HibernationManager | null;
  readonly attach: ((channel: Channel) => void) | null;
  readonly touch: (() => void) | null;
  #stopWatchingPage: (() => void) | null = null;

  readonly #host: FeatureHost;

  constructor(
    options: SocketFeatureOptions,
    host: FeatureHost,
  ) {
    this.#host = host;
    const scheduler = host.scheduler;
    this.pool = options.binaryPool === undefined ? null : new BinaryPool({ ...checkObject('binaryPool', options.binaryPool), scheduler });
    const handlers =
      options.topicHandlers === undefined && options.defaultHandler === undefined && options.routeCache === undefined
        ? null
        : new TopicHandlers(options.topicHandlers, options.defaultHandler, { ...checkObject('routeCache', options.routeCache), scheduler }, host.reportError);
    this.handlers = handlers;
    this.attach = handlers === null ? null : (channel) => void handlers.attach(channel);
    const hibernation = resolveHibernationOptions(options.hibernation);
    const manager =
      hibernation === null
        ? null
        : new HibernationManager(
            hibernation,
            {
              shed: () => {
                if (hibernation.heartbeatIntervalMs > 0) host.stretchHeartbeat(hibernation.heartbeatIntervalMs);
                return this.#shed();
              },
              unshed: () => {
                if (hibernation.heartbeatIntervalMs > 0) host.stretchHeartbeat(null);
                this.#unshed();
              },
              heldBytes: () => (this.pool?.bytes ?? 0) + (this.handlers?.cache.bytes ?? 0),
              canDisconnect: () => this.#canDisconnect(hibernation.needsLiveDelivery),
              disconnect: () => host.closeTransport(),
              reconnect: () => host.openTransport(),
              isPageHidden,
              hibernated: (event) => host.hibernated(event),
              woke: (event) => host.woke(event),
            },
            scheduler,
          );
    this.hibernation = manager;
    this.touch = manager === null ? null : () => manager.touch();
    // Sweeps run only between connect() and disconnect(): a socket the app dropped keeps no timer alive.
    this.pool?.pause();
    this.handlers?.cache.pause();
  }

  serializer(base: Serializer): Serializer {
    return this.pool === null ? base : pooledSerializer(base, this.pool);
  }

  demand(reason: 'push' | 'join'): void {
    this.hibernation?.demand(reason);
  }

  connected(): void {
    if (this.hibernation?.state !== 'shed') this.#unshed();
    if (this.hibernation === null) return;
    this.hibernation.start();
    this.#stopWatchingPage ??= watchPage(() => this.hibernation?.visible());
  }

  disconnected(): void {
    if (this.hibernation !== null) {
      this.hibernation.stop();
      this.#stopWatchingPage?.();
      this.#stopWatchingPage = null;
    }
    this.pool?.pause();
    this.handlers?.cache.pause();
  }

  stats(): Omit<SocketStats, 'hooks'> {
    return {
      binaryPool: this.pool?.stats() ?? null,
      routeCache: this.handlers?.stats() ?? null,
      hibernation: this.hibernation?.stats() ?? null,
    };
  }

  #shed(): number {
    let released = 0;
    if (this.pool !== null) {
      released += this.pool.clear();
      this.pool.pause();
    }
    if (this.handlers !== null) {
      released += this.handlers.cache.clear();
      this.handlers.cache.pause();
    }
    return released;
  }

  #unshed(): void {
    this.pool?.resume();
    this.handlers?.cache.resume();
  }

  #canDisconnect(needsLiveDelivery: (topic: string) => boolean): boolean {
    for (const channel of this.#host.channels()) {
      if (channel.state !== 'joined' && channel.state !== 'joining') continue;
      try {
        if (needsLiveDelivery(channel.topic)) return false;
      } catch (error) {
        this.#host.reportError(error, 'hibernation.needsLiveDelivery');
        return false;
      }
    }
    return true;
  }
}

function checkObject<T extends object>(option: string, value: T | undefined): T | undefined {
  if (value === undefined) return undefined;
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    throw new TypeError(`${option} must be an object, got ${value === null ? 'null' : Array.isArray(value) ? 'an array' : typeof value}`);
  }
  return value;
}
