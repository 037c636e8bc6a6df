import { execFileSync, spawnSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { stringify } from 'yaml';
import { compareManifests, formatMarkdown, formatText, loadDirectory, loadGitRef } from '../../lib/safety';
import { main } from '../../lib/safety/cli';
import { bundleForChild } from '../support/bundle';
import { clone, cnpgCluster, pvc, statefulSet } from './objects';

function writeDir(dir: string, files: Record<string, any[]>): void {
  fs.rmSync(dir, { recursive: true, force: true });
  fs.mkdirSync(dir, { recursive: true });
  for (const [name, objs] of Object.entries(files)) {
    fs.mkdirSync(path.dirname(path.join(dir, name)), { recursive: true });
    fs.writeFileSync(path.join(dir, name), objs.map(o => stringify(o)).join('---\n'));
  }
}

function run(args: string[], cwd: string): { code: number; out: string; err: string } {
  let out = ''; let err = '';
  const code = main(args, { cwd, stdout: t => { out += t; }, stderr: t => { err += t; } });
  return { code, out, err };
}

let tmp: string;
beforeEach(() => { tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'safety-')); });
afterEach(() => { fs.rmSync(tmp, { recursive: true, force: true }); });

const base = (): any[] => [cnpgCluster('orders'), statefulSet('events-a')];

describe('loading', () => {
  it('reads every YAML document of every file under a directory, recursively', () => {
    writeDir(path.join(tmp, 'd'), { 'a.k8s.yaml': [base()[0]], 'sub/b.yml': [base()[1], pvc('x')] });
    fs.writeFileSync(path.join(tmp, 'd', 'notes.txt'), 'not yaml: [');
    fs.appendFileSync(path.join(tmp, 'd', 'a.k8s.yaml'), '\n---\n');
    expect(loadDirectory(path.join(tmp, 'd')).map(o => o.metadata.name)).toEqual(['orders', 'events-a', 'x']);
  });

  it('fails clearly on a broken file or a missing directory', () => {
    writeDir(path.join(tmp, 'd'), {});
    fs.writeFileSync(path.join(tmp, 'd', 'bad.yaml'), 'a: [1,\n');
    expect(() => loadDirectory(path.join(tmp, 'd'))).toThrow(/bad\.yaml/);
    expect(() => loadDirectory(path.join(tmp, 'nope'))).toThrow(/not a directory/);
  });

  it('reads dist/ at a git ref without touching the working tree', () => {
    const git = (...args: string[]): string => execFileSync('git', args, { cwd: tmp, encoding: 'utf8' });
    git('init', '-q', '-b', 'main');
    git('config', 'user.email', 't@example.com'); git('config', 'user.name', 't');
    writeDir(path.join(tmp, 'dist'), { 'app.k8s.yaml': base() });
    fs.writeFileSync(path.join(tmp, 'README'), 'x');
    git('add', '.'); git('commit', '-q', '-m', 'one');
    const head = clone(base()); head[0].spec.storage.size = '5Gi';
    writeDir(path.join(tmp, 'dist'), { 'app.k8s.yaml': head });

    expect(loadGitRef('HEAD', 'dist', tmp).map(o => o.metadata.name)).toEqual(['orders', 'events-a']);
    expect(loadGitRef('HEAD', '.', path.join(tmp, 'dist')).length).toBe(2);
    expect(loadGitRef('HEAD', 'not-there', tmp)).toEqual([]);
    expect(() => loadGitRef('HEAD~1', 'dist', tmp)).toThrow(/does not name a commit.*fetch-depth/);

    const r = run(['git:HEAD', 'dist'], tmp);
    expect(r.code).toBe(1);
    expect(r.out).toContain('BLOCKING storage-decreased  Cluster data/orders');
    expect(fs.readFileSync(path.join(tmp, 'dist', 'app.k8s.yaml'), 'utf8')).toContain('5Gi');
    expect(run(['git:HEAD:dist', 'git:HEAD:dist'], tmp).code).toBe(0);
  });
});

