import { describe, expect, it } from 'vitest';
import {
  DEFAULT_WEBSOCKET_TRANSPORT_OPTIONS,
  nodeOnlyOptionsSet,
  resolveWebSocketTransportOptions,
  type WebSocketTransportOptions,
} from '../src/websocket-options';

describe('DEFAULT_WEBSOCKET_TRANSPORT_OPTIONS', () => {
  it('is frozen, headers included', () => {
    expect(Object.isFrozen(DEFAULT_WEBSOCKET_TRANSPORT_OPTIONS)).toBe(true);
    expect(Object.isFrozen(DEFAULT_WEBSOCKET_TRANSPORT_OPTIONS.headers)).toBe(true);
  });

  it('turns Nagle off, keep-alive on, compression off and TLS verification on', () => {
    expect(DEFAULT_WEBSOCKET_TRANSPORT_OPTIONS).toMatchObject({
      noDelay: true,
      keepAlive: true,
      keepAliveInitialDelayMs: 30_000,
      connectTimeoutMs: 10_000,
      compression: false,
      maxPayloadBytes: 104_857_600,
      rejectUnauthorized: true,
    });
  });
});

describe('resolveWebSocketTransportOptions', () => {
  it('fills every default when given nothing', () => {
    expect(resolveWebSocketTransportOptions()).toMatchObject(DEFAULT_WEBSOCKET_TRANSPORT_OPTIONS);
  });

  it('keeps 0 and false as real values instead of falling back to defaults', () => {
    const resolved = resolveWebSocketTransportOptions({ connectTimeoutMs: 0, noDelay: false, keepAlive: false, maxPayloadBytes: 0, rejectUnauthorized: false });
    expect(resolved).toMatchObject({ connectTimeoutMs: 0, noDelay: false, keepAlive: false, maxPayloadBytes: 0, rejectUnauthorized: false });
  });

  it('passes a compression options object through unchanged', () => {
    const compression = { threshold: 1024, clientNoContextTakeover: true };
    expect(resolveWebSocketTransportOptions({ compression }).compression).toBe(compression);
  });

  it.each<[string, WebSocketTransportOptions, ErrorConstructor, RegExp]>([
    ['a string timeout', { connectTimeoutMs: '10' as never }, TypeError, /transportOptions\.connectTimeoutMs must be a number/],
    ['a negative timeout', { connectTimeoutMs: -1 }, RangeError, /transportOptions\.connectTimeoutMs must be a non-negative integer/],
    ['a fractional timeout', { connectTimeoutMs: 1.5 }, RangeError, /transportOptions\.connectTimeoutMs/],
    ['a timeout past the timer limit', { connectTimeoutMs: 2 ** 31 }, RangeError, /transportOptions\.connectTimeoutMs must be at most/],
    ['a NaN keep-alive delay', { keepAliveInitialDelayMs: Number.NaN }, RangeError, /transportOptions\.keepAliveInitialDelayMs/],
    ['an infinite payload limit', { maxPayloadBytes: Infinity }, RangeError, /transportOptions\.maxPayloadBytes/],
    ['a string noDelay', { noDelay: 'yes' as never }, TypeError, /transportOptions\.noDelay must be a boolean/],
    ['a numeric keepAlive', { keepAlive: 1 as never }, TypeError, /transportOptions\.keepAlive must be a boolean/],
    ['a string rejectUnauthorized', { rejectUnauthorized: 'false' as never }, TypeError, /transportOptions\.rejectUnauthorized/],
    ['a string compression', { compression: 'deflate' as never }, TypeError, /transportOptions\.compression/],
    ['null compression', { compression: null as never }, TypeError, /transportOptions\.compression/],
    ['headers as an array', { headers: [] as never }, TypeError, /transportOptions\.headers/],
    ['a numeric header value', { headers: { 'x-n': 1 as never } }, TypeError, /transportOptions\.headers\["x-n"\]/],
    ['a numeric ca', { ca: 5 as never }, TypeError, /transportOptions\.ca/],
    ['a cert list holding a number', { cert: ['pem', 1] as never }, TypeError, /transportOptions\.cert/],
    ['a string agent', { agent: 'proxy' as never }, TypeError, /transportOptions\.agent/],
    ['a string onNotice', { onNotice: 'log' as never }, TypeError, /transportOptions\.onNotice/],
  ])('rejects %s, naming the option', (_name, options, type, message) => {
    expect(() => resolveWebSocketTransportOptions(options)).toThrow(type);
    expect(() => resolveWebSocketTransportOptions(options)).toThrow(message);
  });

  it('rejects options that are not an object', () => {
    expect(() => resolveWebSocketTransportOptions(null as never)).toThrow(/transportOptions must be an object/);
  });
});

describe('nodeOnlyOptionsSet', () => {
  it('lists the Node-only options that were given, and not connectTimeoutMs or onNotice', () => {
    expect(nodeOnlyOptionsSet({ noDelay: false, headers: {}, connectTimeoutMs: 5, onNotice: () => {} })).toEqual(['noDelay', 'headers']);
  });

  it('is empty when only portable options are given', () => {
    expect(nodeOnlyOptionsSet({ connectTimeoutMs: 5 })).toEqual([]);
  });
});
