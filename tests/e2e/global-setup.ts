// Vitest global setup of the journeys: one build, three standalone servers (DESIGN §7), all stopped in teardown.
//   main      — the console + emulator every journey but the relay one uses
//   upstream  — an emulator that accepts only EMULATOR_API_KEY=right
//   relay     — a console whose relay holds the WRONG key for that upstream (journey 8: "unauthorized")
import type { TestProject } from 'vitest/node';
import { existsSync, readdirSync, rmSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { buildInto, scratchDir, startServer, type ServerProcess } from '../helpers/e2e-servers';

declare module 'vitest' {
  export interface ProvidedContext {
    e2eBase: string;
    e2eRelayBase: string;
  }
}

export default async function setup(project: TestProject): Promise<() => Promise<void>> {
  const root = process.cwd();
  const scratch = scratchDir(root);
  const started: ServerProcess[] = [];
  const shots = join(root, 'test-results', 'e2e');
  const startedAt = Date.now();
  const teardown = async (): Promise<void> => {
    await Promise.all(started.map((s) => s.stop()));
    rmSync(scratch, { recursive: true, force: true });
    // The screenshots this run wrote, one per journey.
    if (existsSync(shots)) {
      const files = readdirSync(shots)
        .filter((f) => f.endsWith('.png') && statSync(join(shots, f)).mtimeMs >= startedAt)
        .sort();
      console.log(`\nJourney screenshots (${files.length}):\n${files.map((f) => `  ${join(shots, f)}`).join('\n')}`);
    }
  };
  try {
    await buildInto(root, scratch);
    const main = await startServer(scratch, {});
    started.push(main);
    const upstream = await startServer(scratch, { EMULATOR_API_KEY: 'sk-e2e-right' });
    started.push(upstream);
    const relay = await startServer(scratch, {
      REALTIME_API_KEY: 'sk-e2e-wrong',
      REALTIME_UPSTREAM_URL: `ws://127.0.0.1:${upstream.port}/v1/realtime`,
    });
    started.push(relay);
    project.provide('e2eBase', main.base);
    project.provide('e2eRelayBase', relay.base);
  } catch (err) {
    await teardown();
    throw err;
  }
  return teardown;
}
