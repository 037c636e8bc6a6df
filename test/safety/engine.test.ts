import { compareManifests } from '../../lib/safety';
import { mysqlUpgradeSupported, tagDistribution, tagVersion } from '../../lib/safety/rules-version';
import { runnerJob, atlasSchema, clone, cnpgCluster, labels, mysqlDeployment, networkPolicy, objectStore, pvc, scheduledBackup, service, statefulSet } from './objects';

/** A small world: a MySQL single node, a Cassandra rack, a CNPG cluster with backups, a schema. */
function world(): any[] {
  const my = mysqlDeployment('shop', 'shop-data');
  return [
    pvc('shop-data'), my, service('shop', my.spec.selector.matchLabels), networkPolicy('shop', my.spec.selector.matchLabels),
    statefulSet('events-a'), { ...service('events', labels('cassandra', 'events-a')), spec: { clusterIP: 'None', selector: labels('cassandra', 'events-a'), ports: [{ port: 9042 }] } },
    cnpgCluster('orders'), objectStore('orders-store'), scheduledBackup('orders-daily', 'orders'),
    networkPolicy('orders', { 'cnpg.io/cluster': 'orders' }),
    atlasSchema('orders-schema'), runnerJob('orders-schema-1a2b3c4d', false),
    { apiVersion: 'v1', kind: 'PersistentVolume', metadata: { name: 'pv-1' }, spec: { capacity: { storage: '20Gi' }, accessModes: ['ReadWriteOnce'], persistentVolumeReclaimPolicy: 'Retain', csi: { driver: 'x', volumeHandle: 'h' } } },
    { apiVersion: 'db.atlasgo.io/v1alpha1', kind: 'AtlasMigration', metadata: { name: 'orders-history', namespace: 'data' }, spec: { dir: { configMapRef: { name: 'orders-history' } } } },
  ];
}

const find = (objs: any[], kind: string, name: string): any => objs.find(o => o.kind === kind && o.metadata.name === name);
const blockingIds = (base: any[], head: any[]): string[] => compareManifests(base, head).blocking.map(f => f.id).sort();

type Edit = (objs: any[]) => any[];
const edit = (fn: (objs: any[]) => void | any[]): Edit => (objs) => { const c = clone(objs); return fn(c) ?? c; };
const without = (kind: string, name: string): Edit => edit(objs => objs.filter(o => !(o.kind === kind && o.metadata.name === name)));

