/**
 * The third argument of `socket.channel(topic, params, options)`: what one channel adds on top of its
 * socket (its own push rate, catch-up after reconnect).
 */
import type { Channel, ChannelParams } from '@phx-socket/channel';
import { fail, isPlainObject, isPlainObjectLike } from './option-checks';
import type { ChannelRateLimitOptions } from './rate-limit';

/**
 * Options of one channel.
 *
 * @example
 * socket.channel('feed:1', { user: 'ana' }, { rateLimit: { pushesPerSecond: 5 }, catchUp: new CatchUp({ cursor: 'seq' }) });
 */
export interface ChannelOptions {
  /**
   * This channel's own push rate, on top of the socket's. Needs the socket option `rateLimit`.
   * @default undefined (the socket's only)
   */
  rateLimit?: ChannelRateLimitOptions;
  /**
   * `new CatchUp({ cursor, param })`, one per channel: keeps the last cursor seen on this channel and sends it
   * in every (re)join's params; reports gaps. See `CatchUpOptions`. @default undefined
   */
  catchUp?: CursorTracker;
}

/** What `socket.channel` needs of a `catchUp` tracker (a `CatchUp`). */
export interface CursorTracker {
  /** Join params adding the cursor to `base`. */
  params(base?: ChannelParams): ChannelParams;
  /** Starts recording cursors from `channel`'s inbound events. */
  attach(channel: Channel): () => void;
}

/** Checks the shape of `socket.channel`'s options (each option checks its own fields). */
export function checkChannelOptions(options: unknown): ChannelOptions {
  if (options === undefined) return {};
  if (!isPlainObject(options)) fail('type', 'channel options', 'an object such as { rateLimit, catchUp }', options);
  for (const key of Object.keys(options)) {
    if (key !== 'rateLimit' && key !== 'catchUp') fail('type', `channel options.${key}`, 'rateLimit or catchUp (unknown option)', options[key]);
  }
  const { catchUp } = options;
  if (catchUp !== undefined && (!isPlainObjectLike(catchUp) || typeof catchUp.params !== 'function' || typeof catchUp.attach !== 'function')) {
    fail('type', 'channel options.catchUp', "new CatchUp({ cursor: 'seq' }) (import { CatchUp } from '@phx-socket/client')", catchUp);
  }
  return options as ChannelOptions;
}
