import { describe, expect, it } from 'vitest';
import { authTokenFromProtocols, authTokenProtocols, decodeAuthTokenProtocol } from '../src/auth-token';
import { nextBatch } from '../src/longpoll';
import { resolveLongPollOptions } from '../src/longpoll-options';
import { longPollURL, parsePollAnswer, withSessionToken } from '../src/longpoll-request';

describe('longPollURL', () => {
  it.each([
    ['ws://h/socket/websocket?vsn=2.0.0', 'http://h/socket/longpoll?vsn=2.0.0'],
    ['wss://h:4000/socket/websocket?a=1&vsn=2.0.0', 'https://h:4000/socket/longpoll?a=1&vsn=2.0.0'],
    ['ws://h/websocket/socket/websocket', 'http://h/websocket/socket/longpoll'],
    ['ws://h/socket/websocket?next=%2Fwebsocket', 'http://h/socket/longpoll?next=%2Fwebsocket'],
    ['http://h/live/websocket', 'http://h/live/longpoll'],
    ['ws://h/socket/websockets', 'http://h/socket/websockets'],
  ])('maps %s to %s', (from, to) => {
    expect(longPollURL(from)).toBe(to);
  });

  it('appends the session token, URL-encoded', () => {
    expect(withSessionToken('http://h/l?vsn=2.0.0', 'a+b/c=')).toBe('http://h/l?vsn=2.0.0&token=a%2Bb%2Fc%3D');
    expect(withSessionToken('http://h/l', null)).toBe('http://h/l');
  });
});

describe('parsePollAnswer', () => {
  it.each([
    ['a new session', 200, '{"status":410,"token":"T"}', { status: 410, token: 'T', messages: [] }],
    ['messages', 200, '{"status":200,"token":"T","messages":["[1]","[2]"]}', { status: 200, token: 'T', messages: ['[1]', '[2]'] }],
    ['unencoded messages (old servers)', 200, '{"status":200,"messages":[{"a":1}]}', { status: 200, token: null, messages: ['{"a":1}'] }],
    ['an empty window', 200, '{"status":204,"token":"T","messages":[]}', { status: 204, token: 'T', messages: [] }],
    ['a bare HTTP 204', 204, '', { status: 204, token: null, messages: [] }],
    ['a proxy error page', 502, '<html>bad gateway</html>', { status: 502, token: null, messages: [] }],
    ['a bare HTTP 403', 403, '', { status: 403, token: null, messages: [] }],
  ])('reads %s', (_what, http, text, expected) => {
    expect(parsePollAnswer(http, text)).toEqual(expected);
  });

  it.each([
    ['an empty 200', ''],
    ['HTML with 200', '<html>captive portal</html>'],
    ['JSON without status', '{"token":"T"}'],
  ])('returns null for %s', (_what, text) => {
    expect(parsePollAnswer(200, text)).toBeNull();
  });
});

describe('nextBatch', () => {
  it('joins up to max frames with newlines as ndjson', () => {
    expect(nextBatch(['a', 'b', 'c'], 2)).toEqual({ body: 'a\nb', count: 2, contentType: 'application/x-ndjson' });
    expect(nextBatch(['a'], 100)).toEqual({ body: 'a', count: 1, contentType: 'application/x-ndjson' });
  });

  it('sends a frame containing a line break alone, as application/json', () => {
    expect(nextBatch(['a', '{\n}', 'c'], 100)).toEqual({ body: 'a', count: 1, contentType: 'application/x-ndjson' });
    expect(nextBatch(['{\r\n}', 'c'], 100)).toEqual({ body: '{\r\n}', count: 1, contentType: 'application/json' });
  });
});

describe('auth token subprotocol decoding', () => {
  it.each([['secret'], [''], ['héllo 秘密 🔑'], ['>>>???'], ['a'.repeat(301)]])('reads back %j from the protocols the socket sends', (token) => {
    expect(authTokenFromProtocols(authTokenProtocols(token))).toBe(token === '' ? undefined : token);
  });

  it('accepts padding and the URL-safe alphabet, and refuses what is not base64 UTF-8', () => {
    expect(decodeAuthTokenProtocol('base64url.bearer.phx.c2VjcmV0')).toBe('secret');
    expect(decodeAuthTokenProtocol('base64url.bearer.phx.Pj4-Pz8_')).toBe('>>>???');
    expect(decodeAuthTokenProtocol('base64url.bearer.phx.Zg==')).toBe('f');
    expect(decodeAuthTokenProtocol('base64url.bearer.phx.@@@@')).toBeUndefined();
    expect(decodeAuthTokenProtocol('base64url.bearer.phx.Z')).toBeUndefined();
    expect(decodeAuthTokenProtocol('base64url.bearer.phx./w')).toBeUndefined();
    expect(decodeAuthTokenProtocol('phoenix')).toBeUndefined();
    expect(authTokenFromProtocols(undefined)).toBeUndefined();
    expect(authTokenFromProtocols('base64url.bearer.phx.c2VjcmV0')).toBe('secret');
  });
});

describe('resolveLongPollOptions', () => {
  it('fills the defaults', () => {
    expect(resolveLongPollOptions()).toMatchObject({ pollTimeoutMs: 20_000, maxBatchSize: 100, credentials: 'same-origin', headers: {} });
  });

  it.each([
    [{ pollTimeoutMs: 0 }, RangeError, 'pollTimeoutMs'],
    [{ pollTimeoutMs: '5' }, TypeError, 'pollTimeoutMs'],
    [{ maxBatchSize: 101 }, RangeError, 'maxBatchSize'],
    [{ maxBatchSize: 1.5 }, RangeError, 'maxBatchSize'],
    [{ fetch: 'fetch' }, TypeError, 'fetch'],
    [{ credentials: 'all' }, RangeError, 'credentials'],
    [{ headers: { a: 1 } }, TypeError, 'headers["a"]'],
  ])('rejects %j naming the option', (options, error, name) => {
    expect(() => resolveLongPollOptions(options as never)).toThrow(error);
    expect(() => resolveLongPollOptions(options as never)).toThrow(name);
  });
});
