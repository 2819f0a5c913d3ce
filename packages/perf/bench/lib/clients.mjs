// The clients the benchmarks compare, behind one small adapter shape:
//
//   const c = await CLIENTS[name].connect(url)      // socket open; the connect params carry
//                                                    // bench_client=<name> so the server can
//                                                    // address one client among several
//   await c.joinAll(n, handlerFor)                   // channels bench:0..n-1 joined, handlerFor(i)
//                                                    // bound to event EVENT of channel i
//   c.close()
//
// - ours:    @phx-socket/client, resolved through its package exports to dist/ (no transport option)
// - lite:    @phx-socket/client/lite, resolved the same way to dist/lite.mjs, with `ws` as its
//            transport (it has no Node default; Node 20 has no global WebSocket) and its default
//            JSON-text serializer
// - phoenix: the official `phoenix` npm client (1.8.16) with `ws` as its transport (Node 20 has no
//            global WebSocket)
// - floor:   raw `ws` + JSON.parse + one Map get by topic (and the join_ref / event checks any real
//            client needs). It joins by sending phx_join frames and waiting for the replies.
import { EVENT, topicOf } from './frames.mjs';

const JOIN_TIMEOUT_MS = 120_000;

function openTimeout(reject, what) {
  return setTimeout(() => reject(new Error(`${what}: socket did not open within 30 s`)), 30_000);
}

/** Resolves when a raw `ws` socket opens; rejects on its error or after 30 s. */
export function wsOpened(ws, what) {
  return new Promise((resolve, reject) => {
    const timer = openTimeout(reject, what);
    ws.once('open', () => {
      clearTimeout(timer);
      resolve();
    });
    ws.once('error', (err) => {
      clearTimeout(timer);
      reject(err);
    });
  });
}

/**
 * phoenix.js-API clients (ours, lite and phoenix) share the join loop. Like the floor, it keeps no per-channel
 * app state beyond the `on` handler: the receive hooks are three functions shared by every join (an app
 * joining thousands of topics would not allocate three closures per topic), and the channels are created
 * without params, as `socket.channel(topic)` usually is. Whatever else a channel costs is the client's.
 */
function joinPhoenixStyle(socket, n, handlerFor) {
  return new Promise((resolve, reject) => {
    if (n === 0) return resolve([]);
    const channels = new Array(n);
    let ok = 0;
    const onOk = () => {
      if (++ok === n) resolve(channels);
    };
    const onError = (reason) => reject(new Error(`a join failed: ${JSON.stringify(reason)}`));
    const onTimeout = () => reject(new Error('a join timed out'));
    for (let i = 0; i < n; i++) {
      const channel = socket.channel(topicOf(i));
      channel.on(EVENT, handlerFor(i));
      channels[i] = channel;
      channel.join(JOIN_TIMEOUT_MS).receive('ok', onOk).receive('error', onError).receive('timeout', onTimeout);
    }
  });
}

function openPhoenixStyle(socket, what) {
  return new Promise((resolve, reject) => {
    const timer = openTimeout(reject, what);
    socket.onOpen(() => {
      clearTimeout(timer);
      resolve();
    });
    socket.onError((err) => {
      if (!socket.isConnected()) {
        clearTimeout(timer);
        reject(new Error(`${what}: socket error before open: ${err?.message ?? err?.type ?? err}`));
      }
    });
    socket.connect();
  });
}

/**
 * A phoenix.js-API client. `create(url, options)` loads the client's build and constructs its Socket
 * (without connecting) with the harness's options plus what that client needs to run in Node; one place
 * per client, so every benchmark that builds its own socket (reconnect.mjs) gets the same construction.
 */
export function phoenixApi(name, label, create) {
  const createSocket = (url, options) => create(url, { ...options, params: { bench_client: name } });
  return {
    label,
    createSocket,
    async connect(url) {
      const socket = await createSocket(url, { timeout: JOIN_TIMEOUT_MS });
      await openPhoenixStyle(socket, name);
      return {
        joinAll: (n, handlerFor) => joinPhoenixStyle(socket, n, handlerFor),
        close: () => socket.disconnect(),
      };
    },
  };
}

export const CLIENTS = {
  floor: {
    label: 'floor (ws + JSON.parse + Map)',
    async connect(url) {
      const { WebSocket } = await import('ws');
      const ws = new WebSocket(`${url}/websocket?vsn=2.0.0&bench_client=floor`, { perMessageDeflate: false });
      const channels = new Map(); // topic -> { joinRef, event, handler, onReply }
      let ref = 0;
      ws.on('message', (data) => {
        const msg = JSON.parse(data.toString());
        const channel = channels.get(msg[2]);
        if (channel === undefined) return;
        const joinRef = msg[0];
        if (joinRef !== null && joinRef !== channel.joinRef) return;
        const event = msg[3];
        if (event === channel.event) channel.handler(msg[4]);
        else if (event === 'phx_reply' && channel.onReply !== null) channel.onReply(msg);
      });
      await wsOpened(ws, 'floor');
      // Phoenix closes connections that send nothing for 60 s; a real client beats.
      const heartbeat = setInterval(() => ws.send(JSON.stringify([null, String(++ref), 'phoenix', 'heartbeat', {}])), 25_000);
      heartbeat.unref();
      return {
        joinAll(n, handlerFor) {
          return new Promise((resolve, reject) => {
            if (n === 0) return resolve();
            let ok = 0;
            for (let i = 0; i < n; i++) {
              const topic = topicOf(i);
              const joinRef = String(++ref);
              const channel = { joinRef, event: EVENT, handler: handlerFor(i), onReply: null };
              channel.onReply = (msg) => {
                if (msg[1] !== joinRef) return;
                channel.onReply = null;
                if (msg[4]?.status !== 'ok') return reject(new Error(`join ${topic} failed: ${JSON.stringify(msg[4])}`));
                if (++ok === n) resolve();
              };
              channels.set(topic, channel);
              ws.send(JSON.stringify([joinRef, joinRef, topic, 'phx_join', {}]));
            }
          });
        },
        close() {
          clearInterval(heartbeat);
          ws.terminate();
        },
      };
    },
  },

  ours: phoenixApi('ours', 'ours (@phx-socket/client)', async (url, options) => {
    const { Socket } = await import('@phx-socket/client');
    return new Socket(url, options);
  }),

  lite: phoenixApi('lite', 'lite (@phx-socket/client/lite)', async (url, options) => {
    const [{ Socket }, { WebSocket }] = await Promise.all([import('@phx-socket/client/lite'), import('ws')]);
    return new Socket(url, { ...options, transport: WebSocket });
  }),

  phoenix: phoenixApi('phoenix', 'phoenix.js 1.8.16', async (url, options) => {
    const [{ Socket }, { WebSocket }] = await Promise.all([import('phoenix'), import('ws')]);
    return new Socket(url, { ...options, transport: WebSocket });
  }),
};

/** The clients with phoenix.js's Socket/Channel/Push API (they have `createSocket`). */
export const PHOENIX_API_CLIENTS = Object.keys(CLIENTS).filter((name) => CLIENTS[name].createSocket);

export const CLIENT_NAMES = ['floor', 'ours', 'lite', 'phoenix'];
