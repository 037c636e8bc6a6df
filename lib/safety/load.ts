import { execFileSync } from 'child_process';
import * as fs from 'fs';
import * as path from 'path';
import { parseAllDocuments } from 'yaml';
import { readAsKubectl } from '../verify/fast-yaml';
import { kubernetesObjects } from './documents';
import { Manifest } from './identity';

const MANIFEST_FILE = /\.(ya?ml|json)$/i;

/**
 * Parses every document of a YAML (or JSON) text as kubectl reads it (YAML 1.1 merge keys and
 * anchors resolved); empty documents are dropped, and any other document that is not a Kubernetes
 * object is an error.
 */
export function parseManifests(text: string, source: string): Manifest[] {
  const fast = readAsKubectl(text);
  if (fast) return fast.flatMap((value, i) => kubernetesObjects(value, `${source}: document ${i + 1}`));
  const out: Manifest[] = [];
  let n = 0;
  for (const doc of parseAllDocuments(text, { merge: true })) {
    n++;
    if (doc.errors.length > 0) throw new Error(`${source}: ${doc.errors[0].message}`);
    const value = doc.toJS({ maxAliasCount: 10000 });
    if (value !== null && value !== undefined) out.push(...kubernetesObjects(value, `${source}: document ${n}`));
  }
  return out;
}

/** Loads every manifest under a directory (recursively, files in sorted order). */
export function loadDirectory(dir: string): any[] {
  if (!fs.existsSync(dir) || !fs.statSync(dir).isDirectory()) throw new Error(`${dir}: not a directory`);
  const out: any[] = [];
  const walk = (d: string): void => {
    for (const entry of fs.readdirSync(d, { withFileTypes: true }).sort((a, b) => a.name.localeCompare(b.name))) {
      const p = path.join(d, entry.name);
      if (entry.isDirectory()) walk(p);
      else if (MANIFEST_FILE.test(entry.name)) out.push(...parseManifests(fs.readFileSync(p, 'utf8'), p));
    }
  };
  walk(dir);
  return out;
}

function git(cwd: string, args: string[]): string {
  return execFileSync('git', args, { cwd, encoding: 'utf8', maxBuffer: 256 * 1024 * 1024, stdio: ['ignore', 'pipe', 'pipe'] });
}

/**
 * Loads every manifest under `dir` as it was at a git ref (`git ls-tree` then `git show
 * <ref>:<file>`), without touching the working tree. `dir` is relative to the repository root
 * or absolute inside it. A directory that did not exist at that ref gives no objects; an unknown
 * ref is an error.
 */
export function loadGitRef(ref: string, dir: string, cwd = process.cwd()): any[] {
  let root: string;
  try {
    root = git(cwd, ['rev-parse', '--show-toplevel']).trim();
  } catch {
    throw new Error(`${cwd}: not inside a git repository, so git:${ref} cannot be read`);
  }
  try {
    git(root, ['rev-parse', '--verify', '--quiet', `${ref}^{commit}`]);
  } catch {
    throw new Error(`git ref "${ref}" does not name a commit (on a first commit or a shallow clone there is no previous commit: fetch more history, e.g. actions/checkout with fetch-depth: 2)`);
  }
  const rel = path.relative(root, path.resolve(cwd, dir)).split(path.sep).join('/');
  if (rel.startsWith('..')) throw new Error(`${dir} is outside the git repository ${root}`);
  const files = git(root, ['ls-tree', '-r', '--name-only', '-z', ref, '--', rel === '' ? '.' : rel])
    .split('\0').filter(f => f.length > 0 && MANIFEST_FILE.test(f)).sort();
  const out: any[] = [];
  for (const f of files) out.push(...parseManifests(git(root, ['show', `${ref}:${f}`]), `${ref}:${f}`));
  return out;
}

/**
 * Loads a manifest set from a command-line argument: a directory, `git:<ref>` (the directory
 * `defaultDir` at that ref), or `git:<ref>:<dir>`.
 */
export function loadSource(spec: string, defaultDir: string, cwd = process.cwd()): any[] {
  if (spec.startsWith('git:')) {
    const rest = spec.slice(4);
    const colon = rest.indexOf(':');
    const [ref, dir] = colon < 0 ? [rest, defaultDir] : [rest.slice(0, colon), rest.slice(colon + 1)];
    if (ref === '') throw new Error(`"${spec}": give a git ref, e.g. git:HEAD~1 or git:origin/main`);
    return loadGitRef(ref, dir, cwd);
  }
  return loadDirectory(path.resolve(cwd, spec));
}
