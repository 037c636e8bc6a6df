import { Chart, Duration, Testing } from 'cdk8s';
import { ValidationError } from '../../lib/core/errors';
import {
  Bootstrap, DatabaseReclaimPolicy, Ensure, ExternalCluster, ImportType, ObjectStoreProvider, PostgresCluster, PostgresClusterProps, PostgresVersion,
} from '../../lib/postgres';
import { findObject, synthValid } from '../support/synth';

const S3 = {
  provider: ObjectStoreProvider.S3,
  destinationPath: 's3://acme-backups/orders',
  s3: { accessKeyId: { secretName: 'backup-s3', key: 'ACCESS_KEY_ID' }, secretAccessKey: { secretName: 'backup-s3', key: 'ACCESS_SECRET_KEY' } },
};
const PASSWORD = { secretName: 'orders-replicator', key: 'password' };

/** An app with a PostgreSQL 16 cluster `orders` (backed up to an ObjectStore) and a chart for a second cluster. */
function setup(namespace = 'shop') {
  const app = Testing.app();
  const chart = new Chart(app, 'shop', { namespace: 'shop' });
  const old = new PostgresCluster(chart, 'orders', {
    storage: { size: '20Gi' }, version: PostgresVersion.V16, backup: { objectStore: S3 },
    roles: [{ name: 'replicator', replication: true, passwordSecret: 'orders-replicator' }],
  });
  const other = namespace === 'shop' ? chart : new Chart(app, 'other', { namespace });
  return { chart, other, old };
}

function newCluster(scope: Chart, props: Partial<PostgresClusterProps>, id = 'orders-next') {
  return new PostgresCluster(scope, id, { storage: { size: '20Gi' }, ...props });
}

function fields(fn: () => unknown): string[] {
  try {
    fn();
  } catch (e) {
    if (e instanceof ValidationError) return e.fields;
    throw e;
  }
  throw new Error('expected a ValidationError');
}

