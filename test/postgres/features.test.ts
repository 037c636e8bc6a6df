// CloudNativePG features of issue 14 point 6: several poolers with Service templates, free object
// names, on-demand backups, versioned extensions, custom monitoring queries, extension images.
import { Testing } from 'cdk8s';
import { ValidationError } from '../../lib/core/errors';
import { BackupMethod, BackupTarget, Bootstrap, ObjectStoreProvider, PoolerServiceType, PoolMode, PostgresCluster, PostgresClusterProps, PostgresVersion } from '../../lib/postgres';
import { findObject, synthValid, testChart } from '../support/synth';

const base: PostgresClusterProps = { storage: { size: '20Gi' } };

function synth(props: Partial<PostgresClusterProps> = {}) {
  const chart = testChart('shop');
  const db = new PostgresCluster(chart, 'orders', { ...base, ...props });
  return { chart, db, manifests: synthValid(chart) };
}

function refused(props: any): ValidationError {
  const chart = testChart('shop');
  try {
    new PostgresCluster(chart, 'orders', { ...base, ...props });
  } catch (e) {
    if (!(e instanceof ValidationError)) throw e;
    expect(Testing.synth(chart)).toEqual([]);
    return e;
  }
  throw new Error('expected a ValidationError');
}

describe('poolers', () => {
  const { db, manifests } = synth({
    pooler: { readOnly: true, serviceTemplate: { annotations: { 'service.beta.kubernetes.io/aws-load-balancer-internal': 'true' }, labels: { team: 'shop' }, serviceType: PoolerServiceType.LOAD_BALANCER } },
    poolers: [
      { name: 'orders-batch', poolMode: PoolMode.TRANSACTION, instances: 3 },
      { name: 'orders-reports', readOnly: true },
    ],
  });

  test('the pooler prop keeps its names and carries its Service template', () => {
    const rw = findObject(manifests, 'Pooler', 'orders-pooler-rw');
    expect(rw.spec.serviceTemplate).toEqual({
      metadata: { labels: { team: 'shop' }, annotations: { 'service.beta.kubernetes.io/aws-load-balancer-internal': 'true' } },
      spec: { type: 'LoadBalancer' },
    });
    expect(findObject(manifests, 'Pooler', 'orders-pooler-ro').spec.type).toBe('ro');
    expect(db.poolerConnection!.host).toBe('orders-pooler-rw.shop.svc');
    expect(db.poolerConnection!.readOnlyHost).toBe('orders-pooler-ro.shop.svc');
  });

  test('each entry of poolers is its own Pooler, policy and PodMonitor', () => {
    const batch = findObject(manifests, 'Pooler', 'orders-batch');
    expect(batch.spec).toMatchObject({ cluster: { name: 'orders' }, type: 'rw', instances: 3, pgbouncer: { poolMode: 'transaction' } });
    expect(batch.spec.serviceTemplate).toBeUndefined();
    expect(findObject(manifests, 'Pooler', 'orders-reports').spec.type).toBe('rw');
    expect(findObject(manifests, 'Pooler', 'orders-reports-ro').spec.type).toBe('ro');
    for (const name of ['orders-batch', 'orders-reports', 'orders-reports-ro']) {
      expect(findObject(manifests, 'NetworkPolicy', name).spec.podSelector.matchLabels).toEqual({ 'cnpg.io/poolerName': name });
      expect(findObject(manifests, 'PodMonitor', name).spec.selector.matchLabels).toEqual({ 'cnpg.io/poolerName': name });
    }
    const instances = findObject(manifests, 'NetworkPolicy', 'orders');
    expect(instances.spec.ingress.some((r: any) => r.from[0].podSelector?.matchLabels?.['cnpg.io/poolerName'] === 'orders-reports-ro')).toBe(true);
  });

  test('a named pooler prop and poolers alone', () => {
    const named = synth({ pooler: { name: 'front', readOnly: true } });
    expect(findObject(named.manifests, 'Pooler', 'front').spec.type).toBe('rw');
    expect(findObject(named.manifests, 'Pooler', 'front-ro').spec.type).toBe('ro');
    expect(named.db.poolerConnection!.readOnlyHost).toBe('front-ro.shop.svc');
    const only = synth({ poolers: [{ name: 'batch' }] });
    expect(only.db.poolerConnection!.host).toBe('batch.shop.svc');
    expect(only.db.poolerConnection!.readOnlyHost).toBeUndefined();
    expect(findObject(only.manifests, 'Pooler', 'batch').spec.type).toBe('rw');
  });

  test.each<[string, any, string[]]>([
    ['pooler entry without a name', { poolers: [{ instances: 2 }] }, ['poolers[0].name']],
    ['two poolers with one name', { poolers: [{ name: 'batch' }, { name: 'batch' }] }, ['poolers[1].name']],
    ['a pooler named like the pooler prop', { pooler: {}, poolers: [{ name: 'orders-pooler-rw' }] }, ['poolers[0].name']],
    ['a pooler named like a cluster Service', { poolers: [{ name: 'orders-rw' }] }, ['poolers[0].name']],
    ['read-only name taken', { poolers: [{ name: 'a', readOnly: true }, { name: 'a-ro' }] }, ['poolers[1].name']],
    ['pooler name not a DNS label', { poolers: [{ name: '1batch' }] }, ['poolers[0].name']],
    ['poolers not a list', { poolers: { name: 'x' } }, ['poolers']],
    ['bad Service type', { pooler: { serviceTemplate: { serviceType: 'ExternalName' } } }, ['pooler.serviceTemplate.serviceType']],
    ['bad Service label', { pooler: { serviceTemplate: { labels: { team: 'a b' } } } }, ['pooler.serviceTemplate.labels']],
    ['operator label on the Service', { poolers: [{ name: 'b', serviceTemplate: { labels: { 'cnpg.io/poolerName': 'x' } } }] }, ['poolers[0].serviceTemplate.labels.cnpg.io/poolerName']],
    ['bad entry in poolers', { poolers: [{ name: 'b', poolMode: 'statement' }] }, ['poolers[0].poolMode']],
  ])('refuses %s', (_n, props, fields) => {
    expect(refused(props).fields).toEqual(expect.arrayContaining(fields));
  });
});

