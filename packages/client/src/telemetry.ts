/**
 * Telemetry: named events with `{ measurements, metadata }` (Elixir `:telemetry` style), dispatched
 * through mitt. Subscribers are isolated from each other and from the socket.
 */
import type { TelemetryEvent, TelemetryEventMap, TelemetryEventName } from '@phx-socket/channel';
import mitt, { type Emitter } from 'mitt';

/** A subscriber of one event. */
export type TelemetryHandler<K extends TelemetryEventName> = (event: TelemetryEventMap[K]) => void;

/** A subscriber of several events (or `'*'`): gets the event name too. */
export type TelemetryAnyHandler = <K extends TelemetryEventName>(name: K, event: TelemetryEventMap[K]) => void;

/** Stops a subscription. Calling it twice is harmless. */
export type Unsubscribe = () => void;

// mitt wants an index-signature-compatible record; a mapped type gives the interface one.
type Events = { [K in TelemetryEventName]: TelemetryEventMap[K] };

/**
 * The socket's telemetry hub. Subscribing returns an unsubscribe function. A throwing subscriber never
 * stops dispatch to the others: its error is emitted as `handler:error` (a throwing `handler:error`
 * subscriber is dropped silently, so errors cannot loop).
 *
 * @example
 * const off = socket.telemetry.on('heartbeat', ({ measurements }) => rtt.observe(measurements.rtt_ms));
 * socket.telemetry.on('*', (name, event) => console.log(name, event.measurements));
 * off();
 */
export class Telemetry {
  private readonly emitter: Emitter<Events> = mitt<Events>();
  /** Subscribers per name, kept so `has()` is one Map read on the hot path. */
  private readonly counts = new Map<TelemetryEventName, number>();
  private wildcards = 0;
  private reporting = false;

  /** Subscribes to one event, or to every event with `'*'`. */
  on<K extends TelemetryEventName>(name: K, handler: TelemetryHandler<K>): Unsubscribe;
  on(name: '*', handler: TelemetryAnyHandler): Unsubscribe;
  on(name: TelemetryEventName | '*', handler: TelemetryHandler<never> | TelemetryAnyHandler): Unsubscribe {
    if (typeof handler !== 'function') throw new TypeError(`telemetry.on('${name}', handler): handler must be a function`);
    if (name === '*') {
      const any = handler as TelemetryAnyHandler;
      const guarded = (type: TelemetryEventName, event: TelemetryEvent): void => {
        try {
          any(type, event as never);
        } catch (error) {
          this.handlerFailed(error, `telemetry '*' subscriber (on ${type})`, type);
        }
      };
      this.emitter.on('*', guarded as never);
      this.wildcards++;
      return this.once(() => {
        this.emitter.off('*', guarded as never);
        this.wildcards--;
      });
    }
    const one = handler as (event: TelemetryEvent) => void;
    const guarded = (event: TelemetryEvent): void => {
      try {
        one(event);
      } catch (error) {
        this.handlerFailed(error, `telemetry '${name}' subscriber`, name);
      }
    };
    this.emitter.on(name, guarded as never);
    this.counts.set(name, (this.counts.get(name) ?? 0) + 1);
    return this.once(() => {
      this.emitter.off(name, guarded as never);
      const left = (this.counts.get(name) ?? 1) - 1;
      if (left > 0) this.counts.set(name, left);
      else this.counts.delete(name);
    });
  }

  /**
   * Subscribes one handler to several events (`:telemetry.attach_many`); it receives the name too.
   *
   * @example
   * socket.telemetry.attachMany(['socket:connected', 'socket:disconnected'], (name, e) => log(name, e.metadata));
   */
  attachMany(names: readonly TelemetryEventName[], handler: TelemetryAnyHandler): Unsubscribe {
    const offs = names.map((name) => this.on(name, (event: TelemetryEvent) => handler(name, event as never)));
    return () => {
      for (const off of offs) off();
    };
  }

  /** True when someone listens to `name` (directly or through `'*'`): check before building an event. */
  has(name: TelemetryEventName): boolean {
    // Checked per inbound message: with no subscriber at all this is two field reads, no hashing.
    return this.wildcards > 0 || (this.counts.size > 0 && this.counts.has(name));
  }

  /** Emits `event` to the subscribers of `name` and of `'*'`. Never throws. */
  emit<K extends TelemetryEventName>(name: K, event: TelemetryEventMap[K]): void {
    if (!this.has(name)) return;
    this.emitter.emit(name, event as Events[K]);
  }

  private handlerFailed(error: unknown, where: string, during: TelemetryEventName): void {
    // An error raised while reporting an error would recurse; drop it instead.
    if (this.reporting || during === 'handler:error') return;
    this.reporting = true;
    try {
      this.emit('handler:error', { measurements: {}, metadata: { error, where } });
    } finally {
      this.reporting = false;
    }
  }

  private once(fn: () => void): Unsubscribe {
    let done = false;
    return () => {
      if (done) return;
      done = true;
      fn();
    };
  }
}
