import { describe, expect, it } from 'vitest';
import { DEFAULT_SOCKET_OPTIONS, resolveOptions, v1Serializer, v2Serializer } from '../src/index';

describe('resolveOptions', () => {
  it('fills in the documented defaults', () => {
    const o = resolveOptions();
    expect(o.timeout).toBe(10_000);
    expect(o.heartbeatIntervalMs).toBe(30_000);
    expect(o.heartbeatTimeoutMs).toBe(30_000);
    expect(o.maxReconnectAttempts).toBe(Infinity);
    expect(o.reconnect).toBe(true);
    expect(o.jitter).toBe('full');
    expect(o.sendBufferLimit).toBe(1000);
    expect(o.overflowPolicy).toBe('drop-oldest');
    expect(o.binaryType).toBe('arraybuffer');
    expect(o.autoConnect).toBe(false);
    expect(o.vsn).toBe('2.0.0');
    expect(o.serializer).toBe(v2Serializer);
    expect(o.logger).toBeNull();
    expect(o.reconnectAfterMs(1)).toBe(10);
    expect(o.rejoinAfterMs(1)).toBe(1000);
    expect(Object.isFrozen(DEFAULT_SOCKET_OPTIONS)).toBe(true);
  });

  it('keeps 0 and false instead of replacing them with defaults', () => {
    const o = resolveOptions({ heartbeatIntervalMs: 0, reconnect: false, maxReconnectAttempts: 0, reconnectAfterMs: 0 });
    expect(o.heartbeatIntervalMs).toBe(0);
    expect(o.reconnect).toBe(false);
    expect(o.maxReconnectAttempts).toBe(0);
    expect(o.reconnectAfterMs(3)).toBe(0);
  });

  it('defaults the heartbeat timeout to the interval', () => {
    expect(resolveOptions({ heartbeatIntervalMs: 1234 }).heartbeatTimeoutMs).toBe(1234);
    expect(resolveOptions({ heartbeatIntervalMs: 1234, heartbeatTimeoutMs: 50 }).heartbeatTimeoutMs).toBe(50);
  });

  it('picks V1 for vsn 1.0.0 and wraps phoenix.js callback codecs', () => {
    expect(resolveOptions({ vsn: '1.0.0' }).serializer).toBe(v1Serializer);
    const o = resolveOptions({
      encode: (msg, cb) => cb(JSON.stringify(msg)),
      decode: (raw, cb) => cb(JSON.parse(raw as string)),
    });
    expect(o.serializer.encode({ joinRef: null, ref: '1', topic: 't', event: 'e', payload: {} })).toContain('"topic":"t"');
  });

  it('defaults delivery to at-most-once with a circuit breaker, and validates the new options by name', () => {
    const o = resolveOptions();
    expect(o.inFlightPolicy).toBe('fail');
    expect(o.maxResends).toBe(1);
    expect(o.healthyAfterMs).toBe(1000);
    expect(o.circuitBreaker).toEqual({ threshold: 10, coolDownMs: 30_000, minFailingMs: 10_000 });
    expect(resolveOptions({ circuitBreaker: false }).circuitBreaker).toBeNull();
    expect(resolveOptions({ circuitBreaker: { threshold: 3 } }).circuitBreaker).toEqual({ threshold: 3, coolDownMs: 30_000, minFailingMs: 10_000 });
    expect(resolveOptions({ circuitBreaker: { minFailingMs: 0 } }).circuitBreaker).toEqual({ threshold: 10, coolDownMs: 30_000, minFailingMs: 0 });
    expect(() => resolveOptions({ circuitBreaker: { minFailingMs: -5 } })).toThrow(/circuitBreaker.minFailingMs/);
    expect(() => resolveOptions({ circuitBreaker: { threshold: 0 } })).toThrow(/circuitBreaker.threshold/);
    expect(() => resolveOptions({ circuitBreaker: { coolDownMs: -1 } })).toThrow(/circuitBreaker.coolDownMs/);
    expect(() => resolveOptions({ circuitBreaker: true as never })).toThrow(/circuitBreaker/);
    expect(() => resolveOptions({ maxResends: 1.5 })).toThrow(/maxResends/);
    expect(() => resolveOptions({ healthyAfterMs: -5 })).toThrow(/healthyAfterMs/);
  });

  it('jitters only the default schedules unless jitter is given', () => {
    expect(resolveOptions().jitter).toBe('full');
    expect(resolveOptions().rejoinJitter).toBe('full');
    const own = resolveOptions({ reconnectAfterMs: () => 200 });
    expect(own.jitter).toBe('none');
    expect(own.rejoinJitter).toBe('full');
    expect(resolveOptions({ reconnectAfterMs: 200, jitter: 'full' }).jitter).toBe('full');
    expect(resolveOptions({ rejoinAfterMs: 500 }).rejoinJitter).toBe('none');
  });

  it('turns debug on into a console logger', () => {
    expect(resolveOptions({ debug: true }).logger).toBeTypeOf('function');
  });

  it.each([
    [{ timeout: 0 }, RangeError, 'timeout'],
    [{ timeout: '10' }, TypeError, 'timeout'],
    [{ heartbeatIntervalMs: -1 }, RangeError, 'heartbeatIntervalMs'],
    [{ heartbeatTimeoutMs: 0 }, RangeError, 'heartbeatTimeoutMs'],
    [{ reconnectAfterMs: 'soon' }, TypeError, 'reconnectAfterMs'],
    [{ rejoinAfterMs: -5 }, RangeError, 'rejoinAfterMs'],
    [{ maxReconnectAttempts: 1.5 }, RangeError, 'maxReconnectAttempts'],
    [{ sendBufferLimit: 0 }, RangeError, 'sendBufferLimit'],
    [{ overflowPolicy: 'drop-newest' }, RangeError, 'overflowPolicy'],
    [{ jitter: 'half' }, RangeError, 'jitter'],
    [{ reconnect: 'yes' }, TypeError, 'reconnect'],
    [{ params: 'a=b' }, TypeError, 'params'],
    [{ authToken: 42 }, TypeError, 'authToken'],
    [{ logger: 'console' }, TypeError, 'logger'],
    [{ transport: {} }, TypeError, 'transport'],
    [{ transportOptions: [] }, TypeError, 'transportOptions'],
    [{ encode: () => {} }, TypeError, 'decode'],
    [{ serializer: { name: 'x' } }, TypeError, 'serializer'],
    [{ serializer: v2Serializer, vsn: '1.0.0' }, RangeError, 'vsn'],
    [{ scheduler: { now: () => 0 } }, TypeError, 'scheduler'],
    [{ binaryType: 'nodebuffer' }, RangeError, 'binaryType'],
  ])('rejects %o with a %s naming the option', (options, ErrorClass, name) => {
    expect(() => resolveOptions(options as never)).toThrow(ErrorClass);
    expect(() => resolveOptions(options as never)).toThrow(new RegExp(`^${name}`));
  });
});