const dangerous: [string, Edit, string][] = [
  ['PVC removed', without('PersistentVolumeClaim', 'shop-data'), 'data-object-removed'],
  ['MySQL Deployment removed', without('Deployment', 'shop'), 'data-object-removed'],
  ['client Service removed', without('Service', 'shop'), 'data-object-removed'],
  ['CNPG Cluster removed', without('Cluster', 'orders'), 'data-object-removed'],
  ['Cassandra rack removed', without('StatefulSet', 'events-a'), 'cassandra-rack-removed'],
  ['ObjectStore removed', without('ObjectStore', 'orders-store'), 'object-store-removed'],
  ['ScheduledBackup removed', without('ScheduledBackup', 'orders-daily'), 'backup-removed'],
  ['backup plugin removed', edit(o => { delete find(o, 'Cluster', 'orders').spec.plugins; }), 'backup-removed'],
  ['NetworkPolicy of MySQL removed', without('NetworkPolicy', 'shop'), 'network-policy-removed'],
  ['NetworkPolicy of CNPG removed', without('NetworkPolicy', 'orders'), 'network-policy-removed'],
  ['PVC renamed', edit(o => { find(o, 'PersistentVolumeClaim', 'shop-data').metadata.name = 'shop-data-2'; }), 'data-object-renamed'],
  ['Cluster moved namespace', edit(o => { find(o, 'Cluster', 'orders').metadata.namespace = 'other'; }), 'namespace-changed'],
  ['claim template grown', edit(o => { find(o, 'StatefulSet', 'events-a').spec.volumeClaimTemplates[0].spec.resources.requests.storage = '20Gi'; }), 'claim-template-changed'],
  ['claim template shrunk', edit(o => { find(o, 'StatefulSet', 'events-a').spec.volumeClaimTemplates[0].spec.resources.requests.storage = '5Gi'; }), 'storage-decreased'],
  ['claim template annotated', edit(o => { find(o, 'StatefulSet', 'events-a').spec.volumeClaimTemplates[0].metadata.annotations = { a: 'b' }; }), 'claim-template-changed'],
  ['claim template class', edit(o => { find(o, 'StatefulSet', 'events-a').spec.volumeClaimTemplates[0].spec.storageClassName = 'fast'; }), 'storage-class-changed'],
  ['PVC shrunk', edit(o => { find(o, 'PersistentVolumeClaim', 'shop-data').spec.resources.requests.storage = '10Gi'; }), 'storage-decreased'],
  ['PVC class', edit(o => { find(o, 'PersistentVolumeClaim', 'shop-data').spec.storageClassName = 'slow'; }), 'storage-class-changed'],
  ['PVC access mode', edit(o => { find(o, 'PersistentVolumeClaim', 'shop-data').spec.accessModes = ['ReadWriteMany']; }), 'pvc-spec-changed'],
  ['CNPG storage shrunk', edit(o => { find(o, 'Cluster', 'orders').spec.storage.size = '10Gi'; }), 'storage-decreased'],
  ['CNPG storage class', edit(o => { find(o, 'Cluster', 'orders').spec.storage.storageClass = 'x'; }), 'storage-class-changed'],
  ['retention Delete', edit(o => { find(o, 'StatefulSet', 'events-a').spec.persistentVolumeClaimRetentionPolicy.whenDeleted = 'Delete'; }), 'pvc-retention-weakened'],
  ['retention scaled Delete', edit(o => { find(o, 'StatefulSet', 'events-a').spec.persistentVolumeClaimRetentionPolicy.whenScaled = 'Delete'; }), 'pvc-retention-weakened'],
  ['prune protection removed', edit(o => { delete find(o, 'PersistentVolumeClaim', 'shop-data').metadata.annotations; }), 'prune-protection-removed'],
  ['Cassandra replicas down', edit(o => { find(o, 'StatefulSet', 'events-a').spec.replicas = 2; }), 'cassandra-replicas-decreased'],
  ['CNPG to one instance', edit(o => { find(o, 'Cluster', 'orders').spec.instances = 1; }), 'cnpg-instances-to-one'],
  ['PostgreSQL downgrade', edit(o => { find(o, 'Cluster', 'orders').spec.imageName = 'ghcr.io/cloudnative-pg/postgresql:16.10-system-trixie'; }), 'major-downgrade'],
  ['PostgreSQL upgrade across distributions', edit(o => { find(o, 'Cluster', 'orders').spec.imageName = 'ghcr.io/cloudnative-pg/postgresql:18.1-system-bookworm'; }), 'major-upgrade-too-far'],
  ['PostgreSQL upgrade sharing the archive', edit(o => { find(o, 'Cluster', 'orders').spec.imageName = 'ghcr.io/cloudnative-pg/postgresql:18.1-system-trixie'; }), 'major-upgrade-archive-shared'],
  ['MySQL downgrade', edit(o => { find(o, 'Deployment', 'shop').spec.template.spec.containers[0].image = 'mysql:8.0.43'; }), 'major-downgrade'],
  ['MySQL 8.4 to 9.8', edit(o => { find(o, 'Deployment', 'shop').spec.template.spec.containers[0].image = 'mysql:9.8.0'; }), 'major-upgrade-too-far'],
  ['MySQL RollingUpdate', edit(o => { find(o, 'Deployment', 'shop').spec.strategy = { type: 'RollingUpdate' }; }), 'mysql-rolling-update'],
  ['MySQL strategy dropped', edit(o => { delete find(o, 'Deployment', 'shop').spec.strategy; }), 'mysql-rolling-update'],
  ['MySQL second replica', edit(o => { find(o, 'Deployment', 'shop').spec.replicas = 2; }), 'second-writer'],
  ['selector changed', edit(o => { find(o, 'Deployment', 'shop').spec.selector.matchLabels['app.kubernetes.io/component'] = 'db'; }), 'selector-changed'],
  ['serviceName changed', edit(o => { find(o, 'StatefulSet', 'events-a').spec.serviceName = 'x'; }), 'immutable-field-changed'],
  ['superuser on', edit(o => { find(o, 'Cluster', 'orders').spec.enableSuperuserAccess = true; }), 'superuser-enabled'],
  ['Atlas lint off', edit(o => { find(o, 'AtlasSchema', 'orders-schema').spec.policy.lint.destructive.error = false; }), 'destructive-schema-allowed'],
  ['Atlas skip removed', edit(o => { delete find(o, 'AtlasSchema', 'orders-schema').spec.policy.diff.skip.drop_table; }), 'destructive-schema-allowed'],
  ['Job template changed under the same name', edit(o => { find(o, 'Job', 'orders-schema-1a2b3c4d').spec.template.spec.containers[0].image = 'postgres:18.1'; }), 'immutable-field-changed'],
  ['PV reclaim policy Recycle', edit(o => { find(o, 'PersistentVolume', 'pv-1').spec.persistentVolumeReclaimPolicy = 'Recycle'; }), 'pvc-retention-weakened'],
  ['headless Service made ClusterIP', edit(o => { find(o, 'Service', 'events').spec.clusterIP = '10.0.0.7'; }), 'immutable-field-changed'],
  ['PV reclaim policy Delete', edit(o => [...o.filter(x => x.kind !== 'PersistentVolume'), { ...find(o, 'PersistentVolume', 'pv-1'), spec: { ...find(o, 'PersistentVolume', 'pv-1').spec, persistentVolumeReclaimPolicy: 'Delete' } }]), 'pvc-retention-weakened'],
  ['image catalog major down', edit(o => { const c = find(o, 'Cluster', 'orders'); delete c.spec.imageName; c.spec.imageCatalogRef = { apiGroup: 'postgresql.cnpg.io', kind: 'ImageCatalog', name: 'pg', major: 16 }; }), 'major-downgrade'],
  ['WAL volume removed', edit(o => { delete find(o, 'Cluster', 'orders').spec.walStorage; }), 'wal-storage-removed'],
  ['Job runner allows destructive', edit(o => o.map(x => (x.kind === 'Job' ? runnerJob('orders-schema-9f8e7d6c', true) : x))), 'destructive-schema-allowed'],
  ['AtlasMigration down allowed', edit(o => { find(o, 'AtlasMigration', 'orders-history').spec.protectedFlows = { migrateDown: { allow: true } }; }), 'destructive-schema-allowed'],
];

