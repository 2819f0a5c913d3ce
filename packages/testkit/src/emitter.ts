import { WaitTimeoutError } from './errors';

/** A listener of one event. */
export type Listener<T> = (payload: T) => void;

/**
 * A small typed event emitter. `on()` returns its unsubscribe function. A throwing listener does
 * not stop dispatch to the others; its error is re-thrown on a later microtask so a failing
 * assertion inside a listener still fails the test.
 */
export class TypedEmitter<Events extends object> {
  private readonly listeners = new Map<keyof Events, Set<Listener<never>>>();

  /**
   * Subscribes; returns the unsubscribe function.
   *
   * @example
   * const off = server.on('join', (e) => console.log(e.topic));
   * off();
   */
  on<K extends keyof Events>(name: K, listener: Listener<Events[K]>): () => void {
    let set = this.listeners.get(name);
    if (!set) {
      set = new Set();
      this.listeners.set(name, set);
    }
    set.add(listener as Listener<never>);
    return () => {
      set.delete(listener as Listener<never>);
    };
  }

  /** Calls every listener of `name` with `payload`. */
  emit<K extends keyof Events>(name: K, payload: Events[K]): void {
    const set = this.listeners.get(name);
    if (!set || set.size === 0) return;
    for (const listener of [...set]) {
      try {
        (listener as Listener<Events[K]>)(payload);
      } catch (error) {
        queueMicrotask(() => {
          throw error;
        });
      }
    }
  }

  /**
   * Resolves with the next `name` event for which `predicate` returns true; rejects with
   * `WaitTimeoutError` (code `PHX_TESTKIT_TIMEOUT`) after `timeoutMs` (default 5000).
   *
   * @example
   * const { topic } = await server.waitFor('join', (e) => e.topic === 'room:1');
   */
  waitFor<K extends keyof Events>(
    name: K,
    predicate?: (payload: Events[K]) => boolean,
    timeoutMs = 5000,
  ): Promise<Events[K]> {
    return new Promise<Events[K]>((resolve, reject) => {
      const timer = setTimeout(() => {
        off();
        reject(new WaitTimeoutError(String(name), timeoutMs));
      }, timeoutMs);
      const off = this.on(name, (payload) => {
        if (predicate && !predicate(payload)) return;
        clearTimeout(timer);
        off();
        resolve(payload);
      });
    });
  }

  /** Removes every listener. */
  clear(): void {
    this.listeners.clear();
  }
}
