import { createHash } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { promisify } from 'node:util';
import { brotliCompress, constants as zlibConstants, gzip, gzipSync } from 'node:zlib';
import { fileURLToPath } from 'node:url';
import { svelte } from '@sveltejs/vite-plugin-svelte';
import { build, defineConfig, type Plugin } from 'vite';

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

/**
 * Names the chunks of each language's messages (web/src/lib/i18n-en.ts, i18n-km.ts) in index.html, as
 * `<meta name="dar-kg-en-messages" content="/assets/…js">` and `dar-kg-km-messages`: web/public/first-data.js
 * preloads the visit's while the app's code downloads, instead of one more round trip after the app has started
 * (issue 18).
 */
function messagesHint(): Plugin {
  return {
    name: 'dar-kg:messages',
    apply: 'build',
    transformIndexHtml: {
      order: 'post',
      handler(_html, context) {
        return (['en', 'km'] as const).map((lang) => {
          const module = new RegExp(`[\\\\/]i18n-${lang}\\.ts$`);
          const chunk = Object.values(context.bundle ?? {}).find((item) => item.type === 'chunk' && module.test(item.facadeModuleId ?? ''));
          if (!chunk) throw new Error(`the build has no chunk of web/src/lib/i18n-${lang}.ts`);
          return { tag: 'meta', attrs: { name: `dar-kg-${lang}-messages`, content: `/${chunk.fileName}` }, injectTo: 'head-prepend' as const };
        });
      },
    },
  };
}

/** Files of the build the server sends precompressed (server/http/precompressed.ts), when at least this big. */
const PRECOMPRESS = /\.(js|mjs|css|json|svg|html|txt)$/;
const PRECOMPRESS_MIN_BYTES = 1024;

/**
 * Writes a brotli (.br, quality 10) and a gzip (.gz, level 9) copy of each asset, once at build time: the server
 * sends them as they are, smaller than on-the-fly compression (brotli 4) and without spending CPU per request.
 * Measured on the Cytoscape chunk (435 kB): 112 kB at quality 11 / 133.5 kB on the fly, served in ~2 ms instead
 * of ~17 ms; all assets take ~9 s at quality 10 (14 s at 11 for 2% less).
 */
function precompress(): Plugin {
  return afterBuild('dar-kg:precompress', 'writeBundle', async (outDir) => {
    const br = promisify(brotliCompress);
    const gz = promisify(gzip);
    const assets = path.join(outDir, 'assets');
    const files = fs.readdirSync(assets).filter((f) => PRECOMPRESS.test(f) && fs.statSync(path.join(assets, f)).size >= PRECOMPRESS_MIN_BYTES);
    await Promise.all(
      files.map(async (file) => {
        const full = path.join(assets, file);
        const bytes = fs.readFileSync(full);
        const params = { [zlibConstants.BROTLI_PARAM_QUALITY]: 10, [zlibConstants.BROTLI_PARAM_SIZE_HINT]: bytes.length };
        fs.writeFileSync(`${full}.br`, await br(bytes, { params }));
        fs.writeFileSync(`${full}.gz`, await gz(bytes, { level: 9 }));
      }),
    );
  });
}

/** A build-only plugin whose one hook (`writeBundle` or the later `closeBundle`) gets the build's output folder. */
function afterBuild(name: string, hook: 'writeBundle' | 'closeBundle', run: (outDir: string) => Promise<void>): Plugin {
  let outDir = '';
  const hooked = () => run(outDir);
  return {
    name,
    apply: 'build',
    configResolved(config) {
      outDir = path.resolve(config.root, config.build.outDir);
    },
    ...(hook === 'writeBundle' ? { writeBundle: hooked } : { closeBundle: hooked }),
  };
}

/** Every file of the build, as Workbox's precache manifest: hashed asset names need no revision, others get one. */
export function precacheEntries(outDir: string): { url: string; revision: string | null }[] {
  const entries: { url: string; revision: string | null }[] = [];
  const walk = (dir: string) => {
    for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
      const file = path.join(dir, entry.name);
      if (entry.isDirectory()) walk(file);
      else {
        const url = `/${path.relative(outDir, file).split(path.sep).join('/')}`;
        if (url === '/sw.js' || /\.(map|br|gz)$/.test(url)) continue; // the compressed copies are the same files
        const hashed = /-[A-Za-z0-9_-]{8}\.[a-z0-9]+$/.test(entry.name) && url.startsWith('/assets/');
        entries.push({ url, revision: hashed ? null : createHash('sha256').update(fs.readFileSync(file)).digest('hex').slice(0, 16) });
      }
    }
  };
  walk(outDir);
  return entries.sort((a, b) => a.url.localeCompare(b.url));
}

/**
 * Builds the service worker (web/src/sw/service-worker.ts, with Workbox's runtime modules) into dist/sw.js as one
 * classic script, after the explorer is written, with the list of the built files to precache. Chosen over
 * vite-plugin-pwa, whose workbox-build brings ~70 MB of build tooling (Babel, a second Rollup) for what these
 * thirty lines do.
 */
function serviceWorker(): Plugin {
  return afterBuild('dar-kg:service-worker', 'closeBundle', async (outDir) => {
    const manifest = precacheEntries(outDir);
    await build({
      configFile: false,
      root: webRoot,
      logLevel: 'warn',
      publicDir: false,
      define: { 'process.env.NODE_ENV': JSON.stringify('production') },
      plugins: [
        {
          name: 'dar-kg:precache-manifest',
          resolveId: (id) => (id === 'virtual:precache-manifest' ? '\0precache-manifest' : undefined),
          load: (id) => (id === '\0precache-manifest' ? `export default ${JSON.stringify(manifest)};` : undefined),
        },
      ],
      build: {
        outDir,
        emptyOutDir: false,
        copyPublicDir: false,
        lib: { entry: path.join(webRoot, 'src/sw/service-worker.ts'), formats: ['iife'], name: 'darKgServiceWorker', fileName: () => 'sw.js' },
      },
    });
    const total = manifest.reduce((sum, entry) => sum + fs.statSync(path.join(outDir, entry.url)).size, 0);
    console.log(`service worker: dist/sw.js precaches ${manifest.length} files, ${(total / 1024).toFixed(0)} kB`);
  });
}

// The explorer: built from web/ into web/dist, which the server serves next to /api on one port.
export default defineConfig({
  root: webRoot,
  base: '/',
  plugins: [svelte({ configFile: false, compilerOptions: { runes: true } }), bundleBudget(), messagesHint(), precompress(), serviceWorker()],
  build: {
    outDir: 'dist',
    emptyOutDir: true,
    // cytoscape (~110 kB gzip) and the map's commune shapes (~700 kB, 210 kB gzip) are lazily loaded chunks;
    // only warn well above them.
    chunkSizeWarningLimit: 800,
    // Every browser the explorer supports has <link rel="modulepreload">: no polyfill in the first load's code.
    modulePreload: { polyfill: false },
    // The first screen's code (what main.ts imports statically) in as few files as can be: over HTTP/1.1 a browser
    // opens six connections to a server, and on a slow-3G network each further file waits for one and for its own
    // round trip (issue 18). Left to itself, Rolldown cut it into five files (two of them under 1 kB).
    rolldownOptions: { output: { codeSplitting: { groups: [{ name: 'app', tags: ['$initial'] }] } } },
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
