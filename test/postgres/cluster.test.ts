import { Cron, Duration, Testing } from 'cdk8s';
import { ValidationError } from '../../lib/core/errors';
import { AlertSeverity } from '../../lib/core/monitoring';
import { NetworkPeer } from '../../lib/core/network';
import {
  AntiAffinity, Bootstrap, DataDurability, ImageCatalogKind, ObjectStoreProvider, PoolMode, PostgresCluster, PostgresClusterProps, PostgresSecretKey, PostgresVersion,
  PrimaryUpdateMethod, PrimaryUpdateStrategy, ZoneSpread,
} from '../../lib/postgres';
import { findObject, synthValid, testChart } from '../support/synth';

function synth(props: Partial<PostgresClusterProps> = {}, id = 'orders') {
  const chart = testChart('shop');
  const db = new PostgresCluster(chart, id, { storage: { size: '20Gi' }, ...props });
  return { chart, db, manifests: synthValid(chart) };
}

function validationError(fn: () => unknown): ValidationError {
  try {
    fn();
  } catch (e) {
    if (e instanceof ValidationError) return e;
    throw e;
  }
  throw new Error('expected a ValidationError');
}

const S3 = {
  provider: ObjectStoreProvider.S3,
  destinationPath: 's3://acme-backups/orders',
  s3: {
    accessKeyId: { secretName: 'backup-s3', key: 'ACCESS_KEY_ID' },
    secretAccessKey: { secretName: 'backup-s3', key: 'ACCESS_SECRET_KEY' },
  },
};

