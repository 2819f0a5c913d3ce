/** A handler bound with `channel.on`. */
export type BindingCallback<P = unknown> = (payload: P, ref: string | null, joinRef: string | null) => void;

/** Where a throwing handler is reported; the channel passes itself, so dispatch creates no closure. */
export interface BindingErrorSink {
  reportHandlerError(error: unknown, event: string): void;
}

/** The common case: one handler for an event, reached in one hop from the map. */
interface Single {
  readonly ref: number;
  readonly callback: BindingCallback;
  readonly refs?: undefined;
  readonly callbacks?: undefined;
}

/** Several handlers of one event, in binding order (copy-on-write). */
interface Group {
  readonly ref?: undefined;
  readonly callback?: undefined;
  readonly refs: readonly number[];
  readonly callbacks: readonly BindingCallback[];
}

/**
 * Event → handlers: one `Map` lookup per inbound message, then the handler. Groups are copy-on-write,
 * so a handler may call `on`/`off` while dispatch iterates, and dispatch never allocates. The class is
 * the map itself. A channel keeps its first single-handler binding in its own fields and creates this
 * map only for a second event or a second handler (refs come from the channel, so they stay unique).
 */
export class Bindings extends Map<string, Single | Group> {
  /** Vue's `markRaw` flag: a reactive proxy of the channel (Vue `reactive`/`ref`) stops here; Vue's Map handling would take `add` for `Set.add`. */
  private get __v_skip(): true {
    return true;
  }

  /** Adds a handler under `ref` (chosen by the caller, increasing). */
  add(event: string, callback: BindingCallback, ref: number): void {
    const current = this.get(event);
    if (current === undefined) this.set(event, { ref, callback });
    else if (current.callback !== undefined) this.set(event, { refs: [current.ref, ref], callbacks: [current.callback, callback] });
    else this.set(event, { refs: [...current.refs, ref], callbacks: [...current.callbacks, callback] });
  }

  /** Removes one handler by ref, or every handler of `event` when `ref` is omitted. */
  remove(event: string, ref?: number): void {
    const current = this.get(event);
    if (current === undefined) return;
    if (ref === undefined || current.ref === ref) {
      this.delete(event);
      return;
    }
    if (current.refs === undefined) return;
    const at = current.refs.indexOf(ref);
    if (at < 0) return;
    const refs = current.refs.filter((_, i) => i !== at);
    const callbacks = current.callbacks.filter((_, i) => i !== at);
    if (refs.length === 1) this.set(event, { ref: refs[0] as number, callback: callbacks[0] as BindingCallback });
    else this.set(event, { refs, callbacks });
  }

  /** Calls every handler of `event`; a throwing handler is reported and the others still run. */
  dispatch(event: string, payload: unknown, ref: string | null, joinRef: string | null, sink: BindingErrorSink): void {
    const bound = this.get(event);
    if (bound === undefined) return;
    const single = bound.callback;
    if (single !== undefined) {
      try {
        single(payload, ref, joinRef);
      } catch (error) {
        sink.reportHandlerError(error, event);
      }
      return;
    }
    const callbacks = bound.callbacks;
    for (let i = 0; i < callbacks.length; i++) {
      try {
        (callbacks[i] as BindingCallback)(payload, ref, joinRef);
      } catch (error) {
        sink.reportHandlerError(error, event);
      }
    }
  }
}