describe('names of ScheduledBackup and Database objects', () => {
  const S3 = {
    provider: ObjectStoreProvider.S3, destinationPath: 's3://acme-backups/orders',
    s3: { accessKeyId: { secretName: 'backup-s3', key: 'ACCESS_KEY_ID' }, secretAccessKey: { secretName: 'backup-s3', key: 'ACCESS_SECRET_KEY' } },
  };
  const roles = [{ name: 'reporting' }];

  test('defaults keep today\'s names', () => {
    const { manifests } = synth({ backup: { objectStore: S3 }, roles, databases: [{ name: 'sales_eu', owner: 'reporting' }] });
    expect(findObject(manifests, 'ScheduledBackup', 'orders-backup').spec.cluster).toEqual({ name: 'orders' });
    expect(findObject(manifests, 'Database', 'orders-sales-eu').spec.name).toBe('sales_eu');
  });

  test('free names', () => {
    const { manifests } = synth({
      backup: { objectStore: S3, name: 'orders-nightly' },
      roles, databases: [{ name: 'sales_eu', owner: 'reporting', resourceName: 'sales' }, { name: 'sales', owner: 'reporting' }],
    });
    expect(findObject(manifests, 'ScheduledBackup', 'orders-nightly').spec.pluginConfiguration).toBeDefined();
    expect(findObject(manifests, 'ObjectStore', 'orders-backup')).toBeDefined();
    expect(findObject(manifests, 'Database', 'sales').spec).toMatchObject({ name: 'sales_eu', owner: 'reporting', cluster: { name: 'orders' } });
    expect(findObject(manifests, 'Database', 'orders-sales').spec.name).toBe('sales');
  });

  test.each<[string, any, string[]]>([
    ['ScheduledBackup name not DNS', { backup: { objectStore: S3, name: 'Nightly' } }, ['backup.name']],
    ['Database resource name not DNS', { roles, databases: [{ name: 'a', owner: 'reporting', resourceName: 'A_B' }] }, ['databases[0].resourceName']],
    ['two Databases with one resource name', { roles, databases: [{ name: 'a', owner: 'reporting', resourceName: 'x' }, { name: 'b', owner: 'reporting', resourceName: 'x' }] }, ['databases[1].resourceName']],
    ['a resource name taken by a default one', { roles, databases: [{ name: 'a', owner: 'reporting' }, { name: 'b', owner: 'reporting', resourceName: 'orders-a' }] }, ['databases[1].resourceName']],
  ])('refuses %s', (_n, props, fields) => {
    expect(refused(props).fields).toEqual(expect.arrayContaining(fields));
  });
});

