import fc from 'fast-check';
import { compareManifests, holdsData, objectKey } from '../../lib/safety';
import { atlasSchema, clone, cnpgCluster, labels, mysqlDeployment, networkPolicy, objectStore, pvc, runnerJob, scheduledBackup, service, statefulSet } from './objects';

/** A generated world of hand-written objects. */
const worldArb = fc.record({
  size: fc.constantFrom('10Gi', '20Gi', '50Gi'),
  replicas: fc.integer({ min: 1, max: 5 }),
  instances: fc.integer({ min: 1, max: 5 }),
  mysql: fc.constantFrom('mysql:8.0.43', 'mysql:8.4.6', 'mysql:9.2.0'),
  pg: fc.constantFrom('ghcr.io/cloudnative-pg/postgresql:16.10', 'ghcr.io/cloudnative-pg/postgresql:17.6-system-trixie', 'ghcr.io/cloudnative-pg/postgresql:18.1'),
}).map(p => {
  const my = mysqlDeployment('shop', 'shop-data', p.mysql);
  return [
    pvc('shop-data', p.size), my, service('shop', my.spec.selector.matchLabels), networkPolicy('shop', my.spec.selector.matchLabels),
    statefulSet('events-a', { replicas: p.replicas, size: p.size }), statefulSet('events-b', { replicas: p.replicas, size: p.size }),
    service('events', labels('cassandra', 'events-a')),
    cnpgCluster('orders', { instances: p.instances, image: p.pg, size: p.size }), objectStore('orders-store'), scheduledBackup('orders-daily', 'orders'),
    networkPolicy('orders', { 'cnpg.io/cluster': 'orders', 'cnpg.io/podRole': 'instance' }), atlasSchema('orders-schema'), runnerJob('orders-schema-1a2b3c4d', false),
  ];
});

type Mutation = (objs: any[]) => void;
/** Finds an object (a stand-in when an earlier edit renamed or moved it, so the edit is a no-op). */
const at = (kind: string, name: string) => (objs: any[]): any => objs.find(o => o.kind === kind && o.metadata.name === name)
  ?? { metadata: {}, spec: { resources: { requests: {} }, template: { spec: { containers: [{ env: [{}] }] } }, strategy: {}, selector: { matchLabels: {} }, persistentVolumeClaimRetentionPolicy: {}, volumeClaimTemplates: [{ spec: { resources: { requests: {} } } }] } };
const mutations: Record<string, Mutation> = {
  shrinkPvc: o => { at('PersistentVolumeClaim', 'shop-data')(o).spec.resources.requests.storage = '1Gi'; },
  growPvc: o => { at('PersistentVolumeClaim', 'shop-data')(o).spec.resources.requests.storage = '1Ti'; },
  classPvc: o => { at('PersistentVolumeClaim', 'shop-data')(o).spec.storageClassName = 'other'; },
  renamePvc: o => { at('PersistentVolumeClaim', 'shop-data')(o).metadata.name = 'shop-data-2'; },
  moveCluster: o => { at('Cluster', 'orders')(o).metadata.namespace = 'elsewhere'; },
  renameCluster: o => { at('Cluster', 'orders')(o).metadata.name = 'orders-2'; },
  oneInstance: o => { at('Cluster', 'orders')(o).spec.instances = 1; },
  superuser: o => { at('Cluster', 'orders')(o).spec.enableSuperuserAccess = true; },
  pg18: o => { at('Cluster', 'orders')(o).spec.imageName = 'ghcr.io/cloudnative-pg/postgresql:18.2'; },
  pg15: o => { at('Cluster', 'orders')(o).spec.imageName = 'ghcr.io/cloudnative-pg/postgresql:15.14'; },
  mysql80: o => { at('Deployment', 'shop')(o).spec.template.spec.containers[0].image = 'mysql:8.0.44'; },
  mysql97: o => { at('Deployment', 'shop')(o).spec.template.spec.containers[0].image = 'mysql:9.7.1'; },
  rolling: o => { at('Deployment', 'shop')(o).spec.strategy.type = 'RollingUpdate'; },
  selector: o => { at('Deployment', 'shop')(o).spec.selector.matchLabels.extra = 'x'; },
  scaleDown: o => { at('StatefulSet', 'events-a')(o).spec.replicas = 0; },
  scaleUp: o => { at('StatefulSet', 'events-b')(o).spec.replicas = 9; },
  template: o => { at('StatefulSet', 'events-b')(o).spec.volumeClaimTemplates[0].spec.resources.requests.storage = '3Ti'; },
  retention: o => { at('StatefulSet', 'events-b')(o).spec.persistentVolumeClaimRetentionPolicy.whenScaled = 'Delete'; },
  destructive: o => { at('AtlasSchema', 'orders-schema')(o).spec.policy = {}; },
  runner: o => { const j = at('Job', 'orders-schema-1a2b3c4d')(o); j.metadata.name = 'orders-schema-ffff0000'; j.spec.template.spec.containers[0].env[0].value = 'true'; },
  unprotect: o => { delete at('PersistentVolumeClaim', 'shop-data')(o).metadata.annotations; },
};

