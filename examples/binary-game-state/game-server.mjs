// The Phoenix side, played by the testkit: `game:*` keeps every player's last position and answers
// each move with the whole world, in the format the client joined with (`binary` or `json`).
import { packPositions, unpackPositions } from './codec.mjs';

/** @typedef {import('./codec.mjs').Player} Player */

/** @param {import('@phx-socket/testkit').TestServer} server */
export function installGameChannel(server) {
  /** @type {Map<string, Map<number, Player>>} world per topic, by player id */
  const worlds = new Map();
  const worldOf = (/** @type {string} */ topic) => worlds.get(topic) ?? worlds.set(topic, new Map()).get(topic) ?? new Map();

  return server.channel('game:*', {
    join(_topic, params, socket) {
      socket.assigns.format = params.format === 'json' ? 'json' : 'binary';
      return { ok: { bytes_per_player: 12 } };
    },
    handleIn(event, payload, socket) {
      const world = worldOf(socket.topic);
      if (event === 'move') {
        // Binary pushes reach the testkit as a Uint8Array.
        if (!(payload instanceof Uint8Array)) return { reply: 'error', response: { reason: 'move expects a binary payload' } };
        for (const p of unpackPositions(payload)) world.set(p.id, p);
      } else if (event === 'move_json') {
        for (const p of /** @type {{ players: Player[] }} */ (payload).players) world.set(p.id, p);
      } else {
        return { reply: 'error', response: { reason: `unknown event ${event}` } };
      }
      const players = [...world.values()].sort((a, b) => a.id - b.id);
      // An ArrayBuffer response goes out as a binary reply frame.
      return { reply: 'ok', response: socket.assigns.format === 'binary' ? packPositions(players) : { players } };
    },
  });
}
