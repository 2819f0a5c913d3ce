import { Socket, type Channel } from '@phx-socket/client';
import { installDemoChannels, startServer, type TestServer } from '@phx-socket/testkit';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runExample, stopAll, type ExampleProcess } from '../../test-helpers/child';

type Msg = {
  user: string;
  body: string;
  reply_to?: string;
};
type RoomEvents = { new_msg: Msg };

let server: TestServer;
let bot: ExampleProcess;
let human: Socket;
const rooms = new Map<string, Channel<RoomEvents, RoomEvents>>();
const seen: (Msg & { room: string })[] = [];

/** Sends a command as `tester` and resolves with the bot's answer to it. */
async function ask(room: string, body: string): Promise<string> {
  const from = seen.length;
  await rooms.get(room)!.push('new_msg', { user: 'tester', body });
  await expect.poll(() => seen.slice(from).find((m) => m.user === 'phx-bot' && m.room === room), { timeout: 5000 }).toBeDefined();
  return seen.slice(from).find((m) => m.user === 'phx-bot' && m.room === room)!.body;
}

beforeAll(async () => {
  server = await startServer();
  installDemoChannels(server);
  bot = runExample('node-bot', [server.url, '--rooms', 'lobby,dev']);
  await bot.waitFor('joined room:lobby');
  await bot.waitFor('joined room:dev');

  human = new Socket(server.url, { reconnectAfterMs: () => 50 });
  human.connect();
  for (const room of ['lobby', 'dev']) {
    const channel = human.channel<RoomEvents, RoomEvents>(`room:${room}`, { user: 'tester' });
    channel.on('new_msg', (msg) => seen.push({ ...msg, room }));
    await channel.join();
    rooms.set(room, channel);
  }
});

afterAll(async () => {
  human?.disconnect();
  stopAll();
  await server?.close();
});

describe('node-bot', () => {
  it('answers commands in every room it joined', async () => {
    expect(await ask('lobby', '!ping')).toBe('pong');
    expect(await ask('dev', '!ping')).toBe('pong');
    const time = await ask('lobby', '!time');
    expect(Math.abs(Date.parse(time) - Date.now())).toBeLessThan(60_000);
    expect(await ask('dev', '!echo a b c')).toBe('a b c');
    expect(await ask('lobby', '!frobnicate')).toMatch(/^unknown command !frobnicate/);
    // Its own answers never trigger it (no loop): the only bot messages are the answers above.
    expect(seen.filter((m) => m.user === 'phx-bot')).toHaveLength(5);
  });

  it('survives a server restart and keeps answering', async () => {
    await server.restart();
    // Both the bot and this test's client rejoin by themselves.
    await bot.waitFor('joined room:lobby', { count: 2 });
    await bot.waitFor('joined room:dev', { count: 2 });
    await expect.poll(() => rooms.get('lobby')!.isJoined() && rooms.get('dev')!.isJoined()).toBe(true);
    expect(bot.stdout()).toMatch(/disconnected \(code 1012/);
    expect(await ask('lobby', '!ping')).toBe('pong');
    expect(await ask('dev', '!uptime')).toMatch(/^up \d+\.\d s$/);
  });

  it('prints the performance report on SIGINT and exits 0', async () => {
    bot.child.kill('SIGINT');
    const { code, signal } = await bot.exited;
    expect({ code, signal }).toEqual({ code: 0, signal: null });
    const out = bot.stdout();
    expect(out).toContain('phx-socket performance report');
    expect(out).toMatch(/reconnects [1-9]/);
    expect(out).toMatch(/joins [4-9]/); // two rooms, joined twice
    expect(out).toMatch(/push rtt\s+\d+/);
  });
});
