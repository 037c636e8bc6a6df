/**
 * The data-safety gate on real constructs: each scenario synthesizes a chart before and after an
 * edit (a prop change, or an escape-hatch patch where the construct itself refuses the dangerous
 * value) and compares the two manifest sets.
 */
import { App, ApiObject, Chart, Cron, JsonPatch, Testing } from 'cdk8s';
import { Construct } from 'constructs';
import { compareManifests, formatText, holdsData, objectKey } from '../../lib/safety';
import { MySqlSingleNode, MySqlSingleNodeProps, MySqlVersion, MySqlWorkload } from '../../lib/mysql';
import { NetworkPeer } from '../../lib/core/network';
import { Bootstrap, DatabaseReclaimPolicy, Ensure, ObjectStoreProvider, PostgresCluster, PostgresClusterProps, PostgresVersion } from '../../lib/postgres';
import { CassandraDatacenter, CassandraDatacenterProps, CassandraVersion } from '../../lib/cassandra';
import { MigrationMode, Migrations, Schema, SchemaMigration, SchemaMigrationProps } from '../../lib/migration';
import { synthValid } from '../support/synth';

const NS = 'shop';
const DAILY_AT_3 = Cron.schedule({ minute: '0', hour: '3' });
const RACKS = ['a', 'b', 'c'].map(z => ({ name: `zone-${z}`, zone: `eu-west-1${z}` }));

function mysql(scope: Construct, props: Partial<MySqlSingleNodeProps> = {}, id = 'shop'): MySqlSingleNode {
  return new MySqlSingleNode(scope, id, {
    rootPassword: { secretName: 'shop-root', key: 'password' }, version: MySqlVersion.V8_4, storage: { size: '20Gi' }, ...props,
  });
}

const S3 = {
  provider: ObjectStoreProvider.S3, destinationPath: 's3://backups/orders', retention: '30d',
  s3: { accessKeyId: { secretName: 'orders-s3', key: 'ACCESS_KEY_ID' }, secretAccessKey: { secretName: 'orders-s3', key: 'ACCESS_SECRET_KEY' } },
};

const PG_DAILY = Cron.schedule({ minute: '0', hour: '2' });

function postgres(scope: Construct, props: Partial<PostgresClusterProps> = {}, id = 'orders'): PostgresCluster {
  return new PostgresCluster(scope, id, {
    version: PostgresVersion.V17, storage: { size: '20Gi' }, walStorage: { size: '5Gi' },
    backup: { objectStore: S3, schedule: PG_DAILY }, ...props,
  });
}

function cassandra(scope: Construct, props: Partial<CassandraDatacenterProps> = {}): CassandraDatacenter {
  return new CassandraDatacenter(scope, 'events', { racks: RACKS, nodesPerRack: 2, storage: { size: '100Gi' }, version: CassandraVersion.V5_0, ...props });
}

const FILES = [{ name: '0001_init.sql', content: 'CREATE TABLE orders (id int primary key);\n' }];

function migration(scope: Construct, target: PostgresCluster | MySqlSingleNode, props: Partial<SchemaMigrationProps> = {}): SchemaMigration {
  return new SchemaMigration(scope, 'orders-schema', { target, schema: Schema.inline('CREATE TABLE orders (id int primary key);'), ...props });
}

type Build = (chart: Chart) => void;

/** Synthesizes a chart; `verify: false` for an edit that deliberately breaks a policy the gate must catch. */
function synth(build: Build, verify = true): any[] {
  const chart = new Chart(Testing.app(), 'test', { namespace: NS });
  build(chart);
  return verify ? synthValid(chart) : Testing.synth(chart);
}

interface Scenario {
  readonly base: Build;
  readonly head: Build;
  /** The head breaks a verification rule on purpose (the dangerous edit is that rule). */
  readonly headUnverified?: boolean;
}

