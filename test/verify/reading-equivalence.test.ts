import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { isDeepStrictEqual } from 'util';
import { verifyDirectory, verifyYamlText } from '../../lib/verify';
import * as YAML from 'yaml';
import { readAsKubectl, readSameUnder11And12 } from '../../lib/verify/fast-yaml';
import { verifyYamlTextExactly } from '../../lib/verify/yaml-check';
import { compareManifests } from '../../lib/safety/compare';
import { loadDirectory, parseManifests } from '../../lib/safety/load';
import { hostileFiles } from './hostile-yaml';

/*
 * The findings and objects the readers give on the example apps' dist/ and on a generated hostile
 * set must stay what they were before the readers were made faster: the snapshot was written by
 * the earlier readers (the `yaml` package's document API, read twice), and must not change with
 * a faster reader.
 */

const dirs: string[] = [];
afterAll(() => { for (const d of dirs) fs.rmSync(d, { recursive: true, force: true }); });

function writeSet(files: Record<string, string>): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'reading-equivalence-'));
  dirs.push(dir);
  for (const [name, text] of Object.entries(files)) {
    fs.mkdirSync(path.dirname(path.join(dir, name)), { recursive: true });
    fs.writeFileSync(path.join(dir, name), text);
  }
  return dir;
}

/** Findings with their file relative to the set's directory, so the snapshot does not name a temporary path. */
function relative<T extends { file?: string }>(findings: readonly T[], dir: string): T[] {
  return findings.map(f => (f.file === undefined ? f : { ...f, file: path.relative(dir, path.resolve(process.cwd(), f.file)) }));
}

function attempt<T>(f: () => T): T | { error: string } {
  try {
    return f();
  } catch (e) {
    return { error: (e as Error).message };
  }
}

const files = hostileFiles();

describe('reading equivalence', () => {
  it('the yaml check reads every hostile file as before (objects and findings)', () => {
    const out = Object.entries(files).sort(([a], [b]) => a.localeCompare(b)).map(([name, text]) => ({ name, ...verifyYamlText(text, name) }));
    expect(out).toMatchSnapshot();
  });

  it('verify finds the same on the hostile set', () => {
    const dir = writeSet(files);
    const result = verifyDirectory(dir, { ignoreMissingSchemas: true });
    expect({ files: result.files, objects: result.objects, findings: relative(result.findings, dir) }).toMatchSnapshot();
  });

  it('verify finds the same on the example apps (dist/)', () => {
    const dist = path.join(__dirname, '..', '..', 'dist');
    const result = verifyDirectory(dist);
    expect({ files: result.files, objects: result.objects, findings: relative(result.findings, dist) }).toMatchSnapshot();
  });

  it('the safety gate reads every hostile file as before (objects, or the error)', () => {
    const out = Object.entries(files).sort(([a], [b]) => a.localeCompare(b)).map(([name, text]) => ({ name, read: attempt(() => parseManifests(text, name)) }));
    expect(out).toMatchSnapshot();
  });

  it('the fast reader gives what the exact readers give, or leaves the text to them', () => {
    const dist = path.join(__dirname, '..', '..', 'dist');
    const texts = [
      ...Object.entries(files),
      ...fs.readdirSync(dist).map(f => [f, fs.readFileSync(path.join(dist, f), 'utf8')] as [string, string]),
    ];
    let fastVerify = 0;
    let fastSafety = 0;
    const differ: string[] = [];
    const check = (name: string, a: unknown, b: unknown) => { if (!isDeepStrictEqual(a, b)) differ.push(name); };
    for (const [name, text] of texts) {
      const forVerify = readSameUnder11And12(text);
      if (forVerify) {
        fastVerify++;
        check(`verify ${name}`, verifyYamlTextExactly(text, name), { objects: forVerify, findings: [] });
      }
      const forSafety = readAsKubectl(text);
      if (forSafety) {
        fastSafety++;
        const exact = YAML.parseAllDocuments(text, { merge: true });
        check(`safety ${name}`, exact.some(d => d.errors.length > 0) ? 'errors' : exact.map(d => d.toJS({ maxAliasCount: 10000 })), forSafety);
      }
    }
    expect(differ).toEqual([]);
    // The example apps and the ordinary hostile files take the fast path; the hostile variants do not.
    expect(fastVerify).toBeGreaterThanOrEqual(6 + 8);
    expect(fastSafety).toBeGreaterThanOrEqual(6 + 8);
  });

  it('the safety gate compares the same: dist/ with itself, and the readable hostile objects with a changed copy', () => {
    const dist = loadDirectory(path.join(__dirname, '..', '..', 'dist'));
    const same = compareManifests(dist, dist);
    const readable = Object.entries(files).sort(([a], [b]) => a.localeCompare(b)).flatMap(([name, text]) => {
      const read = attempt(() => parseManifests(text, name));
      return Array.isArray(read) ? read : [];
    });
    const seen = new Set<string>();
    const base = readable.filter(o => {
      const key = `${o.apiVersion}/${o.kind}/${o.metadata?.namespace}/${o.metadata?.name}`;
      if (seen.has(key)) return false;
      seen.add(key);
      return true;
    });
    const head = base.filter((_, i) => i % 7 !== 0).map((o, i) => (o.kind === 'Deployment' && i % 2 === 0 ? { ...o, spec: { ...o.spec, replicas: 0 } } : o));
    const changed = compareManifests(base, head);
    expect({ same: same.findings, changed: changed.findings, base: base.length, head: head.length }).toMatchSnapshot();
  });
});