const scenarioArb = fc.record({
  base: worldArb,
  edits: fc.uniqueArray(fc.constantFrom(...Object.keys(mutations)), { maxLength: 5 }),
  removeMask: fc.array(fc.boolean(), { minLength: 13, maxLength: 13 }),
  seed: fc.integer(),
}).map(s => {
  const head = clone(s.base);
  for (const e of s.edits) mutations[e](head);
  return { base: s.base, head: head.filter((_, i) => !s.removeMask[i] || i % 3 !== 0), seed: s.seed };
});

function shuffle<T>(items: T[], seed: number): T[] {
  const out = [...items];
  let x = seed | 1;
  for (let i = out.length - 1; i > 0; i--) {
    x ^= x << 13; x ^= x >>> 17; x ^= x << 5;
    const j = Math.abs(x) % (i + 1);
    [out[i], out[j]] = [out[j], out[i]];
  }
  return out;
}

/** The acknowledgement-file pattern of a finding's object, from its key. */
function patternOfKey(key: string): string {
  const [group, kind, ns, name] = key.split('/');
  return `${kind}${group ? `.${group}` : ''}/${ns}/${name}`;
}

describe('compareManifests properties', () => {
  it('holds for generated worlds and edits', () => {
    fc.assert(fc.property(scenarioArb, ({ base, head, seed }) => {
      // Comparing a set with itself finds nothing.
      expect(compareManifests(base, clone(base)).findings).toEqual([]);
      // The order of the objects does not matter.
      const report = compareManifests(base, head);
      expect(compareManifests(shuffle(base, seed), shuffle(head, seed + 1))).toEqual(report);
      // Every finding is complete.
      for (const f of report.findings) {
        expect(f.id).toMatch(/^[a-z0-9]+(-[a-z0-9]+)*$/);
        for (const text of [f.object, f.change, f.why, f.safely, f.howToAcknowledge]) expect(text.length).toBeGreaterThan(0);
      }
      // A removed data-bearing object never goes unreported.
      const headKeys = new Set(head.map(objectKey));
      if (base.some(o => holdsData(o) && !headKeys.has(objectKey(o)))) expect(report.blocking.length).toBeGreaterThan(0);
      // Every blocking finding can be acknowledged through the acknowledgements file, and then the run passes.
      const acknowledgements = report.blocking.map(f => ({ finding: f.id, object: patternOfKey(f.key) }));
      const accepted = compareManifests(base, head, { acknowledgements });
      expect(accepted.ok).toBe(true);
      expect(accepted.acknowledged.length).toBe(report.blocking.length + report.acknowledged.length);
    }), { numRuns: 1000 });
  });
});