describe('on-demand backups and recovery from a Backup object', () => {
  const S3 = {
    provider: ObjectStoreProvider.S3, destinationPath: 's3://acme-backups/orders',
    s3: { accessKeyId: { secretName: 'backup-s3', key: 'ACCESS_KEY_ID' }, secretAccessKey: { secretName: 'backup-s3', key: 'ACCESS_SECRET_KEY' } },
  };

  test('addBackup renders a plugin Backup by default, a volume snapshot one on request', () => {
    const chart = testChart('shop');
    const db = new PostgresCluster(chart, 'orders', { ...base, backup: { objectStore: S3, volumeSnapshot: { className: 'csi-snap' }, target: BackupTarget.PRIMARY } });
    db.addBackup('before-upgrade');
    db.addBackup('Snap', { name: 'orders-snap-1', method: BackupMethod.VOLUME_SNAPSHOT, target: BackupTarget.PREFER_STANDBY });
    const manifests = synthValid(chart);
    expect(findObject(manifests, 'Backup', 'orders-before-upgrade').spec).toEqual({
      cluster: { name: 'orders' }, method: 'plugin', pluginConfiguration: { name: 'barman-cloud.cloudnative-pg.io' }, target: 'primary',
    });
    expect(findObject(manifests, 'Backup', 'orders-snap-1').spec).toEqual({ cluster: { name: 'orders' }, method: 'volumeSnapshot', target: 'prefer-standby' });
  });

  test.each<[string, any, any, string[]]>([
    ['no backup prop', {}, {}, ['addBackup']],
    ['plugin without an object store', { backup: { volumeSnapshot: { className: 'csi-snap' } } }, { method: BackupMethod.PLUGIN }, ['addBackup.method']],
    ['snapshot without volumeSnapshot', { backup: { objectStore: S3 } }, { method: BackupMethod.VOLUME_SNAPSHOT }, ['addBackup.method']],
    ['bad method', { backup: { objectStore: S3 } }, { method: 'barmanObjectStore' }, ['addBackup.method']],
    ['bad target', { backup: { objectStore: S3 } }, { target: 'any' }, ['addBackup.target']],
    ['bad name', { backup: { objectStore: S3 } }, { name: 'Before Upgrade' }, ['addBackup.name']],
  ])('addBackup refuses %s', (_n, props, options, fields) => {
    const db = new PostgresCluster(testChart('shop'), 'orders', { ...base, ...props });
    try {
      db.addBackup('b', options);
    } catch (e) {
      expect(e).toBeInstanceOf(ValidationError);
      expect((e as ValidationError).fields).toEqual(expect.arrayContaining(fields));
      return;
    }
    throw new Error('expected a ValidationError');
  });

  test('recovery from a named Backup', () => {
    const { manifests } = synth({ bootstrap: Bootstrap.recovery({ backupName: 'orders-before-upgrade', database: 'shop' }) });
    const recovery = findObject(manifests, 'Cluster', 'orders').spec.bootstrap.recovery;
    expect(recovery).toMatchObject({ backup: { name: 'orders-before-upgrade' }, database: 'shop' });
    expect(recovery.source).toBeUndefined();
    expect(findObject(manifests, 'Cluster', 'orders').spec.externalClusters).toBeUndefined();
  });

  test.each<[string, any, string[]]>([
    ['backupName with volumeSnapshots', { backupName: 'b', volumeSnapshots: { storage: 'snap' } }, ['bootstrap.recovery.volumeSnapshots']],
    ['backupName with objectStore', { backupName: 'b', objectStore: { name: 'old-backup' } }, ['bootstrap.recovery.objectStore']],
    ['backupName with targetTime', { backupName: 'b', targetTime: '2026-03-01T12:00:00Z' }, ['bootstrap.recovery.targetTime']],
    ['backupName not a name', { backupName: 'Nightly Backup' }, ['bootstrap.recovery.backupName']],
  ])('recovery refuses %s', (_n, recovery, fields) => {
    expect(refused({ bootstrap: Bootstrap.recovery(recovery) }).fields).toEqual(expect.arrayContaining(fields));
  });
});

