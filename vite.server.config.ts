import { readFileSync } from 'node:fs';
import { defineConfig, type Plugin } from 'vite';

// Builds the standalone server (npm run serve) into dist-server/: one bundle, serve.js, runnable
// with plain `node`; only `ws` and the optional GPL engine `espeak-ng` stay external. The speech
// worker is plain JavaScript and is copied next to the bundle, where the synthesiser looks for it.
const WORKER = 'espeak.worker.mjs';

function copySpeechWorker(): Plugin {
  return {
    name: 'realtime-console:copy-speech-worker',
    generateBundle() {
      this.emitFile({ type: 'asset', fileName: WORKER, source: readFileSync(`src/server/tts/${WORKER}`, 'utf8') });
    },
  };
}

export default defineConfig({
  publicDir: false,
  plugins: [copySpeechWorker()],
  ssr: { noExternal: true, external: ['ws', 'espeak-ng'], target: 'node' },
  build: {
    ssr: 'src/server/serve.ts',
    outDir: 'dist-server',
    emptyOutDir: true,
    target: 'node20',
    sourcemap: true,
    minify: false,
    rollupOptions: {
      external: ['ws', 'espeak-ng', /^node:/],
      output: { format: 'es', entryFileNames: '[name].js' },
    },
  },
});
