// A chat bot on phx-socket: joins rooms, answers !commands, rides out server restarts, and keeps a
// PerformanceMonitor so it can print a report when asked to stop.
import { PerformanceMonitor, Socket } from '@phx-socket/client';

/** @typedef {{ user?: string, body?: string }} ChatMessage */

/**
 * @param {{ url: string, rooms: string[], name?: string, log?: (line: string) => void }} options
 */
export function startBot({ url, rooms, name = 'phx-bot', log = console.log }) {
  const monitor = new PerformanceMonitor();
  const startedAt = Date.now();
  const socket = new Socket(url, {
    params: { user: name },
    // A bot has no one watching it: retry fast at first, then settle at 5 s so a long outage is cheap.
    reconnectAfterMs: (tries) => [100, 250, 500, 1000, 2000][tries - 1] ?? 5000,
    heartbeatIntervalMs: 5000,
  });
  monitor.attach(socket.telemetry);

  socket.telemetry.on('socket:connected', ({ metadata }) => log(`connected to ${metadata.url}`));
  socket.telemetry.on('socket:disconnected', ({ metadata }) => log(`disconnected (code ${metadata.code}${metadata.reason ? `, ${metadata.reason}` : ''})`));
  socket.telemetry.on('socket:reconnect_scheduled', ({ measurements }) => log(`reconnecting in ${measurements.delay_ms} ms (attempt ${measurements.attempt})`));
  // Fires on the first join and on every automatic rejoin after a reconnect.
  socket.telemetry.on('channel:joined', ({ metadata }) => log(`joined ${metadata.topic}`));

  /** @type {Record<string, (args: string[]) => string>} */
  const commands = {
    ping: () => 'pong',
    time: () => new Date().toISOString(),
    uptime: () => `up ${((Date.now() - startedAt) / 1000).toFixed(1)} s`,
    stats: () => {
      const s = monitor.summary();
      return `in ${s.messagesInPerSec.toFixed(1)}/s, push rtt p50 ${s.pushRttP50Ms.toFixed(1)} ms, reconnects ${s.reconnects}`;
    },
    echo: (args) => args.join(' '),
    help: () => `commands: ${Object.keys(commands).map((c) => `!${c}`).join(' ')}`,
  };

  for (const room of rooms) {
    const channel = socket.channel(`room:${room}`, { user: name });
    channel.on('new_msg', (/** @type {ChatMessage} */ msg) => {
      if (msg.user === name || typeof msg.body !== 'string' || !msg.body.startsWith('!')) return;
      const [command = '', ...args] = msg.body.slice(1).trim().split(/\s+/);
      const answer = commands[command]?.(args) ?? `unknown command !${command}, try !help`;
      // Not awaited: a reply lost to a disconnect is buffered and sent after the rejoin.
      channel.push('new_msg', { user: name, body: answer, reply_to: msg.user }).receive('error', (e) => log(`reply failed: ${JSON.stringify(e)}`));
    });
    channel.join().receive('error', (reason) => log(`join room:${room} refused: ${JSON.stringify(reason)}`));
  }
  socket.connect();

  return {
    socket,
    monitor,
    /** Takes the performance report, then disconnects cleanly (resolves once the socket is closed). */
    async stop() {
      const report = monitor.report('text');
      await new Promise((resolve) => socket.disconnect(() => resolve(undefined)));
      return report;
    },
  };
}
