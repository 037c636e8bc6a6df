#!/usr/bin/env node
// `npm run synth` and `cdk8s synth`: transpile lib/, apps/ and imports/ with esbuild (no type-check:
// `npm test` type-checks) into build/synth/ when they changed since the last run, then render
// every example app into dist/ (or $CDK8S_OUTDIR).
const { existsSync, readFileSync, readdirSync, rmSync, statSync, writeFileSync } = require('fs');
const { join, relative, resolve } = require('path');

const root = resolve(__dirname, '..');
const outdir = join(root, 'build', 'synth');
// What the last transpile was made from: skipping an unchanged transpile saves most of a run.
const stampFile = join(outdir, 'sources.json');

function sources(dir) {
  return readdirSync(dir).flatMap(name => {
    const path = join(dir, name);
    const stat = statSync(path);
    if (stat.isDirectory()) return sources(path);
    return name.endsWith('.ts') && !name.endsWith('.d.ts') ? [{ path, size: stat.size, mtimeMs: stat.mtimeMs }] : [];
  });
}

const inputs = ['lib', 'apps', 'imports'].flatMap(dir => sources(join(root, dir)));
const stamp = JSON.stringify(inputs.map(({ path, size, mtimeMs }) => [relative(root, path), size, mtimeMs]));
if (!existsSync(stampFile) || readFileSync(stampFile, 'utf8') !== stamp) {
  // From scratch: a source deleted since the last run must not leave its output behind (main.js
  // renders every file in apps/).
  rmSync(outdir, { recursive: true, force: true });
  require('esbuild').buildSync({
    entryPoints: inputs.map(input => input.path),
    outbase: root,
    outdir,
    format: 'cjs',
    platform: 'node',
    target: 'node20',
    logLevel: 'warning',
  });
  writeFileSync(stampFile, stamp);
}

process.chdir(root);
const { App } = require('cdk8s');
const { buildApps } = require(join(outdir, 'apps', 'main.js'));
const app = buildApps(new App({ outdir: process.env.CDK8S_OUTDIR ?? 'dist' }));
app.synth();
console.log(`synthesized ${app.charts.length} chart(s) into ${relative(root, resolve(app.outdir)) || '.'}`);
