import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { formatReport, verifyObjects } from '../../lib/verify';
import { readConfig } from '../../lib/verify/config';
import { bundledSchemaDirectory, crdDirectories, schemaDirectory } from '../../lib/verify/locations';
import { goodSet, labels, mutate, NS } from './fixtures';

const certificate = (): any => ({
  apiVersion: 'cert-manager.io/v1', kind: 'Certificate',
  metadata: { name: 'web', namespace: NS, labels: labels('tls', 'web', 'web') },
  spec: { secretName: 'web-tls', dnsNames: ['web.example.com'] },
});

const CERTIFICATE_CRD = `apiVersion: apiextensions.k8s.io/v1
kind: CustomResourceDefinition
metadata:
  name: certificates.cert-manager.io
spec:
  group: cert-manager.io
  names: { kind: Certificate, plural: certificates }
  scope: Namespaced
  versions:
    - name: v1
      served: true
      storage: true
      schema:
        openAPIV3Schema:
          type: object
          properties:
            apiVersion: { type: string }
            kind: { type: string }
            metadata: { type: object }
            spec:
              type: object
              required: [secretName]
              properties:
                secretName: { type: string }
                dnsNames: { type: array, items: { type: string } }
`;

function tempDir(files: Record<string, string> = {}): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'verify-options-'));
  for (const [name, text] of Object.entries(files)) fs.writeFileSync(path.join(dir, name), text);
  return dir;
}

describe('bundled schemas', () => {
  it('are the default, with no option or environment variable', () => {
    const saved = [process.env.CDK8S_DATA_SCHEMAS, process.env.CDK8S_DATA_CRDS];
    delete process.env.CDK8S_DATA_SCHEMAS;
    delete process.env.CDK8S_DATA_CRDS;
    try {
      expect(schemaDirectory()).toBe(bundledSchemaDirectory());
      expect(crdDirectories({})).toEqual([path.join(bundledSchemaDirectory(), 'crds')]);
      expect(fs.existsSync(path.join(bundledSchemaDirectory(), 'kubernetes-1.32.0.json'))).toBe(true);
    } finally {
      if (saved[0] !== undefined) process.env.CDK8S_DATA_SCHEMAS = saved[0];
      if (saved[1] !== undefined) process.env.CDK8S_DATA_CRDS = saved[1];
    }
  });

  it('validate custom resources of the bundled CRDs (a wrong field in a CloudNativePG Cluster)', () => {
    const cluster = { apiVersion: 'postgresql.cnpg.io/v1', kind: 'Cluster', metadata: { name: 'pg', namespace: NS }, spec: { instances: 'three', storage: { size: '1Gi' } } };
    const report = verifyObjects([cluster], { schemaOnly: true });
    expect(report.errors).toEqual([expect.objectContaining({ check: 'crd-schema', message: expect.stringMatching(/instances/) })]);
  });

  it('a user CRD directory adds to the bundled CRDs', () => {
    const crds = tempDir({ 'certificates.yaml': CERTIFICATE_CRD });
    const set = [...goodSet(), certificate()];
    expect(verifyObjects(set, { crdDirs: [crds] }).findings).toEqual([]);
    const bad = verifyObjects([...goodSet(), mutate(certificate(), c => { c.spec.secretNam = 'x'; })], { crdDirs: [crds] });
    expect(bad.errors).toEqual([expect.objectContaining({ check: 'crd-schema', object: `${NS}/Certificate/web`, message: expect.stringMatching(/secretNam/) })]);
  });
});

