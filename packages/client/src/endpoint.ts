/**
 * Endpoint URLs: `ws://host/socket` + `/websocket` + `?<params>&vsn=2.0.0`, with relative URLs resolved
 * against the page's location. Pure functions; the location is passed in.
 */
import { TRANSPORT_PATHS } from '@phx-socket/transport';

/** The part of `window.location` endpoint building reads. */
export interface PageLocation {
  readonly protocol: string;
  readonly host: string;
}

/** The page's location, or undefined outside browsers. */
export function currentLocation(): PageLocation | undefined {
  const location = (globalThis as { location?: PageLocation }).location;
  return location && typeof location.host === 'string' ? location : undefined;
}

/** `'wss'` on an https page, else `'ws'`. */
export function wsProtocol(location: PageLocation | undefined): 'ws' | 'wss' {
  return location !== undefined && location.protocol.startsWith('https') ? 'wss' : 'ws';
}

/** True for `/socket` and `//host/socket`, which need a page location to become absolute. */
export function isRelativeEndpoint(endPoint: string): boolean {
  return endPoint.startsWith('/');
}

/**
 * Appends `params` to `url` as a query string. Nested objects and arrays become `key[sub]=value`
 * (what Phoenix's Plug parser reads back); `undefined` and `null` values are left out.
 *
 * @example
 * appendParams('ws://h/socket/websocket', { token: 'a b', user: { id: 1 } });
 * // 'ws://h/socket/websocket?token=a%20b&user%5Bid%5D=1'
 */
export function appendParams(url: string, params: Readonly<Record<string, unknown>>): string {
  const parts: string[] = [];
  serialize(params, '', parts);
  if (parts.length === 0) return url;
  return url + (url.includes('?') ? '&' : '?') + parts.join('&');
}

function serialize(value: Readonly<Record<string, unknown>> | readonly unknown[], prefix: string, out: string[]): void {
  for (const key of Object.keys(value)) {
    const item = (value as Record<string, unknown>)[key];
    if (item === undefined || item === null || typeof item === 'function') continue;
    const name = prefix ? `${prefix}[${key}]` : key;
    if (typeof item === 'object' && !(item instanceof Date)) {
      serialize(item as Record<string, unknown>, name, out);
    } else {
      const text = item instanceof Date ? item.toISOString() : String(item);
      out.push(`${encodeURIComponent(name)}=${encodeURIComponent(text)}`);
    }
  }
}

/**
 * The WebSocket URL for `endPoint`: `<endPoint>/websocket?<params>&vsn=<vsn>`, made absolute with the
 * page's location for `/path` and `//host/path`; `http(s)://` becomes `ws(s)://`.
 *
 * @example
 * buildEndpointURL('/socket', { token: 't' }, '2.0.0', { protocol: 'https:', host: 'example.com' });
 * // 'wss://example.com/socket/websocket?token=t&vsn=2.0.0'
 */
export function buildEndpointURL(
  endPoint: string,
  params: Readonly<Record<string, unknown>>,
  vsn: string,
  location: PageLocation | undefined = currentLocation(),
): string {
  const path = appendParams(appendParams(transportBase(endPoint), params), { vsn });
  return absolute(path, location);
}

/** `<endPoint>/websocket`, absolute, without a query string: the URL shown in state and telemetry. */
export function displayURL(endPoint: string, location: PageLocation | undefined = currentLocation()): string {
  return absolute(transportBase(endPoint), location);
}

function transportBase(endPoint: string): string {
  const trimmed = endPoint.endsWith('/') ? endPoint.slice(0, -1) : endPoint;
  return `${trimmed}/${TRANSPORT_PATHS.websocket}`;
}

function absolute(uri: string, location: PageLocation | undefined): string {
  if (uri.startsWith('//')) return `${wsProtocol(location)}:${uri}`;
  if (uri.startsWith('/')) {
    if (location === undefined) {
      throw new TypeError(`endPoint "${uri}" is relative and there is no page location: pass a ws:// or wss:// URL`);
    }
    return `${wsProtocol(location)}://${location.host}${uri}`;
  }
  if (uri.startsWith('http://')) return `ws://${uri.slice('http://'.length)}`;
  if (uri.startsWith('https://')) return `wss://${uri.slice('https://'.length)}`;
  return uri;
}
