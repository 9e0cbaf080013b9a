/**
 * Entry point of `npm run serve` (built to dist-server/serve.js): loads `.env` from the working
 * directory, starts the standalone server on HOST:PORT (default 127.0.0.1:4001) serving the `dist/`
 * next to dist-server/, prints `listening on http://HOST:PORT`, and stops cleanly on SIGINT/SIGTERM.
 */
import { existsSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { ConfigError, loadServerConfig } from './config';
import { startStandaloneServer } from './standalone';

async function main(): Promise<void> {
  const envFile = resolve(process.cwd(), '.env');
  if (existsSync(envFile)) process.loadEnvFile(envFile); // never overrides variables already set
  const config = loadServerConfig(process.env);
  const staticDir = resolve(dirname(fileURLToPath(import.meta.url)), '..', 'dist');
  if (!existsSync(resolve(staticDir, 'index.html'))) {
    console.error(`warning: ${staticDir}/index.html not found; run "npm run build" first`);
  }
  const server = await startStandaloneServer({ config, staticDir, log: (line) => console.error(line) });
  console.log(`listening on ${server.url}`);
  let stopping = false;
  const stop = (): void => {
    if (stopping) return;
    stopping = true;
    server.close().then(
      () => process.exit(0),
      () => process.exit(1),
    );
  };
  process.on('SIGINT', stop);
  process.on('SIGTERM', stop);
}

main().catch((error: unknown) => {
  const message = error instanceof ConfigError || error instanceof Error ? error.message : String(error);
  console.error(`serve: ${message}`);
  process.exit(1);
});