describe('database extensions and the bootstrap database', () => {
  const roles = [{ name: 'reporting' }];

  test('extensions with versions and schemas next to plain names', () => {
    const { manifests } = synth({
      roles, databases: [{ name: 'geo', owner: 'reporting', extensions: ['pg_trgm'], extensionSettings: [{ name: 'postgis', version: '3.5.2', schema: 'gis' }, { name: 'hstore' }] }],
    });
    expect(findObject(manifests, 'Database', 'orders-geo').spec.extensions).toEqual([
      { name: 'pg_trgm', ensure: 'present' },
      { name: 'postgis', version: '3.5.2', schema: 'gis', ensure: 'present' },
      { name: 'hstore', ensure: 'present' },
    ]);
  });

  test('the bootstrap database takes extensions and schemas, keeping its owner', () => {
    const { manifests } = synth({ databases: [{ name: 'app', owner: 'app', extensions: ['pg_stat_statements'], schemas: ['audit'] }] });
    const db = findObject(manifests, 'Database', 'orders-app');
    expect(db.spec).toMatchObject({ name: 'app', owner: 'app', ensure: 'present', databaseReclaimPolicy: 'retain', schemas: [{ name: 'audit', owner: 'app' }] });
    expect(db.spec.connectionLimit).toBeUndefined();
  });

  test.each<[string, any, string[]]>([
    ['bootstrap database with another owner', { roles, databases: [{ name: 'app', owner: 'reporting' }] }, ['databases[0].owner']],
    ['bootstrap database dropped', { databases: [{ name: 'app', owner: 'app', ensure: 'absent' }] }, ['databases[0].ensure']],
    ['bootstrap database deleted with its resource', { databases: [{ name: 'app', owner: 'app', reclaimPolicy: 'delete' }] }, ['databases[0].reclaimPolicy']],
    ['bootstrap database limited', { databases: [{ name: 'app', owner: 'app', connectionLimit: 5 }] }, ['databases[0].connectionLimit']],
    ['bootstrap database twice', { databases: [{ name: 'app', owner: 'app' }, { name: 'app', owner: 'app' }] }, ['databases[1].name']],
    ['extension in both forms', { roles, databases: [{ name: 'geo', owner: 'reporting', extensions: ['postgis'], extensionSettings: [{ name: 'postgis' }] }] }, ['databases[0].extensionSettings[0].name']],
    ['bad extension version', { roles, databases: [{ name: 'geo', owner: 'reporting', extensionSettings: [{ name: 'postgis', version: '3.5; DROP' }] }] }, ['databases[0].extensionSettings[0].version']],
    ['bad extension schema', { roles, databases: [{ name: 'geo', owner: 'reporting', extensionSettings: [{ name: 'postgis', schema: 'Public' }] }] }, ['databases[0].extensionSettings[0].schema']],
    ['extension without a name', { roles, databases: [{ name: 'geo', owner: 'reporting', extensionSettings: [{ version: '1' }] }] }, ['databases[0].extensionSettings[0].name']],
  ])('refuses %s', (_n, props, fields) => {
    expect(refused(props).fields).toEqual(expect.arrayContaining(fields));
  });
});

