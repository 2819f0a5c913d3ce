// node index.mjs [--topics 20000] [--drop] [--json]
//
// Starts three local testkit servers, spreads `--topics` channels over a SocketPool, keeps pushing while
// one server dies (is closed; with --drop: the network to it is cut by a fault proxy) and comes back, and prints how the topics moved and what happened to every push.
// `--json` also prints the whole result as one {"type":"result", ...} line. Exits 1 if a push was lost or
// ran twice, or a topic did not rejoin.
import { runFailover } from './failover.mjs';

const argv = process.argv.slice(2);
const flag = (/** @type {string} */ name, /** @type {number} */ fallback) => {
  const i = argv.indexOf(`--${name}`);
  return i >= 0 ? Number(argv[i + 1]) : fallback;
};

const result = await runFailover({ topics: flag('topics', 20_000), kill: argv.includes('--drop') ? 'drop' : 'close' });
const { pushes } = result;
console.log(
  `moves: ${Object.entries(result.movedEvents)
    .map(([k, v]) => `${k}: ${v}`)
    .join(', ')}`,
);
const fine = result.allJoinedAfterFailover && result.allJoinedAfterRebalance && pushes.lost === 0 && pushes.duplicated === 0 && pushes.unsettled === 0;
console.log(fine ? 'OK: every topic rejoined, no push lost, none ran twice, every push settled' : 'FAILED: see above');
if (argv.includes('--json')) console.log(JSON.stringify({ type: 'result', ...result }));
process.exit(fine ? 0 : 1);
