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

  it('refuses a Kubernetes schema file without definitions up front, though definitions are read lazily', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'verify-no-definitions-'));
    for (const v of ['1.28.0', '1.32.0']) fs.writeFileSync(path.join(dir, `kubernetes-${v}.json`), '{"swagger": "2.0"}');
    expect(() => verifyObjects(goodSet(), { schemaDir: dir })).toThrow(/kubernetes-1\.28\.0\.json has no "definitions"/);
    expect(schemasUnavailable({ schemaDir: dir })).toMatch(/has no "definitions"/);
  });
});

describe('repeated runs', () => {
  // Speed is measured by `npm run bench` (verify-dist), not asserted here. What repeated runs in one
  // process must keep is the answer: cached validators and indexes carry no state between sets.
  it('gives the same findings every time in one process, clean and broken sets alternating', () => {
    const broken = goodSet().map(o => (o.kind === 'StatefulSet' ? { ...o, spec: { ...o.spec, replicas: 'three' } } : o));
    const first = { clean: verifyObjects(goodSet()).findings, broken: verifyObjects(broken).findings };
    expect(first.clean).toEqual([]);
    expect(first.broken.length).toBeGreaterThan(0);
    for (let i = 0; i < 20; i++) {
      expect(verifyObjects(broken).findings).toEqual(first.broken);
      expect(verifyObjects(goodSet()).findings).toEqual([]);
    }
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
