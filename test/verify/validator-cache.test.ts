import { spawn } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import * as fc from 'fast-check';
import * as YAML from 'yaml';
import { bundleForChild } from '../support/bundle';

/**
 * The on-disk validator cache: findings are the same with the cache off, cold and warm, over the
 * example apps' dist/ and a generated set of broken objects; a corrupt cache is rebuilt; concurrent
 * cold runs agree and leave no partial file.
 */

const ROOT = path.join(__dirname, '..', '..');

function distObjects(): any[] {
  const dir = path.join(ROOT, 'dist');
  return fs.readdirSync(dir).filter(f => f.endsWith('.yaml')).sort()
    .flatMap(f => YAML.parseAllDocuments(fs.readFileSync(path.join(dir, f), 'utf8')).map(d => d.toJS()))
    .filter(o => o);
}

function paths(value: any, prefix: Array<string | number> = []): Array<Array<string | number>> {
  if (value === null || typeof value !== 'object') return [prefix];
  const entries: Array<[string | number, any]> = Array.isArray(value) ? value.map((v, i) => [i, v]) : Object.entries(value);
  return [prefix, ...entries.flatMap(([k, v]) => paths(v, [...prefix, k]))];
}

/** Objects of dist/ with one value replaced, or one list item repeated, at a random place (fixed seed). */
function generatedObjects(objects: any[]): any[] {
  const replacement = fc.oneof(
    fc.constantFrom(null, true, 0, -1, 1.5, '', 'x', 'UPPER_case', '999Gi', '-1', 'a/b', [], {}, { unknown: 1 }, ['x', 'x']),
    fc.string({ maxLength: 6 }),
  );
  const arb = fc.tuple(fc.nat(objects.length - 1), fc.nat(), fc.boolean(), replacement).map(([i, at, repeat, value]) => {
    const obj = structuredClone(objects[i]);
    const all = paths(obj).filter(p => p.length > 0 && p[0] !== 'apiVersion' && p[0] !== 'kind');
    const where = all[at % all.length];
    const parent = where.slice(0, -1).reduce((o: any, k) => o[k], obj);
    const last = where[where.length - 1];
    if (repeat && Array.isArray(parent)) parent.push(structuredClone(parent[last as number]));
    else parent[last] = value;
    return obj;
  });
  return fc.sample(arb, { seed: 12, numRuns: 400 });
}

/**
 * Objects that break CEL rules and list-map keys, which random replacement reaches rarely or only
 * for some contents of dist/ (so a change to the example apps does not change what is covered).
 */
function celBreakers(objects: any[]): any[] {
  const store = objects.find(o => o.kind === 'ObjectStore');
  const withServerName = structuredClone(store);
  withServerName.spec.configuration.serverName = 'old';
  const withLogLevel = structuredClone(store);
  withLogLevel.spec.instanceSidecarConfiguration = { additionalContainerArgs: ['--log-level=debug'] };
  const rules = structuredClone(objects.find(o => o.kind === 'PrometheusRule'));
  rules.spec.groups.push(structuredClone(rules.spec.groups[0]));
  return [withServerName, withLogLevel, rules];
}

/** Runs verification in a fresh copy of the modules (no in-process validators), as a new process would. */
function freshRun(objects: any[], cache: string): { findings: unknown[]; loaded: number; compiled: number; schemaFilesParsed: number } {
  process.env.CDK8S_DATA_CACHE = cache;
  let out: { findings: unknown[]; loaded: number; compiled: number; schemaFilesParsed: number } | undefined;
  jest.isolateModules(() => {
    const verify = require('../../lib/verify');
    const { validatorCacheStats } = require('../../lib/verify/validator-cache');
    const findings = objects.map(o => verify.verifyObjects([o], { schemaOnly: true }).findings);
    out = { findings, ...validatorCacheStats };
  });
  return out!;
}

