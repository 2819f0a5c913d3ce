import type { ChannelState } from './host';

/**
 * phoenix.js's channel state predicates, over `state`: one implementation for every channel with the
 * `Channel` API (`Channel` itself, a `SocketPool` channel, a tab's `SharedSocket` channel).
 *
 * @example
 * if (channel.isJoined()) await channel.push('new_msg', { body: 'hi' });
 */
export abstract class ChannelStatus {
  /** closed, errored, joining, joined or leaving. */
  abstract readonly state: ChannelState;

  isClosed(): boolean {
    return this.state === 'closed';
  }
  isErrored(): boolean {
    return this.state === 'errored';
  }
  isJoined(): boolean {
    return this.state === 'joined';
  }
  isJoining(): boolean {
    return this.state === 'joining';
  }
  isLeaving(): boolean {
    return this.state === 'leaving';
  }
}
