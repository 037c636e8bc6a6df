import { Duration } from 'cdk8s';
import { Cron } from 'cdk8s';
import { CassandraVersion } from '../../lib/cassandra';
import { MySqlSingleNode, MySqlVersion } from '../../lib/mysql';
import { Warnings } from '../../lib/core/warnings';
import { MigrationMode, Migrations, Schema, SchemaMigration } from '../../lib/migration';
import { ObjectStoreProvider, PostgresCluster, PostgresVersion } from '../../lib/postgres';
import { FakeDatabase } from '../migration/support/fake-db';
import { ValidationError } from '../../lib/core/errors';
import { testChart } from '../support/synth';

/** Inputs the cluster refuses or breaks on later: each a synth error naming field, value and fix. */
const ROOT = { secretName: 'mysql-root', key: 'password' };

const rows: [string, () => void, RegExp][] = [
  ['MySQL partOf with spaces', () => new MySqlSingleNode(testChart('t'), 'db', { rootPassword: ROOT, partOf: 'my shop!' }), /partOf: .*label value[\s\S]*"my shop!"/],
  ['MySQL partOf too long', () => new MySqlSingleNode(testChart('t'), 'db', { rootPassword: ROOT, partOf: 'a'.repeat(64) }), /partOf/],
  ['MySQL backup time zone Mars/Olympus', () => new MySqlSingleNode(testChart('t'), 'db', {
    rootPassword: ROOT, database: 'shop',
    logicalBackup: { schedule: Cron.schedule({ minute: '0', hour: '3' }), timeZone: 'Mars/Olympus', timeout: Duration.hours(1) },
  } as any), /timeZone: is not an IANA time zone/],
  ['two PostgresClusters with one name in a namespace', () => {
    const chart = testChart('t');
    new PostgresCluster(chart, 'a', { name: 'orders', storage: { size: '10Gi' } });
    new PostgresCluster(chart, 'b', { name: 'orders', storage: { size: '10Gi' } });
  }, /name: is already the name of the PostgresCluster at test\/a[\s\S]*"orders"/],
  ['two MySqlSingleNodes with one name in a namespace', () => {
    const chart = testChart('t');
    new MySqlSingleNode(chart, 'a', { rootPassword: ROOT, name: 'shop' });
    new MySqlSingleNode(chart, 'b', { rootPassword: ROOT, name: 'shop' });
  }, /name: is already the name of the MySqlSingleNode[\s\S]*"shop"/],
  ['PostgresCluster.addRestoreJob twice with one Job name', () => {
    const db = new PostgresCluster(testChart('t'), 'db', { storage: { size: '10Gi' }, logicalBackup: { storage: { size: '10Gi' } } });
    db.addRestoreJob('R1');
    db.addRestoreJob('R2');
  }, /name: .*already the name of the restore Job/],
  ['MySqlSingleNode.addRestoreJob twice with one Job name', () => {
    const db = new MySqlSingleNode(testChart('t'), 'db', { rootPassword: ROOT, logicalBackup: {} });
    db.addRestoreJob('R1', { name: 'again' });
    db.addRestoreJob('R2', { name: 'again' });
  }, /name: is already the name of the restore Job[\s\S]*"again"/],
  ['PostgreSQL memory 1Ki', () => new PostgresCluster(testChart('t'), 'db', { storage: { size: '10Gi' }, resources: { memory: '1Ki' } }),
    /resources\.memory: is below 256Mi[\s\S]*"1Ki"/],
  ['MySQL memory 1Ki', () => new MySqlSingleNode(testChart('t'), 'db', { rootPassword: ROOT, resources: { memory: '1Ki' } }), /resources\.memory: is below 256Mi[\s\S]*"1Ki"/],
  ['pooler memory 1Ki', () => new PostgresCluster(testChart('t'), 'db', { storage: { size: '10Gi' }, pooler: { resources: { memory: '1Ki' } } }),
    /pooler\.resources\.memory: is below 64Mi[\s\S]*"1Ki"/],
  ['PostgreSQL :latest told a PostgreSQL example', () => new PostgresCluster(testChart('t'), 'db', { storage: { size: '10Gi' }, version: PostgresVersion.fromImage('ghcr.io/cloudnative-pg/postgresql:latest', '17') }),
    /version\.image: [\s\S]*latest[\s\S]*e\.g\. ":18\.1"/],
  ['Cassandra :latest told a Cassandra example', () => {
    const problems = new (require('../../lib/core/errors').Problems)(testChart('t'), 'CassandraVersion');
    CassandraVersion.fromImage('cassandra:latest', '5.0')._validate(problems, 'version');
    problems.throwIfAny();
  }, /version\.image: [\s\S]*e\.g\. ":5\.0\.5"/],
  ['MySQL image without a tag keeps the MySQL example', () => new MySqlSingleNode(testChart('t'), 'db', { rootPassword: ROOT, version: MySqlVersion.fromImage('mysql', '8.4') }),
    /e\.g\. ":8\.4\.6"/],
  ['SchemaMigration schemas with a quote', () => migration('postgresql', { schema: Schema.inline('CREATE TABLE t (id int);'), schemas: ['public"; DROP'] }),
    /schemas: is not a list of distinct schema names/],
  ['SchemaMigration schemas empty list', () => migration('postgresql', { schema: Schema.inline('CREATE TABLE t (id int);'), schemas: [] }), /schemas: is not a list/],
  ['SchemaMigration schemas twice', () => migration('mysql', { schema: Schema.inline('CREATE TABLE t (id int);'), schemas: ['shop', 'shop'] }), /schemas: is not a list/],
  ['SchemaMigration with no migration files', () => migration('postgresql', { mode: MigrationMode.JOB, migrations: Migrations.fromFiles([]) }),
    /migrations: holds no migration files, so the migration would do nothing/],
  ['Cassandra keyspace helper with a bad name names the helper, not a directory', () => migration('cassandra', { migrations: Migrations.cassandraKeyspace('bad-name', 3) }),
    /migrations: Migrations\.cassandraKeyspace: keyspace name "bad-name" is not valid[^\n]*Fix: use letters/],
  ['S3 bucket name too short is a bucket problem', () => new PostgresCluster(testChart('t'), 'db', {
    storage: { size: '10Gi' },
    backup: { objectStore: { provider: ObjectStoreProvider.S3, destinationPath: 's3://ab/pg', s3: { inheritFromIamRole: true } } },
  } as any), /destinationPath: has a bucket name that is not valid/],
  ['MySQL skip-grant-tables', () => new MySqlSingleNode(testChart('t'), 'db', { rootPassword: ROOT, config: { extra: { 'skip-grant-tables': 'ON' } } }),
    /config\.extra: turns off every password and privilege check[\s\S]*"skip-grant-tables"/],
  ['MySQL skip_grant_tables', () => new MySqlSingleNode(testChart('t'), 'db', { rootPassword: ROOT, config: { extra: { skip_grant_tables: '' } } }), /config\.extra: turns off/],
];

function migration(engine: 'postgresql' | 'mysql' | 'cassandra', props: object): SchemaMigration {
  const chart = testChart('shop');
  const db = new FakeDatabase(chart, 'db', engine);
  return new SchemaMigration(chart, 'migrate', { target: db, ...props } as any);
}

describe('legal but dangerous inputs raise a warning', () => {
  it.each([
    ['postgres:17.6', true], ['docker.io/library/postgres:17.6', true], ['library/postgres:16.4-bookworm', true],
    ['ghcr.io/cloudnative-pg/postgresql:17.6', false], ['registry.local/mirror/postgres-cnpg:17.6', false],
  ])('PostgresVersion.fromImage(%p): Docker Hub warning %p', (image, warned) => {
    const db = new PostgresCluster(testChart('t'), 'db', { storage: { size: '10Gi' }, version: PostgresVersion.fromImage(image) });
    expect(Warnings.collect(db).map(w => w.id).includes('postgres-docker-hub-image')).toBe(warned);
  });
});

describe('accepted-but-wrong inputs become synth errors', () => {
  it.each(rows)('%s', (_name, make, message) => {
    expect(make).toThrow(ValidationError);
    expect(make).toThrow(message);
  });
});
