// Clients that push as well as receive, for the binary and rtt benchmarks, behind one shape:
//
//   const c = await connectPushClient(name, url)   // socket open (connect params bench_client=<name>)
//   await c.join(n, handlerFor)                    // bench:0..n-1 joined, handlerFor(i) on event EVENT
//   c.push(i, event, payload, onOk, onFail)        // push on channel i; onOk(response) on an ok reply,
//                                                  // onFail(status, response) on error / timeout
//   c.close()
//
// ours, lite and phoenix are lib/clients.mjs's adapters (same construction, same join loop) plus
// `channel.push(event, payload).receive(...)`. The floor here is lib/clients.mjs's floor extended to
// what these benchmarks need and nothing more: raw `ws`, JSON.parse for text frames, a hand-written
// header parse for kind-2 binary broadcasts (the payload handed over as a Uint8Array view, no copy),
// a hand-written kind-0 header for binary pushes, and one Map from ref to reply callbacks.
import { encodeBinaryPush, BINARY_KIND } from './binary-frames.mjs';
import { CLIENTS, PHOENIX_API_CLIENTS, wsOpened } from './clients.mjs';
import { EVENT, topicOf } from './frames.mjs';

const PUSH_TIMEOUT_MS = 120_000;

/** A phoenix.js-API adapter (`CLIENTS.ours`, or a variant built with `phoenixApi`) as a push client. */
export async function connectPhoenixApi(adapter, url) {
  const connection = await adapter.connect(url);
  let channels = [];
  return {
    async join(n, handlerFor) {
      channels = await connection.joinAll(n, handlerFor);
    },
    push(i, event, payload, onOk, onFail) {
      channels[i]
        .push(event, payload, PUSH_TIMEOUT_MS)
        .receive('ok', onOk)
        .receive('error', (r) => onFail('error', r))
        .receive('timeout', (r) => onFail('timeout', r));
    },
    close: () => connection.close(),
  };
}

async function connectFloor(url) {
  const { WebSocket } = await import('ws');
  const ws = new WebSocket(`${url}/websocket?vsn=2.0.0&bench_client=floor`, { perMessageDeflate: false });
  const channels = new Map(); // topic -> { joinRef, handler }
  const pending = new Map(); // ref -> { onOk, onFail }
  let ref = 0;
  ws.on('message', (data, isBinary) => {
    if (isBinary) {
      if (data[0] !== BINARY_KIND.broadcast) return;
      const topicLen = data[1];
      const eventLen = data[2];
      const topic = data.latin1Slice(3, 3 + topicLen);
      const channel = channels.get(topic);
      if (channel === undefined) return;
      const event = data.latin1Slice(3 + topicLen, 3 + topicLen + eventLen);
      if (event === EVENT) channel.handler(data.subarray(3 + topicLen + eventLen));
      return;
    }
    const msg = JSON.parse(data.toString());
    const event = msg[3];
    if (event === 'phx_reply') {
      const p = pending.get(msg[1]);
      if (p === undefined) return;
      pending.delete(msg[1]);
      if (msg[4].status === 'ok') p.onOk(msg[4].response);
      else p.onFail(msg[4].status, msg[4].response);
      return;
    }
    const channel = channels.get(msg[2]);
    if (channel === undefined) return;
    const joinRef = msg[0];
    if (joinRef !== null && joinRef !== channel.joinRef) return;
    if (event === EVENT) channel.handler(msg[4]);
  });
  await wsOpened(ws, 'floor');
  const heartbeat = setInterval(() => ws.send(JSON.stringify([null, String(++ref), 'phoenix', 'heartbeat', {}])), 25_000);
  heartbeat.unref();
  const topics = [];
  return {
    join(n, handlerFor) {
      return new Promise((resolve, reject) => {
        if (n === 0) return resolve();
        let ok = 0;
        for (let i = 0; i < n; i++) {
          const topic = topicOf(i);
          topics[i] = topic;
          const joinRef = String(++ref);
          channels.set(topic, { joinRef, handler: handlerFor(i) });
          pending.set(joinRef, {
            onOk: () => {
              if (++ok === n) resolve();
            },
            onFail: (status, response) => reject(new Error(`join ${topic}: ${status} ${JSON.stringify(response)}`)),
          });
          ws.send(JSON.stringify([joinRef, joinRef, topic, 'phx_join', {}]));
        }
      });
    },
    push(i, event, payload, onOk, onFail) {
      const topic = topics[i];
      const r = String(++ref);
      pending.set(r, { onOk, onFail });
      const joinRef = channels.get(topic).joinRef;
      if (payload instanceof ArrayBuffer || ArrayBuffer.isView(payload)) ws.send(encodeBinaryPush(joinRef, r, topic, event, payload));
      else ws.send(JSON.stringify([joinRef, r, topic, event, payload]));
    },
    close() {
      clearInterval(heartbeat);
      ws.terminate();
    },
  };
}

export function connectPushClient(client, url) {
  if (client === 'floor') return connectFloor(url);
  if (PHOENIX_API_CLIENTS.includes(client)) return connectPhoenixApi(CLIENTS[client], url);
  throw new Error(`unknown client ${client}`);
}