describe('ExternalCluster', () => {
  test('fromCluster: the rw host, verify-full against the source CA, streaming_replica with its client certificate', () => {
    const { chart, old } = setup();
    newCluster(chart, { version: PostgresVersion.V16, bootstrap: Bootstrap.clone({ source: ExternalCluster.fromCluster(old) }) });
    const cluster = findObject(synthValid(chart), 'Cluster', 'orders-next');
    expect(cluster.spec.bootstrap).toEqual({ pg_basebackup: { source: 'orders', database: 'app', owner: 'app' } });
    expect(cluster.spec.externalClusters).toEqual([{
      name: 'orders',
      connectionParameters: { host: 'orders-rw.shop.svc', port: '5432', user: 'streaming_replica', dbname: 'postgres', sslmode: 'verify-full' },
      sslRootCert: { name: 'orders-ca', key: 'ca.crt' },
      sslCert: { name: 'orders-replication', key: 'tls.crt' },
      sslKey: { name: 'orders-replication', key: 'tls.key' },
    }]);
  });

  test('fromCluster with a password role: password Secret, CA still verified, no client certificate', () => {
    const { chart, old } = setup();
    const source = ExternalCluster.fromCluster(old, { name: 'orders-pg16', user: 'replicator', password: PASSWORD, dbname: 'app' });
    newCluster(chart, { bootstrap: Bootstrap.logicalImport({ source, databases: ['app'], schemaOnly: true }) });
    const entry = findObject(synthValid(chart), 'Cluster', 'orders-next').spec.externalClusters[0];
    expect(entry).toEqual({
      name: 'orders-pg16',
      connectionParameters: { host: 'orders-rw.shop.svc', port: '5432', user: 'replicator', dbname: 'app', sslmode: 'verify-full' },
      sslRootCert: { name: 'orders-ca', key: 'ca.crt' },
      password: { name: 'orders-replicator', key: 'password' },
    });
  });

  test('fromClusterBackup: recovery reads the ObjectStore the source renders', () => {
    const { chart, old } = setup();
    newCluster(chart, { version: PostgresVersion.V16, bootstrap: Bootstrap.recovery({ source: ExternalCluster.fromClusterBackup(old), targetTime: '2026-03-01T12:00:00Z' }) });
    const cluster = findObject(synthValid(chart), 'Cluster', 'orders-next');
    expect(cluster.spec.bootstrap.recovery).toEqual({ database: 'app', owner: 'app', source: 'orders', recoveryTarget: { targetTime: '2026-03-01T12:00:00Z' } });
    expect(cluster.spec.externalClusters).toEqual([{ name: 'orders', plugin: { name: 'barman-cloud.cloudnative-pg.io', parameters: { barmanObjectName: 'orders-backup', serverName: 'orders' } } }]);
  });

  test('a recovery from an ObjectStore the app neither renders nor declares external fails synthesis', () => {
    const { chart } = setup();
    newCluster(chart, { version: PostgresVersion.V16, bootstrap: Bootstrap.recovery({ source: ExternalCluster.fromObjectStore({ objectStore: 'nowhere', serverName: 'orders' }) }) });
    expect(() => Testing.synth(chart)).toThrow(/ObjectStore "nowhere" in namespace "shop", which this app does not render/);
  });

  test('the legacy objectStore form gets the same check; external: true accepts a store managed elsewhere', () => {
    const { chart } = setup();
    newCluster(chart, { bootstrap: Bootstrap.recovery({ objectStore: { name: 'nowhere', serverName: 'orders' } }) }, 'a');
    expect(() => Testing.synth(chart)).toThrow(/ObjectStore "nowhere"/);
    const { chart: c2 } = setup();
    newCluster(c2, { bootstrap: Bootstrap.recovery({ objectStore: { name: 'elsewhere', serverName: 'orders', external: true } }) }, 'b');
    newCluster(c2, { bootstrap: Bootstrap.recovery({ source: ExternalCluster.fromObjectStore({ objectStore: 'elsewhere', serverName: 'orders', external: true }) }) }, 'c');
    expect(findObject(synthValid(c2), 'Cluster', 'c').spec.externalClusters[0].name).toBe('orders');
  });

  test.each([
    ['clone across majors', (old: PostgresCluster) => ({ bootstrap: Bootstrap.clone({ source: ExternalCluster.fromCluster(old) }) }), 'bootstrap.clone.source'],
    ['recovery across majors', (old: PostgresCluster) => ({ bootstrap: Bootstrap.recovery({ source: ExternalCluster.fromClusterBackup(old) }) }), 'bootstrap.recovery.source'],
    ['replica across majors', (old: PostgresCluster) => ({ replica: { source: ExternalCluster.fromCluster(old) } }), 'replica.source'],
    ['declared major of a server', () => ({ bootstrap: Bootstrap.clone({ source: ExternalCluster.fromServer({ name: 'legacy', host: 'db.example.com', password: PASSWORD, majorVersion: '15' }) }) }), 'bootstrap.clone.source'],
  ])('%s is refused with the import fix', (_name, props, field) => {
    const { chart, old } = setup();
    let error: ValidationError | undefined;
    try {
      newCluster(chart, { version: PostgresVersion.V17, ...props(old) });
    } catch (e) {
      error = e as ValidationError;
    }
    expect(error).toBeInstanceOf(ValidationError);
    const problem = error!.problems.find(p => p.field === field)!;
    expect(problem.message).toMatch(/only the same major version reads/);
    expect(problem.fix).toMatch(/Bootstrap\.logicalImport/);
  });

  test.each([
    ['cluster in another namespace', (old: PostgresCluster) => ({ bootstrap: Bootstrap.clone({ source: ExternalCluster.fromCluster(old) }) }), ['bootstrap.clone.source']],
  ])('%s', (_name, props, expected) => {
    const { other, old } = setup('billing');
    expect(fields(() => newCluster(other, { version: PostgresVersion.V16, ...props(old) }))).toEqual(expected);
  });

  test.each<[string, (old: PostgresCluster) => Partial<PostgresClusterProps>, string[]]>([
    ['password role without password', old => ({ bootstrap: Bootstrap.logicalImport({ source: ExternalCluster.fromCluster(old, { user: 'replicator' }), databases: ['app'] }) }), ['bootstrap.logicalImport.source.password']],
    ['password for streaming_replica', old => ({ version: PostgresVersion.V16, bootstrap: Bootstrap.clone({ source: ExternalCluster.fromCluster(old, { password: PASSWORD }) }) }), ['bootstrap.clone.source.password']],
    ['object store as import source', old => ({ bootstrap: Bootstrap.logicalImport({ source: ExternalCluster.fromClusterBackup(old), databases: ['app'] }) }), ['bootstrap.logicalImport.source']],
    ['server as recovery source', old => ({ bootstrap: Bootstrap.recovery({ source: ExternalCluster.fromCluster(old) }) }), ['bootstrap.recovery.source']],
    ['source and inline host', old => ({ version: PostgresVersion.V16, bootstrap: Bootstrap.clone({ source: ExternalCluster.fromCluster(old), host: 'x' }) }), ['bootstrap.clone']],
    ['server without credentials', () => ({ externalClusters: [ExternalCluster.fromServer({ name: 'legacy', host: 'db.example.com' })] }), ['externalClusters[0]']],
    ['bad entry name', () => ({ externalClusters: [ExternalCluster.fromServer({ name: 'Legacy', host: 'db.example.com', password: PASSWORD })] }), ['externalClusters[0].name']],
    ['one name, two definitions', old => ({
      bootstrap: Bootstrap.logicalImport({ source: ExternalCluster.fromCluster(old, { user: 'replicator', password: PASSWORD }), databases: ['app'] }),
      externalClusters: [ExternalCluster.fromServer({ name: 'orders', host: 'db.example.com', password: PASSWORD })],
    }), ['externalClusters[0]']],
    ['backup of a cluster without object store', () => {
      const c = newCluster(new Chart(Testing.app(), 'x', { namespace: 'shop' }), {}, 'plain');
      return { bootstrap: Bootstrap.recovery({ source: ExternalCluster.fromClusterBackup(c) }) };
    }, ['bootstrap.recovery.source']],
    ['microservice with two databases', old => ({ bootstrap: Bootstrap.logicalImport({ source: ExternalCluster.fromCluster(old, { user: 'replicator', password: PASSWORD }), databases: ['a', 'b'] }) }), ['bootstrap.logicalImport.databases']],
    ['microservice with roles', old => ({ bootstrap: Bootstrap.logicalImport({ source: ExternalCluster.fromCluster(old, { user: 'replicator', password: PASSWORD }), databases: ['app'], roles: ['*'] }) }), ['bootstrap.logicalImport.roles']],
    ['monolith with post-import SQL', old => ({ bootstrap: Bootstrap.logicalImport({ source: ExternalCluster.fromCluster(old, { user: 'replicator', password: PASSWORD }), importType: ImportType.MONOLITH, databases: ['*'], postImportApplicationSql: ['ANALYZE'] }) }), ['bootstrap.logicalImport.postImportApplicationSql']],
    ['dump option that is not an option', old => ({ bootstrap: Bootstrap.logicalImport({ source: ExternalCluster.fromCluster(old, { user: 'replicator', password: PASSWORD }), databases: ['app'], pgDumpExtraOptions: ['rm -rf'] }) }), ['bootstrap.logicalImport.pgDumpExtraOptions']],
    ['import source is not an ExternalCluster', () => ({ bootstrap: Bootstrap.logicalImport({ source: { host: 'x' } as any, databases: ['app'] }) }), ['bootstrap.logicalImport.source']],
    ['initdb for a replica', old => ({ version: PostgresVersion.V16, replica: { source: ExternalCluster.fromCluster(old) }, bootstrap: Bootstrap.initdb() }), ['bootstrap']],
    ['token with a delay', old => ({ version: PostgresVersion.V16, replica: { source: ExternalCluster.fromCluster(old), promotionToken: 'abc', minApplyDelay: Duration.hours(1) } }), ['replica.promotionToken']],
    ['enabled with primary', old => ({ version: PostgresVersion.V16, replica: { source: ExternalCluster.fromCluster(old), enabled: true, primary: 'orders' } }), ['replica.enabled']],
    ['primary unknown', old => ({ version: PostgresVersion.V16, replica: { source: ExternalCluster.fromCluster(old), primary: 'elsewhere' } }), ['replica.primary']],
    ['self without primary', old => ({ version: PostgresVersion.V16, replica: { source: ExternalCluster.fromCluster(old), selfName: 'x' } }), ['replica.selfName']],
    ['role attribute not a boolean', () => ({ roles: [{ name: 'etl', superuser: 'yes' as any }] }), ['roles[0].superuser']],
  ])('bad input: %s', (_name, props, expected) => {
    const { chart, old } = setup();
    expect(fields(() => newCluster(chart, props(old)))).toEqual(expected);
  });
});

