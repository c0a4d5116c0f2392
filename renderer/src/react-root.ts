/*
 * React DOM's client entry, re-exported from a module of its own that the build puts in a chunk of its
 * own (renderer/vite.config.ts, issue 23). React DOM creates a few Error objects while it initialises;
 * with a debugger attached (DevTools, or Playwright in the e2e tier and the renderer bench) V8 then
 * re-parses every function on the stack to give those errors their line numbers. From here that stack
 * is React DOM and this two-line chunk, not the whole first-screen chunk (~35 ms less on the shared machine).
 */
export { createRoot } from 'react-dom/client';