const dangerous: [string, string, Scenario][] = [
  // MySqlSingleNode
  ['MySQL renamed', 'data-object-renamed', { base: c => mysql(c), head: c => mysql(c, { name: 'store' }) }],
  ['MySQL removed', 'data-object-removed', { base: c => { mysql(c); postgres(c); }, head: c => { postgres(c); } }],
  ['MySQL moved to another namespace', 'namespace-changed', { base: c => mysql(c), head: c => mysql(c, { namespace: 'other' }) }],
  ['MySQL storage shrunk', 'storage-decreased', { base: c => mysql(c), head: c => mysql(c, { storage: { size: '10Gi' } }) }],
  ['MySQL storage class changed', 'storage-class-changed', { base: c => mysql(c), head: c => mysql(c, { storage: { size: '20Gi', storageClass: 'fast-ssd' } }) }],
  ['MySQL 8.4 → 8.0', 'major-downgrade', { base: c => mysql(c), head: c => mysql(c, { version: MySqlVersion.V8_0 }) }],
  ['MySQL 8.0 → 9.1', 'major-upgrade-too-far', { base: c => mysql(c, { version: MySqlVersion.V8_0 }), head: c => mysql(c, { version: MySqlVersion.fromImage('mysql:9.1.0') }) }],
  ['MySQL switched to RollingUpdate', 'mysql-rolling-update', {
    base: c => mysql(c),
    head: c => { mysql(c).workload.addJsonPatch(JsonPatch.replace('/spec/strategy', { type: 'RollingUpdate' })); },
    headUnverified: true,
  }],
  ['MySQL backups removed', 'backup-removed', { base: c => mysql(c, { logicalBackup: { schedule: DAILY_AT_3 } }), head: c => mysql(c) }],
  ['MySQL restore Job added', 'restore-job-added', { base: c => mysql(c, { logicalBackup: { schedule: DAILY_AT_3 } }), head: c => { mysql(c, { logicalBackup: { schedule: DAILY_AT_3 } }).addRestoreJob(); } }],
  ['PostgreSQL logical restore Job added', 'restore-job-added', {
    base: c => postgres(c, { logicalBackup: { storage: { size: '20Gi' }, schedule: Cron.schedule({ minute: '0', hour: '3' }) } }),
    head: c => { postgres(c, { logicalBackup: { storage: { size: '20Gi' }, schedule: Cron.schedule({ minute: '0', hour: '3' }) } }).addRestoreJob('Restore'); },
  }],
  ['MySQL NetworkPolicy removed', 'network-policy-removed', { base: c => mysql(c), head: c => { mysql(c).node.tryRemoveChild('NetworkPolicy'); }, headUnverified: true }],
  ['MySQL StatefulSet volume grown', 'claim-template-changed', { base: c => mysql(c, { workload: MySqlWorkload.STATEFUL_SET }), head: c => mysql(c, { workload: MySqlWorkload.STATEFUL_SET, storage: { size: '40Gi' } }) }],
  ['MySQL StatefulSet retention Delete', 'pvc-retention-weakened', {
    base: c => mysql(c, { workload: MySqlWorkload.STATEFUL_SET }),
    head: c => { mysql(c, { workload: MySqlWorkload.STATEFUL_SET }).workload.addJsonPatch(JsonPatch.replace('/spec/persistentVolumeClaimRetentionPolicy/whenDeleted', 'Delete')); },
    headUnverified: true,
  }],
  ['MySQL Deployment → StatefulSet', 'data-object-removed', { base: c => mysql(c), head: c => mysql(c, { workload: MySqlWorkload.STATEFUL_SET }) }],
  // PostgresCluster
  ['PostgreSQL renamed', 'data-object-renamed', { base: c => postgres(c), head: c => postgres(c, { name: 'orders-v2' }) }],
  ['PostgreSQL removed', 'data-object-removed', { base: c => { postgres(c); mysql(c); }, head: c => { mysql(c); } }],
  ['PostgreSQL 3 instances → 1', 'cnpg-instances-to-one', { base: c => postgres(c), head: c => postgres(c, { instances: 1 }), headUnverified: true }],
  ['PostgreSQL storage shrunk', 'storage-decreased', { base: c => postgres(c), head: c => postgres(c, { storage: { size: '10Gi' } }) }],
  ['PostgreSQL WAL storage class changed', 'storage-class-changed', { base: c => postgres(c), head: c => postgres(c, { walStorage: { size: '5Gi', storageClass: 'fast-ssd' } }) }],
  ['PostgreSQL WAL volume removed', 'wal-storage-removed', { base: c => postgres(c), head: c => postgres(c, { walStorage: undefined }) }],
  ['PostgreSQL superuser access on', 'superuser-enabled', { base: c => postgres(c), head: c => postgres(c, { superuserAccess: true }), headUnverified: true }],
  ['PostgreSQL backups removed: object store', 'object-store-removed', { base: c => postgres(c), head: c => postgres(c, { backup: undefined }), headUnverified: true }],
  ['PostgreSQL backups removed: schedule and plugin', 'backup-removed', { base: c => postgres(c), head: c => postgres(c, { backup: undefined }), headUnverified: true }],
  ['PostgreSQL 17 → 16', 'major-downgrade', { base: c => postgres(c), head: c => postgres(c, { version: PostgresVersion.V16 }) }],
  ['PostgreSQL 17 → 18 on the same archive', 'major-upgrade-archive-shared', { base: c => postgres(c), head: c => postgres(c, { version: PostgresVersion.V18 }) }],
  ['PostgreSQL 17 → 18 on another distribution', 'major-upgrade-too-far', {
    base: c => postgres(c, { version: PostgresVersion.fromImage('ghcr.io/cloudnative-pg/postgresql:17.6-standard-bookworm') }),
    head: c => postgres(c, { version: PostgresVersion.fromImage('ghcr.io/cloudnative-pg/postgresql:18.1-standard-trixie'), backup: { objectStore: S3, serverName: 'orders-pg18' } }),
  }],
  ['PostgreSQL database dropped', 'database-dropped', {
    base: c => postgres(c, { roles: [{ name: 'reports', login: true }], databases: [{ name: 'reports', owner: 'reports' }] }),
    head: c => postgres(c, { roles: [{ name: 'reports', login: true }], databases: [{ name: 'reports', owner: 'reports', ensure: Ensure.ABSENT }] }),
  }],
  ['PostgreSQL database reclaim policy delete', 'database-reclaim-weakened', {
    base: c => postgres(c, { roles: [{ name: 'reports', login: true }], databases: [{ name: 'reports', owner: 'reports' }] }),
    head: c => postgres(c, { roles: [{ name: 'reports', login: true }], databases: [{ name: 'reports', owner: 'reports', reclaimPolicy: DatabaseReclaimPolicy.DELETE }] }),
  }],
  ['PostgreSQL database with reclaim policy delete removed', 'database-dropped', {
    base: c => postgres(c, { roles: [{ name: 'reports', login: true }], databases: [{ name: 'reports', owner: 'reports', reclaimPolicy: DatabaseReclaimPolicy.DELETE }] }),
    head: c => postgres(c, { roles: [{ name: 'reports', login: true }] }),
  }],
  ['PostgreSQL pooler removed', 'pooler-removed', { base: c => postgres(c, { pooler: { instances: 2 } }), head: c => postgres(c) }],
  ['PostgreSQL NetworkPolicy removed', 'network-policy-removed', { base: c => postgres(c), head: c => { postgres(c).node.tryRemoveChild('NetworkPolicy'); }, headUnverified: true }],
  // CassandraDatacenter
  ['Cassandra rack removed', 'cassandra-rack-removed', { base: c => cassandra(c), head: c => cassandra(c, { racks: RACKS.slice(0, 2) }) }],
  ['Cassandra nodes per rack lowered', 'cassandra-replicas-decreased', { base: c => cassandra(c, { nodesPerRack: 3 }), head: c => cassandra(c, { nodesPerRack: 2 }) }],
  ['Cassandra volume grown', 'claim-template-changed', { base: c => cassandra(c), head: c => cassandra(c, { storage: { size: '200Gi' } }) }],
  ['Cassandra volume shrunk', 'storage-decreased', { base: c => cassandra(c), head: c => cassandra(c, { storage: { size: '50Gi' } }) }],
  ['Cassandra storage class changed', 'storage-class-changed', { base: c => cassandra(c), head: c => cassandra(c, { storage: { size: '100Gi', storageClass: 'fast-ssd' } }) }],
  ['Cassandra 5.0 → 4.1', 'major-downgrade', { base: c => cassandra(c), head: c => cassandra(c, { version: CassandraVersion.V4_1 }) }],
  ['Cassandra datacenter name changed', 'cassandra-identity-changed', { base: c => cassandra(c), head: c => cassandra(c, { datacenterName: 'eu-west' }) }],
  ['Cassandra cluster name changed', 'cassandra-identity-changed', { base: c => cassandra(c), head: c => cassandra(c, { clusterName: 'events-prod' }) }],
  ['Cassandra datacenter renamed', 'cassandra-rack-removed', { base: c => cassandra(c), head: c => cassandra(c, { name: 'events2' }) }],
  // SchemaMigration
  ['Atlas schema: destructive changes allowed', 'destructive-schema-allowed', {
    base: c => migration(c, postgres(c)), head: c => migration(c, postgres(c), { allowDestructiveChanges: true }),
  }],
  ['Job runner: destructive changes allowed', 'destructive-schema-allowed', {
    base: c => migration(c, postgres(c), { mode: MigrationMode.JOB, schema: undefined, migrations: Migrations.fromFiles(FILES) }),
    head: c => migration(c, postgres(c), { mode: MigrationMode.JOB, schema: undefined, migrations: Migrations.fromFiles(FILES), allowDestructiveChanges: true }),
  }],
];

