#!/usr/bin/env node
// `npm test`: typecheck, lint, Node + jsdom tests, then real-Chromium suites one at a time.
// Fails fast with an install hint when Chromium is missing, instead of skipping browser tests.
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync } from 'node:fs';
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

run('typecheck', 'npx', ['tsc', '-p', 'tsconfig.json', '--noEmit']);
run('lint', 'npx', ['eslint', '--max-warnings', '0', '.']);
run('node and jsdom tests', 'npx', ['vitest', 'run']);

const browserSuites = [
  ['browser audio tests', 'tests/browser', ['vitest', 'run', '--config', 'vitest.browser.config.ts']],
  ['end-to-end journeys', 'tests/e2e', ['vitest', 'run', '--config', 'vitest.e2e.config.ts']],
];
for (const [label, dir, args] of browserSuites) {
  if (!hasTests(dir)) continue;
  const chrome = findChromium();
  if (!chrome) {
    console.error(
      `\n✖ ${label} need Chromium and none was found.\n` +
        '  Install it (Debian/Ubuntu, as root):  apt-get install -y chromium fonts-wqy-microhei\n' +
        '  or point CHROME_PATH at a Chromium/Chrome binary.',
    );
    process.exit(1);
  }
  run(label, 'npx', args, { CHROME_PATH: chrome });
}
console.log('\n✔ all test stages passed');
