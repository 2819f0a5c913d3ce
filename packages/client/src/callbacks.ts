/**
 * The phoenix.js-style socket callbacks (`onOpen`, `onClose`, `onError`, `onMessage`), registered under a
 * ref string and removed with `off(refs)`. Each callback runs isolated: one that throws is reported and
 * the others still run.
 */
import type { Message, TransportCloseEvent } from '@phx-socket/transport';

/** Signatures per kind. `onError` gets a transport error event or one of our `PhxError`s. */
export interface SocketCallbackMap {
  open: () => void;
  close: (event: TransportCloseEvent) => void;
  error: (error: unknown) => void;
  message: (message: Message) => void;
}

/** One of `open`, `close`, `error`, `message`. */
export type SocketCallbackKind = keyof SocketCallbackMap;

/**
 * Callbacks by kind, in registration order. `Map` iteration tolerates removal during dispatch, so
 * dispatching allocates nothing.
 *
 * @example
 * const cbs = new SocketCallbacks((e, where) => report(e, where));
 * cbs.add('open', '1', () => console.log('up'));
 * cbs.run('open');
 * cbs.off(['1']);
 */
export class SocketCallbacks {
  /** Vue's `markRaw` flag: a reactive proxy of a socket or channel (Vue `reactive`/`ref`) stops at this internal object, whose #private members a proxy could not reach (socket.proxy.test.ts). */
  private get __v_skip(): true {
    return true;
  }

  readonly #lists: { [K in SocketCallbackKind]: Map<string, SocketCallbackMap[K]> } = {
    open: new Map(),
    close: new Map(),
    error: new Map(),
    message: new Map(),
  };

  readonly #onThrow: (error: unknown, where: string) => void;

  constructor(onThrow: (error: unknown, where: string) => void) {
    this.#onThrow = onThrow;
  }

  add<K extends SocketCallbackKind>(kind: K, ref: string, callback: SocketCallbackMap[K]): string {
    if (typeof callback !== 'function') throw new TypeError(`on${kind[0]!.toUpperCase()}${kind.slice(1)}(callback): callback must be a function`);
    this.#lists[kind].set(ref, callback);
    return ref;
  }

  /** Removes the callbacks registered under `refs`, whatever their kind. */
  off(refs: readonly string[]): void {
    for (const ref of refs) {
      this.#lists.open.delete(ref);
      this.#lists.close.delete(ref);
      this.#lists.error.delete(ref);
      this.#lists.message.delete(ref);
    }
  }

  /** True when any callback of `kind` is registered. */
  has(kind: SocketCallbackKind): boolean {
    return this.#lists[kind].size > 0;
  }

  run(kind: 'open'): void;
  run(kind: 'close', event: TransportCloseEvent): void;
  run(kind: 'error', error: unknown): void;
  run(kind: 'message', message: Message): void;
  run(kind: SocketCallbackKind, arg?: unknown): void {
    const list = this.#lists[kind] as Map<string, (arg: unknown) => void>;
    if (list.size === 0) return;
    for (const callback of list.values()) {
      try {
        callback(arg);
      } catch (error) {
        this.#onThrow(error, `socket on${kind[0]!.toUpperCase()}${kind.slice(1)} callback`);
      }
    }
  }
}
