// Console tables, machine info, results/<name>.json and packages/perf/BENCHMARKS.md.
import { existsSync, mkdirSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const BENCH_DIR = dirname(dirname(fileURLToPath(import.meta.url)));
export const RESULTS_DIR = join(BENCH_DIR, 'results');
const BENCHMARKS_MD = join(BENCH_DIR, '..', 'BENCHMARKS.md');

export function machineInfo() {
  const cpus = os.cpus();
  return {
    node: process.version,
    v8: process.versions.v8,
    cpu: cpus[0]?.model?.trim() ?? 'unknown',
    cores: cpus.length,
    memoryGiB: Math.round(os.totalmem() / 2 ** 30),
    platform: `${os.platform()} ${os.release()} ${os.arch()}`,
  };
}

function widths(header, lines) {
  return header.map((h, i) => Math.max(h.length, ...lines.map((l) => String(l[i]).length)));
}

export function consoleTable({ header, lines, notes = [] }) {
  const w = widths(header, lines);
  const row = (cells) => cells.map((c, i) => (i === 0 ? String(c).padEnd(w[i]) : String(c).padStart(w[i]))).join('  ');
  return [row(header), w.map((x) => '─'.repeat(x)).join('  '), ...lines.map(row), ...notes.map((n) => `  · ${n}`)].join('\n');
}

export function markdownTable({ header, lines, notes = [] }) {
  const out = [`| ${header.join(' | ')} |`, `|${header.map((_, i) => (i === 0 ? ' --- ' : ' ---: ')).join('|')}|`];
  for (const l of lines) out.push(`| ${l.join(' | ')} |`);
  if (notes.length) out.push('', ...notes.map((n) => `- ${n}`));
  return out.join('\n');
}

export function writeResult(name, result) {
  mkdirSync(RESULTS_DIR, { recursive: true });
  const file = join(RESULTS_DIR, `${name}.json`);
  writeFileSync(file, `${JSON.stringify(result, null, 2)}\n`);
  return file;
}

export function readResults() {
  if (!existsSync(RESULTS_DIR)) return {};
  const out = {};
  for (const f of readdirSync(RESULTS_DIR).filter((x) => x.endsWith('.json')).sort()) {
    try {
      out[f.replace(/\.json$/, '')] = JSON.parse(readFileSync(join(RESULTS_DIR, f), 'utf8'));
    } catch {
      // a half-written file from an interrupted run: skip it
    }
  }
  return out;
}

/**
 * Rewrites BENCHMARKS.md from every results/*.json, in `order`. `sections` maps a benchmark name to
 * { title, table(result), describe } taken from the benchmark modules.
 */
export function writeBenchmarksMd(modules, intro) {
  const results = readResults();
  const parts = [intro.trim(), ''];
  for (const mod of modules) {
    const result = results[mod.name];
    parts.push(`## ${mod.title}`, '');
    if (mod.describe) parts.push(mod.describe.trim(), '');
    if (!result) {
      parts.push('_Not run yet._', '');
      continue;
    }
    const m = result.meta;
    parts.push(
      `Measured ${m.date} with \`${m.command}\` — Node ${m.machine.node}, ${m.machine.cpu} (${m.machine.cores} cores, ${m.machine.memoryGiB} GiB), ${m.machine.platform}; server: ${m.server}.`,
      '',
      markdownTable(mod.table(result)),
      '',
      `Raw figures: [\`bench/results/${mod.name}.json\`](bench/results/${mod.name}.json).`,
      '',
    );
  }
  writeFileSync(BENCHMARKS_MD, `${parts.join('\n').trimEnd()}\n`);
  return BENCHMARKS_MD;
}
