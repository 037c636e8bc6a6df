import '@microsoft/jest-sarif';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { stringify } from 'yaml';
import { main } from '../../lib/safety/cli';
import { clone, cnpgCluster, statefulSet } from './objects';

function writeDir(dir: string, objs: any[]): void {
  fs.mkdirSync(dir, { recursive: true });
  fs.writeFileSync(path.join(dir, 'a.yaml'), objs.map(o => stringify(o)).join('---\n'));
}

function run(args: string[], cwd: string): { code: number; out: string; err: string } {
  let out = ''; let err = '';
  const code = main(args, { cwd, stdout: t => { out += t; }, stderr: t => { err += t; } });
  return { code, out, err };
}

let tmp: string;
beforeEach(() => {
  tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'safety-formats-'));
  const base = [cnpgCluster('orders'), statefulSet('events-a')];
  writeDir(path.join(tmp, 'base'), base);
  const head = clone(base); head[0].spec.storage.size = '5Gi'; head[0].spec.instances = 5;
  writeDir(path.join(tmp, 'head'), head);
});
afterEach(() => fs.rmSync(tmp, { recursive: true, force: true }));

describe('cdk8s-data-safety output formats', () => {
  it('--format sarif is a valid SARIF 2.1.0 log (official schema)', () => {
    const r = run(['base', 'head', '--format', 'sarif'], tmp);
    expect(r.code).toBe(1);
    const log = JSON.parse(r.out);
    expect(log).toBeValidSarifLog();
    expect(log.runs[0].tool.driver.name).toBe('cdk8s-data-safety');
    expect(log.runs[0].results).toEqual(expect.arrayContaining([expect.objectContaining({ ruleId: 'storage-decreased', level: 'error' })]));
  });

  it('--sarif FILE writes the log next to the text report', () => {
    const r = run(['base', 'head', '--sarif', 'out.sarif'], tmp);
    expect(r.out).toMatch(/BLOCKING storage-decreased/);
    expect(JSON.parse(fs.readFileSync(path.join(tmp, 'out.sarif'), 'utf8'))).toBeValidSarifLog();
  });

  it('--format json and markdown print the report on stdout', () => {
    expect(JSON.parse(run(['base', 'head', '--format=json'], tmp).out).ok).toBe(false);
    expect(run(['base', 'head', '--format', 'markdown'], tmp).out).toMatch(/^### Data-safety check: blocked/);
  });

  it.each([
    [['base', 'missing', '--format', 'json'], /not a directory/],
    [['base', '--format', 'json'], /expected <base> and <head>/],
    [['base', 'head', '--format', 'json', '--nope'], /unknown option --nope/],
  ])('--format json prints valid JSON when it cannot run: %j', (args, message) => {
    const r = run(args, tmp);
    expect(r.code).toBe(2);
    expect(JSON.parse(r.out)).toEqual({ ok: false, failure: expect.stringMatching(message) });
  });

  it('--format sarif on failure is a valid log with a failed invocation', () => {
    const r = run(['base', 'missing', '--format', 'sarif'], tmp);
    expect(r.code).toBe(2);
    const log = JSON.parse(r.out);
    expect(log).toBeValidSarifLog();
    expect(log.runs[0].invocations[0].executionSuccessful).toBe(false);
  });

  it('--help names the installed commands', () => {
    const r = run(['--help'], tmp);
    expect(r.out).toContain('cdk8s-data-safety');
    expect(r.out).toContain('cdk8s-data-verify');
    expect(r.out).toContain('--sarif FILE');
  });
});
