/** The tab ↔ worker protocol: versioned messages, stable keys, errors and clocks that survive the port. */
import { describe, expect, it } from 'vitest';
import { ConnectError } from '../../src/index';
import {
  isTabMessage,
  isWorkerMessage,
  isWireErrorValue,
  messageVersion,
  paramsKey,
  SHARED_PROTOCOL_VERSION,
  shiftState,
  socketKey,
  stableStringify,
  tabMessage,
  toWireError,
  toWireMetadata,
  workerMessage,
} from '../../src/shared/protocol';

describe('the shared protocol', () => {
  it('stamps every message with the protocol version', () => {
    expect(tabMessage({ t: 'ping' })).toEqual({ v: SHARED_PROTOCOL_VERSION, t: 'ping' });
    expect(workerMessage({ t: 'pong' })).toEqual({ v: SHARED_PROTOCOL_VERSION, t: 'pong' });
  });

  it('accepts only messages of its own version and known types', () => {
    expect(isTabMessage(tabMessage({ t: 'bye' }))).toBe(true);
    expect(isTabMessage({ v: SHARED_PROTOCOL_VERSION + 1, t: 'bye' })).toBe(false);
    expect(isTabMessage({ v: SHARED_PROTOCOL_VERSION, t: 'pong' })).toBe(false);
    expect(isWorkerMessage({ v: SHARED_PROTOCOL_VERSION, t: 'pong' })).toBe(true);
    expect(isWorkerMessage({ v: SHARED_PROTOCOL_VERSION, t: 'hello' })).toBe(false);
    expect(isTabMessage('ping')).toBe(false);
    expect(isTabMessage(null)).toBe(false);
  });

  it('reads the version of a message from another build, so it can be refused by name', () => {
    expect(messageVersion({ v: 7, t: 'hello' })).toBe(7);
    expect(messageVersion({ t: 'hello' })).toBeNull();
    expect(messageVersion(42)).toBeNull();
  });

  it('gives equal params one key whatever their key order', () => {
    expect(stableStringify({ b: 1, a: { d: 2, c: [3, { f: 1, e: 0 }] } })).toBe('{"a":{"c":[3,{"e":0,"f":1}],"d":2},"b":1}');
    expect(paramsKey({ user: 'ana', room: 1 })).toBe(paramsKey({ room: 1, user: 'ana' }));
    expect(paramsKey({ user: 'ana' })).not.toBe(paramsKey({ user: 'bob' }));
  });

  it('keys a shared socket by endpoint, vsn, params and a string auth token', () => {
    const base = socketKey('ws://h/socket', undefined, { token: 't' }, null);
    expect(socketKey('ws://h/socket', undefined, { token: 't' }, null)).toBe(base);
    expect(socketKey('ws://other/socket', undefined, { token: 't' }, null)).not.toBe(base);
    expect(socketKey('ws://h/socket', '1.0.0', { token: 't' }, null)).not.toBe(base);
    expect(socketKey('ws://h/socket', undefined, { token: 'u' }, null)).not.toBe(base);
    expect(socketKey('ws://h/socket', undefined, { token: 't' }, 'secret')).not.toBe(base);
  });

  it('turns errors into plain data that keeps code, name, message and a reply response', () => {
    const connect = new ConnectError('params');
    expect(toWireError(connect)).toMatchObject({ name: 'ConnectError', code: 'connect_error', message: connect.message });
    expect(toWireError(Object.assign(new Error('x'), { code: 'reply_error', response: { reason: 'no' } }))).toMatchObject({ code: 'reply_error', response: { reason: 'no' } });
    expect(toWireError('boom')).toEqual({ name: 'Error', code: 'error', message: 'boom' });
    expect(structuredClone(toWireError(connect))).toEqual(toWireError(connect));
  });

  it('marks errors in telemetry metadata so the tab can rebuild them, leaving other metadata untouched', () => {
    const plain = { topic: 'room:1', event: 'x' };
    expect(toWireMetadata(plain)).toBe(plain);
    const wire = toWireMetadata({ error: new ConnectError('transport'), where: 'w' }) as Record<string, unknown>;
    expect(isWireErrorValue(wire.error)).toBe(true);
    expect(wire.where).toBe('w');
    expect(isWireErrorValue({ code: 'x' })).toBe(false);
  });

  it('shifts the clock fields of a state snapshot to the tab clock and nothing else', () => {
    expect(shiftState({ status: 'open', attempt: 0, url: 'u', transport: 'websocket', connectedAt: 100 }, 50)).toEqual({
      status: 'open',
      attempt: 0,
      url: 'u',
      transport: 'websocket',
      connectedAt: 150,
    });
    const waiting = { status: 'reconnecting', attempt: 2, delayMs: 10, nextAttemptAt: null, reason: 'r', lastClose: null } as const;
    expect(shiftState(waiting, 50)).toEqual(waiting);
    const idle = { status: 'idle' } as const;
    expect(shiftState(idle, 0)).toBe(idle);
  });
});
