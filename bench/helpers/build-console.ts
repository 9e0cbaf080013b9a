// Builds the production console (the same `vite build` as `npm run build`, vite.config.ts) once per bench process
// into a temporary directory, removed when the process exits. Shared by the bundle-size and soak benches.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'vite';

const root = fileURLToPath(new URL('../..', import.meta.url));
let built: Promise<string> | null = null;

/** The directory holding the built console (index.html + assets/), built on first call. */
export function buildConsole(): Promise<string> {
  built ??= (async () => {
    const outDir = mkdtempSync(join(tmpdir(), 'rc-bench-dist-'));
    process.once('exit', () => rmSync(outDir, { recursive: true, force: true }));
    await build({ root, configFile: join(root, 'vite.config.ts'), logLevel: 'silent', build: { outDir, emptyOutDir: true } });
    return outDir;
  })();
  return built;
}
