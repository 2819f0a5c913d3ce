/**
 * phoenix.js's socket callbacks, for a whole pool: `onOpen` when the pool goes from no open socket to one,
 * `onClose` when its last open socket closes, `onError` for an error on any of its sockets. A status
 * indicator written for one `Socket` then reads the same on a pool: one endpoint going down while others
 * serve is not "disconnected" (`pool:socket_unhealthy` says that).
 */
import type { TransportCloseEvent } from '@phx-socket/transport';
import { SocketCallbacks, type SocketCallbackMap } from '../callbacks';
import type { Socket } from '../socket';

/** The callbacks a pool offers (no `message`: subscribe on `pool.socket(i)` or to `pool.telemetry`). */
export type PoolCallbackKind = 'open' | 'close' | 'error';

export class PoolConnection {
  private readonly callbacks: SocketCallbacks;
  private readonly open = new Set<Socket>();
  private seq = 0;

  constructor(onThrow: (error: unknown, where: string) => void) {
    this.callbacks = new SocketCallbacks(onThrow);
  }

  /** True while at least one socket is open. */
  get isOpen(): boolean {
    return this.open.size > 0;
  }

  /** Follows a socket the pool made. */
  watch(socket: Socket): void {
    socket.onOpen(() => {
      this.open.add(socket);
      if (this.open.size === 1) this.callbacks.run('open');
    });
    socket.onClose((event) => this.closed(socket, event));
    socket.onError((error) => this.callbacks.run('error', error));
  }

  /** A socket closed, or the pool let it go. */
  closed(socket: Socket, event: TransportCloseEvent): void {
    if (this.open.delete(socket) && this.open.size === 0) this.callbacks.run('close', event);
  }

  add<K extends PoolCallbackKind>(kind: K, callback: SocketCallbackMap[K]): string {
    return this.callbacks.add(kind, `pool-${++this.seq}`, callback);
  }

  off(refs: readonly string[]): void {
    this.callbacks.off(refs);
  }
}
