import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { MissingSchemasError, verifyObjects } from '../../lib/verify';
import { clientDeployment, goodSet, serviceAccount } from './fixtures';

describe('verifyObjects baseline', () => {
  it('finds nothing in a fully hardened database set', () => {
    const report = verifyObjects(goodSet());
    expect(report.findings).toEqual([]);
  });

  it('finds nothing in a hardened client Deployment with its ServiceAccount', () => {
    const report = verifyObjects([clientDeployment(), serviceAccount('web', 'web')]);
    expect(report.findings).toEqual([]);
  });

  it('throws a clear error naming where to get the schemas when the directory is empty', () => {
    const empty = fs.mkdtempSync(path.join(os.tmpdir(), 'verify-empty-'));
    expect(() => verifyObjects(goodSet(), { schemaDir: empty })).toThrow(MissingSchemasError);
    expect(() => verifyObjects(goodSet(), { schemaDir: empty })).toThrow(/k8s-v1\.28\.0-_definitions\.json.*CDK8S_DATA_SCHEMAS/s);
    expect(() => verifyObjects(goodSet(), { crdDir: empty })).toThrow(/CRD.*CDK8S_DATA_CRDS/s);
    expect(() => verifyObjects(goodSet(), { crdDir: path.join(empty, 'missing') })).toThrow(MissingSchemasError);
  });
});

describe('cost', () => {
  it('verifies a small set in a few milliseconds once warm', () => {
    verifyObjects(goodSet());
    const started = process.hrtime.bigint();
    const runs = 200;
    for (let i = 0; i < runs; i++) verifyObjects(goodSet());
    const perRunMs = Number(process.hrtime.bigint() - started) / 1e6 / runs;
    // Measured about 1 ms on a 2-core machine; the bound leaves room for a loaded CI box.
    expect(perRunMs).toBeLessThan(25);
  });
});
