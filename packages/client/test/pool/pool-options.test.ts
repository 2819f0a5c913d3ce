import { describe, expect, it } from 'vitest';
import { DEFAULT_POOL_OPTIONS, PoolOptionError, SocketPool, type SocketPoolOptions } from '../../src/index';

const url = 'ws://127.0.0.1:1/socket';

function rejection(options: unknown): PoolOptionError {
  try {
    new SocketPool(options as SocketPoolOptions);
  } catch (error) {
    expect(error).toBeInstanceOf(PoolOptionError);
    return error as PoolOptionError;
  }
  throw new Error('expected new SocketPool() to throw');
}

describe('SocketPool options', () => {
  it.each([
    [undefined, 'endpoints'],
    [{ endpoints: [] }, 'endpoints'],
    [{ endpoints: [url, url] }, 'endpoints'],
    [{ endpoints: [42] }, 'endpoints'],
    [{ endpoints: [url], socketsPerEndpoint: 0 }, 'socketsPerEndpoint'],
    [{ endpoints: [url], maxChannelsPerSocket: 1.5 }, 'maxChannelsPerSocket'],
    [{ endpoints: [url], strategy: 'random' }, 'strategy'],
    [{ endpoints: [url], strategy: {} }, 'strategy'],
    [{ endpoints: [url], socket: { autoConnect: true } }, 'socket'],
    [{ endpoints: [url], fullRefusals: [''] }, 'fullRefusals'],
    [{ endpoints: [url], unhealthyAfterFailures: -1 }, 'unhealthyAfterFailures'],
    [{ endpoints: [url], recoverAfterMs: Number.NaN }, 'recoverAfterMs'],
    [{ endpoints: [url], rebalance: 'yes' }, 'rebalance'],
    [{ endpoints: [url], idleSocketCloseMs: -5 }, 'idleSocketCloseMs'],
    [{ endpoints: [url], idleSocketCloseMs: '1s' }, 'idleSocketCloseMs'],
    [{ endpoints: [url], sockets: 3 }, 'sockets'],
  ])('rejects %j with a PoolOptionError naming %s', (options, option) => {
    const error = rejection(options);
    expect(error.code).toBe('invalid_pool_option');
    expect(error.option).toBe(option);
    expect(error.message).toContain(option);
  });

  it('takes every default from one frozen object', () => {
    expect(Object.isFrozen(DEFAULT_POOL_OPTIONS)).toBe(true);
    const pool = new SocketPool({ endpoints: [url, 'ws://127.0.0.1:2/socket'] });
    expect(pool.size).toBe(2 * DEFAULT_POOL_OPTIONS.socketsPerEndpoint);
    expect(pool.stats().sockets.every((s) => s.capacity === DEFAULT_POOL_OPTIONS.maxChannelsPerSocket)).toBe(true);
    pool.dispose();
  });

  it('interleaves endpoints in slot order', () => {
    const b = 'ws://127.0.0.1:2/socket';
    const pool = new SocketPool({ endpoints: [url, b], socketsPerEndpoint: 2 });
    expect(pool.stats().sockets.map((s) => s.endpoint)).toEqual([url, b, url, b]);
    pool.dispose();
  });
});