describe('Bootstrap.logicalImport', () => {
  test('microservice, schema only, with dump and restore options and post-import SQL', () => {
    const { chart, old } = setup();
    newCluster(chart, {
      version: PostgresVersion.V17,
      bootstrap: Bootstrap.logicalImport({
        source: ExternalCluster.fromCluster(old, { user: 'replicator', password: PASSWORD }), databases: ['app'], schemaOnly: true, database: 'orders',
        pgDumpExtraOptions: ['--no-comments'], pgRestoreExtraOptions: ['--jobs=2'], postImportApplicationSql: ['ANALYZE'],
      }),
    });
    const cluster = findObject(synthValid(chart), 'Cluster', 'orders-next');
    expect(cluster.spec.bootstrap).toEqual({
      initdb: {
        database: 'orders', owner: 'orders', dataChecksums: true, encoding: 'UTF8',
        import: {
          type: 'microservice', databases: ['app'], source: { externalCluster: 'orders' }, schemaOnly: true,
          pgDumpExtraOptions: ['--no-comments'], pgRestoreExtraOptions: ['--jobs=2'], postImportApplicationSQL: ['ANALYZE'],
        },
      },
    });
  });

  test('monolith with every database and role from a server outside the app', () => {
    const { chart } = setup();
    const legacy = ExternalCluster.fromServer({ name: 'legacy', host: 'pg.example.com', user: 'postgres', password: { secretName: 'legacy-superuser', key: 'password' }, majorVersion: '13' });
    newCluster(chart, { bootstrap: Bootstrap.logicalImport({ source: legacy, importType: ImportType.MONOLITH, databases: ['*'], roles: ['*'] }) });
    const cluster = findObject(synthValid(chart), 'Cluster', 'orders-next');
    expect(cluster.spec.bootstrap.initdb.import).toEqual({ type: 'monolith', databases: ['*'], roles: ['*'], source: { externalCluster: 'legacy' } });
    expect(cluster.spec.externalClusters[0].connectionParameters).toEqual({ host: 'pg.example.com', port: '5432', user: 'postgres', dbname: 'postgres', sslmode: 'require' });
  });
});

