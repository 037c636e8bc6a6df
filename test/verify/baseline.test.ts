import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { MissingSchemasError, schemasUnavailable, verifyObjects } from '../../lib/verify';
import { crdCatalog } from '../../lib/verify/crds';
import { clientWorkload, goodSet, labels } from './fixtures';

describe('verifyObjects baseline', () => {
  it('finds nothing in a fully hardened database set', () => {
    const report = verifyObjects(goodSet());
    expect(report.findings).toEqual([]);
  });

  it('finds nothing in a hardened client Deployment with its ServiceAccount, PodDisruptionBudget and NetworkPolicy', () => {
    const report = verifyObjects(clientWorkload());
    expect(report.findings).toEqual([]);
  });
});

describe('missing schemas', () => {
  it('throws a clear error naming where to get the schemas when the directory is empty', () => {
    const empty = fs.mkdtempSync(path.join(os.tmpdir(), 'verify-empty-'));
    expect(() => verifyObjects(goodSet(), { schemaDir: empty })).toThrow(MissingSchemasError);
    expect(() => verifyObjects(goodSet(), { schemaDir: empty })).toThrow(/k8s-v1\.28\.0-_definitions\.json.*CDK8S_DATA_SCHEMAS/s);
    expect(() => crdCatalog(empty)).toThrow(/CustomResourceDefinition files not found.*CDK8S_DATA_CRDS/s);
    expect(() => crdCatalog(path.join(empty, 'missing'))).toThrow(MissingSchemasError);
    expect(schemasUnavailable({ schemaDir: empty })).toMatch(/not found in/);
  });
});

describe('cost', () => {
  it('verifies a small set in a few milliseconds once warm', () => {
    verifyObjects(goodSet());
    const batches: number[] = [];
    for (let b = 0; b < 5; b++) {
      const started = process.hrtime.bigint();
      for (let i = 0; i < 40; i++) verifyObjects(goodSet());
      batches.push(Number(process.hrtime.bigint() - started) / 1e6 / 40);
    }
    const median = batches.sort((x, y) => x - y)[2];
    // Measured about 0.6 ms on a 2-core machine; the bound leaves room for a loaded CI box.
    expect(median).toBeLessThan(25);
  });
});

describe('object handling', () => {
  it('verifies the items of a List', () => {
    const report = verifyObjects([{ apiVersion: 'v1', kind: 'List', items: goodSet() }]);
    expect(report.findings).toEqual([]);
  });

  it('knows cluster-scoped kinds, built-in and custom', () => {
    const clusterRole = { apiVersion: 'rbac.authorization.k8s.io/v1', kind: 'ClusterRole', metadata: { name: 'reader', namespace: 'shop', labels: labels() }, rules: [] };
    const catalog = {
      apiVersion: 'postgresql.cnpg.io/v1', kind: 'ClusterImageCatalog', metadata: { name: 'pg', labels: labels() },
      spec: { images: [{ major: 17, image: 'ghcr.io/cloudnative-pg/postgresql:17.6' }] },
    };
    const report = verifyObjects([clusterRole, catalog]);
    expect(report.errors).toEqual([expect.objectContaining({ check: 'namespace', object: 'shop/ClusterRole/reader', message: expect.stringMatching(/must not set metadata.namespace/) })]);
  });

  it('puts the file option on every finding', () => {
    const report = verifyObjects([{ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'x' } }], { file: 'dist/x.yaml' });
    expect(report.findings.length).toBeGreaterThan(0);
    expect(new Set(report.findings.map(f => f.file))).toEqual(new Set(['dist/x.yaml']));
  });

  it('schemaOnly skips the policy checks', () => {
    const report = verifyObjects([{ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'x' } }], { schemaOnly: true });
    expect(report.findings).toEqual([]);
  });
});
