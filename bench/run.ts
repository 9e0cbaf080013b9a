// `npm run bench`: runs every bench/*.bench.ts (or those named on the command line), prints one table and
// writes bench/results.json. Figures are compared with their baseline in the same run; nothing here passes or fails.
import { readdirSync, writeFileSync } from 'node:fs';
import { cpus, loadavg, totalmem } from 'node:os';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { dirname, join } from 'node:path';
import type { BenchResult, BenchSuite } from './types';

const here = dirname(fileURLToPath(import.meta.url));
const only = process.argv.slice(2);
const files = readdirSync(here)
  .filter((f) => f.endsWith('.bench.ts'))
  .filter((f) => only.length === 0 || only.some((o) => f.includes(o)))
  .sort();

const loadStart = loadavg();
const startedAt = new Date().toISOString();
const results: BenchResult[] = [];
for (const file of files) {
  const mod = (await import(pathToFileURL(join(here, file)).href)) as { default: BenchSuite };
  console.error(`… ${file}`);
  try {
    results.push(...(await mod.default()));
  } catch (err) {
    console.error(`✖ ${file}: ${err instanceof Error ? err.message : String(err)}`);
    process.exitCode = 1;
  }
}

const fmt = (n: number | null) => (n === null ? '—' : Math.abs(n) >= 100 ? n.toFixed(0) : Math.abs(n) >= 1 ? n.toFixed(2) : n.toPrecision(3));
const rows = results.map((r) => [r.name, r.unit, fmt(r.value), fmt(r.baseline), r.ratio === null ? '—' : `${fmt(r.ratio)}×`, r.note]);
const head = ['benchmark', 'unit', 'value', 'baseline', 'ratio', 'note'];
const widths = head.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i].length)));
const line = (cells: string[]) => cells.map((c, i) => c.padEnd(widths[i])).join('  ');
console.log(line(head));
console.log(widths.map((w) => '-'.repeat(w)).join('  '));
for (const r of rows) console.log(line(r));

const machine = `${cpus().length}× ${cpus()[0]?.model ?? 'cpu'}, ${(totalmem() / 2 ** 30).toFixed(0)} GiB, Node ${process.version}`;
const load = (l: number[]) => l.map((x) => x.toFixed(2)).join(' ');
console.log(`\nmachine: ${machine}; load average ${load(loadStart)} at start, ${load(loadavg())} at end`);
if (only.length === 0) {
  writeFileSync(join(here, 'results.json'), JSON.stringify(results, null, 2) + '\n');
  // The machine the figures came from (results.json stays a plain list of results).
  const info = { machine, startedAt, finishedAt: new Date().toISOString(), loadAverageStart: loadStart, loadAverageEnd: loadavg() };
  writeFileSync(join(here, 'machine.json'), JSON.stringify(info, null, 2) + '\n');
}
