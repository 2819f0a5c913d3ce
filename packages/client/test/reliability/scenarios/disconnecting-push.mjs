// A push whose handler makes the server disconnect the socket (Phoenix's socket-id `disconnect`
// broadcast, a revoked token): resending it after the rejoin would disconnect again, forever. Counts the
// reconnects one such push causes in a fixed window, with an app schedule of 200 ms between reconnects.
import { makeClient, sleep, until } from '../lib/clients.mjs';
import { startRig } from '../lib/rig.mjs';

export const SCALES = Object.freeze({
  short: { windowMs: 2500 },
  long: { windowMs: 8000 },
});

/** Client variants: ours by default and ours with the at-least-once opt-in (budget 2). */
export const VARIANTS = Object.freeze({
  ours: { kind: 'ours', ours: {} },
  'ours (resend, maxResends 2)': { kind: 'ours', ours: { inFlightPolicy: 'resend', maxResends: 2 } },
  lite: { kind: 'lite', ours: {} },
  phoenix: { kind: 'phoenix', ours: {} },
});

/**
 * @param {keyof typeof VARIANTS} variant
 * @param {{ windowMs: number }} scale
 */
export async function run(variant, scale) {
  const { kind, ours } = VARIANTS[variant];
  const rig = await startRig();
  const client = makeClient(kind, rig.url, { params: { user: 'u1' }, timeout: 2000, reconnectAfterMs: () => 200, ours });
  try {
    client.connect();
    const room = client.channel('rel:boom');
    await room.join(10_000);
    const started = performance.now();
    const outcome = await room.push('boom', {}, 2000);
    const resolvedMs = performance.now() - started;
    await sleep(Math.max(0, scale.windowMs - resolvedMs));
    await until(() => room.joined(), 5000, `${variant}: joined at the end`).catch(() => undefined);
    return {
      windowMs: scale.windowMs,
      serverRuns: rig.booms(),
      reconnects: rig.server.stats().totalConnections - 1,
      outcome: outcome.status === 'ok' ? 'ok' : outcome.code,
      typed: outcome.status !== 'ok' && outcome.typed,
      resolvedMs: Math.round(resolvedMs),
      joinedAtEnd: room.joined(),
    };
  } finally {
    await client.disconnect();
    await rig.close();
  }
}
