import * as fs from 'fs';
import * as path from 'path';

let root: string | undefined;

/** The directory holding this package's package.json (works from lib/*.ts and build/lib/*.js). */
export function packageRoot(): string {
  if (root) return root;
  let dir = __dirname;
  for (;;) {
    if (fs.existsSync(path.join(dir, 'package.json'))) return (root = dir);
    const parent = path.dirname(dir);
    if (parent === dir) return (root = process.cwd());
    dir = parent;
  }
}

/** This package's version, for reports that name the tool. */
export function packageVersion(): string {
  try {
    return JSON.parse(fs.readFileSync(path.join(packageRoot(), 'package.json'), 'utf8')).version ?? '0.0.0';
  } catch {
    return '0.0.0';
  }
}
