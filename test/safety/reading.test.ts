import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { compareManifests, parseManifests } from '../../lib/safety';
import { main } from '../../lib/safety/cli';
import { clone, cnpgCluster, pvc, statefulSet } from './objects';

/** Reading manifests as kubectl applies them: every copy counts, merge keys resolved, no silent skips. */

const ids = (base: any[], head: any[]): string[] => compareManifests(base, head).blocking.map(f => f.id).sort();

describe('duplicate objects', () => {
  const world = (): any[] => [pvc('shop-data'), statefulSet('events-a'), cnpgCluster('orders')];
  const cases: [string, () => any[], () => any[], string[]][] = [
    ['a shrunk claim placed before an unchanged copy (head)', world, () => {
      const h = world(); const shrunk = clone(h[0]); shrunk.spec.resources.requests.storage = '1Gi';
      return [shrunk, ...h];
    }, ['duplicate-object', 'storage-decreased']],
    ['a StatefulSet whenScaled: Delete placed before an unchanged copy (head)', world, () => {
      const h = world(); const bad = clone(h[1]); bad.spec.persistentVolumeClaimRetentionPolicy.whenScaled = 'Delete';
      return [bad, ...h];
    }, ['duplicate-object', 'pvc-retention-weakened']],
    ['an identical copy in head', world, () => [...world(), world()[0]], ['duplicate-object']],
    ['a copy in base', () => [...world(), world()[2]], world, ['duplicate-object']],
  ];
  it.each(cases)('%s', (_name, base, head, expected) => {
    const found = ids(base(), head());
    for (const id of expected) expect(found).toContain(id);
  });

  it('an object in two namespaces is not a duplicate', () => {
    const other = pvc('shop-data', '20Gi', 'other');
    expect(ids([pvc('shop-data'), other], [pvc('shop-data'), other])).toEqual([]);
  });
});

describe('YAML as kubectl reads it', () => {
  const sts = (retention: string): string => `
apiVersion: apps/v1
kind: StatefulSet
metadata: { name: events-a, namespace: data, labels: { app.kubernetes.io/name: cassandra } }
spec:
  ${retention}
  replicas: 3
  serviceName: events-a-hl
  selector: { matchLabels: { app.kubernetes.io/name: cassandra } }
  template: { metadata: { labels: { app.kubernetes.io/name: cassandra } }, spec: { containers: [{ name: db, image: 'cassandra:5.0.4' }] } }
  volumeClaimTemplates: [{ metadata: { name: data }, spec: { accessModes: [ReadWriteOnce], resources: { requests: { storage: 10Gi } } } }]
`;
  const base = sts('persistentVolumeClaimRetentionPolicy: { whenDeleted: Retain, whenScaled: Retain }');
  const claim = (storage: string): string => `
apiVersion: v1
kind: PersistentVolumeClaim
metadata: { name: shop-data, namespace: data }
spec: { accessModes: [ReadWriteOnce], ${storage} }
`;
  const cases: [string, string, string, string][] = [
    ['retention weakened through a merge key', base, sts('<<: { persistentVolumeClaimRetentionPolicy: { whenDeleted: Delete, whenScaled: Delete } }'), 'pvc-retention-weakened'],
    ['claim shrunk through a merge key', claim('resources: { requests: { storage: 20Gi } }'), claim('<<: { resources: { requests: { storage: 1Gi } } }'), 'storage-decreased'],
    ['claim shrunk through an anchor and alias', claim('resources: { requests: { storage: 20Gi } }'),
      `apiVersion: v1\nkind: PersistentVolumeClaim\nmetadata: { name: shop-data, namespace: data }\nspec:\n  accessModes: [ReadWriteOnce]\n  resources: &small { requests: { storage: 1Gi } }\n  other: *small\n`, 'storage-decreased'],
  ];
  it.each(cases)('%s', (_name, b, h, id) => {
    expect(ids(parseManifests(b, 'base.yaml'), parseManifests(h, 'head.yaml'))).toContain(id);
  });
});

