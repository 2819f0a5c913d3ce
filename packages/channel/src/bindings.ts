/** A handler bound with `channel.on`. */
export type BindingCallback<P = unknown> = (payload: P, ref: string | null, joinRef: string | null) => void;

interface Binding {
  ref: number;
  callback: BindingCallback;
}

/**
 * Event → handlers, one `Map` lookup per inbound message. Arrays are copy-on-write so a handler may call
 * `on`/`off` while dispatch iterates, and dispatch itself never allocates.
 */
export class Bindings {
  private readonly byEvent = new Map<string, readonly Binding[]>();
  private nextRef = 0;

  /** Adds a handler; returns its ref for `off`. */
  add(event: string, callback: BindingCallback): number {
    const ref = ++this.nextRef;
    const current = this.byEvent.get(event);
    this.byEvent.set(event, current ? [...current, { ref, callback }] : [{ ref, callback }]);
    return ref;
  }

  /** Removes one handler by ref, or every handler of `event` when `ref` is omitted. */
  remove(event: string, ref?: number): void {
    const current = this.byEvent.get(event);
    if (!current) return;
    if (ref === undefined) {
      this.byEvent.delete(event);
      return;
    }
    const next = current.filter((b) => b.ref !== ref);
    if (next.length === 0) this.byEvent.delete(event);
    else this.byEvent.set(event, next);
  }

  /** True when anything is bound to `event`. */
  has(event: string): boolean {
    return this.byEvent.has(event);
  }

  /** Calls every handler of `event`; a throwing handler is reported and the others still run. */
  dispatch(
    event: string,
    payload: unknown,
    ref: string | null,
    joinRef: string | null,
    onError: (error: unknown) => void,
  ): void {
    const list = this.byEvent.get(event);
    if (!list) return;
    for (let i = 0; i < list.length; i++) {
      try {
        (list[i] as Binding).callback(payload, ref, joinRef);
      } catch (error) {
        onError(error);
      }
    }
  }

  clear(): void {
    this.byEvent.clear();
  }
}
