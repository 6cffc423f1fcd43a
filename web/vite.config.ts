import { gzipSync } from 'node:zlib';
import { fileURLToPath } from 'node:url';
import { svelte } from '@sveltejs/vite-plugin-svelte';
import { defineConfig, type Plugin } from 'vite';

const webRoot = fileURLToPath(new URL('.', import.meta.url));
const repoRoot = fileURLToPath(new URL('..', import.meta.url));

/** The JavaScript a first visit downloads before anything is used, gzip-compressed, must stay under this. */
export const INITIAL_JS_BUDGET = 250 * 1024;

/**
 * Prints the gzip size of the initial JavaScript (the entry chunk and what it imports statically) and of each
 * lazily loaded chunk, and fails the build when the initial part is over budget.
 */
function bundleBudget(): Plugin {
  return {
    name: 'dar-kg:bundle-budget',
    apply: 'build',
    generateBundle(_options, bundle) {
      const chunks = Object.values(bundle).filter((item) => item.type === 'chunk');
      const byName = new Map(chunks.map((chunk) => [chunk.fileName, chunk]));
      const gzip = (code: string) => gzipSync(code, { level: 9 }).length;
      const initial = new Set<string>();
      const visit = (name: string) => {
        if (initial.has(name)) return;
        initial.add(name);
        for (const imported of byName.get(name)?.imports ?? []) visit(imported);
      };
      for (const chunk of chunks) if (chunk.isEntry) visit(chunk.fileName);
      const kb = (bytes: number) => `${(bytes / 1024).toFixed(1)} kB`;
      let initialBytes = 0;
      const lines: string[] = [];
      for (const chunk of chunks.sort((a, b) => gzip(b.code) - gzip(a.code))) {
        const size = gzip(chunk.code);
        if (initial.has(chunk.fileName)) initialBytes += size;
        lines.push(`  ${initial.has(chunk.fileName) ? 'initial' : 'lazy   '}  ${kb(size).padStart(9)} gzip  ${chunk.fileName}`);
      }
      const verdict = initialBytes <= INITIAL_JS_BUDGET ? 'within' : 'OVER';
      this.info(
        `\nJavaScript by chunk (gzip):\n${lines.join('\n')}\n  initial JS: ${kb(initialBytes)} gzip — ${verdict} the budget of ${kb(INITIAL_JS_BUDGET)}\n`,
      );
      if (initialBytes > INITIAL_JS_BUDGET) this.error(`initial JS is ${kb(initialBytes)} gzip, over the budget of ${kb(INITIAL_JS_BUDGET)}`);
      // The explorer takes the API's types from server/http/api.contract.ts as types only: zod (the schemas) is for
      // the lazily loaded edit forms, never the initial load.
      const zodIn = chunks.filter((chunk) => initial.has(chunk.fileName) && Object.keys(chunk.modules).some((id) => /[\\/]node_modules[\\/]zod[\\/]/.test(id)));
      if (zodIn.length > 0) this.error(`zod is in the initial JS (${zodIn.map((c) => c.fileName).join(', ')}): import the API's types with "import type"`);
    },
  };
}

// The explorer: built from web/ into web/dist, which the server serves next to /api on one port.
export default defineConfig({
  root: webRoot,
  base: '/',
  plugins: [svelte({ configFile: false, compilerOptions: { runes: true } }), bundleBudget()],
  build: {
    outDir: 'dist',
    emptyOutDir: true,
    // cytoscape (~110 kB gzip) and the map's commune shapes (~700 kB, 210 kB gzip) are lazily loaded chunks;
    // only warn well above them.
    chunkSizeWarningLimit: 800,
  },
  // The large-scene layout runs in a module worker.
  worker: { format: 'es' },
  server: {
    // web/src imports the shared schema from ../server/schema.
    fs: { allow: [repoRoot] },
    proxy: { '/api': 'http://127.0.0.1:8080' },
  },
  preview: {
    proxy: { '/api': 'http://127.0.0.1:8080' },
  },
});
