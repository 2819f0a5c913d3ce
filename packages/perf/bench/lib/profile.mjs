// Summarizes V8 .cpuprofile files (from `--cpu-prof`): self time per function, mapped back to the
// TypeScript sources through dist/*.map when there is one, so a report can name the function in
// packages/<pkg>/src that costs the most.
import { existsSync, readFileSync, readdirSync } from 'node:fs';
import { SourceMap } from 'node:module';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const REPO = resolve(dirname(fileURLToPath(import.meta.url)), '../../../..');
const maps = new Map();

function sourceMapFor(url) {
  if (!url.startsWith('file://')) return null;
  if (maps.has(url)) return maps.get(url);
  let map = null;
  try {
    const file = fileURLToPath(url);
    if (existsSync(`${file}.map`)) map = { map: new SourceMap(JSON.parse(readFileSync(`${file}.map`, 'utf8'))), dir: dirname(file) };
  } catch {
    map = null;
  }
  maps.set(url, map);
  return map;
}

function locate(frame) {
  const { url, lineNumber, columnNumber } = frame;
  if (!url) return '';
  const sm = sourceMapFor(url);
  if (sm) {
    const entry = sm.map.findEntry(lineNumber, columnNumber);
    if (entry?.originalSource) {
      const src = entry.originalSource.startsWith('file://') ? fileURLToPath(entry.originalSource) : resolve(sm.dir, entry.originalSource);
      return `${relative(REPO, src)}:${entry.originalLine + 1}`;
    }
  }
  const path = url.startsWith('file://') ? relative(REPO, fileURLToPath(url)) : url;
  return `${path.replace(/^.*node_modules\/\.pnpm\/[^/]+\/node_modules\//, '')}:${lineNumber + 1}`;
}

/** Self-time table of one profile: [{ fn, where, ms, share }], largest first. */
export function selfTimes(profile) {
  const byId = new Map(profile.nodes.map((n) => [n.id, n]));
  const self = new Map();
  for (let i = 0; i < profile.samples.length; i++) {
    const id = profile.samples[i];
    self.set(id, (self.get(id) ?? 0) + (profile.timeDeltas[i] ?? 0));
  }
  const agg = new Map();
  let total = 0;
  for (const [id, us] of self) {
    const node = byId.get(id);
    const fn = node.callFrame.functionName || '(anonymous)';
    if (fn === '(idle)') continue;
    total += us;
    const where = locate(node.callFrame);
    const key = `${fn}@${where}`;
    const cur = agg.get(key) ?? { fn, where, us: 0 };
    cur.us += us;
    agg.set(key, cur);
  }
  return [...agg.values()]
    .sort((a, b) => b.us - a.us)
    .map((x) => ({ fn: x.fn, where: x.where, ms: x.us / 1_000, share: x.us / total }));
}

export function summarizeProfiles(dir, top = 25) {
  if (!existsSync(dir)) return `no profiles in ${dir}`;
  const out = [];
  for (const f of readdirSync(dir).filter((x) => x.endsWith('.cpuprofile')).sort()) {
    const rows = selfTimes(JSON.parse(readFileSync(join(dir, f), 'utf8')));
    out.push(`CPU profile ${join(dir, f)} — self time, busiest functions (excluding idle):`);
    for (const r of rows.slice(0, top)) {
      out.push(`  ${(r.share * 100).toFixed(1).padStart(5)}%  ${r.ms.toFixed(0).padStart(6)} ms  ${r.fn}  ${r.where}`);
    }
    out.push('');
  }
  return out.join('\n');
}

// `node lib/profile.mjs <dir-or-file>` prints the same summary for profiles taken by hand.
if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const target = process.argv[2];
  if (target?.endsWith('.cpuprofile')) {
    for (const r of selfTimes(JSON.parse(readFileSync(target, 'utf8'))).slice(0, 30)) {
      console.log(`${(r.share * 100).toFixed(1).padStart(5)}%  ${r.ms.toFixed(0).padStart(6)} ms  ${r.fn}  ${r.where}`);
    }
  } else console.log(summarizeProfiles(target ?? '.'));
}
