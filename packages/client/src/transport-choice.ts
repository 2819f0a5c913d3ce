/**
 * Which transport class a connect attempt uses: the primary (the `transport` option, else the default
 * WebSocket transport, made once) or, once the socket fell back, the LongPoll fallback
 * (`longPollFallbackMs` + `longPollTransport`). The supervisor asks for the class before every attempt.
 */
import { createWebSocketTransport, type TransportConstructor } from '@phx-socket/transport';
import { transportName } from './connection';
import { TransportFallback, type FallbackEvent } from './fallback';
import type { ResolvedSocketOptions } from './options';
import type { SupervisorHooks } from './supervisor';
import type { Telemetry } from './telemetry';

/**
 * The primary transport class and the optional LongPoll fallback of one supervisor.
 *
 * @example
 * const choice = new TransportChoice(options, telemetry, hooks, (event) => fellBack(event));
 * const transport = choice.next();
 * choice.watchFallback(transport);
 */
export class TransportChoice {
  /** The LongPoll fallback, when `longPollFallbackMs` is set. */
  readonly fallback: TransportFallback | null;
  #transportClass: TransportConstructor | null = null;

  readonly #options: ResolvedSocketOptions;
  readonly #telemetry: Telemetry;
  readonly #hooks: Pick<SupervisorHooks, 'log' | 'reportError'>;

  constructor(
    options: ResolvedSocketOptions,
    telemetry: Telemetry,
    hooks: Pick<SupervisorHooks, 'log' | 'reportError'>,
    onFallback: (event: FallbackEvent) => void,
  ) {
    this.#options = options;
    this.#telemetry = telemetry;
    this.#hooks = hooks;
    const { longPollFallbackMs, longPollTransport } = options;
    this.fallback =
      longPollFallbackMs !== undefined && longPollTransport !== undefined
        ? new TransportFallback({
            afterMs: longPollFallbackMs,
            transport: longPollTransport,
            transportName: transportName(longPollTransport),
            store: options.sessionStorage,
            scheduler: options.scheduler,
            onFallback,
          })
        : null;
  }

  /** The class for the next attempt: the fallback once the socket fell back, else the primary. */
  next(): TransportConstructor {
    return this.fallback?.active ? this.fallback.transport : this.#primary();
  }

  /** Arms the fallback deadline for a primary attempt, or reports a fallback the session store remembered. */
  watchFallback(transport: TransportConstructor): void {
    const fallback = this.fallback;
    if (fallback === null) return;
    if (!fallback.active) {
      fallback.primaryStarted(transportName(transport));
      return;
    }
    const remembered = fallback.rememberedEvent(transportName(this.#primary()));
    if (remembered) this.reportFallback(remembered);
  }

  /** Logs the switch and emits `transport:fallback` telemetry. */
  reportFallback(event: FallbackEvent): void {
    this.#hooks.log('transport', `falling back from ${event.from} to ${event.to} (${event.reason}, after ${event.afterMs} ms)`);
    this.#telemetry.emit('transport:fallback', { measurements: { after_ms: event.afterMs }, metadata: { from: event.from, to: event.to } });
  }

  /** The primary transport class: the `transport` option, else the default WebSocket transport (made once). */
  #primary(): TransportConstructor {
    if (this.#transportClass !== null) return this.#transportClass;
    const given = this.#options.transport;
    if (given !== undefined) return (this.#transportClass = given);
    const tuning = this.#options.transportOptions;
    const userNotice = tuning.onNotice;
    this.#transportClass = createWebSocketTransport({
      ...tuning,
      onNotice: (message) => {
        this.#telemetry.emit('transport:notice', { measurements: {}, metadata: { message } });
        if (userNotice) {
          try {
            userNotice(message);
          } catch (error) {
            this.#hooks.reportError(error, 'transportOptions.onNotice');
          }
        }
      },
    });
    return this.#transportClass;
  }
}
