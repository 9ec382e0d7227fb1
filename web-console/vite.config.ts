/**
 * Builds the web console into static files (web-console/dist) that every node serves under
 * /console. Build: `npx vite build --config web-console/vite.config.ts` (from the repo root).
 */
import { fileURLToPath } from 'node:url';
import preact from '@preact/preset-vite';
import { defineConfig } from 'vite';

const root = fileURLToPath(new URL('.', import.meta.url));

// A build is always a production build: under NODE_ENV=test (jest) or development, Vite and the
// Preact preset would bundle preact/debug (127 KB instead of 84 KB) and its dev warnings.
if (process.argv.includes('build')) process.env.NODE_ENV = 'production';

export default defineConfig({
  root,
  base: '/console/',
  plugins: [preact({ devtoolsInProd: false, prefreshEnabled: false })],
  build: {
    outDir: 'dist',
    emptyOutDir: true,
    target: 'es2022',
    // One small bundle: the whole console is a few tens of KiB, so splitting per route buys nothing.
    reportCompressedSize: true,
  },
  server: {
    // `npx vite --config web-console/vite.config.ts` for development against a node on :4000.
    proxy: { '/graphql': { target: 'http://127.0.0.1:4000', ws: true } },
  },
});
