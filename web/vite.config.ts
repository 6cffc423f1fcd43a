import { fileURLToPath } from 'node:url';
import { svelte } from '@sveltejs/vite-plugin-svelte';
import { defineConfig } from 'vite';

const webRoot = fileURLToPath(new URL('.', import.meta.url));
const repoRoot = fileURLToPath(new URL('..', import.meta.url));

// The explorer: built from web/ into web/dist, which the server serves next to /api on one port.
export default defineConfig({
  root: webRoot,
  base: '/',
  plugins: [svelte({ configFile: false, compilerOptions: { runes: true } })],
  build: {
    outDir: 'dist',
    emptyOutDir: true,
    // cytoscape (~110 kB gzip) is its own lazily loaded chunk; only warn well above it.
    chunkSizeWarningLimit: 600,
  },
  server: {
    // web/src imports the shared schema from ../server/schema.
    fs: { allow: [repoRoot] },
    proxy: { '/api': 'http://127.0.0.1:8080' },
  },
  preview: {
    proxy: { '/api': 'http://127.0.0.1:8080' },
  },
});
