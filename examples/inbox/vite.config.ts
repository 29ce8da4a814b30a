// Vite config of the inbox example: a plain TypeScript page, its dependencies pre-bundled at start so the first load never reloads.
import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vite';

export default defineConfig({
  root: fileURLToPath(new URL('.', import.meta.url)),
  // Vite's cache stays in the example, not in a node_modules the repo may share (examples/inbox/.gitignore).
  cacheDir: fileURLToPath(new URL('./.vite', import.meta.url)),
  // Without this, Vite discovers these on the first page load and reloads the page once they are bundled.
  optimizeDeps: { include: ['@urql/core', 'graphql-sse'] },
  server: { host: '127.0.0.1', port: 5173, strictPort: true },
  preview: { host: '127.0.0.1', port: 5173, strictPort: true },
});
