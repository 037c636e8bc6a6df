#!/usr/bin/env node
// `npm run synth` and `cdk8s synth`: transpile lib/, apps/ and imports/ with esbuild (no type-check:
// `npm test` type-checks) into build/synth/, then render every example app into dist/ (or $CDK8S_OUTDIR).
const { readdirSync, statSync } = require('fs');
const { join, relative, resolve } = require('path');
const esbuild = require('esbuild');

const root = resolve(__dirname, '..');
const outdir = join(root, 'build', 'synth');

function sources(dir) {
  return readdirSync(dir).flatMap(name => {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) return sources(path);
    return name.endsWith('.ts') && !name.endsWith('.d.ts') ? [path] : [];
  });
}

esbuild.buildSync({
  entryPoints: ['lib', 'apps', 'imports'].flatMap(dir => sources(join(root, dir))),
  outbase: root,
  outdir,
  format: 'cjs',
  platform: 'node',
  target: 'node20',
  logLevel: 'warning',
});

process.chdir(root);
const { App } = require('cdk8s');
const { buildApps } = require(join(outdir, 'apps', 'main.js'));
const app = buildApps(new App({ outdir: process.env.CDK8S_OUTDIR ?? 'dist' }));
app.synth();
console.log(`synthesized ${app.charts.length} chart(s) into ${relative(root, resolve(app.outdir)) || '.'}`);
