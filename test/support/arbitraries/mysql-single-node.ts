import { Cron, Duration } from 'cdk8s';
import * as fc from 'fast-check';
import { Credentials } from '../../../lib/core';
import { MySqlAccessMode, MySqlVersion, MySqlWorkload } from '../../../lib/mysql';
import type { S3Credentials } from '../../../lib/postgres';

/** Mostly valid values, sometimes invalid ones, so both outcomes are exercised. */
const mostly = <T>(valid: fc.Arbitrary<T>, invalid: fc.Arbitrary<T>): fc.Arbitrary<T> =>
  fc.oneof({ arbitrary: valid, weight: 12 }, { arbitrary: invalid, weight: 1 });
const size = mostly(
  fc.oneof(fc.constantFrom('1Gi', '10Gi', '512Mi', '100Gi', '1.5Gi', '2Ti', '10G'), fc.integer({ min: 1, max: 2000 }).map(n => `${n}Gi`)),
  fc.oneof(fc.constantFrom('10GB', '0', '-1Gi', '', 'Gi'), fc.string({ maxLength: 6 })),
);
const memory = mostly(fc.constantFrom('512Mi', '1Gi', '2Gi', '4Gi', '16Gi'), fc.constantFrom('2GB', '0', '-1Mi'));
const name = mostly(
  fc.oneof(fc.constantFrom('orders', 'db', 'a', 'blog-db', 'x'.repeat(45)), fc.stringMatching(/^[a-z][a-z0-9]{0,20}(-[a-z0-9]{1,10})?$/)),
  fc.oneof(fc.constantFrom('x'.repeat(46), 'x'.repeat(54), 'Orders', '1db', 'db-', 'o_rders', ''), fc.string({ maxLength: 70 })),
);
/** MySqlSingleNode props (rootPassword aside): mostly valid, sometimes not. */
export const mySqlSingleNodeProps = fc.record({
  name,
  workload: mostly(fc.constantFrom(MySqlWorkload.DEPLOYMENT, MySqlWorkload.STATEFUL_SET), fc.constant('DaemonSet' as any)),
  storage: fc.record({
    size,
    storageClass: mostly(fc.constantFrom('standard', 'fast-ssd', 'gp3'), fc.constantFrom('Fast SSD', '-x')),
    accessMode: mostly(fc.constantFrom(MySqlAccessMode.READ_WRITE_ONCE, MySqlAccessMode.READ_WRITE_ONCE_POD), fc.constant('ReadWriteMany' as any)),
  }, { requiredKeys: [] }),
  version: mostly(fc.constantFrom(MySqlVersion.V8_0, MySqlVersion.V8_4, MySqlVersion.fromImage('mysql:8.4.8'), MySqlVersion.fromImage('mirror.local/mysql:8.0.45@sha256:' + 'a'.repeat(64))),
    fc.constantFrom(MySqlVersion.fromImage('mysql:latest'), MySqlVersion.fromImage('mirror/mysql'), MySqlVersion.fromImage('mysql:lts'))),
  database: mostly(fc.constantFrom('app', 'shop_1', 'Orders'), fc.constantFrom('mysql', 'my-db', '')),
  user: mostly(fc.constant(Credentials.fromSecret('app-user')), fc.constant(Credentials.fromSecret('Bad Name'))),
  resources: fc.record({ cpu: mostly(fc.constantFrom('250m', '1', '2'), fc.constantFrom('0', 'one')), memory }, { requiredKeys: [] }),
  config: fc.record({
    maxConnections: mostly(fc.integer({ min: 1, max: 100000 }), fc.integer({ min: -10, max: 0 })),
    innodbBufferPoolSize: mostly(fc.constantFrom('128Mi', '256Mi', '400Mi'), fc.constantFrom('64GB', '1Ti', '1Mi')),
    characterSet: mostly(fc.constantFrom('utf8mb4', 'latin1'), fc.constantFrom('UTF-8', '')),
    slowQueryThreshold: mostly(fc.integer({ min: 1, max: 3600_000 }).map(ms => Duration.millis(ms)),
      fc.constantFrom(Duration.millis(0), Duration.seconds(5000), Duration.millis(0.5))),
    extra: fc.dictionary(
      mostly(fc.constantFrom('innodb_log_file_size', 'table_open_cache', 'sql_mode', 'innodb-flush-log-at-trx-commit'), fc.constantFrom('datadir', 'Bad Key', 'ssl_key_password')),
      mostly(fc.constantFrom('1000', 'STRICT_ALL_TABLES', '2', ''), fc.constant('a\nb')), { maxKeys: 3 }),
  }, { requiredKeys: [] }),
  initScripts: fc.dictionary(mostly(fc.constantFrom('01-a.sql', '02-b.sh'), fc.constantFrom('x.txt', '../a.sql')), mostly(fc.constant('SELECT 1;'), fc.constant('')), { maxKeys: 2 }),
  logicalBackup: fc.option(fc.record({
    schedule: mostly(
      fc.constantFrom({ minute: '0', hour: '3' }, { minute: '*/15' }, { minute: '0', hour: '3', weekDay: 'MON-FRI' }, { minute: '30', hour: '2', day: '1' }).map(o => Cron.schedule(o)),
      fc.constantFrom({ minute: '0 0', hour: '3' }, { minute: '61' }, { minute: 'x' }, { minute: '0', hour: '3', day: 'L' }).map(o => Cron.schedule(o))),
    keep: mostly(fc.integer({ min: 1, max: 1000 }), fc.integer({ min: -1, max: 0 })),
    storage: fc.record({ size }, { requiredKeys: [] }),
    timeZone: mostly(fc.constantFrom('Etc/UTC', 'Europe/Berlin', 'America/New_York'), fc.constantFrom('Mars/Base', 'utc+1')),
    objectStore: fc.option(fc.record({
      destinationPath: mostly(fc.constantFrom('s3://backups', 's3://backups/mysql/orders', 's3://a.b-c/x/'), fc.constantFrom('gs://b', 's3://B', 's3://b/a b', '')),
      endpointUrl: fc.option(mostly(fc.constantFrom('https://minio.storage.svc:9000', 'http://10.0.0.1'), fc.constantFrom('minio:9000', 'ftp://x')), { nil: undefined }),
      s3: mostly<S3Credentials>(
        fc.constantFrom({ inheritFromIamRole: true }, { accessKeyId: { secretName: 's3', key: 'id' }, secretAccessKey: { secretName: 's3', key: 'secret' } }),
        fc.constantFrom({}, { accessKeyId: { secretName: 's3', key: 'id' } }, { inheritFromIamRole: true, accessKeyId: { secretName: 's3', key: 'id' } })),
      keep: fc.option(mostly(fc.integer({ min: 1, max: 1000 }), fc.constant(0)), { nil: undefined }),
    }), { nil: undefined }),
    keepOnVolume: fc.option(fc.boolean(), { nil: undefined }),
    pointInTimeRecovery: fc.option(fc.boolean(), { nil: undefined }),
  }, { requiredKeys: [] }), { nil: undefined }),
  monitoring: fc.option(fc.record({
    exporterCredentials: fc.constant(Credentials.fromSecret('exporter')),
    podMonitor: fc.boolean(),
    enabled: fc.boolean(),
    extraAlertRules: fc.constantFrom([], [{ alert: 'DbDown', expr: 'mysql_up == 0', summary: 'down' }]),
  }, { requiredKeys: ['exporterCredentials'] }), { nil: undefined }),
  startupTimeout: fc.option(mostly(fc.integer({ min: 1, max: 120 }).map(m => Duration.minutes(m)), fc.constantFrom(Duration.seconds(5), Duration.days(2))), { nil: undefined }),
  disruptionBudget: fc.boolean(),
}, { requiredKeys: [] });
