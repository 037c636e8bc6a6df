import { readdirSync } from 'fs';
import { join } from 'path';
import { App } from 'cdk8s';

/**
 * Renders every example app into dist/. Each file in apps/ (other than this one) exports
 * `addTo(app: App)`, which adds its charts; files load in name order so output is stable.
 */
export function buildApps(app: App): App {
  const files = readdirSync(__dirname)
    .filter(file => /\.(js|ts)$/.test(file) && !file.endsWith('.d.ts') && !/^main\.(js|ts)$/.test(file))
    .sort();
  for (const file of files) {
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const mod = require(join(__dirname, file));
    if (typeof mod.addTo !== 'function') throw new Error(`apps/${file} must export addTo(app: App)`);
    mod.addTo(app);
  }
  return app;
}

if (require.main === module) {
  buildApps(new App({ outdir: process.env.CDK8S_OUTDIR ?? 'dist' })).synth();
}
