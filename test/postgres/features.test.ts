// CloudNativePG features of issue 14 point 6: several poolers with Service templates, free object
// names, on-demand backups, versioned extensions, custom monitoring queries, extension images.
import { Testing } from 'cdk8s';
import { ValidationError } from '../../lib/core/errors';
import { ObjectStoreProvider, PoolerServiceType, PoolMode, PostgresCluster, PostgresClusterProps } from '../../lib/postgres';
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
