import { Duration } from 'cdk8s';
import { ValidationError } from '../../lib/core/errors';
import { BarmanLogLevel, ImagePullPolicy, ObjectStoreProvider, ObjectStoreProps, PostgresCluster, PostgresClusterProps, PostgresVersion } from '../../lib/postgres';
import { findObject, synthValid, testChart } from '../support/synth';

function cluster(props: Partial<PostgresClusterProps>) {
  const chart = testChart('shop');
  new PostgresCluster(chart, 'orders', { storage: { size: '20Gi' }, ...props });
  return findObject(synthValid(chart), 'Cluster', 'orders').spec;
}

function fields(props: Partial<PostgresClusterProps>): string[] {
  try {
    new PostgresCluster(testChart('shop'), 'orders', { storage: { size: '20Gi' }, ...props });
  } catch (e) {
    if (e instanceof ValidationError) return e.fields;
    throw e;
  }
  throw new Error('expected a ValidationError');
}

describe('PostgresCluster lifecycle settings', () => {
  test('defaults leave CloudNativePG\'s timeouts, no maintenance window, no slot sync', () => {
    const spec = cluster({});
    expect(spec.imagePullPolicy).toBe('IfNotPresent');
    for (const key of ['startDelay', 'stopDelay', 'smartShutdownTimeout', 'switchoverDelay', 'failoverDelay', 'nodeMaintenanceWindow', 'replicationSlots', 'superuserSecret']) {
      expect(spec[key]).toBeUndefined();
    }
    expect(spec.affinity.topologyKey).toBe('kubernetes.io/hostname');
  });

  test('timeouts in seconds, maintenance window, pull policy, slot sync, superuser Secret, quorum failover, topology key', () => {
    const spec = cluster({
      imagePullPolicy: ImagePullPolicy.ALWAYS,
      timeouts: { startupTimeout: Duration.hours(2), terminationGracePeriod: Duration.minutes(10), smartShutdownTimeout: Duration.minutes(1), switchoverTimeout: Duration.minutes(20), failoverDelay: Duration.seconds(30) },
      nodeMaintenance: { inProgress: true, reuseVolumes: false },
      logicalSlotSync: true,
      superuserAccess: true,
      superuserSecret: 'orders-superuser-own',
      synchronous: { number: 1, failoverQuorum: true },
      scheduling: { antiAffinityTopologyKey: 'topology.kubernetes.io/rack' },
      acknowledge: ['cnpg-superuser'],
    });
    expect(spec).toMatchObject({
      imagePullPolicy: 'Always', startDelay: 7200, stopDelay: 600, smartShutdownTimeout: 60, switchoverDelay: 1200, failoverDelay: 30,
      nodeMaintenanceWindow: { inProgress: true, reusePVC: false },
      replicationSlots: { highAvailability: { enabled: true, synchronizeLogicalDecoding: true } },
      superuserSecret: { name: 'orders-superuser-own' },
    });
    expect(spec.postgresql.synchronous.failoverQuorum).toBe(true);
    expect(spec.affinity.topologyKey).toBe('topology.kubernetes.io/rack');
  });

  test.each<[string, Partial<PostgresClusterProps>, string[]]>([
    ['bad pull policy', { imagePullPolicy: 'sometimes' as any }, ['imagePullPolicy']],
    ['fractional timeout', { timeouts: { startupTimeout: Duration.millis(1500) } }, ['timeouts.startupTimeout']],
    ['smart shutdown longer than the grace period', { timeouts: { terminationGracePeriod: Duration.minutes(2), smartShutdownTimeout: Duration.minutes(5) } }, ['timeouts.smartShutdownTimeout']],
    ['maintenance dropping the only volume', { instances: 1, nodeMaintenance: { inProgress: true, reuseVolumes: false } }, ['nodeMaintenance.reuseVolumes']],
    ['slot sync on 16 without pg_failover_slots', { version: PostgresVersion.V16, logicalSlotSync: true }, ['logicalSlotSync']],
    ['superuser Secret without superuser access', { superuserSecret: 'su' }, ['superuserSecret']],
    ['bad topology key', { scheduling: { antiAffinityTopologyKey: 'not a key' } }, ['scheduling.antiAffinityTopologyKey']],
  ])('bad input: %s', (_name, props, expected) => {
    expect(fields(props)).toEqual(expected);
  });

  test('tablespaces on their own volumes, owned by a role of the cluster', () => {
    const spec = cluster({
      roles: [{ name: 'archiver' }],
      tablespaces: [{ name: 'archive', storage: { size: '100Gi', storageClass: 'cold' }, owner: 'archiver' }, { name: 'scratch', storage: { size: '10Gi' }, temporary: true }],
    });
    expect(spec.tablespaces).toEqual([
      { name: 'archive', storage: { size: '100Gi', storageClass: 'cold', resizeInUseVolumes: true }, owner: { name: 'archiver' } },
      { name: 'scratch', storage: { size: '10Gi', resizeInUseVolumes: true }, temporary: true },
    ]);
  });

  test.each<[string, Partial<PostgresClusterProps>, string[]]>([
    ['reserved tablespace name', { tablespaces: [{ name: 'pg_default', storage: { size: '1Gi' } }] }, ['tablespaces[0].name']],
    ['tablespace twice', { tablespaces: [{ name: 'a', storage: { size: '1Gi' } }, { name: 'a', storage: { size: '1Gi' } }] }, ['tablespaces[1].name']],
    ['tablespace without size', { tablespaces: [{ name: 'a', storage: {} as any }] }, ['tablespaces[0].storage.size']],
    ['tablespace owner unknown', { tablespaces: [{ name: 'a', storage: { size: '1Gi' }, owner: 'ghost' }] }, ['tablespaces[0].owner']],
  ])('bad input: %s', (_name, props, expected) => {
    expect(fields(props)).toEqual(expected);
  });

  const S3: ObjectStoreProps = {
    provider: ObjectStoreProvider.S3, destinationPath: 's3://acme-backups/orders',
    s3: { accessKeyId: { secretName: 's3', key: 'id' }, secretAccessKey: { secretName: 's3', key: 'key' } },
  };

  test('Barman Cloud tunables reach the ObjectStore', () => {
    const chart = testChart('shop');
    new PostgresCluster(chart, 'orders', {
      storage: { size: '20Gi' },
      backup: { objectStore: { ...S3, walMaxParallel: 4, dataJobs: 3, immediateCheckpoint: true, backupExtraOptions: ['--min-chunk-size=5MB'], walArchiveExtraOptions: ['--max-concurrency=2'],
        retentionCheckInterval: Duration.hours(1), logLevel: BarmanLogLevel.DEBUG } },
    });
    const spec = findObject(synthValid(chart), 'ObjectStore', 'orders-backup').spec;
    expect(spec.configuration.wal).toEqual({ compression: 'gzip', maxParallel: 4, archiveAdditionalCommandArgs: ['--max-concurrency=2'] });
    expect(spec.configuration.data).toEqual({ compression: 'gzip', jobs: 3, immediateCheckpoint: true, additionalCommandArgs: ['--min-chunk-size=5MB'] });
    expect(spec.instanceSidecarConfiguration).toMatchObject({ retentionPolicyIntervalSeconds: 3600, logLevel: 'debug' });
  });

  test.each<[string, Partial<ObjectStoreProps>, string[]]>([
    ['no parallel WAL', { walMaxParallel: 0 }, ['backup.objectStore.walMaxParallel']],
    ['fractional jobs', { dataJobs: 1.5 }, ['backup.objectStore.dataJobs']],
    ['option with a space', { backupExtraOptions: ['--a b'] }, ['backup.objectStore.backupExtraOptions']],
    ['not an option', { walArchiveExtraOptions: ['rm'] }, ['backup.objectStore.walArchiveExtraOptions']],
    ['retention checked every second', { retentionCheckInterval: Duration.seconds(1) }, ['backup.objectStore.retentionCheckInterval']],
    ['bad log level', { logLevel: 'loud' as any }, ['backup.objectStore.logLevel']],
  ])('bad Barman Cloud tunable: %s', (_name, tunable, expected) => {
    expect(fields({ backup: { objectStore: { ...S3, ...tunable } } })).toEqual(expected);
  });

  test('slot sync on 16 with pg_failover_slots is accepted', () => {
    expect(cluster({ version: PostgresVersion.V16, logicalSlotSync: true, sharedPreloadLibraries: ['pg_failover_slots'] }).replicationSlots.highAvailability.synchronizeLogicalDecoding).toBe(true);
  });
});
