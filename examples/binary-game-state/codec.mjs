// The wire layout of player positions: 12 bytes per player, little-endian.
//
//   offset 0  u32  player_id
//   offset 4  f32  x
//   offset 8  f32  y
//
// f32 keeps ~7 significant digits, plenty for a game world; pass positions through Math.fround()
// before comparing, since that is exactly what survives the trip.

export const BYTES_PER_PLAYER = 12;

/** @typedef {{ id: number, x: number, y: number }} Player */

/**
 * @param {readonly Player[]} players
 * @returns {ArrayBuffer}
 */
export function packPositions(players) {
  const buffer = new ArrayBuffer(players.length * BYTES_PER_PLAYER);
  const view = new DataView(buffer);
  players.forEach((p, i) => {
    const at = i * BYTES_PER_PLAYER;
    view.setUint32(at, p.id, true);
    view.setFloat32(at + 4, p.x, true);
    view.setFloat32(at + 8, p.y, true);
  });
  return buffer;
}

/**
 * Accepts what either side receives: an ArrayBuffer (client) or a Uint8Array view (testkit server),
 * which may sit at an offset inside a larger buffer.
 * @param {ArrayBuffer | ArrayBufferView} bytes
 * @returns {Player[]}
 */
export function unpackPositions(bytes) {
  const view = ArrayBuffer.isView(bytes) ? new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength) : new DataView(bytes);
  if (view.byteLength % BYTES_PER_PLAYER !== 0) {
    throw new RangeError(`positions payload must be a multiple of ${BYTES_PER_PLAYER} bytes, got ${view.byteLength}`);
  }
  const players = [];
  for (let at = 0; at < view.byteLength; at += BYTES_PER_PLAYER) {
    players.push({ id: view.getUint32(at, true), x: view.getFloat32(at + 4, true), y: view.getFloat32(at + 8, true) });
  }
  return players;
}

/** Bytes of the same positions as a JSON payload, for comparison. */
export function jsonBytes(/** @type {readonly Player[]} */ players) {
  return new TextEncoder().encode(JSON.stringify(players)).byteLength;
}
