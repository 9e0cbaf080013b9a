import { defineConfig } from 'vite';
import react from '@vitejs/plugin-react';

// The console on http://localhost:4001. The embedded realtime server (emulator + relay) is mounted
// into this dev server by its plugin once src/server exists (see ARCHITECTURE.md).
export default defineConfig({
  plugins: [react()],
  server: { port: 4001, strictPort: true, host: '127.0.0.1' },
  preview: { port: 4001, strictPort: true },
  build: { outDir: 'dist', sourcemap: true, target: 'es2022' },
  worker: { format: 'es' },
});
