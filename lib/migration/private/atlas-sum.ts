import { createHash } from 'crypto';
import { MigrationFile } from '../sources';

// Atlas's `atlas:sum ignore` directive: a file whose content starts with a line holding it is
// left out of the sum (its name still feeds the running hash). Same expression as Atlas's
// reDirective, anchored at the start of the content.
const SUM_DIRECTIVE = /^([ -~]*)atlas:(\w+)(?: +([ -~]*))*/;

function ignoredBySum(content: string): boolean {
  const m = SUM_DIRECTIVE.exec(content);
  return m !== null && m[2] === 'sum' && m[3] === 'ignore';
}

function byteCompare(a: string, b: string): number {
  return Buffer.compare(Buffer.from(a, 'utf8'), Buffer.from(b, 'utf8'));
}

/**
 * Computes the `atlas.sum` integrity file of a migration directory exactly as Atlas does
 * (ariga/atlas, `sql/migrate/dir.go`: `NewHashFile` and `HashFile.MarshalText`):
 * - the `.sql` files, sorted by name (byte order);
 * - one running SHA-256 over each file's name followed by its bytes; after each file the
 *   running digest (base64) is that file's hash;
 * - the first line is `h1:` + base64 SHA-256 over every name followed by its hash;
 * - then one line per file: `<name> h1:<hash>`.
 * Proven against an atlas.sum published in ariga/atlas-operator (see test/migration/atlas-sum.test.ts).
 */
export function atlasSum(files: readonly MigrationFile[]): string {
  const sorted = files.filter(f => f.name.endsWith('.sql')).sort((a, b) => byteCompare(a.name, b.name));
  const running = createHash('sha256');
  const entries: Array<[string, string]> = [];
  for (const file of sorted) {
    running.update(file.name, 'utf8');
    if (ignoredBySum(file.content)) continue;
    running.update(file.content, 'utf8');
    entries.push([file.name, running.copy().digest('base64')]);
  }
  const total = createHash('sha256');
  for (const [name, hash] of entries) {
    total.update(name, 'utf8');
    total.update(hash, 'utf8');
  }
  return `h1:${total.digest('base64')}\n${entries.map(([name, hash]) => `${name} h1:${hash}\n`).join('')}`;
}

/** SHA-256 of a file's content in hex, as the Job runners record it (`sha256sum`). */
export function sha256Hex(content: string): string {
  return createHash('sha256').update(content, 'utf8').digest('hex');
}
