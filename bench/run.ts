/**
 * `npm run bench [-- name…]`: runs every benchmark in bench/*.ts that exports `{ name, run }`
 * (or only the named ones), merges the rows into bench/results.json (a row replaces the one with
 * the same name) and rewrites bench/RESULTS.md from it.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { cleanupAll, machine, repoRoot, type BenchRow, type Benchmark } from './lib.ts';

const benchDir = import.meta.dirname;
const resultsJson = path.join(benchDir, 'results.json');
const resultsMd = path.join(benchDir, 'RESULTS.md');

async function discover(): Promise<Benchmark[]> {
  const found: Benchmark[] = [];
  for (const file of fs.readdirSync(benchDir).sort()) {
    if (!file.endsWith('.ts') || file.endsWith('.d.ts') || file.endsWith('.test.ts') || file === 'lib.ts' || file === 'run.ts') continue;
    const mod = await import(pathToFileURL(path.join(benchDir, file)).href);
    if (typeof mod.name === 'string' && typeof mod.run === 'function') found.push({ name: mod.name, run: mod.run });
  }
  return found;
}

function readResults(): BenchRow[] {
  try {
    const data = JSON.parse(fs.readFileSync(resultsJson, 'utf8'));
    return Array.isArray(data?.rows) ? data.rows : [];
  } catch {
    return [];
  }
}

const fmt = (x: number | null | undefined) => (x === null || x === undefined ? '—' : String(x));

function renderMarkdown(rows: BenchRow[]): string {
  const lines = [
    '# Benchmark results',
    '',
    'Written by `npm run bench` (bench/run.ts) from `bench/results.json`; do not edit by hand.',
    'ratio = value / baseline, where the baseline is the same work done by what we build on, measured in the same run.',
    '',
  ];
  const groups = new Map<string, BenchRow[]>();
  for (const r of rows) {
    const key = r.bench ?? r.name.split('.')[0];
    groups.set(key, [...(groups.get(key) ?? []), r]);
  }
  for (const [bench, list] of [...groups].sort(([a], [b]) => a.localeCompare(b))) {
    lines.push(`## ${bench}`, '');
    lines.push('| name | value | unit | baseline | ratio | target | ok | samples | what |');
    lines.push('|---|---:|---|---:|---:|---:|:-:|---|---|');
    for (const r of list) {
      const ok = r.target === null || r.target === undefined ? '' : r.value <= r.target ? '✅' : '❌';
      const target = r.target === null || r.target === undefined ? '—' : `≤ ${r.target}`;
      lines.push(
        `| ${r.name} | ${fmt(r.value)} | ${r.unit} | ${fmt(r.baseline)} | ${fmt(r.ratio)} | ${target} | ${ok} | ${(r.samples ?? []).join(', ')} | ${(r.label ?? '').replace(/\|/g, '\\|')} |`,
      );
    }
    const dates = [...new Set(list.map((r) => r.date.slice(0, 16).replace('T', ' ') + ' UTC'))];
    const machines = [...new Set(list.map((r) => r.machine ?? 'unknown machine'))];
    lines.push('', `Measured ${dates.join(', ')} on ${machines.join('; ')}.`, '');
  }
  return lines.join('\n');
}

async function main() {
  const wanted = process.argv.slice(2).filter((a) => !a.startsWith('-'));
  const all = await discover();
  const unknown = wanted.filter((w) => !all.some((b) => b.name === w));
  if (unknown.length) {
    throw new Error(`unknown benchmark(s): ${unknown.join(', ')}; available: ${all.map((b) => b.name).join(', ') || 'none'}`);
  }
  const selected = wanted.length ? all.filter((b) => wanted.includes(b.name)) : all;
  const host = machine();
  process.stdout.write(`[bench] ${host}\n`);

  let rows = readResults();
  let failed = false;
  for (const b of selected) {
    const t0 = Date.now();
    process.stdout.write(`[bench] ${b.name}: running\n`);
    let fresh: BenchRow[];
    try {
      fresh = await b.run({ repoRoot, log: (line) => process.stdout.write(`[bench] ${b.name}: ${line}\n`) });
    } catch (err) {
      failed = true;
      process.stderr.write(`[bench] ${b.name} failed: ${err instanceof Error ? err.stack ?? err.message : String(err)}\n`);
      await cleanupAll();
      continue;
    }
    const now = new Date().toISOString();
    fresh = fresh.map((r) => ({ ...r, bench: r.bench ?? b.name, date: r.date ?? now, machine: r.machine ?? host }));
    const names = new Set(fresh.map((r) => r.name));
    rows = [...rows.filter((r) => !names.has(r.name)), ...fresh];
    for (const r of fresh) {
      const verdict = r.target === null ? '' : r.value <= r.target ? ' (target met)' : ` (TARGET ≤ ${r.target} ${r.unit} MISSED)`;
      process.stdout.write(`[bench] ${r.name} = ${r.value} ${r.unit}${r.baseline !== null ? `, baseline ${r.baseline}, ratio ${r.ratio}` : ''}${verdict}\n`);
    }
    // Write after each benchmark so a later crash keeps what was measured.
    fs.writeFileSync(resultsJson, `${JSON.stringify({ rows }, null, 2)}\n`);
    fs.writeFileSync(resultsMd, renderMarkdown(rows));
    process.stdout.write(`[bench] ${b.name}: done in ${((Date.now() - t0) / 1000).toFixed(1)} s\n`);
  }
  await cleanupAll();
  process.stdout.write(`[bench] results in ${path.relative(process.cwd(), resultsMd) || resultsMd} (${os.cpus().length} cores, Node ${process.version})\n`);
  if (failed) process.exitCode = 1;
}

let stopping = false;
for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.on(signal, () => {
    if (stopping) return;
    stopping = true;
    process.stderr.write(`[bench] ${signal}: stopping children and removing temp folders\n`);
    void cleanupAll().finally(() => process.exit(130));
  });
}

main().catch(async (err) => {
  process.stderr.write(`[bench] ${err instanceof Error ? err.message : String(err)}\n`);
  await cleanupAll();
  process.exit(1);
});
