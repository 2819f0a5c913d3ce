// node index.mjs [socketUrl] [--players 100] [--ticks 50] [--json]
//
// Two clients move the same players: one sends and receives positions packed with DataView (binary V2
// frames both ways), the other the JSON equivalent. Every reply must decode to exactly what was sent;
// then the bytes each one put on the wire are compared. Without a URL it starts its own testkit.
import { Socket } from '@phx-socket/client';
import { startServer } from '@phx-socket/testkit';
import { BYTES_PER_PLAYER, jsonBytes, packPositions, unpackPositions } from './codec.mjs';
import { installGameChannel } from './game-server.mjs';

const argv = process.argv.slice(2);
const flag = (/** @type {string} */ name, /** @type {number} */ fallback) => {
  const i = argv.indexOf(`--${name}`);
  return i >= 0 ? Number(argv[i + 1]) : fallback;
};
const PLAYERS = flag('players', 100);
const TICKS = flag('ticks', 50);
const asJson = argv.includes('--json');
let url = argv.find((a) => a.includes('://'));

/** @type {import('@phx-socket/testkit').TestServer | null} */
let server = null;
if (url === undefined) {
  server = await startServer();
  installGameChannel(server);
  url = server.url;
}

/** Deterministic positions (mulberry32), already rounded to what f32 can hold. */
function world(/** @type {number} */ tick) {
  let seed = tick * 7919 + 1;
  const random = () => {
    seed = (seed + 0x6d2b79f5) | 0;
    let t = Math.imul(seed ^ (seed >>> 15), 1 | seed);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  return Array.from({ length: PLAYERS }, (_, i) => ({
    id: 1000 + i,
    x: Math.fround(random() * 2000 - 1000),
    y: Math.fround(random() * 2000 - 1000),
  }));
}

/** A socket plus the bytes it sent and received, counted from telemetry (whole frames, headers included). */
async function player(/** @type {'binary' | 'json'} */ format) {
  const socket = new Socket(/** @type {string} */ (url));
  const bytes = { sent: 0, received: 0 };
  socket.telemetry.on('message:sent', ({ measurements, metadata }) => {
    if (metadata.topic === 'game:arena' && metadata.event.startsWith('move')) bytes.sent += measurements.bytes;
  });
  socket.telemetry.on('message:received', ({ measurements, metadata }) => {
    if (metadata.topic === 'game:arena' && metadata.event === 'phx_reply') bytes.received += measurements.bytes;
  });
  socket.connect();
  const channel = socket.channel('game:arena', { format });
  await channel.join();
  return { socket, channel, bytes };
}

const sameWorld = (/** @type {{id:number,x:number,y:number}[]} */ a, /** @type {typeof a} */ b) =>
  a.length === b.length && a.every((p, i) => p.id === b[i]?.id && p.x === b[i]?.x && p.y === b[i]?.y);

const bin = await player('binary');
const json = await player('json');
let mismatches = 0;
for (let tick = 0; tick < TICKS; tick++) {
  const players = world(tick);
  // Binary both ways: the push is an ArrayBuffer, the reply arrives as one.
  const binReply = await bin.channel.push('move', packPositions(players));
  if (!(binReply instanceof ArrayBuffer) || !sameWorld(unpackPositions(binReply), players)) mismatches++;
  const jsonReply = /** @type {{ players: typeof players }} */ (await json.channel.push('move_json', { players }));
  if (!sameWorld(jsonReply.players, players)) mismatches++;
}

const sample = world(0);
const result = {
  players: PLAYERS,
  ticks: TICKS,
  exact: mismatches === 0,
  mismatches,
  payload: { binary: packPositions(sample).byteLength, json: jsonBytes(sample) },
  wire: { binary: bin.bytes.sent + bin.bytes.received, json: json.bytes.sent + json.bytes.received },
};

if (asJson) {
  console.log(JSON.stringify({ type: 'result', ...result }));
} else {
  const pct = (/** @type {number} */ a, /** @type {number} */ b) => `${((a / b) * 100).toFixed(1)}%`;
  console.log(`${PLAYERS} players × ${TICKS} ticks, ${BYTES_PER_PLAYER} bytes per player`);
  console.log(`round trip exact: ${result.exact ? 'yes' : `NO (${mismatches} mismatches)`}`);
  console.log(`one world update   binary ${result.payload.binary} B   json ${result.payload.json} B   binary is ${pct(result.payload.binary, result.payload.json)} of json`);
  console.log(`on the wire        binary ${result.wire.binary} B   json ${result.wire.json} B   binary is ${pct(result.wire.binary, result.wire.json)} of json`);
}

bin.socket.disconnect();
json.socket.disconnect();
await server?.close();
process.exit(result.exact ? 0 : 1);
