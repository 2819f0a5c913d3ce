import { describe, expect, it } from 'vitest';
import { appendParams, buildEndpointURL, displayURL } from '../src/endpoint';

describe('endpoint URLs', () => {
  it('appends /websocket, the params and the vsn', () => {
    expect(buildEndpointURL('ws://example.com/socket', { token: 'a b', n: 1 }, '2.0.0', undefined)).toBe(
      'ws://example.com/socket/websocket?token=a%20b&n=1&vsn=2.0.0',
    );
  });

  it('takes ws or wss from the page for a relative endpoint', () => {
    expect(buildEndpointURL('/socket', {}, '2.0.0', { protocol: 'https:', host: 'example.com:4000' })).toBe(
      'wss://example.com:4000/socket/websocket?vsn=2.0.0',
    );
    expect(buildEndpointURL('/socket', {}, '2.0.0', { protocol: 'http:', host: 'localhost' })).toBe('ws://localhost/socket/websocket?vsn=2.0.0');
    expect(buildEndpointURL('//cdn.example.com/socket', {}, '1.0.0', { protocol: 'https:', host: 'x' })).toBe(
      'wss://cdn.example.com/socket/websocket?vsn=1.0.0',
    );
  });

  it('turns http(s) endpoints into ws(s)', () => {
    expect(buildEndpointURL('https://example.com/socket', {}, '2.0.0', undefined)).toBe('wss://example.com/socket/websocket?vsn=2.0.0');
  });

  it('refuses a relative endpoint where there is no page', () => {
    expect(() => buildEndpointURL('/socket', {}, '2.0.0', undefined)).toThrow(TypeError);
  });

  it('serializes nested params the way Plug parses them and skips null/undefined', () => {
    expect(appendParams('u', { user: { id: 1, tags: ['a', 'b'] }, skip: undefined, none: null })).toBe(
      'u?user%5Bid%5D=1&user%5Btags%5D%5B0%5D=a&user%5Btags%5D%5B1%5D=b',
    );
    expect(appendParams('u?x=1', { y: 2 })).toBe('u?x=1&y=2');
    expect(appendParams('u', {})).toBe('u');
  });

  it('leaves the query string (and its tokens) out of the display URL', () => {
    expect(displayURL('ws://h/socket/', undefined)).toBe('ws://h/socket/websocket');
  });
});