describe('replica clusters', () => {
  test('a replica of an object store starts with a recovery from it; enabled by default; delay in seconds', () => {
    const { chart, old } = setup();
    newCluster(chart, { version: PostgresVersion.V16, replica: { source: ExternalCluster.fromClusterBackup(old), minApplyDelay: Duration.hours(1) } }, 'orders-dr');
    const cluster = findObject(synthValid(chart), 'Cluster', 'orders-dr');
    expect(cluster.spec.replica).toEqual({ source: 'orders', enabled: true, minApplyDelay: '3600s' });
    expect(cluster.spec.bootstrap).toEqual({ recovery: { database: 'app', owner: 'app', source: 'orders' } });
    expect(cluster.spec.externalClusters.map((c: any) => c.name)).toEqual(['orders']);
  });

  test('a streaming replica starts with pg_basebackup; promotion with the token', () => {
    const { chart, old } = setup();
    newCluster(chart, { version: PostgresVersion.V16, replica: { source: ExternalCluster.fromCluster(old), enabled: false, promotionToken: 'eyJsc24iOiIwLzMwMDAwMDAifQ==' } }, 'orders-dr');
    const cluster = findObject(synthValid(chart), 'Cluster', 'orders-dr');
    expect(cluster.spec.replica).toEqual({ source: 'orders', enabled: false, promotionToken: 'eyJsc24iOiIwLzMwMDAwMDAifQ==' });
    expect(cluster.spec.bootstrap).toEqual({ pg_basebackup: { source: 'orders', database: 'app', owner: 'app' } });
  });

  test('distributed topology: primary and self, the other member listed once', () => {
    const { chart, old } = setup();
    const eu = ExternalCluster.fromServer({ name: 'orders-eu', host: 'orders-rw.shop.svc.eu.example', user: 'streaming_replica',
      tls: { cert: { secretName: 'eu-replication', key: 'tls.crt' }, key: { secretName: 'eu-replication', key: 'tls.key' }, rootCert: { secretName: 'eu-ca', key: 'ca.crt' } } });
    newCluster(chart, { version: PostgresVersion.V16, replica: { source: ExternalCluster.fromClusterBackup(old), primary: 'orders-eu', selfName: 'orders-us' }, externalClusters: [eu] }, 'orders-us');
    const cluster = findObject(synthValid(chart), 'Cluster', 'orders-us');
    expect(cluster.spec.replica).toEqual({ source: 'orders', primary: 'orders-eu', self: 'orders-us' });
    expect(cluster.spec.externalClusters.map((c: any) => c.name)).toEqual(['orders', 'orders-eu']);
  });
});

describe('role attributes', () => {
  test('the bootstrap owner can be listed to get replication; superuser and inherit are rendered', () => {
    const { chart } = setup();
    newCluster(chart, { roles: [{ name: 'app', replication: true, createdb: true }, { name: 'dba', superuser: true, inherit: false, ensure: Ensure.PRESENT }] });
    const roles = findObject(synthValid(chart), 'Cluster', 'orders-next').spec.managed.roles;
    expect(roles[0]).toMatchObject({ name: 'app', replication: true, createdb: true, superuser: false, inherit: true, login: true });
    expect(roles[1]).toMatchObject({ name: 'dba', superuser: true, inherit: false });
  });
});

