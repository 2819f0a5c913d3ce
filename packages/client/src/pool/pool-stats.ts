/** `pool.stats()`: a snapshot per socket slot and totals. */
import type { SocketState } from '../connection-state';

/** One socket slot of the pool. */
export interface PoolSocketStats {
  readonly index: number;
  readonly endpoint: string;
  /** The socket's status, or `'unopened'` while no channel needed it. */
  readonly state: SocketState['status'] | 'unopened';
  /** Channels placed on it now (joined, joining or errored). */
  readonly channels: number;
  /** False while the pool moves channels away from it (its endpoint keeps failing). */
  readonly healthy: boolean;
  /** Channels it takes: `maxChannelsPerSocket`, lowered to what it held when the server refused a join as full. */
  readonly capacity: number;
}

/** Channel moves since the pool was made, by reason. */
export interface PoolMoveStats {
  failover: number;
  rebalance: number;
  overflow: number;
}

/** A snapshot of a `SocketPool`. */
export interface PoolStats {
  readonly sockets: readonly PoolSocketStats[];
  /** Channels placed on a socket now. */
  readonly channels: number;
  /** Sockets created so far (they open lazily). */
  readonly opened: number;
  /** Healthy socket slots (unopened ones count as healthy). */
  readonly healthy: number;
  readonly moves: Readonly<PoolMoveStats>;
}
