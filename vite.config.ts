import { defineConfig, loadEnv, type PluginOption } from 'vite';
import react from '@vitejs/plugin-react';
import basicSsl from '@vitejs/plugin-basic-ssl';
import { realtimeServerPlugin } from './src/server/vite-plugin';

// The console on http://localhost:4001 (https with HTTPS=1), with the embedded realtime server
// (emulator on /v1/realtime, relay on /relay/v1/realtime when REALTIME_API_KEY is set) on the same port.
export default defineConfig(({ mode }) => {
  const env = { ...loadEnv(mode, process.cwd(), ''), ...process.env };
  const plugins: PluginOption[] = [react(), realtimeServerPlugin()];
  if (env.HTTPS === '1' || env.HTTPS === 'true') plugins.push(basicSsl());
  return {
    plugins,
    server: { port: 4001, strictPort: true, host: env.HOST || '127.0.0.1' },
    preview: { port: 4001, strictPort: true, host: env.HOST || '127.0.0.1' },
    build: { outDir: 'dist', sourcemap: true, target: 'es2022' },
    worker: { format: 'es' },
    // Pre-bundle the lazily imported waveform library so the first dev-server visit does not re-optimise mid-session.
    optimizeDeps: { include: ['wavesurfer.js'] },
  };
});
