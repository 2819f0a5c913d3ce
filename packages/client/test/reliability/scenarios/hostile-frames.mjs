// Hostile server frames: the proxy writes malformed, mistyped, misaddressed, huge and deeply nested
// frames between valid broadcasts on a joined channel. A client must not throw out of its message
// handler (an uncaught exception kills a Node bot), must stay connected and joined, and must deliver
// every valid broadcast in between, once. Run it in a child process (child.mjs): the official client
// throws from its WebSocket handler on some of these, and those throws are uncaught.
//
// Frames the WebSocket layer itself rejects (invalid UTF-8 in a text frame, a bad opcode) are left out:
// browsers and `ws` close the connection on those before any client code runs.
import { makeClient, sleep, until } from '../lib/clients.mjs';
import { startRig } from '../lib/rig.mjs';

export const SCALES = Object.freeze({
  short: { frames: 1000, hugeEvery: 500, settleMs: 3000 },
  long: { frames: 10_000, hugeEvery: 1000, settleMs: 20_000 },
});

const TOPIC = 'rel:0';
const HUGE_BYTES = 2 * 1024 * 1024;
const DEPTH = 100_000;

const text = (value) => JSON.stringify(value);
const bytes = (...values) => Uint8Array.from(values);

/** The hostile frames, cycled through; each is a string (text frame) or bytes (binary frame). */
export const HOSTILE = Object.freeze([
  'not json',
  '{',
  '',
  '[',
  '[null,null,"rel:0","tick"]',
  '[null,null,"rel:0","tick",{"seq":1},"extra"]',
  '{"topic":"rel:0","event":"tick","payload":{}}',
  'null',
  '42',
  '"a string"',
  '[null,null,null,null,null]',
  '[null,null,"rel:0",42,{}]',
  '[null,null,7,"tick",{}]',
  '[{},[],"rel:0","tick",{"seq":-1}]',
  text([null, '999999', TOPIC, 'phx_reply', { status: 'ok', response: {} }]),
  text([null, '999999', TOPIC, 'phx_reply', { status: 'error', response: { reason: 'x' } }]),
  text([null, null, TOPIC, 'phx_reply', { status: 'ok' }]),
  text([null, '1', TOPIC, 'phx_reply', 'not an object']),
  text([null, '1', 'phoenix', 'phx_reply', { status: 'ok', response: {} }]),
  text([null, null, 'unknown:topic', 'tick', { seq: -1 }]),
  text(['999999', null, TOPIC, 'phx_error', {}]),
  text(['999999', null, TOPIC, 'phx_close', {}]),
  text(['999999', null, TOPIC, 'tick', { seq: -1 }]),
  text([null, null, TOPIC, 'presence_state', 'not a state']),
  text([null, null, TOPIC, 'presence_diff', { joins: 5, leaves: null }]),
  '[null,null,"rel:0","x",{"__proto__":{"polluted":true},"constructor":{"prototype":{"polluted":true}}}]',
  text([null, null, '__proto__', 'x', {}]),
  text([null, null, 'constructor', 'x', {}]),
  text([null, null, TOPIC, '__proto__', {}]),
  `[null,null,"rel:0","deep",${'['.repeat(DEPTH)}${']'.repeat(DEPTH)}]`,
  bytes(),
  bytes(0),
  bytes(0, 5),
  bytes(0, 1, 2, 3),
  bytes(1, 200, 10, 10, 10, 65),
  bytes(2, 4, 4, 4, 65, 65),
  bytes(2, 0, 0, 0),
  bytes(9, 1, 1, 1, 65, 66, 67),
  bytes(255, 255, 255, 255, 255),
]);

const HUGE = `[null,null,"rel:0","big",{"s":"${'x'.repeat(HUGE_BYTES)}"}]`;

const tick = (seq) => text([null, null, TOPIC, 'tick', { seq }]);

/**
 * @param {'ours' | 'lite' | 'phoenix'} kind
 * @param {{ frames: number, hugeEvery: number, settleMs: number }} scale
 */
export async function run(kind, scale) {
  const rig = await startRig();
  // A 1 s heartbeat lets a client whose connection stopped reading recover within settleMs.
  const client = makeClient(kind, rig.url, { reconnectAfterMs: () => 50, heartbeatIntervalMs: 1000 });
  const seen = new Map();
  try {
    client.connect();
    const room = client.channel(TOPIC);
    const joined = await room.join(10_000);
    if (joined.status !== 'ok') throw new Error(`${kind}: join failed (${joined.code})`);
    room.on('tick', (payload) => {
      const seq = payload?.seq;
      if (Number.isInteger(seq) && seq >= 0) seen.set(seq, (seen.get(seq) ?? 0) + 1);
    });
    const opensBefore = client.opens;
    let valid = 0;
    let hostile = 0;
    for (let i = 0; i < scale.frames; i++) {
      const frame = i % scale.hugeEvery === scale.hugeEvery - 1 ? HUGE : HOSTILE[i % HOSTILE.length];
      rig.proxy.inject(frame);
      hostile++;
      rig.proxy.inject(tick(valid++));
      // Let the client read what was written, so the socket's buffers stay small and the order holds.
      if (i % 50 === 49) await sleep(1);
    }
    // A client that stopped reading (the official one, after a throw) never gets there: give it settleMs.
    await until(() => seen.size === valid, scale.settleMs, `${kind}: the valid broadcasts`).catch(() => undefined);
    const echo = await room.push('echo', { after: 'hostile frames' }, 15_000);
    return {
      hostileFrames: hostile,
      validBroadcasts: valid,
      delivered: seen.size,
      deliveredTwice: [...seen.values()].filter((n) => n > 1).length,
      reconnects: client.opens - opensBefore,
      joinedAtEnd: room.joined(),
      pushAfterOk: echo.status === 'ok',
      errorsReported: client.errors,
      prototypePolluted: Object.prototype.hasOwnProperty.call(Object.prototype, 'polluted'),
    };
  } finally {
    await client.disconnect();
    await rig.close();
  }
}