describe('documents that are not Kubernetes objects are errors', () => {
  const ok = 'apiVersion: v1\nkind: ConfigMap\nmetadata: { name: a, namespace: data }\n';
  const cases: [string, string, RegExp][] = [
    ['a scalar document', `${ok}---\njust a string\n`, /m\.yaml: document 2 is a string, not a Kubernetes object/],
    ['a number document', `${ok}---\n42\n`, /document 2 is a number/],
    ['a list document', `${ok}---\n- { apiVersion: v1, kind: ConfigMap, metadata: { name: b } }\n`, /document 2 is a list/],
    ['an object without kind', 'apiVersion: v1\nmetadata: { name: a }\n', /document 1 has no kind/],
    ['an object without metadata', 'apiVersion: v1\nkind: ConfigMap\ndata: { a: b }\n', /document 1 \(ConfigMap\) has no metadata\.name/],
    ['an object with an empty name', 'apiVersion: v1\nkind: ConfigMap\nmetadata: { name: "" }\n', /has no metadata\.name/],
    ['an object without apiVersion', 'kind: ConfigMap\nmetadata: { name: a }\n', /has no apiVersion/],
    ['a List item without kind', 'apiVersion: v1\nkind: List\nitems: [{ apiVersion: v1, metadata: { name: a } }]\n', /item 1 of m\.yaml: document 1 has no kind/],
  ];
  it.each(cases)('%s (parseManifests)', (_name, text, message) => {
    expect(() => parseManifests(text, 'm.yaml')).toThrow(message);
  });
  it.each([
    ['a string', 'x'], ['a list', [{ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'a' } }]],
    ['no kind', { apiVersion: 'v1', metadata: { name: 'a' } }], ['no name', { apiVersion: 'v1', kind: 'ConfigMap', metadata: {} }],
  ])('compareManifests refuses %s', (_name, bad) => {
    expect(() => compareManifests([], [bad])).toThrow(/head object 1/);
    expect(() => compareManifests([bad], [])).toThrow(/base object 1/);
  });
  it('empty documents are still skipped', () => {
    expect(compareManifests([null], [undefined]).ok).toBe(true);
    expect(parseManifests('---\n---\napiVersion: v1\nkind: ConfigMap\nmetadata: { name: a }\n', 'm.yaml')).toHaveLength(1);
  });
});

describe('CloudNativePG instances', () => {
  it.each([[3, 0], [1, 0], [3, -1]])('instances %d → %d blocks (the API server refuses it)', (from, to) => {
    const head = cnpgCluster('orders', { instances: to });
    expect(ids([cnpgCluster('orders', { instances: from })], [head])).toContain('cnpg-instances-invalid');
  });
  it('a new cluster with 0 instances blocks', () => {
    expect(ids([], [cnpgCluster('orders', { instances: 0 })])).toContain('cnpg-instances-invalid');
  });
});

describe('the CLI on a set that is not all Kubernetes objects', () => {
  it('exits 2 naming the file and the document', () => {
    const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'safety-read-'));
    try {
      fs.mkdirSync(path.join(tmp, 'a')); fs.mkdirSync(path.join(tmp, 'b'));
      fs.writeFileSync(path.join(tmp, 'a', 'x.yaml'), 'apiVersion: v1\nkind: ConfigMap\nmetadata: { name: a }\n');
      fs.writeFileSync(path.join(tmp, 'b', 'x.yaml'), 'apiVersion: v1\nkind: ConfigMap\nmetadata: { name: a }\n---\n- oops\n');
      let err = '';
      const code = main(['a', 'b'], { cwd: tmp, stdout: () => undefined, stderr: (t: string) => { err += t; } });
      expect(code).toBe(2);
      expect(err).toMatch(/x\.yaml: document 2 is a list/);
    } finally { fs.rmSync(tmp, { recursive: true, force: true }); }
  });
});
