// The `mail-oauth` command (package.json "bin" → dist/cli/mail-oauth.cjs, bundled by scripts/build-node.mjs).
import { main } from './main';

main(process.argv.slice(2), { stdout: process.stdout, stderr: process.stderr, stdin: process.stdin, env: process.env }).then(
  (code) => {
    process.exitCode = code;
  },
  () => {
    process.exitCode = 2;
  },
);