const safe: [string, Scenario][] = [
  // MySqlSingleNode
  ['MySQL unchanged', { base: c => mysql(c), head: c => mysql(c) }],
  ['MySQL image patch bump', { base: c => mysql(c), head: c => mysql(c, { version: MySqlVersion.fromImage('mysql:8.4.9') }) }],
  ['MySQL 8.0 → 8.4 LTS', { base: c => mysql(c, { version: MySqlVersion.V8_0 }), head: c => mysql(c) }],
  ['MySQL volume grown', { base: c => mysql(c), head: c => mysql(c, { storage: { size: '50Gi' } }) }],
  ['MySQL setting added', { base: c => mysql(c), head: c => mysql(c, { config: { maxConnections: 500 } }) }],
  ['MySQL more memory', { base: c => mysql(c), head: c => mysql(c, { resources: { cpu: '1', memory: '2Gi' } }) }],
  ['MySQL backups added', { base: c => mysql(c), head: c => mysql(c, { logicalBackup: { schedule: DAILY_AT_3 } }) }],
  ['MySQL backup schedule changed', { base: c => mysql(c, { logicalBackup: { schedule: DAILY_AT_3 } }), head: c => mysql(c, { logicalBackup: { schedule: Cron.schedule({ minute: '30', hour: '1' }), keep: 30 } }) }],
  ['MySQL client allowed in', { base: c => mysql(c), head: c => { mysql(c).allowFrom(NetworkPeer.fromPodLabels({ app: 'shop-api' })); } }],
  // PostgresCluster
  ['PostgreSQL unchanged', { base: c => postgres(c), head: c => postgres(c) }],
  ['PostgreSQL minor image bump', { base: c => postgres(c), head: c => postgres(c, { version: PostgresVersion.fromImage('ghcr.io/cloudnative-pg/postgresql:17.8') }) }],
  ['PostgreSQL instance added', { base: c => postgres(c), head: c => postgres(c, { instances: 4 }) }],
  ['PostgreSQL parameter added', { base: c => postgres(c), head: c => postgres(c, { parameters: { max_connections: '300', work_mem: '16MB' } }) }],
  ['PostgreSQL volume grown', { base: c => postgres(c), head: c => postgres(c, { storage: { size: '40Gi' }, walStorage: { size: '10Gi' } }) }],
  ['PostgreSQL alert label added', { base: c => postgres(c), head: c => postgres(c, { monitoring: { alertLabels: { team: 'orders' } } }) }],
  ['PostgreSQL database added', { base: c => postgres(c), head: c => postgres(c, { roles: [{ name: 'reports', login: true }], databases: [{ name: 'reports', owner: 'reports' }] }) }],
  ['PostgreSQL pooler added', { base: c => postgres(c), head: c => postgres(c, { pooler: { instances: 2 } }) }],
  ['PostgreSQL backup retention and schedule changed', { base: c => postgres(c), head: c => postgres(c, { backup: { objectStore: { ...S3, retention: '60d' }, schedule: Cron.schedule({ minute: '0', hour: '4' }) } }) }],
  ['PostgreSQL 17 → 18 with a new archive folder', { base: c => postgres(c), head: c => postgres(c, { version: PostgresVersion.V18, backup: { objectStore: S3, schedule: PG_DAILY, serverName: 'orders-pg18' } }) }],
  // CassandraDatacenter
  ['Cassandra unchanged', { base: c => cassandra(c), head: c => cassandra(c) }],
  ['Cassandra node added to each rack', { base: c => cassandra(c), head: c => cassandra(c, { nodesPerRack: 3 }) }],
  ['Cassandra rack added', { base: c => cassandra(c), head: c => cassandra(c, { racks: [...RACKS, { name: 'zone-d', zone: 'eu-west-1d' }] }) }],
  ['Cassandra 4.1 → 5.0', { base: c => cassandra(c, { version: CassandraVersion.V4_1 }), head: c => cassandra(c) }],
  ['Cassandra more memory', { base: c => cassandra(c), head: c => cassandra(c, { resources: { cpu: '2', memory: '16Gi' } }) }],
  // SchemaMigration and whole databases
  ['Atlas schema: table added', {
    base: c => migration(c, postgres(c)),
    head: c => migration(c, postgres(c), { schema: Schema.inline('CREATE TABLE orders (id int primary key);\nCREATE TABLE items (id int primary key);') }),
  }],
  ['Job runner: migration file added', {
    base: c => migration(c, postgres(c), { mode: MigrationMode.JOB, schema: undefined, migrations: Migrations.fromFiles(FILES) }),
    head: c => migration(c, postgres(c), { mode: MigrationMode.JOB, schema: undefined, migrations: Migrations.fromFiles([...FILES, { name: '0002_items.sql', content: 'CREATE TABLE items (id int);\n' }]) }),
  }],
  ['database added next to another', { base: c => mysql(c), head: c => { mysql(c); postgres(c); } }],
  ['second MySQL added', { base: c => mysql(c), head: c => { mysql(c); mysql(c, { name: 'blog' }, 'blog'); } }],
];

