import { describe, expect, it, vi } from 'vitest';
import { authTokenProtocols, encodeAuthTokenProtocol } from '../src/auth-token';

/** What Phoenix does with the protocol: strip the prefix and decode standard base64, padding optional. */
const serverDecode = (protocol: string): string =>
  Buffer.from(protocol.slice('base64url.bearer.phx.'.length), 'base64').toString('utf8');

describe('encodeAuthTokenProtocol', () => {
  it.each([
    ['', 'base64url.bearer.phx.'],
    ['f', 'base64url.bearer.phx.Zg'],
    ['fo', 'base64url.bearer.phx.Zm8'],
    ['foo', 'base64url.bearer.phx.Zm9v'],
    ['secret', 'base64url.bearer.phx.c2VjcmV0'],
    ['user:1', 'base64url.bearer.phx.dXNlcjox'],
  ])('encodes %j without padding', (token, expected) => {
    expect(encodeAuthTokenProtocol(token)).toBe(expected);
  });

  it('uses the standard alphabet with + and /, as Phoenix decodes it', () => {
    // '>>>' (0x3e3e3e) and '???' (0x3f3f3f) land on the 6-bit values 62 and 63.
    expect(encodeAuthTokenProtocol('>>>???')).toBe('base64url.bearer.phx.Pj4+Pz8/');
  });

  it.each([['héllo'], ['токен'], ['秘密'], ['🔑 key'], ['a'.repeat(1000)]])('encodes %j as UTF-8 without throwing, and the server reads it back', (token) => {
    const protocol = encodeAuthTokenProtocol(token);
    expect(protocol).not.toContain('=');
    expect(serverDecode(protocol)).toBe(token);
  });

  it('matches Node base64 for every length from 0 to 20', () => {
    for (let n = 0; n <= 20; n++) {
      const token = 'xyz€'.repeat(n).slice(0, n);
      const expected = Buffer.from(token, 'utf8').toString('base64').replace(/=+$/, '');
      expect(encodeAuthTokenProtocol(token)).toBe(`base64url.bearer.phx.${expected}`);
    }
  });

  it.each([['\uD83D'], ['a\uDE00b'], ['\uD83D\uD83D\uDE00'], ['100% ~*()!\'-_.']])(
    'writes %j exactly as TextEncoder would (lone surrogates as U+FFFD, URI-reserved characters as themselves)',
    (token) => {
      const expected = btoa(String.fromCharCode(...new TextEncoder().encode(token))).replace(/=+$/, '');
      expect(encodeAuthTokenProtocol(token)).toBe(`base64url.bearer.phx.${expected}`);
    },
  );

  it('needs no TextEncoder', () => {
    vi.stubGlobal('TextEncoder', undefined);
    try {
      expect(serverDecode(encodeAuthTokenProtocol('tökén 🔑'))).toBe('tökén 🔑');
    } finally {
      vi.unstubAllGlobals();
    }
  });

  it('rejects a non-string token with a TypeError', () => {
    expect(() => encodeAuthTokenProtocol(42 as never)).toThrow(TypeError);
  });
});

describe('authTokenProtocols', () => {
  it('gives phoenix plus the token protocol when a token is set', () => {
    expect(authTokenProtocols('secret')).toEqual(['phoenix', 'base64url.bearer.phx.c2VjcmV0']);
  });

  it.each([[undefined], ['']])('gives undefined for %j so no subprotocol is requested', (token) => {
    expect(authTokenProtocols(token)).toBeUndefined();
  });
});
