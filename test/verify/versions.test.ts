import { verifyObjects } from '../../lib/verify';
import { labels, NS } from './fixtures';

function service(spec: Record<string, any>): any {
  return {
    apiVersion: 'v1',
    kind: 'Service',
    metadata: { name: 'orders', namespace: NS, labels: labels() },
    spec: { clusterIP: 'None', ports: [{ name: 'mysql', port: 3306 }], ...spec },
  };
}

function schemaMessages(objects: any[], versions?: string[]): string[] {
  return verifyObjects(objects, { schemaOnly: true, ...(versions ? { kubernetesVersions: versions } : {}) })
    .findings.filter(f => f.check === 'schema-strict').map(f => f.message);
}

describe('strict schema against Kubernetes 1.28 and 1.32', () => {
  it('rejects a field that only 1.32 knows (Service spec.trafficDistribution) for 1.28 only', () => {
    expect(schemaMessages([service({ trafficDistribution: 'PreferClose' })]))
      .toEqual(['spec.trafficDistribution: unknown field (Kubernetes 1.28)']);
    expect(schemaMessages([service({ trafficDistribution: 'PreferClose' })], ['1.32.0'])).toEqual([]);
  });

  it('rejects a field that only 1.28 knows (PVC spec.resources.claims) for 1.32 only', () => {
    const pvc = {
      apiVersion: 'v1',
      kind: 'PersistentVolumeClaim',
      metadata: { name: 'data', namespace: NS, labels: labels() },
      spec: { accessModes: ['ReadWriteOnce'], resources: { requests: { storage: '1Gi' }, claims: [{ name: 'gpu' }] } },
    };
    expect(schemaMessages([pvc])).toEqual(['spec.resources.claims: unknown field (Kubernetes 1.32)']);
  });

  it('rejects an API version that 1.32 no longer serves', () => {
    const flow = { apiVersion: 'flowcontrol.apiserver.k8s.io/v1beta2', kind: 'FlowSchema', metadata: { name: 'x' }, spec: { priorityLevelConfiguration: { name: 'x' } } };
    expect(schemaMessages([flow])).toEqual([expect.stringMatching(/not served by Kubernetes 1\.32/)]);
  });

  it('reports a problem present in both versions once, naming both', () => {
    expect(schemaMessages([service({ bogus: 1 })])).toEqual(['spec.bogus: unknown field (Kubernetes 1.28, 1.32)']);
  });

  it('accepts int-or-string and quantities as strings or numbers', () => {
    const pdb = { apiVersion: 'policy/v1', kind: 'PodDisruptionBudget', metadata: { name: 'x', namespace: NS }, spec: { maxUnavailable: '50%' } };
    const pdb2 = { ...pdb, spec: { maxUnavailable: 1 } };
    const pdb3 = { ...pdb, spec: { maxUnavailable: 1.5 } };
    expect(schemaMessages([pdb, pdb2])).toEqual([]);
    expect(schemaMessages([pdb3])).toEqual([expect.stringMatching(/maxUnavailable: must be string or integer/)]);
  });

  it('keeps maps open where the schema says so (labels, annotations, data)', () => {
    const cm = { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'x', namespace: NS, labels: { anything: 'goes' }, annotations: { 'a/b': 'c' } }, data: { 'any.key': 'v' } };
    expect(schemaMessages([cm])).toEqual([]);
    expect(schemaMessages([{ ...cm, data: { k: 1 } }])).toEqual(['data.k: must be string (Kubernetes 1.28, 1.32)']);
  });

  it('rejects objects without apiVersion or kind, and unknown kinds', () => {
    expect(schemaMessages([{ kind: 'ConfigMap', metadata: { name: 'x' } }])).toEqual(['apiVersion and kind are required']);
    expect(schemaMessages([{ apiVersion: 'v1', kind: 'Widget', metadata: { name: 'x' } }])).toEqual([expect.stringMatching(/unknown apiVersion\/kind v1 Widget/)]);
  });
});

describe('CRD schema details', () => {
  const monitor = (endpoints: any[]) => ({
    apiVersion: 'monitoring.coreos.com/v1',
    kind: 'PodMonitor',
    metadata: { name: 'pg', namespace: NS, labels: labels() },
    spec: { selector: { matchLabels: { 'cnpg.io/cluster': 'pg' } }, podMetricsEndpoints: endpoints },
  });

  it('validates Prometheus PodMonitors (patterns and enums)', () => {
    expect(verifyObjects([monitor([{ port: 'metrics' }])], { schemaOnly: true }).findings).toEqual([]);
    const bad = verifyObjects([monitor([{ port: 'metrics', scheme: 'gopher' }])], { schemaOnly: true });
    expect(bad.findings.map(f => f.check)).toEqual(['crd-schema']);
  });

  it('enforces x-kubernetes-list-type map uniqueness (Cluster postgresql.extensions, keyed by name)', () => {
    const cluster = (names: string[]) => ({
      apiVersion: 'postgresql.cnpg.io/v1',
      kind: 'Cluster',
      metadata: { name: 'pg', namespace: NS, labels: labels() },
      spec: { instances: 3, storage: { size: '1Gi' }, postgresql: { extensions: names.map(name => ({ name, image: { reference: `ghcr.io/x/${name}:1.0` } })) } },
    });
    expect(verifyObjects([cluster(['pgvector', 'postgis'])], { schemaOnly: true }).findings).toEqual([]);
    const bad = verifyObjects([cluster(['pgvector', 'pgvector'])], { schemaOnly: true }).findings;
    expect(bad).toEqual([expect.objectContaining({ check: 'crd-schema', message: expect.stringMatching(/spec\.postgresql\.extensions: items 0 and 1 have the same name/) })]);
  });

  it('evaluates CEL rules that span list items (ImageCatalog majors unique)', () => {
    const catalog = (majors: number[]) => ({
      apiVersion: 'postgresql.cnpg.io/v1',
      kind: 'ImageCatalog',
      metadata: { name: 'pg', namespace: NS, labels: labels() },
      spec: { images: majors.map(major => ({ major, image: `ghcr.io/cloudnative-pg/postgresql:${major}.6` })) },
    });
    expect(verifyObjects([catalog([16, 17])], { schemaOnly: true }).findings).toEqual([]);
    const bad = verifyObjects([catalog([17, 17])], { schemaOnly: true }).findings;
    expect(bad.map(f => f.check)).toContain('crd-schema');
    expect(bad.map(f => f.message).join('\n')).toMatch(/major/);
  });

  it('reads RE2 patterns (inline (?i) flag) from CRDs', () => {
    const rule = (strategy: string) => ({
      apiVersion: 'monitoring.coreos.com/v1',
      kind: 'PrometheusRule',
      metadata: { name: 'pg', namespace: NS, labels: labels() },
      spec: { groups: [{ name: 'pg', partial_response_strategy: strategy, rules: [{ alert: 'PgDown', expr: 'up == 0' }] }] },
    });
    expect(verifyObjects([rule('WARN')], { schemaOnly: true }).findings).toEqual([]);
    expect(verifyObjects([rule('explode')], { schemaOnly: true }).findings.map(f => f.message))
      .toEqual([expect.stringMatching(/partial_response_strategy: must match pattern/)]);
  });
});
