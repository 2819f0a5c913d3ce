// Presence sync cost in a room of 10 000 keys: the initial `presence_state`, then diffs of one join and
// one leave each, ours (`Presence` from @phx-socket/client) vs phoenix.js's `Presence`, each in a fresh
// process, fed the same payloads through a minimal channel stand-in (no network: this is merge cost).
import { fileURLToPath } from 'node:url';
import { runClient } from './lib/run-client.mjs';
import { median } from './lib/stats.mjs';

export const name = 'presence';
export const title = 'Presence sync cost at 10 000 keys';
const SELF = fileURLToPath(import.meta.url);
export const describe = `
A room of 10 000 keys (one meta each): time to apply the initial \`presence_state\`, then the mean time per
\`presence_diff\` (one key joins, one leaves) over 2 000 diffs, with onJoin/onLeave/onSync callbacks
attached. phoenix.js clones the whole state on every sync; ours merges in place on null-prototype state.
`;
const PLAN = { keys: 10_000, diffs: 2_000, reps: 3 };
const QUICK = { keys: 10_000, diffs: 300, reps: 1 };

const meta = (i, ref) => ({ phx_ref: `r${ref}`, online_at: 1700000000 + i, device: 'web' });

async function load(client) {
  if (client === 'ours') {
    const { Presence } = await import('@phx-socket/client');
    return (channel) => new Presence(channel);
  }
  const phoenix = await import('phoenix');
  const { Presence } = phoenix.default ?? phoenix;
  return (channel) => new Presence(channel);
}

/** The part of a channel Presence uses; phoenix.js calls joinRef() as a method, ours reads a property. */
function fakeChannel(client) {
  const handlers = new Map();
  const channel = {
    on: (event, cb) => (handlers.set(event, cb), handlers.size),
    off: () => {},
    joinRef: client === 'ours' ? '1' : () => '1',
  };
  return { channel, emit: (event, payload) => handlers.get(event)(payload) };
}

export async function child({ client, keys, diffs }) {
  const make = await load(client);
  const { channel, emit } = fakeChannel(client);
  const presence = make(channel);
  let joins = 0;
  let leaves = 0;
  let syncs = 0;
  presence.onJoin(() => joins++);
  presence.onLeave(() => leaves++);
  presence.onSync(() => syncs++);
  const state = {};
  for (let i = 0; i < keys; i++) state[`user:${i}`] = { metas: [meta(i, i)] };
  const payload = JSON.parse(JSON.stringify(state));
  const t0 = performance.now();
  emit('presence_state', payload);
  const stateMs = performance.now() - t0;
  const diffPayloads = [];
  for (let d = 0; d < diffs; d++) {
    const joining = keys + d;
    const leaving = d;
    diffPayloads.push(
      JSON.parse(
        JSON.stringify({
          joins: { [`user:${joining}`]: { metas: [meta(joining, joining)] } },
          leaves: { [`user:${leaving}`]: { metas: [meta(leaving, leaving)] } },
        }),
      ),
    );
  }
  const t1 = performance.now();
  for (const diff of diffPayloads) emit('presence_diff', diff);
  const diffMs = (performance.now() - t1) / diffs;
  const listed = presence.list((key) => key).length;
  if (listed !== keys) throw new Error(`${client}: expected ${keys} keys after the diffs, listed ${listed}`);
  if (syncs !== diffs + 1 || joins !== keys + diffs || leaves !== diffs) throw new Error(`${client}: callbacks miscounted`);
  return { client, stateMs, diffUs: diffMs * 1000 };
}

export async function run({ clients, options, log }) {
  const plan = options.quick ? QUICK : PLAN;
  const rows = [];
  for (const client of clients.filter((c) => c === 'ours' || c === 'phoenix')) {
    try {
      const samples = [];
      for (let r = 0; r < plan.reps; r++) {
        samples.push(await runClient(SELF, { client, keys: plan.keys, diffs: plan.diffs }, { name: `presence ${client} #${r + 1}` }));
      }
      const row = {
        client,
        keys: plan.keys,
        stateMs: median(samples.map((s) => s.stateMs)),
        diffUs: median(samples.map((s) => s.diffUs)),
        samples,
      };
      rows.push(row);
      log(`  presence ${client.padEnd(7)} state ${row.stateMs.toFixed(1)} ms, ${row.diffUs.toFixed(1)} µs per diff`);
    } catch (err) {
      rows.push({ client, error: String(err?.message ?? err) });
      log(`  presence ${client}: FAILED ${String(err?.message ?? err).split('\n')[0]}`);
    }
  }
  return { name, title, plan, rows };
}

export function table(result) {
  const phoenix = result.rows.find((r) => r.client === 'phoenix' && !r.error);
  const ratio = (a, b) => (b ? `${(a / b).toFixed(2)}×` : '—');
  const lines = result.rows
    .filter((r) => !r.error)
    .map((r) => [
      r.client,
      r.keys.toLocaleString('en-US'),
      r.stateMs.toFixed(1),
      ratio(r.stateMs, phoenix?.stateMs),
      r.diffUs.toFixed(1),
      ratio(r.diffUs, phoenix?.diffUs),
    ]);
  return {
    header: ['client', 'keys', 'initial state ms', 'vs phoenix', 'µs per diff', 'vs phoenix'],
    lines,
    notes: ['median of fresh processes; lower is better'],
  };
}