describe('custom monitoring queries', () => {
  const queries = [
    'pg_orders_pending:',
    '  query: SELECT count(*) AS total FROM orders WHERE state = \'pending\'',
    '  metrics:',
    '    - total:',
    '        usage: GAUGE',
    '        description: Orders waiting',
    '',
  ].join('\n');

  test('a ConfigMap referenced by monitoring.customQueriesConfigMap', () => {
    const { manifests } = synth({ monitoring: { customQueries: queries } });
    const cm = findObject(manifests, 'ConfigMap', 'orders-monitoring-queries');
    expect(cm.data).toEqual({ 'queries.yaml': queries });
    expect(cm.metadata.labels['cnpg.io/reload']).toBe('');
    expect(findObject(manifests, 'Cluster', 'orders').spec.monitoring).toEqual({ customQueriesConfigMap: [{ name: 'orders-monitoring-queries', key: 'queries.yaml' }] });
  });

  test('no queries, no ConfigMap and no reference', () => {
    const { manifests } = synth();
    expect(manifests.some(m => m.kind === 'ConfigMap')).toBe(false);
    expect(findObject(manifests, 'Cluster', 'orders').spec.monitoring).toBeUndefined();
  });

  test.each<[string, any, string[]]>([
    ['not YAML', 'a: [', ['monitoring.customQueries']],
    ['a list', '- a', ['monitoring.customQueries']],
    ['no query', 'q:\n  metrics:\n    - n: { usage: GAUGE }\n', ['monitoring.customQueries.q.query']],
    ['no metrics', 'q:\n  query: SELECT 1 AS n\n', ['monitoring.customQueries.q.metrics']],
    ['bad usage', 'q:\n  query: SELECT 1 AS n\n  metrics:\n    - n: { usage: NUMBER }\n', ['monitoring.customQueries.q.metrics[0]']],
    ['bad name', 'my-q:\n  query: SELECT 1 AS n\n  metrics:\n    - n: { usage: GAUGE }\n', ['monitoring.customQueries.my-q']],
  ])('refuses %s', (_n, customQueries, fields) => {
    expect(refused({ monitoring: { customQueries } }).fields).toEqual(expect.arrayContaining(fields));
  });
});

describe('extension images (PostgreSQL 18)', () => {
  const pgvector = { name: 'pgvector', image: 'ghcr.io/cloudnative-pg/pgvector:0.8.1-18-trixie' };

  test('postgresql.extensions with name and image reference', () => {
    const { manifests } = synth({ version: PostgresVersion.V18, extensionImages: [pgvector], roles: [{ name: 'search' }], databases: [{ name: 'docs', owner: 'search', extensions: ['vector'] }] });
    expect(findObject(manifests, 'Cluster', 'orders').spec.postgresql.extensions).toEqual([{ name: 'pgvector', image: { reference: pgvector.image } }]);
  });

  test.each<[string, any, string[]]>([
    ['before PostgreSQL 18', { version: PostgresVersion.V17, extensionImages: [pgvector] }, ['extensionImages']],
    ['a name twice', { version: PostgresVersion.V18, extensionImages: [pgvector, pgvector] }, ['extensionImages[1].name']],
    ['a bad name', { version: PostgresVersion.V18, extensionImages: [{ ...pgvector, name: 'PG_Vector' }] }, ['extensionImages[0].name']],
    ['an untagged image', { version: PostgresVersion.V18, extensionImages: [{ ...pgvector, image: 'ghcr.io/cloudnative-pg/pgvector' }] }, ['extensionImages[0].image']],
    ['not a list', { version: PostgresVersion.V18, extensionImages: pgvector }, ['extensionImages']],
  ])('refuses %s', (_n, props, fields) => {
    expect(refused(props).fields).toEqual(expect.arrayContaining(fields));
  });
});
