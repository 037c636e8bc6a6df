import { Cron, Duration } from 'cdk8s';
import fc from 'fast-check';
import {
  AntiAffinity, Bootstrap, DataDurability, PoolMode, PostgresVersion, PgDumpFormat, PrimaryUpdateMethod, SynchronousMethod, ZoneSpread,
} from '../../../lib/postgres';

/** Mostly good values, sometimes bad ones. */
function mostly<T>(good: fc.Arbitrary<T>, bad: fc.Arbitrary<T>): fc.Arbitrary<T> {
  return fc.oneof({ arbitrary: good, weight: 30 }, { arbitrary: bad, weight: 1 });
}

const size = mostly(fc.constantFrom('1Gi', '20Gi', '500Gi', '2Ti'), fc.constantFrom('20GB', '-1Gi', '0', '100Mi', 'big'));
const ref = (secretName: string, key: string) => ({ secretName, key });
const objectStore = mostly(fc.constantFrom<any>(
  { provider: 's3', destinationPath: 's3://acme-backups/pg', s3: { accessKeyId: ref('s3', 'id'), secretAccessKey: ref('s3', 'key') }, retention: '30d' },
  { provider: 's3', destinationPath: 's3://acme-backups', endpointUrl: 'https://minio.minio.svc:9000', s3: { inheritFromIamRole: true }, retention: '12m' },
  { provider: 'azure', destinationPath: 'https://acct.blob.core.windows.net/pg', azure: { storageAccount: ref('az', 'account'), storageKey: ref('az', 'key') }, retention: '4w' },
  { provider: 'google', destinationPath: 'gs://acme-backups/pg', google: { gkeEnvironment: true } },
), fc.constantFrom<any>(
  { provider: 's3', destinationPath: 's3://acme-backups', s3: {} },
  { provider: 'gcs', destinationPath: 'gs://x' },
  { provider: 's3', destinationPath: 's3://acme-backups', s3: { inheritFromIamRole: true }, retention: '30 days' },
  { provider: 'azure', destinationPath: 's3://wrong', azure: { inheritFromAzureAd: true } },
));

