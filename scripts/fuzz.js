#!/usr/bin/env node
// CI fuzz step (not part of `npm test`): bundles scripts/fuzz/main.ts with esbuild (no type-check,
// as scripts/synth.js does) and runs it. FUZZ_SEED and FUZZ_RUNS override the fixed seed and the count.
const { join, resolve } = require('path');
const esbuild = require('esbuild');

const root = resolve(__dirname, '..');
const outfile = join(root, 'build', 'fuzz', 'main.js');
esbuild.buildSync({
  entryPoints: [join(root, 'scripts', 'fuzz', 'main.ts')],
  outfile,
  bundle: true,
  packages: 'external',
  format: 'cjs',
  platform: 'node',
  target: 'node20',
  logLevel: 'warning',
});
process.chdir(root);
require(outfile);