describe('CLI', () => {
  beforeEach(() => {
    writeDir(path.join(tmp, 'base'), { 'a.yaml': base() });
  });

  it('exits 0 with no blocking finding and writes the Markdown report', () => {
    const head = clone(base()); head[0].spec.instances = 5;
    writeDir(path.join(tmp, 'head'), { 'a.yaml': head });
    const r = run(['base', 'head', '--markdown', 'out.md', '--json=out.json'], tmp);
    expect(r.code).toBe(0);
    expect(r.out).toMatch(/Result: OK/);
    expect(fs.readFileSync(path.join(tmp, 'out.md'), 'utf8')).toMatch(/^### Data-safety check: passed/);
    expect(JSON.parse(fs.readFileSync(path.join(tmp, 'out.json'), 'utf8')).ok).toBe(true);
  });

  it('exits 1 on an unacknowledged blocking finding, 0 once acknowledged in the file', () => {
    writeDir(path.join(tmp, 'head'), { 'a.yaml': [base()[0]] });
    const r = run(['base', 'head'], tmp);
    expect(r.code).toBe(1);
    expect(r.out).toContain('BLOCKING cassandra-rack-removed  StatefulSet data/events-a');
    expect(r.out).toMatch(/Result: FAILED, 1 unacknowledged/);
    fs.writeFileSync(path.join(tmp, 'safety-acknowledgements.yaml'), stringify({ acknowledge: [
      { finding: 'cassandra-rack-removed', object: 'StatefulSet/data/events-a', reason: 'nodes decommissioned' },
    ] }));
    const again = run(['base', 'head'], tmp);
    expect(again.code).toBe(0);
    expect(again.out).toContain('ACKNOWLEDGED cassandra-rack-removed');
    expect(run(['base', 'head', '--acknowledgements', 'nothing.yaml'], tmp).code).toBe(2);
  });

  it.each([
    [[]], [['base']], [['base', 'head', 'extra']], [['base', 'head', '--nope']], [['base', 'head', '--markdown']], [['base', 'missing']], [['git:', 'base']],
  ])('exits 2 on bad arguments %j', (args) => {
    writeDir(path.join(tmp, 'head'), { 'a.yaml': base() });
    const r = run(args, tmp);
    expect(r.code).toBe(2);
    expect(r.err.length).toBeGreaterThan(0);
  });

  it('gives the exit status from a real process', () => {
    const head = clone(base()); head[1].spec.replicas = 1;
    writeDir(path.join(tmp, 'head'), { 'a.yaml': head });
    const cli = bundleForChild({ entry: 'lib/safety/cli.ts' });
    let res;
    try {
      res = spawnSync(process.execPath, [cli.file, 'base', 'head'], { cwd: tmp, encoding: 'utf8', env: process.env });
    } finally {
      cli.remove();
    }
    expect(res.stderr).toBe('');
    expect(res.stdout).toContain('cassandra-replicas-decreased');
    expect(res.status).toBe(1);
  });
});

describe('reports', () => {
  const report = (): ReturnType<typeof compareManifests> => {
    const b = base();
    const h = clone(b); h[0].spec.storage.size = '10Gi'; h[0].spec.instances = 5; h[1].spec.replicas = 4;
    h[1].spec.volumeClaimTemplates[0].spec.storageClassName = 'a|b';
    return compareManifests(b, h);
  };

  it('text: each finding with change, why, how to do it safely, and how to accept it', () => {
    const text = formatText(report());
    expect(text).toMatchSnapshot();
    expect(text).toMatch(/^Data-safety check: 2 blocking, 0 acknowledged, 0 note\(s\)/);
    expect(text).toContain('  change: spec.storage: storage 20Gi → 10Gi');
    expect(text).toContain('to accept: add "storage-decreased" to the construct\'s `acknowledge` prop');
  });

  it('Markdown: a summary table and a section per finding, table cells escaped', () => {
    const text = formatMarkdown(report());
    expect(text).toMatchSnapshot();
    expect(text).toContain('| blocking | `storage-class-changed` | StatefulSet data/events-a | volume claim template data: storage class (unset) → a\\|b |');
    expect(text).toContain('- **Why it matters:**');
    expect(formatMarkdown(compareManifests([], []))).toContain('No change to a data-bearing object needs attention.');
  });

  it('Markdown: stays under the comment size limit on a huge change', () => {
    const many = Array.from({ length: 600 }, (_, i) => pvc(`claim-${i}`));
    const big = compareManifests(many, []);
    const text = formatMarkdown(big);
    expect(big.blocking.length).toBe(600);
    expect(text.length).toBeLessThanOrEqual(60000);
    expect(text).toMatch(/more finding\(s\) not listed/);
    const small = formatMarkdown(compareManifests(many.slice(0, 40), []), { maxLength: 8000 });
    expect(small.length).toBeLessThanOrEqual(8000);
    expect(small).toMatch(/more finding section\(s\) left out/);
    expect(small.split('\n').filter(l => l.startsWith('| blocking')).length).toBe(40);
  });

  it('lists acknowledgements that matched nothing', () => {
    const r = compareManifests([], [], { acknowledgements: [{ finding: 'data-object-removed', object: 'PersistentVolumeClaim/data/gone' }] });
    expect(r.unusedAcknowledgements.length).toBe(1);
    expect(formatText(r)).toContain('Acknowledgements that matched no finding');
    expect(formatText(r)).toContain('  data-object-removed PersistentVolumeClaim/data/gone');
    expect(formatMarkdown(r)).toContain('Acknowledgements that matched no finding: `data-object-removed` PersistentVolumeClaim/data/gone.');
  });
});
