// A deliberately tiny Phoenix V2 JSON server on plain `ws`: joins, leaves and heartbeats are
// answered ok, nothing else. Not the product's test server (that is @phx-socket/testkit); it exists
// so a benchmark can be re-run with BENCH_SERVER=mini to see how much of a figure is the server's.
import { createServer } from 'node:http';
import { WebSocketServer } from 'ws';

export async function startMiniServer({ maxChannels = 20_000 } = {}) {
  const http = createServer((_req, res) => {
    res.writeHead(404).end();
  });
  const wss = new WebSocketServer({ noServer: true });
  const tcpSockets = new Set();
  http.on('connection', (socket) => {
    tcpSockets.add(socket);
    socket.once('close', () => tcpSockets.delete(socket));
  });
  http.on('upgrade', (req, socket, head) => {
    if (!req.url?.startsWith('/socket/websocket')) return socket.destroy();
    wss.handleUpgrade(req, socket, head, (ws) => wss.emit('connection', ws, req));
  });
  wss.on('connection', (ws, req) => {
    ws._socket?.setNoDelay(true);
    ws.params = Object.fromEntries(new URL(req.url, 'http://x').searchParams);
    const joined = new Set();
    ws.on('message', (data, isBinary) => {
      if (isBinary) return;
      let msg;
      try {
        msg = JSON.parse(data.toString());
      } catch {
        return;
      }
      if (!Array.isArray(msg) || msg.length !== 5) return;
      const [joinRef, ref, topic, event] = msg;
      const reply = (status, response = {}) =>
        ws.send(JSON.stringify([joinRef, ref, topic, 'phx_reply', { status, response }]));
      if (topic === 'phoenix' && event === 'heartbeat') return reply('ok');
      if (event === 'phx_join') {
        if (!joined.has(topic) && joined.size >= maxChannels) return reply('error', { reason: 'too many channels joined' });
        joined.add(topic);
        return reply('ok');
      }
      if (event === 'phx_leave') {
        joined.delete(topic);
        reply('ok');
        return ws.send(JSON.stringify([joinRef, ref, topic, 'phx_close', {}]));
      }
    });
  });
  await new Promise((resolve) => http.listen(0, '127.0.0.1', resolve));
  const { port } = http.address();
  return {
    url: `ws://127.0.0.1:${port}/socket`,
    sendRaw(frame, filter) {
      for (const ws of wss.clients) if (!filter || filter(ws)) ws.send(frame);
    },
    tcpSockets,
    broadcast(topic, event, payload) {
      const frame = JSON.stringify([null, null, topic, event, payload]);
      for (const ws of wss.clients) ws.send(frame);
    },
    async close() {
      for (const ws of wss.clients) ws.terminate();
      await new Promise((resolve) => http.close(() => resolve()));
    },
  };
}