const safe: [string, Edit][] = [
  ['no change', edit(() => undefined)],
  ['MySQL patch bump', edit(o => { find(o, 'Deployment', 'shop').spec.template.spec.containers[0].image = 'mysql:8.4.7'; })],
  ['MySQL 8.4 to 9.7 LTS', edit(o => { find(o, 'Deployment', 'shop').spec.template.spec.containers[0].image = 'mysql:9.7.0'; })],
  ['PostgreSQL minor bump', edit(o => { find(o, 'Cluster', 'orders').spec.imageName = 'ghcr.io/cloudnative-pg/postgresql:17.7-system-trixie'; })],
  ['Cassandra replicas up', edit(o => { find(o, 'StatefulSet', 'events-a').spec.replicas = 4; })],
  ['CNPG instances up', edit(o => { find(o, 'Cluster', 'orders').spec.instances = 5; })],
  ['PVC grown', edit(o => { find(o, 'PersistentVolumeClaim', 'shop-data').spec.resources.requests.storage = '40Gi'; })],
  ['CNPG storage grown', edit(o => { find(o, 'Cluster', 'orders').spec.storage.size = '1Ti'; })],
  ['new database', edit(o => [...o, cnpgCluster('billing')])],
  ['apiVersion bump of the same object', edit(o => { find(o, 'NetworkPolicy', 'shop').apiVersion = 'networking.k8s.io/v2'; })],
  ['labels part-of changed', edit(o => { find(o, 'Deployment', 'shop').metadata.labels['app.kubernetes.io/part-of'] = 'x'; })],
  ['new migration runner, destructive still refused', edit(o => o.map(x => (x.kind === 'Job' ? runnerJob('orders-schema-9f8e7d6c', false) : x)))],
  ['objects reordered', edit(o => o.reverse())],
];