/** PostgresCluster props: mostly valid, sometimes not, so both outcomes are reached. */
export const postgresClusterProps = fc.record({
  name: mostly(fc.constantFrom('orders', 'billing-db', 'pg1'), fc.constantFrom('Orders', '1pg', 'a'.repeat(51), '')),
  instances: mostly(fc.integer({ min: 1, max: 9 }), fc.constantFrom(0, -1, 2.5, 100)),
  version: mostly(fc.constantFrom(PostgresVersion.V14, PostgresVersion.V15, PostgresVersion.V16, PostgresVersion.V17, PostgresVersion.V18,
    PostgresVersion.fromImage('ghcr.io/cloudnative-pg/postgresql:17.6-standard-trixie'), PostgresVersion.fromImageCatalog(16, { name: 'postgresql' })),
  fc.constantFrom(PostgresVersion.fromImage('postgres:latest'), PostgresVersion.fromImage('postgres'), PostgresVersion.fromImage('postgres:12.1'), PostgresVersion.fromImageCatalog(9, { name: 'pg' }))),
  storage: fc.record({ size, storageClass: fc.option(mostly(fc.constantFrom('standard', 'fast-ssd'), fc.constant('Fast SSD')), { nil: undefined }) }),
  walStorage: fc.option(fc.record({ size }), { nil: undefined }),
  resources: fc.option(fc.record({ cpu: mostly(fc.constantFrom('250m', '1', '4'), fc.constant('one')), memory: mostly(fc.constantFrom('512Mi', '2Gi', '16Gi'), fc.constant('2GB')) }, { requiredKeys: [] }), { nil: undefined }),
  scheduling: fc.option(fc.record({
    antiAffinity: mostly(fc.constantFrom(AntiAffinity.REQUIRED, AntiAffinity.PREFERRED), fc.constant('never' as any)),
    zoneSpread: fc.constantFrom(ZoneSpread.REQUIRED, ZoneSpread.PREFERRED, ZoneSpread.NONE),
    nodeSelector: fc.option(mostly<Record<string, string>>(fc.constant({ 'node-role/db': 'true' }), fc.constant({ 'bad key!': 'x' })), { nil: undefined }),
    priorityClassName: fc.option(fc.constantFrom('db-critical'), { nil: undefined }),
  }, { requiredKeys: [] }), { nil: undefined }),
  parameters: fc.option(fc.dictionary(
    mostly(fc.constantFrom('max_connections', 'shared_buffers', 'work_mem', 'pg_stat_statements.max'), fc.constantFrom('archive_mode', 'port', 'ssl', 'Bad Name')),
    mostly(fc.constantFrom('100', '256MB', 'on'), fc.constant(42 as any)), { maxKeys: 3 }), { nil: undefined }),
  pgHba: fc.option(fc.array(mostly(fc.constantFrom('hostssl all all 10.0.0.0/8 scram-sha-256', 'host app app 0.0.0.0/0 scram-sha-256'), fc.constantFrom('host all all 0.0.0.0/0 trust', 'nonsense')), { maxLength: 2 }), { nil: undefined }),
  bootstrap: fc.option(fc.oneof(
    { weight: 5, arbitrary: fc.record({ database: mostly(fc.constantFrom('app', 'orders'), fc.constantFrom('Orders', 'postgres')), owner: fc.option(fc.constantFrom('app', 'owner_1'), { nil: undefined }) }, { requiredKeys: [] }).map(p => Bootstrap.initdb(p)) },
    { weight: 5, arbitrary: fc.record({
      objectStore: fc.option(fc.constant({ name: 'old-store', serverName: 'old', external: true }), { nil: undefined, freq: 5 }),
      targetTime: fc.option(mostly(fc.constantFrom('2026-03-01T12:00:00Z', '2025-12-31T23:59:59+01:00'), fc.constantFrom('yesterday', '2026-02-30T00:00:00Z')), { nil: undefined }),
    }, { requiredKeys: [] }).map(p => Bootstrap.recovery(p)) },
    { weight: 1, arbitrary: fc.constant({ initdb: {}, recovery: { objectStore: { name: 'old-store', serverName: 'old' } } } as any) },
  ), { nil: undefined }),
  roles: fc.option(fc.array(fc.record({ name: mostly(fc.constantFrom('reporting', 'etl', 'readonly_1'), fc.constantFrom('postgres', 'Bad')), passwordSecret: fc.option(fc.constantFrom('role-secret'), { nil: undefined }),
    validUntil: fc.option(mostly(fc.constantFrom('2027-01-01T00:00:00Z', '2026-06-30T12:00:00+02:00'), fc.constant('soon')), { nil: undefined }) }), { maxLength: 2 }), { nil: undefined }),
  synchronous: fc.option(fc.record({ number: fc.integer({ min: 0, max: 4 }), method: fc.constantFrom(SynchronousMethod.ANY, SynchronousMethod.FIRST), dataDurability: fc.constantFrom(DataDurability.REQUIRED, DataDurability.PREFERRED) }), { nil: undefined }),
  databases: fc.option(fc.array(fc.record({ name: mostly(fc.constantFrom('reports', 'audit', 'etl_stage'), fc.constantFrom('template1', 'Bad')), owner: mostly(fc.constant('app'), fc.constantFrom('ghost', 'reporting')) }), { maxLength: 2 }), { nil: undefined }),
  backup: fc.option(fc.record({
    objectStore: fc.option(objectStore, { nil: undefined }),
    volumeSnapshot: fc.option(fc.constant({ className: 'csi-snapclass' }), { nil: undefined }),
    schedule: fc.option(mostly(fc.constantFrom(Cron.schedule({ minute: '0', hour: '2' }), Cron.schedule({ minute: '0', hour: '3' }), Cron.schedule({ minute: '30', hour: '1', weekDay: '0' }), Cron.schedule({ minute: '0', hour: '*/6' })),
      fc.constantFrom(Cron.everyMinute(), Cron.schedule({ minute: '*/5' }), Cron.schedule({ minute: 'x', hour: 'y' }), '0 2 * * *' as any)), { nil: undefined }),
  }, { requiredKeys: [] }), { nil: undefined }),
  logicalBackup: fc.option(fc.record({
    storage: fc.record({ size }),
    keep: mostly(fc.integer({ min: 1, max: 60 }), fc.constantFrom(0, -3, 1.5)),
    schedule: fc.option(mostly(fc.constantFrom(Cron.schedule({ minute: '30', hour: '3' }), Cron.schedule({ minute: '0', hour: '*/12' })), fc.constantFrom('0 0 3 * * *' as any, Cron.schedule({ minute: '61' }))), { nil: undefined }),
    format: fc.option(fc.constantFrom(PgDumpFormat.CUSTOM, PgDumpFormat.PLAIN_GZIP), { nil: undefined }),
    timeout: fc.option(mostly(fc.constantFrom(Duration.hours(1), Duration.hours(6)), fc.constant(Duration.seconds(1))), { nil: undefined }),
  }, { requiredKeys: ['storage'] }), { nil: undefined }),
  pooler: fc.option(fc.record({
    instances: mostly(fc.integer({ min: 1, max: 5 }), fc.constant(0)),
    poolMode: fc.constantFrom(PoolMode.SESSION, PoolMode.TRANSACTION),
    readOnly: fc.boolean(),
    parameters: fc.option(mostly<Record<string, string>>(fc.constant({ max_client_conn: '500' }), fc.constant({ listen_port: '6432' })), { nil: undefined }),
  }, { requiredKeys: [] }), { nil: undefined }),
  monitoring: fc.option(fc.record({ enabled: fc.boolean(), replicationLag: mostly(fc.integer({ min: 1, max: 600 }).map(n => Duration.seconds(n)), fc.constant(Duration.seconds(0))) }, { requiredKeys: [] }), { nil: undefined }),
  superuserAccess: fc.option(fc.boolean(), { nil: undefined }),
  primaryUpdateMethod: fc.option(fc.constantFrom(PrimaryUpdateMethod.SWITCHOVER, PrimaryUpdateMethod.RESTART), { nil: undefined }),
}, { requiredKeys: ['storage'] });
