// Production bundle size: the console built exactly as `npm run build` does (into a temporary directory), JS and CSS
// summed raw and gzip-compressed (level 9, like a static server's precompressed assets). Source maps and the audio
// worklets/workers are counted separately from what the first page load needs. No baseline: React's own production
// runtime (react + react-dom client, gzip) is given as context in the note.
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import { createRequire } from 'node:module';
import { gzipSync } from 'node:zlib';
import { buildConsole } from './helpers/build-console';
import type { BenchResult } from './types';

const gz = (b: Buffer) => gzipSync(b, { level: 9 }).length;

function walk(dir: string): string[] {
  return readdirSync(dir).flatMap((f) => {
    const p = join(dir, f);
    return statSync(p).isDirectory() ? walk(p) : [p];
  });
}

/** Files the HTML loads up front: its script/stylesheet/modulepreload references. */
function entryFiles(dir: string): Set<string> {
  const html = readFileSync(join(dir, 'index.html'), 'utf8');
  const refs = [...html.matchAll(/(?:src|href)="\/?([^"]+\.(?:js|css))"/g)].map((m) => join(dir, m[1]));
  return new Set(refs);
}

export default async function (): Promise<BenchResult[]> {
  const dir = await buildConsole();
  const files = walk(dir).filter((f) => /\.(js|mjs|css)$/.test(f));
  const initial = entryFiles(dir);
  let js = 0, jsGz = 0, css = 0, cssGz = 0, init = 0, initGz = 0;
  for (const f of files) {
    const b = readFileSync(f);
    const z = gz(b);
    if (f.endsWith('.css')) { css += b.length; cssGz += z; } else { js += b.length; jsGz += z; }
    if (initial.has(f)) { init += b.length; initGz += z; }
  }
  if (initial.size === 0 || init === 0) throw new Error('index.html references no built script');
  const req = createRequire(import.meta.url);
  const reactGz = [['react', 'cjs/react.production.js'], ['react-dom', 'cjs/react-dom-client.production.js']]
    .map(([pkg, file]) => gz(readFileSync(join(dirname(req.resolve(`${pkg}/package.json`)), file))))
    .reduce((a, b) => a + b, 0);
  const kb = (n: number) => n / 1024;
  const list = files.map((f) => relative(dir, f)).sort().join(', ');
  return [
    { name: 'bundle.total_js_css_gzip_kb', unit: 'KiB', value: kb(jsGz + cssGz), baseline: null, ratio: null, note: `all ${files.length} JS/CSS files gzip -9 (raw ${kb(js + css).toFixed(0)} KiB): ${list}` },
    { name: 'bundle.initial_load_gzip_kb', unit: 'KiB', value: kb(initGz), baseline: null, ratio: null, note: `what index.html loads up front (raw ${kb(init).toFixed(0)} KiB); the waveform library, worklets and workers load on demand; context: React 19 + react-dom client production files (unminified CJS) are ${kb(reactGz).toFixed(0)} KiB gzip` },
    { name: 'bundle.js_gzip_kb', unit: 'KiB', value: kb(jsGz), baseline: null, ratio: null, note: `raw ${kb(js).toFixed(0)} KiB` },
    { name: 'bundle.css_gzip_kb', unit: 'KiB', value: kb(cssGz), baseline: null, ratio: null, note: `raw ${kb(css).toFixed(0)} KiB` },
  ];
}
