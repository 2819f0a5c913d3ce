// Half-open: the proxy stalls both directions while TCP stays up (a NAT box that forgot the flow, a
// laptop lid closed). Only the heartbeat can notice. Measures how long each client takes to notice (its
// channels leave `joined`), then, with the network back, how long until every channel is joined again.
import { makeClient, until } from '../lib/clients.mjs';
import { startRig } from '../lib/rig.mjs';

export const SCALES = Object.freeze({
  short: { channels: 5, rounds: 2, heartbeatIntervalMs: 300, heartbeatTimeoutMs: 300 },
  long: { channels: 20, rounds: 10, heartbeatIntervalMs: 1000, heartbeatTimeoutMs: 1000 },
});

/**
 * The detection bound the issue sets: heartbeat interval + timeout + 1 s. phoenix.js and lite have no
 * separate timeout (a beat is late when the next one is due), so theirs is 2 intervals + 1 s.
 */
export function boundMs(kind, scale) {
  const timeout = kind === 'ours' ? scale.heartbeatTimeoutMs : scale.heartbeatIntervalMs;
  return scale.heartbeatIntervalMs + timeout + 1000;
}

/**
 * @param {'ours' | 'lite' | 'phoenix'} kind
 * @param {{ channels: number, rounds: number, heartbeatIntervalMs: number, heartbeatTimeoutMs: number }} scale
 */
export async function run(kind, scale) {
  const rig = await startRig();
  const client = makeClient(kind, rig.url, {
    heartbeatIntervalMs: scale.heartbeatIntervalMs,
    ours: { heartbeatTimeoutMs: scale.heartbeatTimeoutMs },
  });
  const detectMs = [];
  const rejoinMs = [];
  try {
    client.connect();
    const rooms = Array.from({ length: scale.channels }, (_, i) => client.channel(`rel:${i}`));
    await Promise.all(rooms.map((room) => room.join(10_000)));
    const limit = boundMs(kind, scale) + 30_000;
    for (let round = 0; round < scale.rounds; round++) {
      await until(() => rooms.every((room) => room.joined()), 10_000, `${kind}: joined before round ${round}`);
      rig.proxy.stall();
      detectMs.push(await until(() => rooms.some((room) => !room.joined()), limit, `${kind}: half-open connection noticed`));
      rig.proxy.resume();
      rejoinMs.push(await until(() => rooms.every((room) => room.joined()), 10_000, `${kind}: rejoined after the network came back`));
    }
    const check = rooms[0];
    const echo = await check.push('echo', { after: 'half-open' }, 5000);
    return {
      rounds: scale.rounds,
      boundMs: boundMs(kind, scale),
      detectMaxMs: Math.round(Math.max(...detectMs)),
      rejoinMaxMs: Math.round(Math.max(...rejoinMs)),
      joinedAtEnd: rooms.filter((room) => room.joined()).length,
      channels: scale.channels,
      pushAfterOk: echo.status === 'ok',
    };
  } finally {
    await client.disconnect();
    await rig.close();
  }
}
