// Builds the console once (into a scratch directory, so a developer's dist/ is never clobbered) and starts the
// standalone servers the end-to-end journeys use (DESIGN §7: `PORT=0`, one `listening on http://HOST:PORT` line).
import { execFile, spawn, type ChildProcess } from 'node:child_process';
import { mkdirSync, rmSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { promisify } from 'node:util';

const run = promisify(execFile);

/** A running standalone server process. */
export interface ServerProcess {
  /** `http://127.0.0.1:PORT`. */
  base: string;
  port: number;
  /** Stops the process and waits for its exit. */
  stop(): Promise<void>;
}

/** Builds dist/ and dist-server/ into `scratch` (vite build, twice, as `npm run build` does). */
export async function buildInto(root: string, scratch: string): Promise<void> {
  const vite = join(root, 'node_modules', 'vite', 'bin', 'vite.js');
  rmSync(scratch, { recursive: true, force: true });
  mkdirSync(scratch, { recursive: true });
  await run(process.execPath, [vite, 'build', '--outDir', join(scratch, 'dist'), '--emptyOutDir', '--logLevel', 'error'], { cwd: root });
  await run(process.execPath, [vite, 'build', '--config', 'vite.server.config.ts', '--outDir', join(scratch, 'dist-server'), '--logLevel', 'error'], {
    cwd: root,
  });
}

/**
 * Starts `node dist-server/serve.js` from `scratch` with `PORT=0` and the given environment (nothing else from
 * the caller's environment but PATH, so a developer's `.env` or keys never leak in), and resolves with the
 * port parsed from its `listening on` line.
 */
export function startServer(scratch: string, env: Record<string, string>): Promise<ServerProcess> {
  const child: ChildProcess = spawn(process.execPath, [join(scratch, 'dist-server', 'serve.js')], {
    cwd: scratch,
    env: { PATH: process.env.PATH ?? '', PORT: '0', HOST: '127.0.0.1', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const stderr: string[] = [];
  child.stderr?.on('data', (c: Buffer) => stderr.push(c.toString('utf8')));
  const stop = async (): Promise<void> => {
    if (child.exitCode !== null || child.signalCode !== null) return;
    const exited = new Promise((r) => child.once('exit', r));
    child.kill('SIGTERM');
    const timer = setTimeout(() => child.kill('SIGKILL'), 5_000);
    await exited;
    clearTimeout(timer);
  };
  return new Promise<ServerProcess>((res, rej) => {
    let out = '';
    const timer = setTimeout(() => {
      void stop();
      rej(new Error(`no "listening on" line within 30 s; stderr: ${stderr.join('')}`));
    }, 30_000);
    const onData = (c: Buffer): void => {
      out += c.toString('utf8');
      const m = /listening on (http:\/\/127\.0\.0\.1:(\d+))/.exec(out);
      if (!m) return;
      clearTimeout(timer);
      child.stdout?.off('data', onData);
      child.stdout?.resume(); // keep draining later log lines so the pipe never fills
      res({ base: m[1], port: Number(m[2]), stop });
    };
    child.stdout?.on('data', onData);
    child.once('exit', (code) => {
      clearTimeout(timer);
      rej(new Error(`serve exited with ${code}: ${stderr.join('')}`));
    });
  });
}

/** The scratch directory of this run, inside the project (the server bundle resolves `ws` from node_modules). */
export function scratchDir(root: string): string {
  return resolve(root, 'test-results', `e2e-build-${process.pid}`);
}
