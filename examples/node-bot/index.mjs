// node index.mjs [socketUrl] [--rooms lobby,dev]
//
// With a URL the bot joins that server's rooms. Without one it starts its own testkit server, plus a
// scripted person who sends a command every second and a server restart every 5 s, so you can watch it
// answer and recover. Ctrl-C prints the performance report and exits 0.
import { installDemoChannels, startServer } from '@phx-socket/testkit';
import { Socket } from '@phx-socket/client';
import { startBot } from './bot.mjs';

const args = process.argv.slice(2);
const roomsFlag = args.indexOf('--rooms');
const rooms = roomsFlag >= 0 ? String(args[roomsFlag + 1]).split(',') : ['lobby'];
let url = args.find((a, i) => !a.startsWith('--') && args[i - 1] !== '--rooms');

/** @type {(() => Promise<void>) | null} */
let stopDemo = null;
if (url === undefined) {
  const server = await startServer();
  installDemoChannels(server);
  url = server.url;
  console.log(`testkit server on ${url} (restarts every 5 s)`);
  stopDemo = await startScriptedPerson(server, rooms[0] ?? 'lobby');
}

const bot = startBot({ url, rooms });

let stopping = false;
const shutdown = async () => {
  if (stopping) return;
  stopping = true;
  console.log(await bot.stop());
  await stopDemo?.();
  process.exit(0);
};
process.on('SIGINT', shutdown);
process.on('SIGTERM', shutdown);

/**
 * Someone in the room typing commands, and a server that restarts now and then.
 * @param {import('@phx-socket/testkit').TestServer} server
 * @param {string} room
 */
async function startScriptedPerson(server, room) {
  const socket = new Socket(server.url, { reconnectAfterMs: () => 200 });
  socket.connect();
  const channel = socket.channel(`room:${room}`, { user: 'ana' });
  channel.on('new_msg', (/** @type {{ user: string, body: string }} */ msg) => console.log(`  ${msg.user}: ${msg.body}`));
  await channel.join();
  const script = ['!ping', '!time', '!help', '!echo hello bot', '!stats', '!nope'];
  let i = 0;
  const talk = setInterval(() => channel.push('new_msg', { user: 'ana', body: script[i++ % script.length] }).receive('error', () => {}), 1000);
  const restart = setInterval(() => {
    console.log('-- server restart --');
    void server.restart();
  }, 5000);
  return async () => {
    clearInterval(talk);
    clearInterval(restart);
    socket.disconnect();
    await server.close();
  };
}
