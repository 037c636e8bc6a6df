import { buildSync } from 'esbuild';
import { mkdirSync, mkdtempSync, rmSync } from 'fs';
import { dirname, join, resolve } from 'path';

const ROOT = resolve(__dirname, '..', '..');

/**
 * Bundles `source` (TypeScript importing from the repository, paths relative to its root; or
 * `{ entry }`, a file of the repository run as the main module) into one CommonJS file for a child
 * `node` process, and returns the file. A child loading TypeScript
 * through ts-node spends seconds starting the compiler; this bundle loads in a fraction of that.
 * npm packages stay external, and the file is written under build/ so that the library finds its
 * package root, schemas and dependencies as from the sources. `remove` deletes it.
 */
export function bundleForChild(source: string | { entry: string }): { readonly file: string; remove(): void } {
  const dir = join(ROOT, 'build', 'test-bundles');
  mkdirSync(dir, { recursive: true });
  const outfile = join(mkdtempSync(join(dir, 'child-')), 'main.js');
  buildSync({
    ...(typeof source === 'string'
      ? { stdin: { contents: source, resolveDir: ROOT, sourcefile: 'child.ts', loader: 'ts' as const } }
      : { entryPoints: [join(ROOT, source.entry)] }),
    bundle: true,
    packages: 'external',
    outfile,
    format: 'cjs',
    platform: 'node',
    target: 'node20',
    logLevel: 'warning',
  });
  return { file: outfile, remove: () => rmSync(dirname(outfile), { recursive: true, force: true }) };
}
