import { createHash } from 'crypto';
import { existsSync, mkdirSync, mkdtempSync, renameSync, rmSync } from 'fs';
import { tmpdir } from 'os';
import { join } from 'path';

/**
 * A directory under the system temp dir, `<name>/<hash of key>`, made once by `build` and shared
 * by every test worker and run that asks for the same key. `build` fills a directory of its own
 * and writes `marker` last; the directory is then renamed into place, so two workers racing to
 * make it both end up using one complete copy.
 */
export function templateDir(name: string, key: unknown, marker: string, build: (dir: string) => void): string {
  const root = join(tmpdir(), name);
  const hash = createHash('sha256').update(JSON.stringify(key)).digest('hex').slice(0, 16);
  const final = join(root, hash);
  if (existsSync(join(final, marker))) return final;
  mkdirSync(root, { recursive: true, mode: 0o755 });
  const making = mkdtempSync(join(root, `${hash}.making-`));
  try {
    build(making);
    try {
      renameSync(making, final);
    } catch (e) {
      // Another worker renamed its copy into place first: use that one.
      if (!existsSync(join(final, marker))) throw e;
    }
  } finally {
    rmSync(making, { recursive: true, force: true });
  }
  return final;
}
