/** Compile-time checks of SocketPool: typed channels, options, stats and the combined telemetry (run by `tsc`). */
import { SocketPool, type PoolChannel, type PoolStats, type PoolStrategy } from '../src/index';

type RoomIn = { new_msg: { body: string } };
type RoomOut = { new_msg: { body: string }; typing: { on: boolean } };

const pool = new SocketPool({ endpoints: ['wss://a/socket', 'wss://b/socket'], socketsPerEndpoint: 2, maxChannelsPerSocket: 100, strategy: 'consistent-hash' });
const room: PoolChannel<RoomIn, RoomOut> = pool.channel<RoomIn, RoomOut>('room:1', { token: 't' });
room.on('new_msg', (msg) => msg.body.toUpperCase());
void room.push('typing', { on: true });
// @ts-expect-error payloads follow the Out map
void room.push('typing', { on: 'yes' });
const reply: Promise<unknown> = room.join().then((r) => r);
void reply;

const fillFirst: PoolStrategy = { name: 'fill-first', pick: (_topic, candidates) => candidates[0]! };
new SocketPool({ endpoints: ['wss://a/socket'], strategy: fillFirst, fullRefusals: (response) => response === 'full' });
// @ts-expect-error strategies are named or objects with pick
new SocketPool({ endpoints: ['wss://a/socket'], strategy: 'random' });
// @ts-expect-error endpoints are required
new SocketPool({ socketsPerEndpoint: 2 });

const stats: PoolStats = pool.stats();
const healthy: boolean = stats.sockets[0]!.healthy;
void healthy;
const moves: number = stats.moves.failover + stats.moves.rebalance + stats.moves.overflow;
void moves;

pool.telemetry.on('channel:joined', ({ metadata }) => metadata.topic + metadata.endpoint + metadata.socket_index.toFixed());
pool.telemetry.on('pool:channel_moved', ({ metadata }) => metadata.reason === 'failover' || metadata.reason === 'rebalance' || metadata.reason === 'overflow');
// @ts-expect-error pool events are typed
pool.telemetry.on('pool:channel_moved', ({ metadata }) => metadata.reason === 'moved');

// Idle sockets close: the option takes ms (or Infinity), the event says how long the socket was idle.
new SocketPool({ endpoints: ['wss://a/socket'], idleSocketCloseMs: Infinity });
// @ts-expect-error idleSocketCloseMs is a number of ms
new SocketPool({ endpoints: ['wss://a/socket'], idleSocketCloseMs: '30s' });
pool.telemetry.on('pool:socket_closed', ({ measurements, metadata }) => {
  const idle: number = measurements.idle_ms;
  const reason: 'idle' = metadata.reason;
  void idle;
  void reason;
});

// phoenix.js's socket callbacks, for the whole pool.
const refs: string[] = [pool.onOpen(() => {}), pool.onClose((event) => event.code), pool.onError((error: unknown) => error)];
pool.off(refs);
const state: 'connecting' | 'open' | 'closing' | 'closed' = pool.connectionState();
void state;
