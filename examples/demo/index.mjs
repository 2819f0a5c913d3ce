// The demo behind `npm run demo`: a testkit server and two phx-socket clients in one process.
// It joins a room, pushes and awaits a reply, receives a broadcast from the other client, watches
// presence, survives a server-side drop (a push in flight fails with a typed error and is not run twice;
// a push made offline is delivered after the rejoin), and prints one line per telemetry event. Exits 0
// on success.
import { PerformanceMonitor, Presence, Socket } from '@phx-socket/client';
import { startServer } from '@phx-socket/testkit';

const server = await startServer();
let slowRuns = 0;
server.channel('room:*', {
  join(_topic, params, socket) {
    socket.assigns.user = params.user;
    return { ok: { welcome: `hello ${params.user}` } };
  },
  // Runs after the join reply and presence_state, like a Phoenix app's after_join.
  afterJoin(socket) {
    server.track(socket, socket.topic, socket.assigns.user, { online_at: Date.now() });
  },
  handleIn(event, payload, socket) {
    if (event === 'new_msg') {
      socket.broadcast('new_msg', { user: socket.assigns.user, body: payload.body });
      return { reply: 'ok', response: { stored: true } };
    }
    if (event === 'slow') {
      slowRuns++; // handled, never answered: still in flight when the connection drops
      return { noreply: true };
    }
    return { reply: 'error', response: { reason: `unknown event ${event}` } };
  },
  presence: true,
});

const t0 = Date.now();
const stamp = () => `+${String(Date.now() - t0).padStart(4)}ms`;
const fmt = (o) => JSON.stringify(o, (_k, v) => (v instanceof Error ? `${v.name}: ${v.message}` : v));

function client(name) {
  const socket = new Socket(server.url, { params: { user: name }, reconnectAfterMs: () => 50, heartbeatIntervalMs: 1000 });
  socket.telemetry.on('*', (event, { measurements, metadata }) => {
    console.log(`${stamp()} [${name}] ${event.padEnd(26)} ${fmt(measurements)} ${fmt(metadata)}`);
  });
  return socket;
}

const check = (ok, what) => {
  if (!ok) {
    console.error(`✗ ${what}`);
    process.exit(1);
  }
  console.log(`✓ ${what}`);
};

const ana = client('ana');
const bob = client('bob');
ana.connect();
bob.connect();

const anaRoom = ana.channel('room:lobby', { user: 'ana' });
const bobRoom = bob.channel('room:lobby', { user: 'bob' });
const monitor = new PerformanceMonitor();
monitor.attach(ana.telemetry);
const presence = new Presence(bobRoom);
presence.onJoin((key, current) => !current && console.log(`${stamp()} [bob] presence: ${key} is online`));
const received = new Promise((resolve) => bobRoom.on('new_msg', resolve));

const welcome = await anaRoom.join();
check(welcome.welcome === 'hello ana', `ana joined room:lobby: ${fmt(welcome)}`);
await bobRoom.join();
check(bobRoom.state === 'joined', 'bob joined room:lobby');

const reply = await anaRoom.push('new_msg', { body: 'hi bob' });
check(reply.stored === true, `push answered: ${fmt(reply)}`);
const msg = await received;
check(msg.body === 'hi bob' && msg.user === 'ana', `bob got the broadcast: ${fmt(msg)}`);

await until(() => presence.get('ana') !== undefined && presence.get('bob') !== undefined);
check(presence.count() === 2, `presence seen by bob: ${presence.list((key) => key).sort().join(', ')}`);

try {
  await anaRoom.push('nonsense', {});
  check(false, 'an unknown event is refused');
} catch (error) {
  check(error.code === 'reply_error', `an unknown event is refused with ${error.name} (${error.code})`);
}

// The server drops every connection. The push it had taken but not answered fails with a typed error
// and is not re-sent behind the app's back (it may have run: here it did, once). A push made once ana
// knows she is offline waits in her channel's buffer and goes out once, after the rejoin.
const inFlight = anaRoom.push('slow', {}).then(
  () => null,
  (error) => error,
);
await until(() => slowRuns === 1);
const down = new Promise((resolve) => ana.telemetry.on('socket:disconnected', resolve));
server.dropAll();
await down;
const lost = await inFlight;
check(lost?.code === 'connection_lost', `the push in flight at the drop failed with ${lost?.name} (${lost?.code})`);
const again = await anaRoom.push('new_msg', { body: 'sent while reconnecting' });
check(again.stored === true && anaRoom.state === 'joined', 'after the server dropped every connection, ana reconnected, rejoined and the buffered push was delivered');
check(slowRuns === 1, 'the push in flight at the drop ran once on the server: not re-sent after the rejoin');

console.log(`\n${monitor.report('text')}\n`);
ana.disconnect();
bob.disconnect();
await server.close();
console.log(`${stamp()} demo finished`);
process.exit(0);

async function until(cond, timeoutMs = 5000) {
  const start = Date.now();
  while (!cond()) {
    if (Date.now() - start > timeoutMs) throw new Error('timed out waiting');
    await new Promise((r) => setTimeout(r, 10));
  }
}
