/**
 * How Phoenix 1.8 carries `authToken` on a WebSocket: as a subprotocol, because browsers cannot set
 * headers on a WebSocket upgrade. Pure functions; no `Buffer`, so they behave the same in browsers, Node,
 * Deno, workers and jest's jsdom. Encoding uses `btoa` on the UTF-8 byte string (never on the text itself,
 * which throws outside Latin-1), the smallest code every runtime since Node 16 runs; decoding, which only
 * servers and tests need, has its own table.
 */
import { AUTH_TOKEN_PREFIX, PHOENIX_SUBPROTOCOL } from './constants';
import { utf8Decode } from './text-codec';

const ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/';

/**
 * Reverse lookup of ALPHABET; `-` and `_` map too, so a true base64url token decodes as well. Built on first
 * use, so bundles that never decode (the WebSocket path) keep no table and no top-level side effect.
 */
let decodeTable: Int16Array | undefined;
function decodeTableOf(): Int16Array {
  if (decodeTable) return decodeTable;
  const table = new Int16Array(128).fill(-1);
  for (let i = 0; i < ALPHABET.length; i++) table[ALPHABET.charCodeAt(i)] = i;
  table[45] = 62; // '-'
  table[95] = 63; // '_'
  return (decodeTable = table);
}

/**
 * `text` as a byte string of its UTF-8 (one char per byte), the input `btoa` needs, with no
 * `TextEncoder` (jest's jsdom has none): `encodeURIComponent` writes the UTF-8 as `%XX` escapes and
 * `unescape` (ECMAScript Annex B, in every browser and Node) turns each back into one char; the smallest
 * code for it, which the lite client's size budget needs. Lone surrogates become U+FFFD first, as
 * `TextEncoder` writes them, instead of a `URIError`.
 */
function utf8ByteString(text: string): string {
  return unescape(encodeURIComponent(text.replace(/\p{Cs}/gu, '\uFFFD')));
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
  return AUTH_TOKEN_PREFIX + btoa(utf8ByteString(token)).replace(/=+$/, '');
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

/** Bytes of an (unpadded or padded) base64 string, or `null` when it is not base64. */
function base64Bytes(text: string): Uint8Array | null {
  const body = text.replace(/=+$/, '');
  if (body.length % 4 === 1) return null;
  const table = decodeTableOf();
  const out = new Uint8Array(Math.floor((body.length * 3) / 4));
  let bits = 0;
  let acc = 0;
  let o = 0;
  for (let i = 0; i < body.length; i++) {
    const code = body.charCodeAt(i);
    const value = code < 128 ? table[code]! : -1;
    if (value < 0) return null;
    acc = (acc << 6) | value;
    bits += 6;
    if (bits >= 8) {
      bits -= 8;
      out[o++] = (acc >> bits) & 0xff;
    }
  }
  return out;
}

/**
 * The token inside an auth-token subprotocol (the inverse of `encodeAuthTokenProtocol`), or `undefined`
 * when `protocol` is not one or does not decode as base64 UTF-8. LongPoll uses it: the socket hands every
 * transport the same subprotocols (as phoenix.js does), and LongPoll sends the token as a header instead.
 *
 * @example
 * decodeAuthTokenProtocol('base64url.bearer.phx.c2VjcmV0'); // 'secret'
 */
export function decodeAuthTokenProtocol(protocol: string): string | undefined {
  if (!protocol.startsWith(AUTH_TOKEN_PREFIX)) return undefined;
  const bytes = base64Bytes(protocol.slice(AUTH_TOKEN_PREFIX.length));
  if (bytes === null) return undefined;
  try {
    return utf8Decode(bytes);
  } catch {
    return undefined;
  }
}

/**
 * The auth token carried by a transport's `protocols` argument, if any.
 *
 * @example
 * authTokenFromProtocols(authTokenProtocols('secret')); // 'secret'
 */
export function authTokenFromProtocols(protocols: string | readonly string[] | undefined): string | undefined {
  const list = typeof protocols === 'string' ? [protocols] : protocols ?? [];
  for (const protocol of list) {
    const token = decodeAuthTokenProtocol(protocol);
    if (token !== undefined) return token;
  }
  return undefined;
}
