#!/usr/bin/env node
// `npm test`: typecheck, lint, Node + jsdom tests, then real-Chromium suites one at a time.
// Fails fast with an install hint when Chromium is missing, instead of skipping browser tests.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, readdirSync, rmSync } from 'node:fs';
import { findChromium } from './find-chromium.mjs';

function run(label, cmd, args, env = {}) {
  console.log(`\n▶ ${label}: ${cmd} ${args.join(' ')}`);
  const r = spawnSync(cmd, args, { stdio: 'inherit', env: { ...process.env, ...env } });
  if (r.status !== 0) {
    console.error(`\n✖ ${label} failed (exit ${r.status ?? r.signal})`);
    process.exit(r.status || 1);
  }
}

const hasTests = (dir) => existsSync(dir) && readdirSync(dir, { recursive: true }).some((f) => /\.test\.tsx?$/.test(String(f)));

const browserSuites = [
  ['browser audio tests', 'tests/browser', ['vitest', 'run', '--config', 'vitest.browser.config.ts']],
  ['end-to-end journeys', 'tests/e2e', ['vitest', 'run', '--config', 'vitest.e2e.config.ts']],
].filter(([, dir]) => hasTests(dir));

// Check for Chromium before anything else, so a missing prerequisite fails at once with its remedy.
const chrome = browserSuites.length > 0 ? findChromium() : null;
if (browserSuites.length > 0 && !chrome) {
  console.error(
    '\n✖ the browser test suites need Chromium and none was found.\n' +
      '  Install it (Debian/Ubuntu, as root):  apt-get install -y chromium fonts-wqy-microhei\n' +
      '  or point CHROME_PATH at a Chromium/Chrome binary.',
  );
  process.exit(1);
}

run('typecheck', 'npx', ['tsc', '-p', 'tsconfig.json', '--noEmit']);
run('lint', 'npx', ['eslint', '--max-warnings', '0', '.']);
// Each Vitest stage also writes a JSON report so the pipeline can print one plain closing count.
const reports = [];
mkdirSync('test-results', { recursive: true });
function vitest(label, args, env) {
  const out = `test-results/vitest-${reports.length}.json`;
  rmSync(out, { force: true });
  reports.push(out);
  run(label, 'npx', [...args, '--reporter=default', '--reporter=json', `--outputFile.json=${out}`], env);
}

vitest('node and jsdom tests', ['vitest', 'run']);
for (const [label, , args] of browserSuites) vitest(label, args, { CHROME_PATH: chrome });

let passed = 0;
let failed = 0;
let skipped = 0;
for (const file of reports) {
  const r = JSON.parse(readFileSync(file, 'utf8'));
  passed += r.numPassedTests;
  failed += r.numFailedTests;
  skipped += r.numPendingTests + (r.numTodoTests ?? 0);
}
console.log('\n✔ all test stages passed');
console.log(`tests: ${passed} passed, ${failed} failed, ${skipped} skipped`);