describe('dangerous edits of real constructs are caught', () => {
  it.each(dangerous.map(([name, id, s]) => [name, id, s] as const))('%s → %s', (_name, id, s) => {
    const report = compareManifests(synth(s.base), synth(s.head, !s.headUnverified));
    const blocking = report.blocking.map(f => f.id);
    expect(blocking).toContain(id);
  });
});

describe('safe edits of real constructs raise no blocking finding', () => {
  it.each(safe)('%s', (_name, s) => {
    const report = compareManifests(synth(s.base), synth(s.head));
    expect(report.blocking.map(f => `${f.id} ${f.object}: ${f.change}`)).toEqual([]);
  });
});

describe('notes on real constructs', () => {
  it.each([
    ['MySQL application database renamed', 'init-only-setting-changed', { base: (c: Chart) => mysql(c, { database: 'shop' }), head: (c: Chart) => mysql(c, { database: 'store' }) }],
    ['PostgreSQL bootstrap database renamed', 'init-only-setting-changed', {
      base: (c: Chart) => postgres(c, { bootstrap: Bootstrap.initdb({ database: 'orders', owner: 'orders' }) }),
      head: (c: Chart) => postgres(c, { bootstrap: Bootstrap.initdb({ database: 'sales', owner: 'orders' }) }),
    }],
    ['PostgreSQL 17 → 18 (new archive folder)', 'major-upgrade', { base: (c: Chart) => postgres(c), head: (c: Chart) => postgres(c, { version: PostgresVersion.V18, backup: { objectStore: S3, serverName: 'orders-pg18' } }) }],
    ['MySQL 8.0 → 8.4', 'major-upgrade', { base: (c: Chart) => mysql(c, { version: MySqlVersion.V8_0 }), head: (c: Chart) => mysql(c) }],
    ['PostgreSQL volume grown', 'storage-expanded', { base: (c: Chart) => postgres(c), head: (c: Chart) => postgres(c, { storage: { size: '40Gi' } }) }],
    ['PostgreSQL backup bucket moved', 'backup-destination-changed', { base: (c: Chart) => postgres(c), head: (c: Chart) => postgres(c, { backup: { objectStore: { ...S3, destinationPath: 's3://backups-eu/orders' } } }) }],
  ] as const)('%s → note %s', (_name, id, s) => {
    const report = compareManifests(synth(s.base), synth(s.head));
    expect(report.blocking).toEqual([]);
    expect(report.notes.map(f => f.id)).toContain(id);
  });
});

