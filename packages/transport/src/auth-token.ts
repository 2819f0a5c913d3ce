/**
 * How Phoenix 1.8 carries `authToken` on a WebSocket: as a subprotocol, because browsers cannot set
 * headers on a WebSocket upgrade. Pure functions; no `Buffer`, no `btoa`, so they behave the same in
 * browsers, Node, Deno and workers.
 */
import { AUTH_TOKEN_PREFIX, PHOENIX_SUBPROTOCOL } from './constants';
import { utf8Encoder } from './text-codec';

const ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/';

/** Standard-alphabet base64 of `bytes` without `=` padding. */
function base64Unpadded(bytes: Uint8Array): string {
  let out = '';
  let i = 0;
  for (; i + 2 < bytes.length; i += 3) {
    const n = (bytes[i]! << 16) | (bytes[i + 1]! << 8) | bytes[i + 2]!;
    out += ALPHABET[n >> 18]! + ALPHABET[(n >> 12) & 63]! + ALPHABET[(n >> 6) & 63]! + ALPHABET[n & 63]!;
  }
  const left = bytes.length - i;
  if (left === 1) {
    const n = bytes[i]! << 16;
    out += ALPHABET[n >> 18]! + ALPHABET[(n >> 12) & 63]!;
  } else if (left === 2) {
    const n = (bytes[i]! << 16) | (bytes[i + 1]! << 8);
    out += ALPHABET[n >> 18]! + ALPHABET[(n >> 12) & 63]! + ALPHABET[(n >> 6) & 63]!;
  }
  return out;
}

/**
 * The subprotocol that carries `token`: `'base64url.bearer.phx.'` + base64 of the token's UTF-8 bytes,
 * `=` padding stripped. Despite the `base64url` in the prefix, Phoenix decodes the standard alphabet
 * (`+` and `/`), so that is what is written. Any string works, including non-Latin-1 text where `btoa`
 * would throw.
 *
 * @example
 * encodeAuthTokenProtocol('secret'); // 'base64url.bearer.phx.c2VjcmV0'
 */
export function encodeAuthTokenProtocol(token: string): string {
  if (typeof token !== 'string') throw new TypeError(`authToken must be a string, got ${typeof token}`);
  return AUTH_TOKEN_PREFIX + base64Unpadded(utf8Encoder.encode(token));
}

/**
 * The subprotocols to open a WebSocket with: `['phoenix', <token protocol>]` when a token is given, or
 * `undefined` (no subprotocols) when it is `undefined`/empty, so servers without auth tokens keep working.
 *
 * @example
 * new WebSocket(url, authTokenProtocols(token));
 */
export function authTokenProtocols(token?: string): string[] | undefined {
  if (token === undefined || token === '') return undefined;
  return [PHOENIX_SUBPROTOCOL, encodeAuthTokenProtocol(token)];
}