describe('on-disk validator cache', () => {
  const saved = process.env.CDK8S_DATA_CACHE;
  let dir: string;
  beforeAll(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'cdk8s-data-cache-test-'));
  });
  afterAll(() => {
    if (saved === undefined) delete process.env.CDK8S_DATA_CACHE;
    else process.env.CDK8S_DATA_CACHE = saved;
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it('gives the same findings off, cold, warm and after corruption', () => {
    const dist = distObjects();
    const objects = [...dist, ...generatedObjects(dist), ...celBreakers(dist)];
    const off = freshRun(objects, 'off');
    expect(off.loaded).toBe(0);
    expect(off.schemaFilesParsed).toBe(2);
    expect(fs.readdirSync(dir)).toEqual([]);
    const messages = off.findings.flat().map((f: any) => f.message).join('\n');
    // The generated set reaches the schema keywords that need care in standalone code.
    expect(off.findings.flat().length).toBeGreaterThan(200);
    expect(messages).toMatch(/must match pattern/);
    expect(messages).toMatch(/a list of type "map" needs unique keys/);
    expect(messages).toMatch(/\(rule: /);

    const cold = freshRun(objects, dir);
    expect(cold.loaded).toBe(0);
    expect(cold.compiled).toBeGreaterThan(10);
    expect(cold.findings).toEqual(off.findings);
    const files = fs.readdirSync(dir).filter(f => f.startsWith('validator-') && f.endsWith('.js'));
    expect(files.length).toBe(cold.compiled);

    const warm = freshRun(objects, dir);
    // A warm run does not even parse the Kubernetes schema files: what it needs of them is stored.
    expect(warm).toEqual({ findings: off.findings, loaded: cold.compiled, compiled: 0, schemaFilesParsed: 0 });

    // Truncated, garbled and well-formed-but-broken files are all rebuilt.
    const [a, b, c] = files;
    fs.writeFileSync(path.join(dir, a), fs.readFileSync(path.join(dir, a), 'utf8').slice(0, 5000));
    fs.writeFileSync(path.join(dir, b), 'garbage');
    const broken = '(function (require, module) { module.exports = 42; })';
    const crypto = require('crypto');
    fs.writeFileSync(path.join(dir, c), `// ${crypto.createHash('sha256').update(`${broken}`).update('\0').digest('hex').slice(0, 40)}\n${broken}`);
    const repaired = freshRun(objects, dir);
    // A schema file is parsed only for a rebuilt validator of its own.
    expect(repaired).toEqual({ findings: off.findings, loaded: cold.compiled - 3, compiled: 3, schemaFilesParsed: expect.any(Number) });
    expect(freshRun(objects, dir)).toEqual({ findings: off.findings, loaded: cold.compiled, compiled: 0, schemaFilesParsed: 0 });
    expect(fs.readdirSync(dir).filter(f => f.endsWith('.tmp'))).toEqual([]);

    // The content keys of each Kubernetes schema file are kept too; garbled ones are computed again.
    const keys = fs.readdirSync(dir).filter(f => f.startsWith('kubernetes-keys-'));
    expect(keys).toHaveLength(2);
    for (const f of keys) fs.writeFileSync(path.join(dir, f), 'garbage');
    expect(freshRun(objects, dir)).toEqual({ findings: off.findings, loaded: cold.compiled, compiled: 0, schemaFilesParsed: 2 });
    for (const f of keys) expect(fs.readFileSync(path.join(dir, f), 'utf8')).toMatch(/"keys":.*"kinds":/s);
    expect(freshRun(objects, dir)).toEqual({ findings: off.findings, loaded: cold.compiled, compiled: 0, schemaFilesParsed: 0 });
  }, 300_000);

  it('validates every kind with a pod template from one module per Kubernetes version', () => {
    const shared = fs.mkdtempSync(path.join(dir, 'pod-kinds-'));
    const workloads = distObjects().filter(o => ['Deployment', 'StatefulSet', 'Job', 'CronJob'].includes(o.kind));
    expect(new Set(workloads.map(o => o.kind)).size).toBe(4);
    const broken = workloads.map(o => ({ ...o, spec: { ...o.spec, unknownField: 1 } }));
    const off = freshRun([...workloads, ...broken], 'off');
    const cold = freshRun([...workloads, ...broken], shared);
    expect(cold.findings).toEqual(off.findings);
    // Four kinds, two versions: one module for the pod kinds of each version (no other kind here).
    expect(cold.compiled).toBe(2);
    expect(fs.readdirSync(shared).filter(f => f.endsWith('.js'))).toHaveLength(2);
    expect(off.findings.slice(workloads.length).every(f => (f as any[]).some(x => /unknownField: unknown field/.test(x.message)))).toBe(true);
    expect(freshRun([...workloads, ...broken], shared)).toEqual({ findings: off.findings, loaded: 2, compiled: 0, schemaFilesParsed: 0 });
  }, 120_000);

  it('is not used when others can write to its directory', () => {
    const open = fs.mkdtempSync(path.join(dir, 'open-'));
    fs.chmodSync(open, 0o777);
    const objects = distObjects().slice(0, 3);
    const first = freshRun(objects, open);
    expect(freshRun(objects, open)).toEqual(first);
    expect(first.loaded).toBe(0);
    expect(fs.readdirSync(open)).toEqual([]);
  }, 120_000);

  it('lets concurrent cold processes share one cache directory', async () => {
    const shared = fs.mkdtempSync(path.join(dir, 'concurrent-'));
    const child = bundleForChild([
      "import { verifyObjects } from './lib/verify';",
      "import { validatorCacheStats } from './lib/verify/validator-cache';",
      "const r = verifyObjects([{ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'a', namespace: 'b', labels: { x: '-' } }, data: { n: 1 } }], { schemaOnly: true });",
      'process.stdout.write(JSON.stringify({ findings: r.findings, stats: validatorCacheStats }));',
    ].join('\n'));
    const run = (): Promise<string> => new Promise((resolve, reject) => {
      const proc = spawn(process.execPath, [child.file], {
        cwd: ROOT, env: { ...process.env, CDK8S_DATA_CACHE: shared }, stdio: ['ignore', 'pipe', 'inherit'],
      });
      let stdout = '';
      proc.stdout.on('data', d => (stdout += d));
      proc.on('error', reject);
      proc.on('exit', code => (code === 0 ? resolve(stdout) : reject(new Error(`exit ${code}`))));
    });
    try {
      await concurrentRuns(shared, run);
    } finally {
      child.remove();
    }
  }, 120_000);
});

/** The concurrent-cache checks, with `run` starting one child process verifying a ConfigMap. */
async function concurrentRuns(shared: string, run: () => Promise<string>): Promise<void> {
  const results = (await Promise.all([run(), run(), run()])).map(r => JSON.parse(r));
  expect(results[0].findings.length).toBeGreaterThan(0);
  for (const r of results) expect(r.findings).toEqual(results[0].findings);
  expect(fs.readdirSync(shared).filter(f => f.endsWith('.tmp'))).toEqual([]);
  const after = JSON.parse(await run());
  expect(after.findings).toEqual(results[0].findings);
  expect(after.stats.compiled).toBe(0);

  // V8's compiled code is kept beside each validator after a run; a corrupt one is ignored and rewritten.
  const code = fs.readdirSync(shared).filter(f => f.endsWith('.code'));
  expect(code.length).toBeGreaterThan(0);
  for (const f of code) fs.writeFileSync(path.join(shared, f), 'garbage');
  const corrupt = JSON.parse(await run());
  expect(corrupt.findings).toEqual(results[0].findings);
  expect(corrupt.stats.compiled).toBe(0);
  for (const f of code) expect(fs.readFileSync(path.join(shared, f), 'latin1')).not.toBe('garbage');
}