describe('acknowledgement through the construct prop', () => {
  it('turns the named finding into a note and leaves the others blocking', () => {
    const base = synth(c => postgres(c));
    const head = synth(c => postgres(c, { storage: { size: '10Gi' }, walStorage: { size: '5Gi', storageClass: 'fast' }, acknowledge: ['storage-decreased'] }));
    const report = compareManifests(base, head);
    expect(report.acknowledged.map(f => f.id)).toEqual(['storage-decreased']);
    expect(report.blocking.map(f => f.id)).toEqual(['storage-class-changed']);
  });

  it('accepts the removal of backups on the PostgresCluster that stays', () => {
    const base = synth(c => postgres(c));
    const head = synth(c => postgres(c, { backup: undefined, acknowledge: ['backup-removed', 'object-store-removed'] }), false);
    const report = compareManifests(base, head);
    expect(report.blocking).toEqual([]);
    expect(report.acknowledged.map(f => f.id).sort()).toEqual(['backup-removed', 'backup-removed', 'object-store-removed']);
  });

  it('accepts a removal announced in an earlier, merged change', () => {
    const announced = synth(c => { mysql(c, { acknowledge: ['data-object-removed'] }); postgres(c); });
    const removed = synth(c => { postgres(c); });
    const report = compareManifests(announced, removed);
    expect(report.blocking).toEqual([]);
    expect(report.acknowledged.map(f => f.object).sort()).toEqual(['Deployment shop/shop', 'PersistentVolumeClaim shop/shop-data', 'Service shop/shop', 'Service shop/shop-headless']);
    expect(compareManifests(synth(c => { mysql(c); postgres(c); }), removed).blocking.length).toBe(4);
  });

  it.each([
    ['Atlas', {}],
    ['Job', { mode: MigrationMode.JOB, schema: undefined, migrations: Migrations.fromFiles(FILES) }],
  ] as const)('accepts destructive changes acknowledged on the SchemaMigration (%s mode)', (_mode, props) => {
    const base = synth(c => migration(c, postgres(c), props));
    const head = synth(c => migration(c, postgres(c), { ...props, allowDestructiveChanges: true, acknowledge: ['destructive-schema-allowed'] }));
    const report = compareManifests(base, head);
    expect(report.blocking).toEqual([]);
    expect(report.acknowledged.map(f => f.id)).toEqual(['destructive-schema-allowed']);
  });

  it('lists an acknowledgement that accepts nothing any more, so it cannot hide a later finding', () => {
    const acked = (size: string) => synth(c => mysql(c, { storage: { size }, acknowledge: ['storage-decreased'] }));
    const during = compareManifests(synth(c => mysql(c)), acked('10Gi'));
    expect(during.acknowledged.map(f => f.id)).toEqual(['storage-decreased']);
    expect(during.unusedAnnotations).toEqual([]);
    const later = compareManifests(acked('10Gi'), acked('10Gi'));
    expect(later.findings).toEqual([]);
    expect(later.unusedAnnotations).toEqual([{ finding: 'storage-decreased', object: 'PersistentVolumeClaim/shop/shop-data' }]);
    expect(formatText(later)).toContain('  storage-decreased on PersistentVolumeClaim/shop/shop-data');
  });

  it('accepts a deliberate rename on the renamed construct, Services included', () => {
    const report = compareManifests(synth(c => mysql(c)), synth(c => mysql(c, { name: 'store', acknowledge: ['data-object-renamed'] })));
    expect(report.blocking).toEqual([]);
    expect(report.acknowledged.length).toBe(4);
  });

});