describe('PostgresCluster defaults', () => {
  const { db, manifests } = synth();
  const cluster = findObject(manifests, 'Cluster', 'orders');

  test('snapshot', () => {
    expect(manifests).toMatchSnapshot();
  });

  test('three instances, pinned image with the major first, operator PDB, no superuser', () => {
    expect(cluster.apiVersion).toBe('postgresql.cnpg.io/v1');
    expect(cluster.metadata.namespace).toBe('shop');
    expect(cluster.spec.instances).toBe(3);
    expect(cluster.spec.imageName).toBe('ghcr.io/cloudnative-pg/postgresql:18.1');
    expect(cluster.spec.imagePullPolicy).toBe('IfNotPresent');
    expect(cluster.spec.enablePDB).toBe(true);
    expect(cluster.spec.enableSuperuserAccess).toBe(false);
    expect(cluster.spec.primaryUpdateStrategy).toBe('unsupervised');
    expect(cluster.spec.primaryUpdateMethod).toBe('switchover');
  });

  test('storage and resources: memory request equals limit', () => {
    expect(cluster.spec.storage).toEqual({ size: '20Gi', resizeInUseVolumes: true });
    expect(cluster.spec.walStorage).toBeUndefined();
    expect(cluster.spec.resources).toEqual({ requests: { cpu: '500m', memory: '1Gi' }, limits: { memory: '1Gi' } });
  });

  test('required anti-affinity across nodes and spread across zones', () => {
    expect(cluster.spec.affinity).toEqual({ enablePodAntiAffinity: true, podAntiAffinityType: 'required', topologyKey: 'kubernetes.io/hostname' });
    expect(cluster.spec.topologySpreadConstraints).toEqual([{
      maxSkew: 1, topologyKey: 'topology.kubernetes.io/zone', whenUnsatisfiable: 'ScheduleAnyway', labelSelector: { matchLabels: { 'cnpg.io/cluster': 'orders' } },
    }]);
  });

  test('bootstrap initdb app/app with checksums; kept on prune; standard labels', () => {
    expect(cluster.spec.bootstrap).toEqual({ initdb: { database: 'app', owner: 'app', dataChecksums: true, encoding: 'UTF8' } });
    expect(cluster.metadata.annotations['helm.sh/resource-policy']).toBe('keep');
    expect(cluster.metadata.annotations['argocd.argoproj.io/sync-options']).toBe('Prune=false,Delete=false');
    expect(cluster.metadata.labels['app.kubernetes.io/component']).toBe('database');
    expect(cluster.spec.postgresql).toBeUndefined();
    expect(cluster.spec.plugins).toBeUndefined();
  });

  test('connection info and pod selector', () => {
    expect(db.connection).toEqual(expect.objectContaining({
      engine: 'postgresql', namespace: 'shop', host: 'orders-rw.shop.svc', readOnlyHost: 'orders-ro.shop.svc', anyHost: 'orders-r.shop.svc',
      port: 5432, database: 'app', tls: true, majorVersion: '18',
    }));
    expect(db.connection.secret).toEqual(expect.objectContaining({ name: 'orders-app', usernameKey: 'username', passwordKey: 'password' }));
    expect(db.connection.secret!.extraKeys).toEqual(expect.objectContaining({ uri: 'uri', jdbcUri: 'jdbc-uri' }));
    expect(db.podSelector).toEqual({ 'cnpg.io/cluster': 'orders' });
    expect(db.connection.adminSecret).toBeUndefined();
    expect(db.secretEnv('JDBC', PostgresSecretKey.JDBC_URI).valueFrom!.secretKeyRef!.key).toBe('jdbc-uri');
    expect(db.secretEnv('DATABASE_URL')).toEqual({ name: 'DATABASE_URL', valueFrom: { secretKeyRef: { name: 'orders-app', key: 'uri' } } });
  });

  test('NetworkPolicy: peers on 5432/8000, operator on 8000/5432, scraper on 9187, no client yet', () => {
    const policy = findObject(manifests, 'NetworkPolicy', 'orders');
    expect(policy.spec.podSelector).toEqual({ matchLabels: { 'cnpg.io/cluster': 'orders', 'cnpg.io/podRole': 'instance' } });
    const rules = policy.spec.ingress.map((r: any) => ({ from: r.from, ports: r.ports.map((p: any) => p.port) }));
    expect(rules).toEqual([
      { from: [{ podSelector: { matchLabels: { 'cnpg.io/cluster': 'orders' } } }], ports: [5432, 8000] },
      { from: [{ namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': 'cnpg-system' } }, podSelector: { matchLabels: { 'app.kubernetes.io/name': 'cloudnative-pg' } } }], ports: [8000, 5432] },
      { from: [{ namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': 'monitoring' } }, podSelector: { matchLabels: { 'app.kubernetes.io/name': 'prometheus' } } }], ports: [9187] },
    ]);
    for (const rule of policy.spec.ingress) expect(rule.from.length).toBeGreaterThan(0);
  });

  test('PodMonitor on the metrics port and a PrometheusRule', () => {
    const monitor = findObject(manifests, 'PodMonitor', 'orders');
    expect(monitor.spec.selector.matchLabels['cnpg.io/cluster']).toBe('orders');
    expect(monitor.spec.podMetricsEndpoints).toEqual([{ port: 'metrics' }]);
    const rule = findObject(manifests, 'PrometheusRule', 'orders');
    const alerts = rule.spec.groups[0].rules.map((r: any) => r.alert);
    expect(alerts).toEqual(expect.arrayContaining(['CNPGClusterOffline', 'CNPGClusterHACritical', 'CNPGClusterHADegraded', 'CNPGReplicationLagHigh',
      'CNPGConnectionsHigh', 'CNPGConnectionsCritical', 'CNPGDiskFilling', 'CNPGDiskAlmostFull', 'CNPGInstancesOnSameNode', 'CNPGZoneSpreadLow']));
    expect(alerts).not.toContain('CNPGLastBackupTooOld');
  });

  test('emits only the Cluster, its NetworkPolicy and monitoring', () => {
    expect(manifests.map(m => m.kind).sort()).toEqual(['Cluster', 'NetworkPolicy', 'PodMonitor', 'PrometheusRule']);
  });
});

describe('PostgresCluster with every feature', () => {
  const chart = testChart('shop');
  const db = new PostgresCluster(chart, 'Db', {
    name: 'orders',
    instances: 5,
    version: PostgresVersion.V16,
    storage: { size: '100Gi', storageClass: 'fast-ssd' },
    walStorage: { size: '20Gi', storageClass: 'fast-ssd' },
    resources: { cpu: '2', memory: '8Gi', cpuLimit: '4' },
    scheduling: {
      antiAffinity: AntiAffinity.REQUIRED, zoneSpread: ZoneSpread.REQUIRED, nodeSelector: { 'node-role/db': 'true' },
      tolerations: [{ key: 'dedicated', operator: 'Equal', value: 'db', effect: 'NoSchedule' }], priorityClassName: 'database-critical',
    },
    parameters: { max_connections: '300', shared_buffers: '2GB', 'pg_stat_statements.max': '10000' },
    pgHba: ['hostssl all all 10.0.0.0/8 scram-sha-256'],
    sharedPreloadLibraries: ['pg_cron'],
    bootstrap: Bootstrap.initdb({ database: 'orders', owner: 'orders_owner', postInitApplicationSql: ['CREATE EXTENSION IF NOT EXISTS pg_trgm'] }),
    roles: [{ name: 'reporting', passwordSecret: 'reporting-credentials', inRoles: ['pg_read_all_data'], connectionLimit: 10, validUntil: '2027-01-01T00:00:00Z' }],
    databases: [{ name: 'reports', owner: 'reporting', extensions: ['pg_trgm'] }, { name: 'audit_log', owner: 'orders_owner' }],
    backup: { objectStore: { ...S3, endpointUrl: 'https://minio.storage.svc:9000', retention: '4w' }, schedule: Cron.schedule({ minute: '15', hour: '1' }) },
    logicalBackup: { storage: { size: '50Gi' }, keep: 5, schedule: Cron.schedule({ minute: '0', hour: '4' }) },
    pooler: { instances: 3, poolMode: PoolMode.TRANSACTION, readOnly: true, parameters: { max_client_conn: '1000' } },
    monitoring: {
      replicationLag: Duration.seconds(10), labels: { release: 'prometheus' }, alertLabels: { team: 'orders' },
      scraper: NetworkPeer.fromPodLabels({ app: 'prometheus' }, 'observability'),
      extraAlertRules: [{ alert: 'OrdersCheckoutSlow', expr: 'histogram_quantile(0.99, rate(checkout_seconds_bucket[5m])) > 2', summary: 'Checkout is slow', severity: AlertSeverity.CRITICAL, pendingFor: Duration.minutes(10) }],
    },
    network: { operatorNamespace: 'cnpg-operator' },
    tls: { serverTlsSecret: 'orders-server-tls', serverCaSecret: 'orders-ca', clientCaSecret: 'orders-client-ca', replicationTlsSecret: 'orders-replication-tls' },
    primaryUpdateStrategy: PrimaryUpdateStrategy.SUPERVISED,
    primaryUpdateMethod: PrimaryUpdateMethod.RESTART,
    description: 'orders database',
    synchronous: { number: 2, dataDurability: DataDurability.PREFERRED },
    workloadIdentity: { serviceAccountAnnotations: { 'eks.amazonaws.com/role-arn': 'arn:aws:iam::123456789012:role/orders-backup' }, podLabels: { 'azure.workload.identity/use': 'true' } },
  });
  db.allowFrom(NetworkPeer.fromPodLabels({ app: 'api' }));
  db.allowFrom(NetworkPeer.fromPodLabels({ app: 'batch' }, 'jobs'));
  const manifests = synthValid(chart);
  const cluster = findObject(manifests, 'Cluster', 'orders');

  test('cluster fields', () => {
    expect(cluster.spec.instances).toBe(5);
    expect(cluster.spec.imageName).toBe('ghcr.io/cloudnative-pg/postgresql:16.11');
    expect(cluster.spec.walStorage).toEqual({ size: '20Gi', storageClass: 'fast-ssd', resizeInUseVolumes: true });
    expect(cluster.spec.resources).toEqual({ requests: { cpu: '2', memory: '8Gi' }, limits: { memory: '8Gi', cpu: '4' } });
    expect(cluster.spec.affinity.nodeSelector).toEqual({ 'node-role/db': 'true' });
    expect(cluster.spec.affinity.tolerations).toEqual([{ key: 'dedicated', operator: 'Equal', value: 'db', effect: 'NoSchedule' }]);
    expect(cluster.spec.priorityClassName).toBe('database-critical');
    expect(cluster.spec.topologySpreadConstraints[0].whenUnsatisfiable).toBe('DoNotSchedule');
    expect(cluster.spec.postgresql).toEqual({
      parameters: { max_connections: '300', shared_buffers: '2GB', 'pg_stat_statements.max': '10000' },
      pg_hba: ['hostssl all all 10.0.0.0/8 scram-sha-256'],
      shared_preload_libraries: ['pg_cron'],
      synchronous: { method: 'any', number: 2, dataDurability: 'preferred' },
    });
    expect(cluster.spec.serviceAccountTemplate).toEqual({ metadata: { annotations: { 'eks.amazonaws.com/role-arn': 'arn:aws:iam::123456789012:role/orders-backup' } } });
    expect(cluster.spec.inheritedMetadata).toEqual({ labels: { 'azure.workload.identity/use': 'true' } });
    expect(cluster.spec.bootstrap.initdb).toEqual(expect.objectContaining({ database: 'orders', owner: 'orders_owner', postInitApplicationSQL: ['CREATE EXTENSION IF NOT EXISTS pg_trgm'] }));
    expect(cluster.spec.certificates).toEqual({ serverTLSSecret: 'orders-server-tls', serverCASecret: 'orders-ca', clientCASecret: 'orders-client-ca', replicationTLSSecret: 'orders-replication-tls' });
    expect(cluster.spec.primaryUpdateStrategy).toBe('supervised');
    expect(cluster.spec.primaryUpdateMethod).toBe('restart');
    expect(cluster.spec.description).toBe('orders database');
  });

  test('managed roles with password Secret references, never superuser', () => {
    expect(cluster.spec.managed.roles).toEqual([expect.objectContaining({
      name: 'reporting', ensure: 'present', login: true, superuser: false, passwordSecret: { name: 'reporting-credentials' }, inRoles: ['pg_read_all_data'], connectionLimit: 10,
      validUntil: '2027-01-01T00:00:00Z',
    })]);
  });

  test('Database resources owned by existing roles, retained', () => {
    const reports = findObject(manifests, 'Database', 'orders-reports');
    expect(reports.spec).toEqual(expect.objectContaining({ cluster: { name: 'orders' }, name: 'reports', owner: 'reporting', databaseReclaimPolicy: 'retain', ensure: 'present' }));
    expect(reports.spec.extensions).toEqual([{ name: 'pg_trgm', ensure: 'present' }]);
    expect(findObject(manifests, 'Database', 'orders-audit-log').spec.owner).toBe('orders_owner');
  });

  test('Barman Cloud plugin: ObjectStore, plugins entry as WAL archiver, ScheduledBackup with six fields', () => {
    const store = findObject(manifests, 'ObjectStore', 'orders-backup');
    expect(store.apiVersion).toBe('barmancloud.cnpg.io/v1');
    expect(store.spec.retentionPolicy).toBe('4w');
    expect(store.spec.configuration).toEqual(expect.objectContaining({
      destinationPath: 's3://acme-backups/orders', endpointURL: 'https://minio.storage.svc:9000',
      s3Credentials: { accessKeyId: { name: 'backup-s3', key: 'ACCESS_KEY_ID' }, secretAccessKey: { name: 'backup-s3', key: 'ACCESS_SECRET_KEY' } },
    }));
    expect(store.metadata.annotations['helm.sh/resource-policy']).toBe('keep');
    expect(store.spec.instanceSidecarConfiguration.resources).toEqual({ requests: { cpu: '100m', memory: '256Mi' }, limits: { memory: '256Mi' } });
    expect(cluster.spec.plugins).toEqual([{ name: 'barman-cloud.cloudnative-pg.io', enabled: true, isWALArchiver: true, parameters: { barmanObjectName: 'orders-backup' } }]);
    const scheduled = findObject(manifests, 'ScheduledBackup', 'orders-backup');
    expect(scheduled.spec).toEqual({
      cluster: { name: 'orders' }, schedule: '0 15 1 * * *', method: 'plugin', pluginConfiguration: { name: 'barman-cloud.cloudnative-pg.io' },
      immediate: true, suspend: false, target: 'prefer-standby', backupOwnerReference: 'self',
    });
    expect(JSON.stringify(manifests)).not.toMatch(/"schedule":"15 1 \* \* \*"/);
  });

  test('poolers rw and ro with their own policies and PodMonitors', () => {
    const rw = findObject(manifests, 'Pooler', 'orders-pooler-rw');
    expect(rw.spec).toEqual(expect.objectContaining({ cluster: { name: 'orders' }, type: 'rw', instances: 3 }));
    expect(rw.spec.pgbouncer).toEqual({ poolMode: 'transaction', parameters: { max_client_conn: '1000' } });
    expect(rw.spec.template.spec.containers[0]).toEqual({ name: 'pgbouncer', resources: { requests: { cpu: '100m', memory: '128Mi' }, limits: { memory: '128Mi' } } });
    expect(findObject(manifests, 'Pooler', 'orders-pooler-ro').spec.type).toBe('ro');
    const policy = findObject(manifests, 'NetworkPolicy', 'orders-pooler-rw');
    expect(policy.spec.podSelector.matchLabels).toEqual({ 'cnpg.io/poolerName': 'orders-pooler-rw' });
    const ports = policy.spec.ingress.map((r: any) => r.ports.map((p: any) => p.port));
    expect(ports).toEqual([[9127], [5432], [5432]]);
    expect(findObject(manifests, 'PodMonitor', 'orders-pooler-rw').spec.selector.matchLabels).toEqual({ 'cnpg.io/poolerName': 'orders-pooler-rw' });
    expect(db.poolerConnection!.host).toBe('orders-pooler-rw.shop.svc');
    expect(db.poolerConnection!.readOnlyHost).toBe('orders-pooler-ro.shop.svc');
  });

  test('allowFrom admits clients on 5432 only, to instances and poolers, across namespaces', () => {
    const policy = findObject(manifests, 'NetworkPolicy', 'orders');
    const clientRules = policy.spec.ingress.filter((r: any) => r.ports[0].port === 5432 && r.from.some((f: any) => f.podSelector?.matchLabels?.app));
    expect(clientRules).toEqual([
      { from: [{ podSelector: { matchLabels: { app: 'api' } } }], ports: [{ protocol: 'TCP', port: 5432 }] },
      { from: [{ podSelector: { matchLabels: { app: 'batch' } }, namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': 'jobs' } } }], ports: [{ protocol: 'TCP', port: 5432 }] },
    ]);
    const operatorRule = policy.spec.ingress.find((r: any) => r.from[0].namespaceSelector?.matchLabels['kubernetes.io/metadata.name'] === 'cnpg-operator');
    expect(operatorRule).toBeDefined();
    const scraper = policy.spec.ingress.find((r: any) => r.ports[0].port === 9187);
    expect(scraper.from).toEqual([{ podSelector: { matchLabels: { app: 'prometheus' } }, namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': 'observability' } } }]);
    // the logical backup pods and the poolers reach the instances
    expect(policy.spec.ingress.some((r: any) => r.from[0].podSelector?.matchLabels?.['app.kubernetes.io/component'] === 'logical-backup')).toBe(true);
    expect(policy.spec.ingress.some((r: any) => r.from[0].podSelector?.matchLabels?.['cnpg.io/poolerName'] === 'orders-pooler-ro')).toBe(true);
  });

  test('logical backup: CronJob never concurrent, bounded, retained volume, credentials from the app Secret', () => {
    const cron = findObject(manifests, 'CronJob', 'orders-dump');
    expect(cron.spec).toEqual(expect.objectContaining({ schedule: '0 4 * * *', concurrencyPolicy: 'Forbid', timeZone: 'Etc/UTC', startingDeadlineSeconds: 3600, successfulJobsHistoryLimit: 3, failedJobsHistoryLimit: 3 }));
    const job = cron.spec.jobTemplate.spec;
    expect(job).toEqual(expect.objectContaining({ backoffLimit: 1, activeDeadlineSeconds: 10800, ttlSecondsAfterFinished: 86400 }));
    const container = job.template.spec.containers[0];
    expect(container.image).toBe('ghcr.io/cloudnative-pg/postgresql:16.11');
    const env = Object.fromEntries(container.env.map((e: any) => [e.name, e.value ?? e.valueFrom]));
    expect(env).toEqual(expect.objectContaining({
      PGHOST: 'orders-rw.shop.svc', PGDATABASE: 'orders', PGSSLMODE: 'require', BACKUP_KEEP: '5', BACKUP_DIR: '/backup',
      PGUSER: { secretKeyRef: { name: 'orders-app', key: 'username' } }, PGPASSWORD: { secretKeyRef: { name: 'orders-app', key: 'password' } },
    }));
    expect(job.template.spec.securityContext).toEqual(expect.objectContaining({ runAsNonRoot: true, runAsUser: 26 }));
    const pvc = findObject(manifests, 'PersistentVolumeClaim', 'orders-dumps');
    expect(pvc.spec.resources.requests.storage).toBe('50Gi');
    expect(pvc.metadata.annotations['helm.sh/resource-policy']).toBe('keep');
  });

  test('alerts include backups, logical backups, poolers and custom labels', () => {
    const rule = findObject(manifests, 'PrometheusRule', 'orders');
    const rules = rule.spec.groups[0].rules;
    const byName = Object.fromEntries(rules.map((r: any) => [r.alert, r]));
    expect(Object.keys(byName)).toEqual(expect.arrayContaining(['CNPGLastBackupTooOld', 'CNPGBackupFailing', 'CNPGLogicalBackupFailed', 'CNPGLogicalBackupTooOld', 'CNPGPoolerUnavailable']));
    expect(byName.CNPGLastBackupTooOld.expr).toContain('barman_cloud_cloudnative_pg_io_last_available_backup_timestamp');
    expect(byName.CNPGLastBackupTooOld.expr).toContain('> 93600'); // daily schedule: 24 h + 2 h
    expect(byName.CNPGReplicationLagHigh.expr).toContain('> 10');
    expect(byName.CNPGClusterHADegraded.expr).toContain('< 4');
    for (const r of rules) expect(r.labels).toEqual(expect.objectContaining({ team: 'orders', namespace: 'shop', cnpg_cluster: 'orders' }));
    expect(rule.metadata.labels.release).toBe('prometheus');
    expect(byName.OrdersCheckoutSlow).toEqual({
      alert: 'OrdersCheckoutSlow', expr: 'histogram_quantile(0.99, rate(checkout_seconds_bucket[5m])) > 2', for: '10m',
      labels: { team: 'orders', severity: 'critical', namespace: 'shop', cnpg_cluster: 'orders' },
      annotations: { summary: 'Checkout is slow', description: 'Checkout is slow' },
    });
    expect(rules[rules.length - 1].alert).toBe('OrdersCheckoutSlow');
  });

  test('a restore Job runs the restore script with the chosen dump', () => {
    db.addRestoreJob('Restore', { file: 'orders-20260101T030000000000000Z.dump' });
    const job = findObject(synthValid(chart), 'Job', 'orders-restore');
    expect(job.spec.template.spec.containers[0].env).toEqual(expect.arrayContaining([{ name: 'RESTORE_FILE', value: 'orders-20260101T030000000000000Z.dump' }]));
    expect(job.spec).toEqual(expect.objectContaining({ backoffLimit: 0, ttlSecondsAfterFinished: 86400 }));
    expect(() => db.addRestoreJob('Bad', { file: '../etc/passwd' })).toThrow(ValidationError);
    expect(() => db.addRestoreJob('BadName', { name: 'Restore_Now' })).toThrow(ValidationError);
  });
});

describe('PostgresCluster bootstrap and backup variants', () => {
  test('recovery from an ObjectStore to a point in time', () => {
    const { manifests, db } = synth({
      name: 'orders-v2',
      bootstrap: Bootstrap.recovery({ objectStore: { name: 'orders-backup', serverName: 'orders' }, targetTime: '2026-03-01T12:00:00Z', database: 'orders' }),
      backup: { objectStore: { ...S3, name: 'orders-backup' } },
    });
    const cluster = findObject(manifests, 'Cluster', 'orders-v2');
    expect(cluster.spec.bootstrap).toEqual({ recovery: { database: 'orders', owner: 'orders', source: 'origin', recoveryTarget: { targetTime: '2026-03-01T12:00:00Z' } } });
    expect(cluster.spec.externalClusters).toEqual([{ name: 'origin', plugin: { name: 'barman-cloud.cloudnative-pg.io', parameters: { barmanObjectName: 'orders-backup', serverName: 'orders' } } }]);
    expect(cluster.spec.plugins[0].parameters).toEqual({ barmanObjectName: 'orders-backup' });
    expect(db.connection.database).toBe('orders');
  });

  test('recovery from volume snapshots', () => {
    const { manifests } = synth({
      walStorage: { size: '5Gi' },
      bootstrap: Bootstrap.recovery({ volumeSnapshots: { storage: 'orders-snap-data', walStorage: 'orders-snap-wal' } }),
      backup: { volumeSnapshot: { className: 'csi-snapclass' } },
    });
    const cluster = findObject(manifests, 'Cluster', 'orders');
    expect(cluster.spec.bootstrap.recovery.volumeSnapshots).toEqual({
      storage: { name: 'orders-snap-data', kind: 'VolumeSnapshot', apiGroup: 'snapshot.storage.k8s.io' },
      walStorage: { name: 'orders-snap-wal', kind: 'VolumeSnapshot', apiGroup: 'snapshot.storage.k8s.io' },
    });
    expect(cluster.spec.backup).toEqual({ volumeSnapshot: { className: 'csi-snapclass', online: true } });
    expect(cluster.spec.plugins).toBeUndefined();
    const scheduled = findObject(manifests, 'ScheduledBackup');
    expect(scheduled.spec.method).toBe('volumeSnapshot');
    expect(scheduled.spec.pluginConfiguration).toBeUndefined();
    expect(scheduled.spec.schedule).toBe('0 0 2 * * *');
  });

  test('clone of another server with pg_basebackup', () => {
    const { manifests } = synth({
      bootstrap: Bootstrap.clone({ host: 'legacy-db.legacy.svc', password: { secretName: 'legacy-replication', key: 'password' } }),
    });
    const cluster = findObject(manifests, 'Cluster', 'orders');
    expect(cluster.spec.bootstrap).toEqual({ pg_basebackup: { source: 'origin', database: 'app', owner: 'app' } });
    expect(cluster.spec.externalClusters).toEqual([{
      name: 'origin',
      connectionParameters: { host: 'legacy-db.legacy.svc', port: '5432', user: 'streaming_replica', dbname: 'postgres', sslmode: 'require' },
      password: { name: 'legacy-replication', key: 'password' },
    }]);
  });

  test('image catalog reference', () => {
    const { manifests, db } = synth({ version: PostgresVersion.fromImageCatalog(17, { name: 'postgresql', kind: ImageCatalogKind.CLUSTER_IMAGE_CATALOG }) });
    const cluster = findObject(manifests, 'Cluster', 'orders');
    expect(cluster.spec.imageName).toBeUndefined();
    expect(cluster.spec.imageCatalogRef).toEqual({ apiGroup: 'postgresql.cnpg.io', kind: 'ClusterImageCatalog', name: 'postgresql', major: 17 });
    expect(db.connection.majorVersion).toBe('17');
  });

  test('custom image with a digest; user-supplied owner Secret becomes the connection secret', () => {
    const image = `registry.local:5000/pg/postgresql:17.6-standard-trixie@sha256:${'a'.repeat(64)}`;
    const { manifests, db } = synth({ version: PostgresVersion.fromImage(image), bootstrap: Bootstrap.initdb({ database: 'orders', secret: 'orders-owner' }) });
    expect(findObject(manifests, 'Cluster').spec.imageName).toBe(image);
    expect(findObject(manifests, 'Cluster').spec.bootstrap.initdb.secret).toEqual({ name: 'orders-owner' });
    expect(db.connection.secret).toEqual({ name: 'orders-owner', usernameKey: 'username', passwordKey: 'password' });
    expect(db.connection.majorVersion).toBe('17');
  });

  test.each([
    ['azure connection string', { provider: ObjectStoreProvider.AZURE, destinationPath: 'https://acct.blob.core.windows.net/backups/orders', azure: { connectionString: { secretName: 'az', key: 'conn' } } }, 'azureCredentials', { connectionString: { name: 'az', key: 'conn' } }],
    ['azure workload identity', { provider: ObjectStoreProvider.AZURE, destinationPath: 'https://acct.blob.core.windows.net/backups', azure: { inheritFromAzureAd: true } }, 'azureCredentials', { inheritFromAzureAD: true }],
    ['google key', { provider: ObjectStoreProvider.GOOGLE, destinationPath: 'gs://acme-backups/orders', google: { applicationCredentials: { secretName: 'gcs', key: 'key.json' } } }, 'googleCredentials', { applicationCredentials: { name: 'gcs', key: 'key.json' } }],
    ['gke workload identity', { provider: ObjectStoreProvider.GOOGLE, destinationPath: 'gs://acme-backups', google: { gkeEnvironment: true } }, 'googleCredentials', { gkeEnvironment: true }],
    ['s3 IAM role', { provider: ObjectStoreProvider.S3, destinationPath: 's3://acme-backups', s3: { inheritFromIamRole: true } }, 's3Credentials', { inheritFromIAMRole: true }],
  ])('object store: %s', (_name, objectStore, key, expected) => {
    const { manifests } = synth({ backup: { objectStore } });
    expect(findObject(manifests, 'ObjectStore').spec.configuration[key]).toEqual(expected);
  });

  test('monitoring off renders no Prometheus objects; single instance has no HA alerts', () => {
    expect(synth({ monitoring: { enabled: false } }).manifests.map(m => m.kind)).not.toContain('PrometheusRule');
    const single = synth({ instances: 1 }).manifests;
    const alerts = findObject(single, 'PrometheusRule').spec.groups[0].rules.map((r: any) => r.alert);
    expect(alerts).not.toContain('CNPGClusterHACritical');
    expect(alerts).not.toContain('CNPGZoneSpreadLow');
  });

  test('superuser access: the operator superuser Secret becomes connection.adminSecret', () => {
    const { manifests, db } = synth({ superuserAccess: true, acknowledge: ['cnpg-superuser'] });
    expect(findObject(manifests, 'Cluster').spec.enableSuperuserAccess).toBe(true);
    expect(db.connection.adminSecret).toEqual(expect.objectContaining({ name: 'orders-superuser', usernameKey: 'username', passwordKey: 'password' }));
    expect(db.connection.secret!.name).toBe('orders-app');
  });

  test('disruptionBudget: false turns the operator PDB off', () => {
    // verification flags it (cnpg-ha), so synthesize without it
    const chart = testChart('shop');
    new PostgresCluster(chart, 'orders', { storage: { size: '20Gi' }, disruptionBudget: false });
    expect(findObject(Testing.synth(chart), 'Cluster').spec.enablePDB).toBe(false);
  });

  test('extra alert rules render even with the built-in alerts off', () => {
    const { manifests } = synth({ monitoring: { alerts: false, extraAlertRules: [{ alert: 'Mine', expr: 'up == 0', summary: 'down', pendingFor: Duration.seconds(90) }] } });
    const rules = findObject(manifests, 'PrometheusRule').spec.groups[0].rules;
    expect(rules).toEqual([expect.objectContaining({ alert: 'Mine', for: '90s', labels: expect.objectContaining({ severity: 'warning' }) })]);
    expect(synth({ monitoring: { alerts: false } }).manifests.map(m => m.kind)).not.toContain('PrometheusRule');
  });

  test('logical backup options: Durations and retries render as the Job settings', () => {
    const { manifests, db } = synth({
      logicalBackup: {
        storage: { size: '5Gi', storageClass: 'backup' }, timeout: Duration.hours(1), retries: 3, startingDeadline: Duration.minutes(10),
        keepFinishedJobsFor: Duration.hours(2), timeZone: 'Europe/Berlin',
      },
    });
    const cron = findObject(manifests, 'CronJob', 'orders-dump');
    expect(cron.spec).toEqual(expect.objectContaining({ schedule: '30 3 * * *', timeZone: 'Europe/Berlin', startingDeadlineSeconds: 600 }));
    expect(cron.spec.jobTemplate.spec).toEqual(expect.objectContaining({ activeDeadlineSeconds: 3600, backoffLimit: 3, ttlSecondsAfterFinished: 7200 }));
    expect(findObject(manifests, 'PersistentVolumeClaim', 'orders-dumps').spec.storageClassName).toBe('backup');
    db.addRestoreJob(undefined, { name: 'orders-restore-now' });
    expect(findObject(synthValid(db.node.scope as any), 'Job', 'orders-restore-now').spec.template.spec.containers[0].env)
      .toEqual(expect.arrayContaining([{ name: 'RESTORE_FILE', value: 'latest' }]));
  });

  test('addRestoreJob without a logical backup is refused', () => {
    const { db } = synth();
    const err = validationError(() => db.addRestoreJob());
    expect(err.fields).toEqual(['logicalBackup']);
  });

  test('allowFrom refuses what is not a NetworkPeer', () => {
    const { db } = synth();
    expect(() => db.allowFrom({ podLabels: { app: 'x' } } as any)).toThrow(ValidationError);
  });

  test('the name comes from the prop, not the construct path', () => {
    const chart = testChart('shop');
    const { Construct } = require('constructs');
    const wrapper = new Construct(chart, 'Wrapper');
    new PostgresCluster(wrapper, 'Db', { name: 'orders', storage: { size: '20Gi' } });
    expect(findObject(synthValid(chart), 'Cluster').metadata.name).toBe('orders');
  });
});

describe('PostgresCluster bad input', () => {
  const base: PostgresClusterProps = { storage: { size: '20Gi' } };
  const cases: Array<[string, Partial<PostgresClusterProps> | any, string[]]> = [
    ['storage in GB', { storage: { size: '20GB' } }, ['storage.size']],
    ['negative storage', { storage: { size: '-1Gi' } }, ['storage.size']],
    ['tiny storage', { storage: { size: '100Mi' } }, ['storage.size']],
    ['no storage', { storage: undefined }, ['storage.size']],
    ['storage without a size', { storage: { storageClass: 'fast' } }, ['storage.size']],
    ['tiny WAL storage', { walStorage: { size: '512Mi' } }, ['walStorage.size']],
    ['bad WAL size', { walStorage: { size: 'ten' } }, ['walStorage.size']],
    ['bad memory', { resources: { memory: '4 GB' } }, ['resources.memory']],
    ['zero instances', { instances: 0 }, ['instances']],
    ['fractional instances', { instances: 2.5 }, ['instances']],
    ['two bootstrap methods as a plain object', { bootstrap: { initdb: {}, recovery: { objectStore: { name: 'old', serverName: 'old' } } } }, ['bootstrap']],
    ['three bootstrap methods as a plain object', { bootstrap: { initdb: {}, recovery: { volumeSnapshots: { storage: 's' } }, clone: { host: 'h', password: { secretName: 'p', key: 'k' } } } }, ['bootstrap']],
    ['schedule as a string', { backup: { objectStore: S3, schedule: '0 2 * * *' } }, ['backup.schedule']],
    ['cron every minute', { backup: { objectStore: S3, schedule: Cron.everyMinute() } }, ['backup.schedule']],
    ['cron every ten minutes', { backup: { objectStore: S3, schedule: Cron.schedule({ minute: '*/10' }) } }, ['backup.schedule']],
    ['invalid cron value', { backup: { objectStore: S3, schedule: Cron.schedule({ minute: '0', hour: '25' }) } }, ['backup.schedule']],
    ['latest image', { version: PostgresVersion.fromImage('ghcr.io/cloudnative-pg/postgresql:latest') }, ['version.image']],
    ['untagged image', { version: PostgresVersion.fromImage('ghcr.io/cloudnative-pg/postgresql') }, ['version.image']],
    ['tag not starting with the major', { version: PostgresVersion.fromImage('ghcr.io/cloudnative-pg/postgresql:v17.6') }, ['version.image']],
    ['unsupported major', { version: PostgresVersion.fromImage('postgres:12.22') }, ['version.major']],
    ['unsupported catalog major', { version: PostgresVersion.fromImageCatalog(13, { name: 'pg' }) }, ['version.major']],
    ['bad catalog kind', { version: PostgresVersion.fromImageCatalog(17, { name: 'pg', kind: 'Catalog' as any }) }, ['version.catalog.kind']],
    ['major given that the tag contradicts', { version: PostgresVersion.fromImage('ghcr.io/cloudnative-pg/postgresql:17.6', '16') }, ['version.image']],
    ['unknown database owner', { databases: [{ name: 'reports', owner: 'nobody' }] }, ['databases[0].owner']],
    ['owner role marked absent', { roles: [{ name: 'reporting', ensure: 'absent' }], databases: [{ name: 'reports', owner: 'reporting' }] }, ['databases[0].owner']],
    ['bad role ensure', { roles: [{ name: 'reporting', ensure: 'gone' }] }, ['roles[0].ensure']],
    ['bad database reclaim policy', { databases: [{ name: 'reports', owner: 'app', reclaimPolicy: 'keep' }] }, ['databases[0].reclaimPolicy']],
    ['reserved database', { databases: [{ name: 'postgres', owner: 'app' }] }, ['databases[0].name']],
    ['reserved role', { roles: [{ name: 'postgres' }] }, ['roles[0].name']],
    ['role drops the owner', { roles: [{ name: 'app', ensure: 'absent' as any }] }, ['roles']],
    ['role gives the owner another password', { roles: [{ name: 'app', passwordSecret: 'other' }] }, ['roles']],
    ['invalid retention', { backup: { objectStore: { ...S3, retention: '30 days' } } }, ['backup.objectStore.retention']],
    ['zero retention', { backup: { objectStore: { ...S3, retention: '0d' } } }, ['backup.objectStore.retention']],
    ['invalid timestamp', { bootstrap: Bootstrap.recovery({ objectStore: { name: 'old', serverName: 'old' }, targetTime: '2026-03-01 12:00' }) }, ['bootstrap.recovery.targetTime']],
    ['impossible date', { bootstrap: Bootstrap.recovery({ objectStore: { name: 'old', serverName: 'old' }, targetTime: '2026-02-30T12:00:00Z' }) }, ['bootstrap.recovery.targetTime']],
    ['point in time without WAL', { bootstrap: Bootstrap.recovery({ volumeSnapshots: { storage: 'snap' }, targetTime: '2026-03-01T12:00:00Z' }) }, ['bootstrap.recovery.targetTime']],
    ['recovery without source', { bootstrap: Bootstrap.recovery({}) }, ['bootstrap.recovery']],
    ['WAL snapshot without walStorage', { bootstrap: Bootstrap.recovery({ volumeSnapshots: { storage: 'snap', walStorage: 'snap-wal' } }) }, ['bootstrap.recovery.volumeSnapshots.walStorage']],
    ['recovering onto its own archive', { bootstrap: Bootstrap.recovery({ objectStore: { name: 'orders-backup', serverName: 'orders' } }), backup: { objectStore: S3 } }, ['bootstrap.recovery.objectStore.serverName']],
    ['clone without credentials', { bootstrap: Bootstrap.clone({ host: 'old-db' }) }, ['bootstrap.clone']],
    ['clone with a bad sslmode', { bootstrap: Bootstrap.clone({ host: 'old-db', password: { secretName: 'p', key: 'k' }, sslMode: 'disable' as any }) }, ['bootstrap.clone.sslMode']],
    ['bad initdb database', { bootstrap: Bootstrap.initdb({ database: 'template1' }) }, ['bootstrap.initdb.database']],
    ['operator-managed parameter', { parameters: { archive_mode: 'off' } }, ['parameters.archive_mode']],
    ['port parameter', { parameters: { port: '5433' } }, ['parameters.port']],
    ['shared_preload_libraries as parameter', { parameters: { shared_preload_libraries: 'pg_cron' } }, ['parameters.shared_preload_libraries']],
    ['numeric parameter value', { parameters: { max_connections: 200 } }, ['parameters.max_connections']],
    ['pg_hba trust', { pgHba: ['host all all 0.0.0.0/0 trust'] }, ['pgHba[0]']],
    ['pg_hba garbage', { pgHba: ['allow everyone'] }, ['pgHba[0]']],
    ['uppercase name', { name: 'Orders' }, ['name']],
    ['name too long', { name: 'a'.repeat(51) }, ['name']],
    ['name starting with a digit', { name: '1orders' }, ['name']],
    ['s3 credentials missing', { backup: { objectStore: { provider: ObjectStoreProvider.S3, destinationPath: 's3://acme-backups' } } }, ['backup.objectStore.s3']],
    ['s3 half credentials', { backup: { objectStore: { provider: ObjectStoreProvider.S3, destinationPath: 's3://acme-backups', s3: { accessKeyId: { secretName: 'a', key: 'b' } } } } }, ['backup.objectStore.s3']],
    ['unknown provider', { backup: { objectStore: { ...S3, provider: 'minio' } } }, ['backup.objectStore.provider']],
    ['bad WAL compression', { backup: { objectStore: { ...S3, walCompression: 'rar' } } }, ['backup.objectStore.walCompression']],
    ['bad encryption', { backup: { objectStore: { ...S3, encryption: 'rot13' } } }, ['backup.objectStore.encryption']],
    ['bad backup method', { backup: { objectStore: S3, method: 'dump' } }, ['backup.method']],
    ['bad backup target', { backup: { objectStore: S3, target: 'any' } }, ['backup.target']],
    ['wrong scheme for provider', { backup: { objectStore: { ...S3, destinationPath: 'gs://acme-backups' } } }, ['backup.objectStore.destinationPath']],
    ['azure creds on s3', { backup: { objectStore: { ...S3, azure: { inheritFromAzureAd: true } } } }, ['backup.objectStore.azure']],
    ['backup without target', { backup: { schedule: Cron.schedule({ minute: '0', hour: '2' }) } }, ['backup']],
    ['TLS cert without CA', { tls: { serverTlsSecret: 'server-tls' } }, ['tls.serverCaSecret']],
    ['logical backup size in GB', { logicalBackup: { storage: { size: '10GB' } } }, ['logicalBackup.storage.size']],
    ['logical backup without a size', { logicalBackup: {} }, ['logicalBackup.storage.size']],
    ['logical backup schedule as a string', { logicalBackup: { storage: { size: '10Gi' }, schedule: '0 0 2 * * *' } }, ['logicalBackup.schedule']],
    ['logical backup bad cron', { logicalBackup: { storage: { size: '10Gi' }, schedule: Cron.schedule({ minute: '61' }) } }, ['logicalBackup.schedule']],
    ['logical backup with an older pg_dump', { logicalBackup: { storage: { size: '10Gi' }, image: 'ghcr.io/cloudnative-pg/postgresql:16.11' } }, ['logicalBackup.image']],
    ['logical backup keep 0', { logicalBackup: { storage: { size: '10Gi' }, keep: 0 } }, ['logicalBackup.keep']],
    ['logical backup bad format', { logicalBackup: { storage: { size: '10Gi' }, format: 'tar' } }, ['logicalBackup.format']],
    ['logical backup bad time zone', { logicalBackup: { storage: { size: '10Gi' }, timeZone: 'Mars/Olympus' } }, ['logicalBackup.timeZone']],
    ['logical backup timeout too short', { logicalBackup: { storage: { size: '10Gi' }, timeout: Duration.seconds(5) } }, ['logicalBackup.timeout']],
    ['logical backup negative retries', { logicalBackup: { storage: { size: '10Gi' }, retries: -1 } }, ['logicalBackup.retries']],
    ['pooler managed parameter', { pooler: { parameters: { pool_mode: 'statement' } } }, ['pooler.parameters.pool_mode']],
    ['pooler zero instances', { pooler: { instances: 0 } }, ['pooler.instances']],
    ['bad pool mode', { pooler: { poolMode: 'statement' } }, ['pooler.poolMode']],
    ['bad anti-affinity', { scheduling: { antiAffinity: 'sometimes' } }, ['scheduling.antiAffinity']],
    ['bad zone spread', { scheduling: { zoneSpread: 'everywhere' } }, ['scheduling.zoneSpread']],
    ['bad node selector', { scheduling: { nodeSelector: { 'bad key!': 'x' } } }, ['scheduling.nodeSelector']],
    ['bad priority class', { scheduling: { priorityClassName: 'Critical Stuff' } }, ['scheduling.priorityClassName']],
    ['bad update method', { primaryUpdateMethod: 'reboot' }, ['primaryUpdateMethod']],
    ['bad update strategy', { primaryUpdateStrategy: 'manual' }, ['primaryUpdateStrategy']],
    ['bad synchronous method', { synchronous: { number: 1, method: 'all' } }, ['synchronous.method']],
    ['bad data durability', { synchronous: { number: 1, dataDurability: 'maybe' } }, ['synchronous.dataDurability']],
    ['replication lag as seconds', { monitoring: { replicationLag: 30 } }, ['monitoring.replicationLag']],
    ['backup max age under an hour', { monitoring: { backupMaxAge: Duration.minutes(5) } }, ['monitoring.backupMaxAge']],
    ['scraper not a NetworkPeer', { monitoring: { scraper: { podLabels: { app: 'prometheus' } } } }, ['monitoring.scraper']],
    ['extra alert rule without expr', { monitoring: { extraAlertRules: [{ alert: 'X', expr: '', summary: 'x' }] } }, ['monitoring.extraAlertRules[0].expr']],
    ['bad operator namespace', { network: { operatorNamespace: 'CNPG' } }, ['network.operatorNamespace']],
    ['bad acknowledge id', { acknowledge: ['Not An Id'] }, ['acknowledge[0]']],
    ['synchronous standbys not fewer than instances', { synchronous: { number: 3 } }, ['synchronous.number']],
    ['synchronous on a single instance', { instances: 1, synchronous: { number: 1 } }, ['synchronous.number']],
    ['bad role expiry', { roles: [{ name: 'etl', validUntil: 'next year' }] }, ['roles[0].validUntil']],
    ['bad workload identity label', { workloadIdentity: { podLabels: { 'azure.workload.identity/use': 'yes please' } } }, ['workloadIdentity.podLabels']],
  ];

  test.each(cases)('%s', (_name, props, fields) => {
    const err = validationError(() => new PostgresCluster(testChart('shop'), 'orders', { ...base, ...props }));
    expect(err.fields).toEqual(expect.arrayContaining(fields));
    expect(err.message).toContain("Invalid PostgresCluster at 'test/orders'");
  });

  test('every problem is reported at once and nothing is emitted', () => {
    const chart = testChart('shop');
    const err = validationError(() => new PostgresCluster(chart, 'orders', {
      storage: { size: 'big' }, instances: -1, parameters: { port: '1' }, backup: { objectStore: { ...S3, retention: 'forever' } },
    }));
    expect(err.fields).toEqual(expect.arrayContaining(['storage.size', 'instances', 'parameters.port', 'backup.objectStore.retention']));
    expect(Testing.synth(chart)).toEqual([]);
  });

  test('a chart without a namespace is refused', () => {
    const { Chart } = require('cdk8s');
    const err = validationError(() => new PostgresCluster(new Chart(Testing.app(), 'x'), 'orders', base));
    expect(err.fields).toContain('namespace');
  });
});
