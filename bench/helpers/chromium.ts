// Shared Chromium plumbing for the browser benches: launch with the DESIGN §9 flags, serve a directory over
// loopback, and read the JS heap after a forced GC through the DevTools protocol.
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { readFile } from 'node:fs/promises';
import { extname, join, normalize } from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium, type Browser, type Page } from 'playwright-core';
import { findChromium } from '../../scripts/find-chromium.mjs';
import { chromiumAudioArgs } from '../../tests/browser/chromium-args';

/** A fixture of tests/fixtures/audio as an absolute path. */
export function fixturePath(name: string): string {
  return fileURLToPath(new URL(`../../tests/fixtures/audio/${name}`, import.meta.url));
}

/**
 * Launches headless Chromium with the audio flags; `fakeMic` plays through the fake microphone (once, or looped
 * when `loop` is set: Chromium loops the file unless the path ends in `%noloop`).
 */
export async function launchChromium(fakeMic: string, opts: { loop?: boolean } = {}): Promise<Browser> {
  const executablePath = findChromium();
  if (!executablePath) throw new Error('Chromium not found (install chromium or set CHROME_PATH)');
  const args = chromiumAudioArgs(fakeMic, { loop: opts.loop });
  return chromium.launch({ executablePath, headless: true, args });
}

/** JS heap used by `page` after a forced garbage collection, MB (CDP HeapProfiler + Runtime.getHeapUsage). */
export async function heapAfterGcMB(page: Page): Promise<number> {
  const cdp = await page.context().newCDPSession(page);
  try {
    await cdp.send('HeapProfiler.collectGarbage');
    await cdp.send('HeapProfiler.collectGarbage');
    const { usedSize } = await cdp.send('Runtime.getHeapUsage');
    return usedSize / 2 ** 20;
  } finally {
    await cdp.detach();
  }
}

/** DOM node count of `page` (CDP Performance metrics). */
export async function domNodes(page: Page): Promise<number> {
  const cdp = await page.context().newCDPSession(page);
  try {
    await cdp.send('Performance.enable');
    const { metrics } = await cdp.send('Performance.getMetrics');
    return metrics.find((m) => m.name === 'Nodes')?.value ?? NaN;
  } finally {
    await cdp.detach();
  }
}

const TYPES: Record<string, string> = { '.html': 'text/html', '.js': 'text/javascript', '.css': 'text/css', '.json': 'application/json', '.wasm': 'application/wasm' };

/** Serves `dir` read-only on an ephemeral loopback port. */
export async function serveDir(dir: string): Promise<{ origin: string; close(): Promise<void> }> {
  const http = createServer((req, res) => {
    const path = normalize(decodeURIComponent(new URL(req.url ?? '/', 'http://x').pathname)).replace(/^(\.\.[/\\])+/, '');
    readFile(join(dir, path)).then(
      (body) => res.writeHead(200, { 'content-type': TYPES[extname(path)] ?? 'application/octet-stream' }).end(body),
      () => res.writeHead(404).end(),
    );
  });
  await new Promise<void>((r) => http.listen(0, '127.0.0.1', r));
  return {
    origin: `http://127.0.0.1:${(http.address() as AddressInfo).port}`,
    close: async () => {
      http.closeAllConnections();
      await new Promise<void>((r) => http.close(() => r()));
    },
  };
}
