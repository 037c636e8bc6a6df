import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import * as YAML from 'yaml';
import { formatReport, verifyDirectory } from '../../lib/verify';
import { main } from '../../lib/verify/cli';
import { schemaDirectory } from '../../lib/verify/locations';
import { clientDeployment, clientWorkload, goodSet, mutate, serviceAccount } from './fixtures';

function tempDist(files: Record<string, any[] | string>): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'verify-dist-'));
  for (const [name, content] of Object.entries(files)) {
    fs.mkdirSync(path.dirname(path.join(dir, name)), { recursive: true });
    const text = typeof content === 'string' ? content : content.map(o => YAML.stringify(o)).join('---\n');
    fs.writeFileSync(path.join(dir, name), text);
  }
  return dir;
}

/** Runs the CLI in this process, as `cdk8s-data-verify` would run. */
function runCli(args: string[], env: Record<string, string> = {}): { status: number | null; stdout: string; stderr: string } {
  let stdout = '';
  let stderr = '';
  const saved = Object.fromEntries(Object.keys(env).map(k => [k, process.env[k]]));
  Object.assign(process.env, env);
  try {
    const status = main(args, { cwd: process.cwd(), stdout: t => { stdout += t; }, stderr: t => { stderr += t; } });
    return { status, stdout, stderr };
  } finally {
    for (const [k, v] of Object.entries(saved)) {
      if (v === undefined) delete process.env[k];
      else process.env[k] = v;
    }
  }
}

describe('verifyDirectory', () => {
  it('checks all files together, so cross-file references resolve', () => {
    const set = goodSet();
    const dir = tempDist({
      'db.k8s.yaml': set.filter(o => o.kind !== 'ServiceAccount'),
      'nested/accounts.yml': set.filter(o => o.kind === 'ServiceAccount'),
      'web.k8s.yaml': clientWorkload(),
      'notes.txt': 'not yaml',
    });
    const report = verifyDirectory(dir);
    expect(formatReport(report)).toBe('0 error(s), 0 warning(s)');
    expect(report.files).toBe(3);
    expect(report.objects).toBe(set.length + clientWorkload().length);
  });

  it('reads files in code-unit order, whatever the locale: upper case first, then lower case', () => {
    const bad = (name: string) => mutate(clientDeployment(), d => {
      d.metadata.name = name;
      d.spec.template.spec.containers[0].image = 'wordpress:latest';
    });
    const dir = tempDist({ 'b.yaml': [bad('b')], 'A.yaml': [bad('a')], 'C.yaml': [bad('c')] });
    const files = verifyDirectory(dir).errors.filter(f => f.check === 'image-pinned').map(f => path.basename(f.file ?? ''));
    expect(files).toEqual(['A.yaml', 'C.yaml', 'b.yaml']);
  });

  it('names the file of each finding and includes the YAML findings', () => {
    const bad = mutate(clientDeployment(), d => { d.spec.template.spec.containers[0].image = 'wordpress:latest'; });
    const dir = tempDist({
      'web.k8s.yaml': [bad, serviceAccount('web', 'web')],
      'flags.yaml': 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: flags\n  namespace: shop\n  labels: {app.kubernetes.io/name: x, app.kubernetes.io/instance: x, app.kubernetes.io/component: x, app.kubernetes.io/part-of: x, app.kubernetes.io/managed-by: x}\ndata:\n  debug: off\n',
    });
    const report = verifyDirectory(dir);
    const image = report.errors.find(f => f.check === 'image-pinned');
    expect(image?.file).toMatch(/web\.k8s\.yaml$/);
    const yaml = report.errors.find(f => f.check === 'yaml');
    expect(yaml).toEqual(expect.objectContaining({ object: 'shop/ConfigMap/flags', file: expect.stringMatching(/flags\.yaml$/) }));
    // The YAML 1.2 reading is what gets checked: "off" stays a string, valid for ConfigMap data.
    expect(report.errors.filter(f => f.check === 'schema-strict')).toEqual([]);
  });

  it('fails clearly on a missing directory', () => {
    expect(() => verifyDirectory(path.join(os.tmpdir(), 'no-such-dist-dir'))).toThrow(/not a directory.*npm run synth/);
  });
});

describe('cli', () => {
  const good = tempDist({ 'db.k8s.yaml': goodSet() });
  const bad = tempDist({ 'db.k8s.yaml': goodSet().filter(o => o.kind !== 'PodDisruptionBudget') });

  it('exits 0 and prints a summary for a clean directory', () => {
    const r = runCli([good]);
    expect(r.stderr).toBe('');
    expect(r.status).toBe(0);
    expect(r.stdout).toMatch(/^0 error\(s\), 0 warning\(s\) in 6 object\(s\) from 1 file\(s\)/m);
  });

  it('exits 1 and prints each finding with id, severity, object, origin and file', () => {
    const r = runCli([bad]);
    expect(r.status).toBe(1);
    expect(r.stdout).toMatch(/^ERROR {3}\[pdb\] \(KS\) shop\/StatefulSet\/orders, .*db\.k8s\.yaml: no PodDisruptionBudget/m);
    expect(r.stdout).toMatch(/^1 error\(s\), 0 warning\(s\)/m);
  });

  it('prints JSON with --json, and takes the schema directories as options', () => {
    const r = runCli(['--json', '--verbose', '--schemas', schemaDirectory(), bad]);
    expect(r.status).toBe(1);
    const json = JSON.parse(r.stdout);
    expect(json).toEqual(expect.objectContaining({ files: 1, objects: 5, errors: 1, warnings: 0, celRulesNotEvaluated: expect.any(Array) }));
    expect(json.findings[0]).toEqual(expect.objectContaining({ check: 'pdb', severity: 'error', origin: 'KS', object: 'shop/StatefulSet/orders' }));
  });

  it('rejects unknown options with exit status 2', () => {
    const r = runCli(['--bogus']);
    expect(r.status).toBe(2);
    expect(r.stderr).toMatch(/unknown option --bogus.*usage/s);
  });

  it('exits 2 with directions when the schemas are missing', () => {
    const empty = fs.mkdtempSync(path.join(os.tmpdir(), 'verify-noschemas-'));
    const r = runCli([good], { CDK8S_DATA_SCHEMAS: empty });
    expect(r.status).toBe(2);
    expect(r.stderr).toMatch(/not found in .*verify-noschemas-.*CDK8S_DATA_SCHEMAS.*yannh\/kubernetes-json-schema/s);
  });
});