describe('compareManifests on hand-written objects', () => {
  it.each(dangerous.map(([name, change, id]) => [name, id, change] as const))('%s → %s', (_name, id, change) => {
    const base = world();
    const ids = blockingIds(base, change(base));
    expect(ids).toContain(id);
  });

  it.each(safe)('%s: no blocking finding', (_name, change) => {
    const base = world();
    expect(compareManifests(base, change(base)).blocking).toEqual([]);
  });

  it('reports a removed object with a rename when one can tell', () => {
    const base = [...world(), statefulSet('cache', { app: 'valkey' })];
    const head = edit(o => { const s = find(o, 'StatefulSet', 'cache'); s.metadata.name = 'cache-2'; })(base);
    const report = compareManifests(base, head);
    expect(report.blocking.map(f => f.id)).toEqual(['data-object-renamed']);
    expect(report.blocking[0].change).toMatch(/StatefulSet data\/cache renamed to cache-2/);
  });

  it('names the fields of a claim template that changed', () => {
    const base = world();
    const head = edit(o => { find(o, 'StatefulSet', 'events-a').spec.volumeClaimTemplates[0].metadata.annotations = { a: 'b' }; })(base);
    expect(compareManifests(base, head).blocking[0].change).toBe('template data: metadata.annotations changed');
  });

  it('says "removed" when no counterpart is there', () => {
    const base = world();
    const report = compareManifests(base, without('Cluster', 'orders')(base));
    expect(report.blocking.map(f => f.id)).toEqual(['data-object-removed']);
    expect(report.blocking[0].object).toBe('Cluster data/orders');
  });

  it('does not report a companion when its database is gone too', () => {
    const base = world();
    const head = edit(o => o.filter(x => !['orders', 'orders-daily'].includes(x.metadata.name)))(base);
    expect(blockingIds(base, head)).toEqual(['data-object-removed']);
  });

  it('reports a changed template of a Job with a TTL as a note (the finished Job is deleted before long)', () => {
    const base = world();
    find(base, 'Job', 'orders-schema-1a2b3c4d').spec.ttlSecondsAfterFinished = 600;
    const head = edit(o => { find(o, 'Job', 'orders-schema-1a2b3c4d').spec.template.spec.containers[0].image = 'postgres:18.1'; })(base);
    const report = compareManifests(base, head);
    expect(report.ok).toBe(true);
    expect(report.notes.map(f => f.id)).toEqual(['immutable-field-changed']);
    expect(report.notes[0].why).toContain('deleted 600 s after it finished');
  });

  it('reports a new backup destination as a note', () => {
    const base = world();
    const head = edit(o => { find(o, 'ObjectStore', 'orders-store').spec.configuration.destinationPath = 's3://other/x'; })(base);
    const report = compareManifests(base, head);
    expect(report.ok).toBe(true);
    expect(report.notes.map(f => f.id)).toEqual(['backup-destination-changed']);
  });

  it('reports upgrades and expansions as notes', () => {
    const base = world();
    const head = edit(o => {
      find(o, 'PersistentVolumeClaim', 'shop-data').spec.resources.requests.storage = '40Gi';
      find(o, 'Deployment', 'shop').spec.template.spec.containers[0].image = 'mysql:9.2.0';
    })(base);
    const report = compareManifests(base, head);
    expect(report.ok).toBe(true);
    expect(report.notes.map(f => f.id).sort()).toEqual(['major-upgrade', 'storage-expanded']);
  });

  it('accepts an empty or List-wrapped input', () => {
    const base = world();
    expect(compareManifests([], []).ok).toBe(true);
    expect(compareManifests([null, { apiVersion: 'v1', kind: 'List', items: base }], base).findings).toEqual([]);
  });
});

