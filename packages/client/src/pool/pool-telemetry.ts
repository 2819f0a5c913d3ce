/**
 * The pool's combined telemetry: every socket event, re-emitted with `socket_index` and `endpoint` in its
 * metadata, plus the pool's own `pool:*` events. A socket event is forwarded only while someone listens to
 * it on the pool, so an unobserved pool costs its sockets nothing.
 */
import type { TelemetryEventMap, TelemetryEventName } from '@phx-socket/channel';
import mitt, { type Emitter } from 'mitt';
import type { Telemetry, Unsubscribe } from '../telemetry';
import type { MoveReason } from './pool-channel';

/** Which socket an event came from. */
export interface PoolSocketMetadata {
  /** The socket's slot index in the pool (see `pool.stats().sockets`). */
  socket_index: number;
  endpoint: string;
}

/** The pool's own events. */
export interface PoolOwnEventMap {
  /** A slot created its socket (the first channel placed there). */
  'pool:socket_opened': { measurements: Record<string, never>; metadata: PoolSocketMetadata };
  /** A socket had no channels for `idleSocketCloseMs` and disconnected; it opens again when needed. */
  'pool:socket_closed': { measurements: { idle_ms: number }; metadata: PoolSocketMetadata & { reason: 'idle' } };
  /** A socket kept failing (`reason`: `connect_failures` or `circuit_open`): its channels move away. */
  'pool:socket_unhealthy': { measurements: { failures: number; channels: number }; metadata: PoolSocketMetadata & { reason: string } };
  /** An unhealthy socket stayed connected `recoverAfterMs`: it takes channels again. */
  'pool:socket_healthy': { measurements: { unhealthy_ms: number }; metadata: PoolSocketMetadata };
  /** The server refused a join as "full": the socket takes no more channels than it holds now. */
  'pool:socket_full': { measurements: { channels: number }; metadata: PoolSocketMetadata & { topic: string; reason: unknown } };
  /** A channel moved between sockets and rejoined there. */
  'pool:channel_moved': {
    measurements: Record<string, never>;
    metadata: { topic: string; from_index: number; to_index: number; from: string; to: string; reason: MoveReason };
  };
}

/** A socket event as the pool emits it. */
export type PooledEvent<K extends TelemetryEventName> = {
  measurements: TelemetryEventMap[K]['measurements'];
  metadata: TelemetryEventMap[K]['metadata'] & PoolSocketMetadata;
};

/** Every event of the pool's telemetry: name → `{ measurements, metadata }`. */
export type PoolTelemetryEventMap = { [K in TelemetryEventName]: PooledEvent<K> } & PoolOwnEventMap;
/** Name of a pool telemetry event. */
export type PoolTelemetryEventName = keyof PoolTelemetryEventMap;

/** A subscriber of several events (or `'*'`). */
export type PoolTelemetryAnyHandler = <K extends PoolTelemetryEventName>(name: K, event: PoolTelemetryEventMap[K]) => void;

type Events = { [K in PoolTelemetryEventName]: PoolTelemetryEventMap[K] };

interface Source {
  readonly telemetry: Telemetry;
  readonly meta: PoolSocketMetadata;
  /** Forwarding subscriptions on this socket, by name (`'*'` for all). */
  readonly offs: Map<string, Unsubscribe>;
}

const isOwn = (name: string): boolean => name.startsWith('pool:');

/**
 * @example
 * pool.telemetry.on('channel:joined', ({ metadata }) => console.log(metadata.topic, 'on', metadata.endpoint));
 * pool.telemetry.on('pool:channel_moved', ({ metadata }) => console.log(metadata.topic, metadata.from, '→', metadata.to));
 * pool.telemetry.on('*', (name, e) => monitor(name, e));
 */
export class PoolTelemetry {
  private readonly emitter: Emitter<Events> = mitt<Events>();
  private readonly counts = new Map<string, number>();
  private wildcards = 0;
  private readonly sources: Source[] = [];

  /** Subscribes to one event, or to every event with `'*'`. Returns the unsubscribe function. */
  on<K extends PoolTelemetryEventName>(name: K, handler: (event: PoolTelemetryEventMap[K]) => void): Unsubscribe;
  on(name: '*', handler: PoolTelemetryAnyHandler): Unsubscribe;
  on(name: string, handler: (...args: never[]) => void): Unsubscribe {
    if (typeof handler !== 'function') throw new TypeError(`pool.telemetry.on('${name}', handler): handler must be a function`);
    const guarded = (...args: unknown[]): void => {
      try {
        (handler as (...a: unknown[]) => void)(...args);
      } catch (error) {
        queueMicrotask(() => {
          throw error;
        });
      }
    };
    this.emitter.on(name as PoolTelemetryEventName, guarded as never);
    if (name === '*') this.wildcards++;
    else this.counts.set(name, (this.counts.get(name) ?? 0) + 1);
    this.resync();
    let done = false;
    return () => {
      if (done) return;
      done = true;
      this.emitter.off(name as PoolTelemetryEventName, guarded as never);
      if (name === '*') this.wildcards--;
      else {
        const left = (this.counts.get(name) ?? 1) - 1;
        if (left > 0) this.counts.set(name, left);
        else this.counts.delete(name);
      }
      this.resync();
    };
  }

  /** True when someone listens to `name` on the pool. */
  has(name: PoolTelemetryEventName): boolean {
    return this.wildcards > 0 || this.counts.has(name);
  }

  /** @internal Emits a pool event. */
  emit<K extends keyof PoolOwnEventMap>(name: K, event: PoolOwnEventMap[K]): void {
    if (this.has(name)) this.emitter.emit(name, event as Events[K]);
  }

  /** @internal Adds a socket whose events the pool re-emits. */
  addSource(telemetry: Telemetry, meta: PoolSocketMetadata): void {
    this.sources.push({ telemetry, meta, offs: new Map() });
    this.resync();
  }

  /** @internal Stops re-emitting a socket's events (it closed). */
  removeSource(telemetry: Telemetry): void {
    const at = this.sources.findIndex((s) => s.telemetry === telemetry);
    if (at < 0) return;
    const [source] = this.sources.splice(at, 1);
    for (const off of source?.offs.values() ?? []) off();
  }

  /** Subscribes each socket to exactly what the pool's subscribers want: `'*'`, or the names they use. */
  private resync(): void {
    const wanted = new Set<string>();
    if (this.wildcards > 0) wanted.add('*');
    else for (const name of this.counts.keys()) if (!isOwn(name)) wanted.add(name);
    for (const source of this.sources) {
      for (const [name, off] of source.offs) {
        if (!wanted.has(name)) {
          off();
          source.offs.delete(name);
        }
      }
      for (const name of wanted) {
        if (source.offs.has(name)) continue;
        const { meta } = source;
        const forward = (type: TelemetryEventName, event: { measurements: object; metadata: object }): void => {
          this.emitter.emit(type, { measurements: event.measurements, metadata: { ...event.metadata, ...meta } } as never);
        };
        const off =
          name === '*'
            ? source.telemetry.on('*', forward as never)
            : source.telemetry.on(name as TelemetryEventName, ((event: { measurements: object; metadata: object }) => forward(name as TelemetryEventName, event)) as never);
        source.offs.set(name, off);
      }
    }
  }
}
