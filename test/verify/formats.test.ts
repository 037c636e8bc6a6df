import '@microsoft/jest-sarif';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import * as YAML from 'yaml';
import { main } from '../../lib/verify/cli';
import { goodSet, mutate } from './fixtures';

/** A rendered directory with one error (no PDB), one opt-out with its reason and one warning-free client. */
function dist(): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'verify-formats-'));
  const set = goodSet()
    .filter(o => o.kind !== 'PodDisruptionBudget')
    .map(o => (o.kind === 'StatefulSet' ? mutate(o, s => {
      s.metadata.annotations = { 'skip-check.data.cdk8s.io/zone-spread': 'single-zone cluster | for now' };
      delete s.spec.template.spec.topologySpreadConstraints;
    }) : o));
  fs.writeFileSync(path.join(dir, 'db.k8s.yaml'), set.map(o => YAML.stringify(o)).join('---\n'));
  return dir;
}

function run(args: string[], cwd: string): { status: number; stdout: string; stderr: string } {
  let stdout = '';
  let stderr = '';
  const status = main(args, { cwd, stdout: t => { stdout += t; }, stderr: t => { stderr += t; } });
  return { status, stdout, stderr };
}

let dir: string;
beforeAll(() => { dir = dist(); });
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

describe('cdk8s-data-verify output formats', () => {
  it('text lists findings, the opt-out with its reason, and a summary', () => {
    const r = run(['.'], dir);
    expect(r.status).toBe(1);
    expect(r.stdout).toMatch(/^ERROR {3}\[pdb\] \(KS\) shop\/StatefulSet\/orders, db\.k8s\.yaml: /m);
    expect(r.stdout).toMatch(/^skipped \[zone-spread\] shop\/StatefulSet\/orders, db\.k8s\.yaml: single-zone cluster \| for now \(1 finding\(s\) left out\)$/m);
    expect(r.stdout).toMatch(/^1 error\(s\), 0 warning\(s\), 1 skipped check\(s\) in 5 object\(s\) from 1 file\(s\) under \. /m);
  });

  it('--json prints the report, opt-outs included', () => {
    const r = run(['--json', '.'], dir);
    expect(r.status).toBe(1);
    const json = JSON.parse(r.stdout);
    expect(json).toEqual(expect.objectContaining({ status: 'failed', files: 1, objects: 5, errors: 1, warnings: 0 }));
    expect(json.skipped).toEqual([expect.objectContaining({ check: 'zone-spread', reason: 'single-zone cluster | for now', findings: 1 })]);
  });

  it.each([
    [['--json', 'no-such-dir'], /not a directory/],
    [['--json', '--schemas', 'empty', '.'], /not found in/],
    [['--json', '--skip', 'nonsense'], /no check has the id "nonsense"/],
    [['--json', '--bogus'], /unknown option --bogus/],
    [['--json', '--config', 'missing.yaml'], /cannot read the config file/],
  ])('--json prints valid JSON on stdout when it cannot run too: %j', (args, message) => {
    fs.mkdirSync(path.join(dir, 'empty'), { recursive: true });
    const r = run(args, dir);
    expect(r.status).toBe(2);
    const json = JSON.parse(r.stdout);
    expect(json).toEqual(expect.objectContaining({ status: 'failed', failure: expect.stringMatching(message), findings: [] }));
    expect(r.stderr).toMatch(message);
  });

  it('--markdown renders a pull-request comment', () => {
    const r = run(['--markdown', '.'], dir);
    expect(r.status).toBe(1);
    expect(r.stdout).toMatchSnapshot();
  });

  it('--sarif is a valid SARIF 2.1.0 log (official schema), opt-outs as suppressed results', () => {
    const r = run(['--sarif', '.'], dir);
    expect(r.status).toBe(1);
    const log = JSON.parse(r.stdout);
    expect(log).toBeValidSarifLog();
    const results = log.runs[0].results;
    expect(results).toEqual([
      expect.objectContaining({ ruleId: 'pdb', level: 'error', locations: [expect.objectContaining({ physicalLocation: { artifactLocation: { uri: 'db.k8s.yaml' } } })] }),
      expect.objectContaining({ ruleId: 'zone-spread', level: 'note', suppressions: [{ kind: 'inSource', justification: 'single-zone cluster | for now' }] }),
    ]);
    expect(log.runs[0].tool.driver.rules.map((x: any) => x.id)).toContain('missing-schema');
  });

  it('--sarif on failure is a valid log with a failed invocation', () => {
    const r = run(['--sarif', 'no-such-dir'], dir);
    expect(r.status).toBe(2);
    const log = JSON.parse(r.stdout);
    expect(log).toBeValidSarifLog();
    expect(log.runs[0].invocations[0]).toEqual(expect.objectContaining({ executionSuccessful: false }));
  });

  it('--json=FILE --sarif=FILE write files next to the text report', () => {
    const r = run(['--json=out.json', '--sarif=out.sarif', '--markdown=out.md', '.'], dir);
    expect(r.status).toBe(1);
    expect(r.stdout).toMatch(/^1 error\(s\)/m);
    expect(JSON.parse(fs.readFileSync(path.join(dir, 'out.json'), 'utf8')).errors).toBe(1);
    expect(JSON.parse(fs.readFileSync(path.join(dir, 'out.sarif'), 'utf8'))).toBeValidSarifLog();
    expect(fs.readFileSync(path.join(dir, 'out.md'), 'utf8')).toMatch(/^### Manifest verification: failed/);
  });

  it('--skip, --schema-only and the config file choose the checks', () => {
    const skipped = run(['--skip', 'pdb', '.'], dir);
    expect(skipped.stdout + skipped.stderr).toMatch(/^0 error/m);
    expect(skipped.status).toBe(0);
    expect(run(['--schema-only', '.'], dir).status).toBe(0);
    // The config file sits in the repository root (the working directory), not among the manifests.
    const repo = fs.mkdtempSync(path.join(os.tmpdir(), 'verify-repo-'));
    fs.writeFileSync(path.join(repo, 'cdk8s-data-verify.yaml'), 'skip: [pdb]\n');
    try {
      const r = run(['--json', dir], repo);
      expect(r.status).toBe(0);
      expect(JSON.parse(r.stdout).config).toBe(path.join(repo, 'cdk8s-data-verify.yaml'));
    } finally {
      fs.rmSync(repo, { recursive: true, force: true });
    }
  });

  it('--help names the installed commands and every option', () => {
    const r = run(['--help'], dir);
    expect(r.status).toBe(0);
    for (const word of ['cdk8s-data-verify', 'cdk8s-data-safety', '--schema-only', '--skip', '--ignore-missing-schemas', '--config', '--sarif', '--markdown', '--json', 'skip-check.data.cdk8s.io/']) {
      expect(r.stdout).toContain(word);
    }
  });
});
