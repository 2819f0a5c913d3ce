import { CHANNEL_EVENTS } from '@phx-socket/transport';
import { Bindings, type BindingCallback, type BindingErrorSink } from './bindings';
import { JoinLifecycle } from './join-lifecycle';

/** Event name → payload type. The default accepts any event with an unknown payload. */
export type EventMap = { [event: string]: unknown };

/** The payload type of `event` in map `M`; `unknown` for events the map does not name. */
export type PayloadOf<M, K extends string> = K extends keyof M ? M[K] : unknown;

/** Reason given to `onError` callbacks when the socket, not the server, broke the channel. */
export type ChannelErrorReason = unknown;

/** The ref of a channel's first binding, the only one kept inline. */
const FIRST_REF = 1;

/**
 * A channel's inbound handlers: `on`/`off` and the emission of an event to them. The first binding is
 * kept inline in the channel's own fields, any other in a {@link Bindings} map created on demand.
 */
export abstract class BoundChannel<In extends object> extends JoinLifecycle implements BindingErrorSink {
  /** Binds a handler to an inbound event; returns a ref for `off`. */
  on<K extends string>(event: K, callback: BindingCallback<PayloadOf<In, K>>): number {
    return this.bind(event, callback as BindingCallback);
  }

  /** Removes one handler (by ref) or every handler of `event`. */
  off(event: string, ref?: number): void {
    if (event === this.firstEvent) {
      if (ref === undefined || ref === FIRST_REF) {
        this.firstEvent = null;
        this.firstCallback = null;
      }
      return;
    }
    this.moreBindings?.remove(event, ref);
  }

  /** Called when the channel closes (left, or closed by the server). */
  onClose(callback: (payload: unknown, ref: string | null, joinRef: string | null) => void): number {
    return this.bind(CHANNEL_EVENTS.close, callback);
  }

  /** Called when the channel errors (server crash, socket down); the channel then rejoins by itself. */
  onError(callback: (reason: ChannelErrorReason) => void): number {
    return this.bind(CHANNEL_EVENTS.error, (reason) => callback(reason));
  }

  private bind(event: string, callback: BindingCallback): number {
    const ref = this.nextBindingRef();
    if (event === this.firstEvent) {
      // A second handler for the first event: both move to the map, in binding order.
      const more = (this.moreBindings ??= new Bindings());
      more.add(event, this.firstCallback as BindingCallback, FIRST_REF);
      more.add(event, callback, ref);
      this.firstEvent = null;
      this.firstCallback = null;
    } else if (ref === FIRST_REF) {
      this.firstEvent = event;
      this.firstCallback = callback;
    } else {
      (this.moreBindings ??= new Bindings()).add(event, callback, ref);
    }
    return ref;
  }

  protected hasBinding(event: string): boolean {
    return event === this.firstEvent || this.moreBindings?.has(event) === true;
  }

  /**
   * Sees every inbound event before its handlers and returns the payload they get. Override to transform
   * payloads (phoenix.js compatible).
   */
  onMessage(_event: string, payload: unknown, _ref: string | null, _joinRef?: string | null): unknown {
    return payload;
  }

  /** @internal A handler bound with `on` threw. */
  reportHandlerError(error: unknown, event: string): void {
    this.host.reportError(error, `"${event}" handler of "${this.topic}"`);
  }

  protected emitBound(event: string, payload: unknown, ref: string | null, joinRef: string | null): void {
    let handled = payload;
    // The hot path skips the call when onMessage was not overridden (the common case).
    if (this.onMessage !== DEFAULT_ON_MESSAGE) {
      try {
        handled = this.onMessage(event, payload, ref, joinRef);
      } catch (error) {
        this.host.reportError(error, `onMessage of "${this.topic}"`);
        return;
      }
    }
    if (event === this.firstEvent) {
      try {
        (this.firstCallback as BindingCallback)(handled, ref, joinRef);
      } catch (error) {
        this.reportHandlerError(error, event);
      }
    } else {
      this.moreBindings?.dispatch(event, handled, ref, joinRef, this);
    }
  }
}

// A bare module-level property read would keep every channel class in bundles that never use one.
const DEFAULT_ON_MESSAGE = /* @__PURE__ */ (() => BoundChannel.prototype.onMessage)();
