import { SUBPROTOCOL } from './constants';

/**
 * Splits a `Sec-WebSocket-Protocol` header into the offered subprotocols.
 *
 * @example
 * parseSubprotocols('phoenix, base64url.bearer.phx.dG9r') // ['phoenix', 'base64url.bearer.phx.dG9r']
 */
export function parseSubprotocols(header: string | undefined): string[] {
  if (!header) return [];
  return header
    .split(',')
    .map((p) => p.trim())
    .filter((p) => p.length > 0);
}

/**
 * The `authToken` carried in the `base64url.bearer.phx.<token>` subprotocol (Phoenix 1.8), or
 * `undefined`. Despite the name the token is standard base64 (padding optional) of UTF-8 text;
 * the URL-safe alphabet is accepted too.
 */
export function decodeAuthToken(subprotocols: readonly string[]): string | undefined {
  const offered = subprotocols.find((p) => p.startsWith(SUBPROTOCOL.authTokenPrefix));
  if (offered === undefined) return undefined;
  return Buffer.from(offered.slice(SUBPROTOCOL.authTokenPrefix.length), 'base64').toString('utf8');
}

/** Encodes a token the way phoenix.js does (UTF-8, standard base64, no padding); for tests and tools. */
export function encodeAuthTokenProtocol(token: string): string {
  return SUBPROTOCOL.authTokenPrefix + Buffer.from(token, 'utf8').toString('base64').replace(/=+$/, '');
}