/** Keys of the data-bearing objects (and every object) of a manifest set. */
function keys(manifests: any[]): { data: string[]; all: string[] } {
  return { data: manifests.filter(holdsData).map(objectKey).sort(), all: manifests.map(objectKey).sort() };
}

describe('stable names', () => {
  function direct(c: Chart): void { const db = postgres(c); mysql(c); cassandra(c); migration(c, db); }

  it('moving the constructs into a wrapper scope renames no data-bearing object', () => {
    const before = synth(direct);
    const after = synth(c => {
      const wrapper = new Construct(c, 'Databases');
      const inner = new Construct(wrapper, 'Inner');
      const db = postgres(inner); mysql(wrapper); cassandra(inner); migration(wrapper, db);
    });
    expect(keys(after)).toEqual(keys(before));
    expect(keys(before).data.length).toBeGreaterThan(5);
    const report = compareManifests(before, after);
    expect(report.findings).toEqual([]);
  });

  it('moving a database into another chart with the same namespace renames nothing', () => {
    const before = synth(direct);
    const app = Testing.app();
    const first = new Chart(app, 'first', { namespace: NS });
    const second = new Chart(app, 'storage', { namespace: NS });
    const db = postgres(second); mysql(first); cassandra(second); migration(first, db);
    const after = [...synthValid(first), ...synthValid(second)];
    expect(keys(after)).toEqual(keys(before));
    expect(compareManifests(before, after).findings).toEqual([]);
  });

  it('wraps each construct kind alone as well', () => {
    for (const make of [(s: Construct) => mysql(s), (s: Construct) => postgres(s), (s: Construct) => cassandra(s)]) {
      const before = synth(c => { make(c); });
      const after = synth(c => { make(new Construct(new Construct(c, 'Team'), 'Platform')); });
      expect(compareManifests(before, after).findings).toEqual([]);
    }
  });
});

describe('the reports on a real change', () => {
  it('renders the text and Markdown report of a renamed database', () => {
    const report = compareManifests(synth(c => mysql(c)), synth(c => mysql(c, { name: 'store' })));
    expect(report.blocking.length).toBeGreaterThan(0);
    expect(report.blocking.every(f => f.id === 'data-object-renamed')).toBe(true);
    expect(report.blocking.map(f => f.object).sort()).toEqual(['Deployment shop/store', 'PersistentVolumeClaim shop/store-data', 'Service shop/store', 'Service shop/store-headless']);
  });
});

// Keep App and ApiObject imported for escape-hatch readers of this file.
void App; void ApiObject;