describe('logical replication', () => {
  test('publication on the source, subscription on the target; the source admits the target on 5432', () => {
    const { chart, old } = setup();
    new PostgresCluster(chart, 'orders-pubs', {
      storage: { size: '20Gi' }, version: PostgresVersion.V16,
      databases: [{ name: 'reports', owner: 'app' }],
      publications: [{ name: 'orders_pub' }, { name: 'reports_pub', database: 'reports', tables: ['public.daily', 'totals'], schemas: ['audit'], reclaimPolicy: DatabaseReclaimPolicy.DELETE }],
    });
    const source = ExternalCluster.fromCluster(old, { name: 'orders-pg16', user: 'replicator', password: PASSWORD, dbname: 'app' });
    newCluster(chart, {
      version: PostgresVersion.V17,
      bootstrap: Bootstrap.logicalImport({ source, databases: ['app'], schemaOnly: true }),
      subscriptions: [{ name: 'orders_sub', source, publicationName: 'orders_pub', parameters: { copy_data: 'true' } }],
    });
    const manifests = synthValid(chart);
    const pubs = manifests.filter(m => m.kind === 'Publication');
    expect(pubs.map(p => p.metadata.name)).toEqual(['orders-pubs-orders-pub', 'orders-pubs-reports-pub']);
    expect(pubs[0].spec).toEqual({ cluster: { name: 'orders-pubs' }, dbname: 'app', name: 'orders_pub', target: { allTables: true }, publicationReclaimPolicy: 'retain' });
    expect(pubs[1].spec.target).toEqual({ objects: [{ tablesInSchema: 'audit' }, { table: { schema: 'public', name: 'daily' } }, { table: { name: 'totals' } }] });
    expect(pubs[1].spec.publicationReclaimPolicy).toBe('delete');
    const sub = findObject(manifests, 'Subscription', 'orders-next-orders-sub');
    expect(sub.spec).toEqual({
      cluster: { name: 'orders-next' }, dbname: 'app', name: 'orders_sub', externalClusterName: 'orders-pg16', publicationName: 'orders_pub',
      parameters: { copy_data: 'true' }, subscriptionReclaimPolicy: 'retain',
    });
    // one externalClusters entry, shared by the import and the subscription
    expect(findObject(manifests, 'Cluster', 'orders-next').spec.externalClusters.map((c: any) => c.name)).toEqual(['orders-pg16']);
    const policy = findObject(manifests, 'NetworkPolicy', 'orders');
    expect(policy.spec.ingress).toContainEqual({ from: [{ podSelector: { matchLabels: { 'cnpg.io/cluster': 'orders-next' } } }], ports: [{ port: 5432, protocol: 'TCP' }] });
  });

  test.each<[string, (old: PostgresCluster) => Partial<PostgresClusterProps>, string[]]>([
    ['subscription as streaming_replica', old => ({ subscriptions: [{ name: 's', source: ExternalCluster.fromCluster(old), publicationName: 'p' }] }), ['subscriptions[0].source.user']],
    ['subscriber role without REPLICATION on the source', old => ({ subscriptions: [{ name: 's', source: ExternalCluster.fromCluster(old, { user: 'app', password: PASSWORD }), publicationName: 'p' }] }), ['subscriptions[0].source.user']],
    ['subscription from an object store', old => ({ subscriptions: [{ name: 's', source: ExternalCluster.fromClusterBackup(old), publicationName: 'p' }] }), ['subscriptions[0].source']],
    ['subscription into an unknown database', old => ({ subscriptions: [{ name: 's', database: 'nope', source: ExternalCluster.fromCluster(old, { user: 'replicator', password: PASSWORD }), publicationName: 'p' }] }), ['subscriptions[0].database']],
    ['bad publication name', () => ({ publications: [{ name: 'Orders Pub' }] }), ['publications[0].name']],
    ['publication declared twice', () => ({ publications: [{ name: 'p' }, { name: 'p' }] }), ['publications[1].name']],
    ['bad table', () => ({ publications: [{ name: 'p', tables: ['a.b.c'] }] }), ['publications[0].tables']],
    ['bad option value', () => ({ publications: [{ name: 'p', parameters: { publish: 1 as any } }] }), ['publications[0].parameters']],
  ])('bad input: %s', (_name, props, expected) => {
    const { chart, old } = setup();
    expect(fields(() => newCluster(chart, props(old)))).toEqual(expected);
  });
});
