/**
 * Compile-time checks (run by `tsc`): the transports an app passes as `transport` fit both clients
 * without a cast — `WebSocket` from `ws` (what the README tells Node 20 users of lite to write), the DOM
 * `WebSocket`, LongPoll and `createWebSocketTransport()` — and a class that is not a transport does not.
 */
import WebSocket from 'ws';
import {
  createLongPollTransport,
  createWebSocketTransport,
  LongPoll,
  Socket,
  type TransportCloseEvent,
  type TransportConstructor,
  type TransportLike,
  type TransportMessageEvent,
} from '../src/index';
import { Socket as LiteSocket } from '../src/lite/index';

new Socket('ws://x/socket', { transport: WebSocket });
new LiteSocket('ws://x/socket', { transport: WebSocket });
new Socket('ws://x/socket', { transport: globalThis.WebSocket });
new LiteSocket('ws://x/socket', { transport: globalThis.WebSocket });
new Socket('ws://x/socket', { transport: LongPoll, longPollTransport: createLongPollTransport({}) });
new Socket('ws://x/socket', { transport: createWebSocketTransport({ connectTimeoutMs: 1000 }) });

// A subclass of ws's class (a test recording what it was constructed with) fits too.
class Recording extends WebSocket {
  constructor(url: string, protocols?: string | string[]) {
    super(url, protocols);
  }
}
new LiteSocket('ws://x/socket', { transport: Recording });
new Socket('ws://x/socket', { transport: Recording });

const fromWs: TransportConstructor = WebSocket;
const fromDom: TransportConstructor = globalThis.WebSocket;
const fromLongPoll: TransportConstructor = LongPoll;
void [fromWs, fromDom, fromLongPoll];

// @ts-expect-error not a transport: no readyState, send, close or handlers
new Socket('ws://x/socket', { transport: class { constructor(readonly url: string) {} } });
// @ts-expect-error the lite client checks the same shape
new LiteSocket('ws://x/socket', { transport: Date });

// The socket writes handlers with the transport events' types...
declare const conn: TransportLike;
conn.onmessage = ({ data }) => (typeof data === 'string' ? data.length : data.byteLength);
conn.onclose = (event: TransportCloseEvent) => event.code.toFixed();
conn.onopen = () => {};
conn.onerror = (_event: unknown) => {};
conn.onmessage = null;
// @ts-expect-error a frame is a string or an ArrayBuffer
conn.onmessage = (event: { data: number }) => event.data.toFixed();
// ...and reads back a handler of the transport's own event type, which only the transport can call.
// @ts-expect-error not callable through TransportLike
conn.onmessage?.({ data: 'frame' } satisfies TransportMessageEvent);