describe('custom resources without a schema', () => {
  it('are an error by default, naming the way out', () => {
    const report = verifyObjects([...goodSet(), certificate()]);
    expect(report.errors).toEqual([expect.objectContaining({
      check: 'missing-schema', object: `${NS}/Certificate/web`,
      message: expect.stringMatching(/no CRD schema for cert-manager\.io\/v1 Certificate.*--crds.*--ignore-missing-schemas/),
    })]);
  });

  it('are a warning with ignoreMissingSchemas', () => {
    const report = verifyObjects([...goodSet(), certificate()], { ignoreMissingSchemas: true });
    expect(report.errors).toEqual([]);
    expect(report.warnings.map(f => f.check)).toEqual(['missing-schema']);
  });

  it('an unknown kind of a Kubernetes API group stays a schema error', () => {
    const report = verifyObjects([{ apiVersion: 'apps/v1', kind: 'Deploymnet', metadata: { name: 'x', namespace: NS } }], { ignoreMissingSchemas: true, schemaOnly: true });
    expect(report.errors.map(f => f.check)).toEqual(['schema-strict']);
  });
});

describe('choosing checks', () => {
  const noPdb = (): any[] => goodSet().filter(o => o.kind !== 'PodDisruptionBudget');

  it('schemaOnly runs the schema checks only', () => {
    const report = verifyObjects(noPdb(), { schemaOnly: true });
    expect(report.findings).toEqual([]);
    const broken = noPdb().map(o => (o.kind === 'StatefulSet' ? mutate(o, s => { s.spec.replica = 2; }) : o));
    expect(verifyObjects(broken, { schemaOnly: true }).errors.map(f => f.check)).toEqual(['schema-strict']);
  });

  it('skip drops a check by id', () => {
    expect(verifyObjects(noPdb()).errors.map(f => f.check)).toEqual(['pdb']);
    expect(verifyObjects(noPdb(), { skip: ['pdb'] }).findings).toEqual([]);
  });

  it('an object opts out of one check with a reason, listed in the report', () => {
    const set = noPdb().map(o => (o.kind === 'StatefulSet'
      ? mutate(o, s => { s.metadata.annotations = { 'skip-check.data.cdk8s.io/pdb': 'batch database, evictions are fine' }; })
      : o));
    const report = verifyObjects(set);
    expect(report.findings).toEqual([]);
    expect(report.skipped).toEqual([{ check: 'pdb', object: `${NS}/StatefulSet/orders`, reason: 'batch database, evictions are fine', findings: 1 }]);
    expect(formatReport(report)).toMatch(/^skipped \[pdb\] shop\/StatefulSet\/orders: batch database, evictions are fine \(1 finding\(s\) left out\)$/m);
  });

  it('an opt-out without a reason is an error and skips nothing', () => {
    const set = noPdb().map(o => (o.kind === 'StatefulSet'
      ? mutate(o, s => { s.metadata.annotations = { 'skip-check.data.cdk8s.io/pdb': '' }; })
      : o));
    expect(verifyObjects(set).errors.map(f => f.check).sort()).toEqual(['pdb', 'skip-annotation']);
  });
});

describe('config file', () => {
  it('is read from the working directory, directories relative to it', () => {
    const dir = tempDir({ 'certificates.yaml': CERTIFICATE_CRD, 'cdk8s-data-verify.yaml': 'skip: [pdb, zone-spread]\nignoreMissingSchemas: true\ncrds: [.]\n' });
    expect(readConfig(dir)).toEqual({
      file: path.join(dir, 'cdk8s-data-verify.yaml'),
      options: { skip: ['pdb', 'zone-spread'], ignoreMissingSchemas: true, crdDirs: [dir] },
    });
  });

  it('no file: no options', () => {
    expect(readConfig(tempDir())).toEqual({ options: {} });
  });

  it.each([
    ['skipp: [pdb]\n', /additional properties: skipp.*known keys: schemaOnly/],
    ['skip: [no-such-check]\n', /\/skip\/0 must be equal to one of the allowed values/],
    ['schemaOnly: yes please\n', /\/schemaOnly must be boolean/],
    ['skip: [pdb\n', /cannot read the config file/],
  ])('rejects %j clearly', (text, message) => {
    expect(() => readConfig(tempDir({ 'cdk8s-data-verify.yaml': text }))).toThrow(message);
  });
});