describe('versions', () => {
  it('reads tags', () => {
    expect(tagVersion('17.6-system-trixie')).toEqual({ major: 17, minor: 6, patch: 0, parts: 2 });
    expect(tagVersion('8.4.6')).toEqual({ major: 8, minor: 4, patch: 6, parts: 3 });
    expect(tagVersion('latest')).toBeUndefined();
    expect(tagDistribution('18.1-minimal-trixie')).toBe('trixie');
    expect(tagDistribution('17.2')).toBeUndefined();
  });

  it.each([
    ['8.0.43', '8.4.6', true], ['8.0.43', '8.3.0', true], ['8.0.43', '9.0.1', false], ['8.4.6', '9.2.0', true],
    ['8.4.6', '9.7.0', true], ['8.4.6', '9.8.0', false], ['5.7.44', '8.0.43', true], ['5.7.44', '8.4.6', false],
    ['8.3.0', '8.4.0', true], ['8.3.0', '9.0.0', false], ['8.0.30', '8.0.43', true],
  ])('MySQL %s → %s supported: %s', (from, to, ok) => {
    expect(mysqlUpgradeSupported(tagVersion(from)!, tagVersion(to)!)).toBe(ok);
  });
});

describe('matching', () => {
  it('reports a renamed Cassandra rack as a removed rack, not a rename', () => {
    const base = [statefulSet('events-a')];
    const head = clone(base); head[0].metadata.name = 'events-d';
    expect(blockingIds(base, head)).toEqual(['cassandra-rack-removed']);
  });

  it('does not guess a rename when two candidates fit', () => {
    const base = [pvc('one')];
    const head = [pvc('two'), pvc('three')];
    expect(blockingIds(base, head)).toEqual(['data-object-removed']);
  });

  it('matches the rename by labels before shape', () => {
    const base = [pvc('one', '20Gi', 'data', 'a'), pvc('two', '20Gi', 'data', 'b')];
    const head = [pvc('uno', '20Gi', 'data', 'a'), pvc('dos', '20Gi', 'data', 'b')];
    const report = compareManifests(base, head);
    expect(report.blocking.map(f => f.change).sort()).toEqual([
      'PersistentVolumeClaim data/one renamed to uno (a PersistentVolumeClaim; matched by same app.kubernetes.io/instance and component labels)',
      'PersistentVolumeClaim data/two renamed to dos (a PersistentVolumeClaim; matched by same app.kubernetes.io/instance and component labels)',
    ]);
  });
});

describe('scale', () => {
  // Speed is measured by `npm run bench` (safety-large), not asserted here.
  it('compares thousands of objects and finds every removal and every shrink', () => {
    const base = [...Array.from({ length: 2000 }, (_, i) => pvc(`a-${i}`, '20Gi', 'data', `i${i}`)), ...Array.from({ length: 500 }, (_, i) => statefulSet(`s-${i}`, { app: 'x' }))];
    const head = [...Array.from({ length: 2000 }, (_, i) => pvc(`b-${i}`, '20Gi', 'data', `j${i}`)), ...Array.from({ length: 500 }, (_, i) => statefulSet(`s-${i}`, { app: 'x', size: '5Gi' }))];
    const report = compareManifests(base, head);
    expect(report.blocking.filter(f => f.id === 'data-object-removed').length).toBe(2000);
    expect(report.blocking.filter(f => f.id === 'storage-decreased').length).toBe(500);
  });
});
