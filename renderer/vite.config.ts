import react from '@vitejs/plugin-react';
import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vite';

const root = fileURLToPath(new URL('.', import.meta.url));

export default defineConfig({
  root,
  base: './',
  plugins: [react()],
  build: {
    outDir: fileURLToPath(new URL('../dist/renderer', import.meta.url)),
    emptyOutDir: true,
    sourcemap: false,
    target: 'chrome130',
    chunkSizeWarningLimit: 1500,
    rolldownOptions: {
      output: {
        // The first screen in few files (issue 23): without groups the modules Start needs were spread over 11
        // shared chunks (11 requests before anything runs). Now: React with React DOM (changes only with
        // React), react-root (see react-root.ts), and everything else the entry imports statically in the
        // entry chunk. `includeDependenciesRecursively: false` and the tabster exclusion keep out what only
        // later screens use (tabster's modalizer, mover and restorer are reachable through tabster's index
        // but only dialogs and lists use them), so the first screen's modules are the same as before.
        codeSplitting: {
          groups: [
            { name: 'react-root', test: /renderer[\\/]src[\\/]react-root\.ts$/, priority: 3, includeDependenciesRecursively: false },
            { name: 'react-dom', test: /node_modules[\\/](react-dom|scheduler)[\\/]/, priority: 2 },
            {
              name: 'first',
              tags: ['$initial'],
              test: (id: string) => !/tabster[\\/]dist[\\/]esm[\\/](get[\\/]get)?(Modalizer|Mover|Restorer)\.js$/i.test(id),
              priority: 1,
              includeDependenciesRecursively: false,
            },
          ],
        },
      },
    },
  },
});
