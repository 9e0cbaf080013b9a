// @ts-check
/**
 * Worker thread that runs eSpeak NG (WebAssembly) off the server's event loop.
 *
 * Plain JavaScript on purpose: Node 20 applies no loader hooks (tsx) inside worker threads, so the
 * very same file runs under the Vite dev server, in Vitest and, copied next to the bundle, in the
 * standalone server. It imports nothing from the project; the main thread decodes the WAV it returns.
 *
 * The npm build of eSpeak NG is its command-line program compiled with Emscripten: each run
 * instantiates the module with argv, reads the text from a file in the virtual file system and
 * writes a WAV there. The WebAssembly is compiled once and reused for every instance.
 * Messages are described in worker-protocol.ts.
 */
import { parentPort, threadId, workerData } from 'node:worker_threads';
import { readFile } from 'node:fs/promises';
import { createRequire } from 'node:module';

const VOICE_PATTERN = /^[a-z]{2,3}(?:-[a-z0-9]{1,8})*(?:\+[a-z0-9]{1,8})?$/i;

/** @type {((options: object) => Promise<{ FS: { readFile(path: string): Uint8Array } }>) | null} */
let factory = null;
/** @type {WebAssembly.Module | null} */
let compiled = null;

/** @param {string} engine */
async function load(engine) {
  try {
    const mod = await import(engine);
    if (typeof mod.default !== 'function') throw new Error(`${engine} has no default export factory`);
    const entry = createRequire(import.meta.url).resolve(engine);
    compiled = await WebAssembly.compile(await readFile(entry.replace(/\.m?js$/, '.wasm')));
    factory = mod.default;
    return { type: 'ready', available: true, reason: null };
  } catch (error) {
    const message = error instanceof Error ? error.message.split('\n')[0] : String(error);
    return { type: 'ready', available: false, reason: `speech engine "${engine}" could not be loaded: ${message}` };
  }
}

/**
 * @param {number | undefined} value
 * @param {number} fallback
 * @param {number} min
 * @param {number} max
 */
function clampInt(value, fallback, min, max) {
  if (typeof value !== 'number' || !Number.isFinite(value)) return fallback;
  return Math.min(max, Math.max(min, Math.round(value)));
}

/**
 * Speaks one request and returns the WAV file eSpeak NG wrote.
 * @param {{ text: string, voice: string, pitch?: number, wordsPerMinute?: number }} request
 * @returns {Promise<Uint8Array>}
 */
async function speak(request) {
  const module = compiled;
  if (!factory || !module) throw new Error('speech engine not loaded');
  if (!VOICE_PATTERN.test(request.voice)) throw new Error(`invalid voice name "${request.voice}"`);
  /** @type {string[]} */
  const errors = [];
  const instance = await factory({
    arguments: [
      '-b', '1', // input is UTF-8
      '-v', request.voice,
      '-p', String(clampInt(request.pitch, 50, 0, 99)),
      '-s', String(clampInt(request.wordsPerMinute, 175, 80, 450)),
      '-w', '/out.wav',
      '-f', '/in.txt', // text from a file, so text starting with "-" is never read as an option
    ],
    preRun: [(/** @type {{ FS: { writeFile(p: string, d: string): void } }} */ m) => m.FS.writeFile('/in.txt', request.text)],
    instantiateWasm(/** @type {WebAssembly.Imports} */ imports, /** @type {Function} */ done) {
      WebAssembly.instantiate(module, imports).then(
        (instance) => done(instance, module),
        (error) => errors.push(String(error)),
      );
      return {};
    },
    print: () => {},
    printErr: (/** @type {string} */ line) => {
      if (!line.startsWith('program exited')) errors.push(line);
    },
  });
  try {
    return instance.FS.readFile('/out.wav');
  } catch {
    throw new Error(errors[0] ?? 'eSpeak NG wrote no audio');
  }
}

const port = parentPort;
if (port) {
  const ready = await load(/** @type {{ engine: string }} */ (workerData).engine);
  port.postMessage(ready);
  // Jobs run one at a time: the engine is synchronous once started, and the queue is the port's.
  let chain = Promise.resolve();
  port.on('message', (/** @type {{ id: number, request: any }} */ job) => {
    chain = chain.then(async () => {
      try {
        const wav = await speak(job.request);
        const owned = wav.slice(); // detach from the instance's heap before transferring
        port.postMessage({ type: 'result', id: job.id, wav: owned, threadId }, [owned.buffer]);
      } catch (error) {
        port.postMessage({ type: 'error', id: job.id, message: error instanceof Error ? error.message : String(error) });
      }
    });
  });
}
