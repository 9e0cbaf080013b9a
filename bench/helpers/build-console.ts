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

/** Builds bench/pages/<name>.html (production mode, React plugin) into a temporary directory; returns it. */
export async function buildBenchPage(name: string): Promise<string> {
  const { default: react } = await import('@vitejs/plugin-react');
  const outDir = mkdtempSync(join(tmpdir(), `rc-bench-${name}-`));
  process.once('exit', () => rmSync(outDir, { recursive: true, force: true }));
  await build({
    root,
    configFile: false,
    logLevel: 'silent',
    mode: 'production',
    plugins: [react()],
    worker: { format: 'es' },
    build: { outDir, emptyOutDir: true, target: 'es2022', rollupOptions: { input: join(root, 'bench', 'pages', `${name}.html`) } },
  });
  return outDir;
}
