#!/usr/bin/env node
// `npm run synth` and `cdk8s synth`: bundle apps/ with the lib/ and imports/ they use into one file
// with esbuild (no type-check: `npm test` type-checks) at build/synth/apps.js when a source changed
// since the last run, then render every example app into dist/ (or $CDK8S_OUTDIR).
// One bundle instead of a tree of files saves most of the module loading of a run; npm packages stay
// outside it (one cdk8s for the apps and the library), and of cdk8s-plus-28 only its `k8s` module,
// the one the library and the apps use, is loaded.
const { existsSync, readFileSync, readdirSync, rmSync, statSync, writeFileSync } = require('fs');
const { join, relative, resolve } = require('path');

const root = resolve(__dirname, '..');
const outdir = join(root, 'build', 'synth');
const bundle = join(outdir, 'apps.js');
// What the last bundle was made from: skipping an unchanged build saves most of a run.
const stampFile = join(outdir, 'sources.json');

function sources(dir) {
  return readdirSync(dir).flatMap(name => {
    const path = join(dir, name);
    const stat = statSync(path);
    if (stat.isDirectory()) return sources(path);
    return name.endsWith('.ts') && !name.endsWith('.d.ts') ? [{ path, size: stat.size, mtimeMs: stat.mtimeMs }] : [];
  });
}

// The apps as apps/main.ts finds them: every file of apps/ but main, in name order.
const apps = readdirSync(join(root, 'apps'))
  .filter(file => /\.(js|ts)$/.test(file) && !file.endsWith('.d.ts') && !/^main\.(js|ts)$/.test(file))
  .sort();

/** `import { k8s } from 'cdk8s-plus-28'` loads the generated k8s module alone (an import of anything else fails the build). */
const k8sOnly = {
  name: 'cdk8s-plus-28-k8s-only',
  setup(build) {
    build.onResolve({ filter: /^cdk8s-plus-28$/ }, () => ({ path: 'cdk8s-plus-28', namespace: 'k8s-only' }));
    build.onLoad({ filter: /.*/, namespace: 'k8s-only' }, () => ({ contents: "export * as k8s from 'cdk8s-plus-28/lib/imports/k8s';", resolveDir: root }));
  },
};

async function build() {
  const inputs = ['lib', 'apps', 'imports'].flatMap(dir => sources(join(root, dir)));
  const stamp = JSON.stringify(inputs.map(({ path, size, mtimeMs }) => [relative(root, path), size, mtimeMs]));
  if (existsSync(stampFile) && existsSync(bundle) && readFileSync(stampFile, 'utf8') === stamp) return;
  rmSync(outdir, { recursive: true, force: true });
  await require('esbuild').build({
    stdin: {
      contents: `module.exports = [${apps.map(file => `[${JSON.stringify(file)}, require(${JSON.stringify(`./apps/${file}`)})]`).join(', ')}];`,
      resolveDir: root,
      sourcefile: 'apps.js',
    },
    bundle: true,
    packages: 'external',
    plugins: [k8sOnly],
    outfile: bundle,
    format: 'cjs',
    platform: 'node',
    target: 'node20',
    logLevel: 'warning',
  });
  writeFileSync(stampFile, stamp);
}

build().then(() => {
  process.chdir(root);
  const { App } = require('cdk8s');
  const app = new App({ outdir: process.env.CDK8S_OUTDIR ?? 'dist' });
  for (const [file, mod] of require(bundle)) {
    if (typeof mod.addTo !== 'function') throw new Error(`apps/${file} must export addTo(app: App)`);
    mod.addTo(app);
  }
  app.synth();
  console.log(`synthesized ${app.charts.length} chart(s) into ${relative(root, resolve(app.outdir)) || '.'}`);
}).catch(err => {
  console.error(err);
  process.exitCode = 1;
});
