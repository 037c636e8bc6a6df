import { Testing } from 'cdk8s';
import { ValidationError } from '../../lib/core/errors';
import { PostgresCluster, PostgresClusterProps, PostgresVersion } from '../../lib/postgres';
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
  provider: 's3' as const,
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
      antiAffinity: 'required', zoneSpread: 'required', nodeSelector: { 'node-role/db': 'true' },
      tolerations: [{ key: 'dedicated', operator: 'Equal', value: 'db', effect: 'NoSchedule' }], priorityClassName: 'database-critical',
    },
    parameters: { max_connections: '300', shared_buffers: '2GB', 'pg_stat_statements.max': '10000' },
    pgHba: ['hostssl all all 10.0.0.0/8 scram-sha-256'],
    sharedPreloadLibraries: ['pg_cron'],
    bootstrap: { initdb: { database: 'orders', owner: 'orders_owner', postInitApplicationSql: ['CREATE EXTENSION IF NOT EXISTS pg_trgm'] } },
    roles: [{ name: 'reporting', passwordSecret: 'reporting-credentials', inRoles: ['pg_read_all_data'], connectionLimit: 10, validUntil: '2027-01-01T00:00:00Z' }],
    databases: [{ name: 'reports', owner: 'reporting', extensions: ['pg_trgm'] }, { name: 'audit_log', owner: 'orders_owner' }],
    backup: { objectStore: { ...S3, endpointUrl: 'https://minio.storage.svc:9000', retention: '4w' }, schedule: '15 1 * * *' },
    logicalBackup: { size: '50Gi', keep: 5, schedule: '0 4 * * *' },
    pooler: { instances: 3, poolMode: 'transaction', readOnly: true, parameters: { max_client_conn: '1000' } },
    monitoring: { replicationLagSeconds: 10, labels: { release: 'prometheus' }, alertLabels: { team: 'orders' } },
    network: { operatorNamespace: 'cnpg-operator', metricsScraper: { namespace: 'observability', podLabels: { app: 'prometheus' } } },
    tls: { serverTlsSecret: 'orders-server-tls', serverCaSecret: 'orders-ca', clientCaSecret: 'orders-client-ca', replicationTlsSecret: 'orders-replication-tls' },
    primaryUpdateStrategy: 'supervised',
    primaryUpdateMethod: 'restart',
    description: 'orders database',
    synchronous: { number: 2, dataDurability: 'preferred' },
    workloadIdentity: { serviceAccountAnnotations: { 'eks.amazonaws.com/role-arn': 'arn:aws:iam::123456789012:role/orders-backup' }, podLabels: { 'azure.workload.identity/use': 'true' } },
  });
  db.allowFrom({ podLabels: { app: 'api' } });
  db.allowFrom({ podLabels: { app: 'batch' }, namespace: 'jobs' });
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
  });

  test('a restore Job runs the restore script with the chosen dump', () => {
    db.logicalBackup!.addRestoreJob('Restore', { file: 'orders-20260101T030000000000000Z.dump' });
    const job = findObject(synthValid(chart), 'Job', 'orders-restore');
    expect(job.spec.template.spec.containers[0].env).toEqual(expect.arrayContaining([{ name: 'RESTORE_FILE', value: 'orders-20260101T030000000000000Z.dump' }]));
    expect(job.spec).toEqual(expect.objectContaining({ backoffLimit: 0, ttlSecondsAfterFinished: 86400 }));
    expect(() => db.logicalBackup!.addRestoreJob('Bad', { file: '../etc/passwd' })).toThrow(ValidationError);
  });
});

describe('PostgresCluster bootstrap and backup variants', () => {
  test('recovery from an ObjectStore to a point in time', () => {
    const { manifests, db } = synth({
      name: 'orders-v2',
      bootstrap: { recovery: { objectStore: { name: 'orders-backup', serverName: 'orders' }, targetTime: '2026-03-01T12:00:00Z', database: 'orders' } },
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
      bootstrap: { recovery: { volumeSnapshots: { storage: 'orders-snap-data', walStorage: 'orders-snap-wal' } } },
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
      bootstrap: { clone: { host: 'legacy-db.legacy.svc', password: { secretName: 'legacy-replication', key: 'password' } } },
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
    const { manifests, db } = synth({ version: PostgresVersion.fromImageCatalog(17, { name: 'postgresql', kind: 'ClusterImageCatalog' }) });
    const cluster = findObject(manifests, 'Cluster', 'orders');
    expect(cluster.spec.imageName).toBeUndefined();
    expect(cluster.spec.imageCatalogRef).toEqual({ apiGroup: 'postgresql.cnpg.io', kind: 'ClusterImageCatalog', name: 'postgresql', major: 17 });
    expect(db.connection.majorVersion).toBe('17');
  });

  test('custom image with a digest; user-supplied owner Secret becomes the connection secret', () => {
    const image = `registry.local:5000/pg/postgresql:17.6-standard-trixie@sha256:${'a'.repeat(64)}`;
    const { manifests, db } = synth({ version: PostgresVersion.fromImage(image), bootstrap: { initdb: { database: 'orders', secret: 'orders-owner' } } });
    expect(findObject(manifests, 'Cluster').spec.imageName).toBe(image);
    expect(findObject(manifests, 'Cluster').spec.bootstrap.initdb.secret).toEqual({ name: 'orders-owner' });
    expect(db.connection.secret).toEqual({ name: 'orders-owner', usernameKey: 'username', passwordKey: 'password' });
    expect(db.connection.majorVersion).toBe('17');
  });

  test.each([
    ['azure connection string', { provider: 'azure' as const, destinationPath: 'https://acct.blob.core.windows.net/backups/orders', azure: { connectionString: { secretName: 'az', key: 'conn' } } }, 'azureCredentials', { connectionString: { name: 'az', key: 'conn' } }],
    ['azure workload identity', { provider: 'azure' as const, destinationPath: 'https://acct.blob.core.windows.net/backups', azure: { inheritFromAzureAd: true } }, 'azureCredentials', { inheritFromAzureAD: true }],
    ['google key', { provider: 'google' as const, destinationPath: 'gs://acme-backups/orders', google: { applicationCredentials: { secretName: 'gcs', key: 'key.json' } } }, 'googleCredentials', { applicationCredentials: { name: 'gcs', key: 'key.json' } }],
    ['gke workload identity', { provider: 'google' as const, destinationPath: 'gs://acme-backups', google: { gkeEnvironment: true } }, 'googleCredentials', { gkeEnvironment: true }],
    ['s3 IAM role', { provider: 's3' as const, destinationPath: 's3://acme-backups', s3: { inheritFromIamRole: true } }, 's3Credentials', { inheritFromIAMRole: true }],
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
    ['no storage', { storage: undefined }, ['storage']],
    ['bad WAL size', { walStorage: { size: 'ten' } }, ['walStorage.size']],
    ['bad memory', { resources: { memory: '4 GB' } }, ['resources.memory']],
    ['zero instances', { instances: 0 }, ['instances']],
    ['fractional instances', { instances: 2.5 }, ['instances']],
    ['two bootstrap methods', { bootstrap: { initdb: {}, recovery: { objectStore: { name: 'old', serverName: 'old' } } } }, ['bootstrap']],
    ['three bootstrap methods', { bootstrap: { initdb: {}, recovery: { volumeSnapshots: { storage: 's' } }, clone: { host: 'h', password: { secretName: 'p', key: 'k' } } } }, ['bootstrap']],
    ['five-field cron passthrough impossible: seconds field wildcard', { backup: { objectStore: S3, schedule: '* 0 2 * * *' } }, ['backup.schedule']],
    ['cron with seven fields', { backup: { objectStore: S3, schedule: '0 0 2 * * * 2026' } }, ['backup.schedule']],
    ['cron every minute', { backup: { objectStore: S3, schedule: '* * * * *' } }, ['backup.schedule']],
    ['invalid cron value', { backup: { objectStore: S3, schedule: '0 25 * * *' } }, ['backup.schedule']],
    ['latest image', { version: PostgresVersion.fromImage('ghcr.io/cloudnative-pg/postgresql:latest') }, ['version.image']],
    ['untagged image', { version: PostgresVersion.fromImage('ghcr.io/cloudnative-pg/postgresql') }, ['version.image']],
    ['tag not starting with the major', { version: PostgresVersion.fromImage('ghcr.io/cloudnative-pg/postgresql:v17.6') }, ['version.image']],
    ['unsupported major', { version: PostgresVersion.fromImage('postgres:12.22') }, ['version.major']],
    ['unsupported catalog major', { version: PostgresVersion.fromImageCatalog(13, { name: 'pg' }) }, ['version.major']],
    ['unknown database owner', { databases: [{ name: 'reports', owner: 'nobody' }] }, ['databases[0].owner']],
    ['owner role marked absent', { roles: [{ name: 'reporting', ensure: 'absent' }], databases: [{ name: 'reports', owner: 'reporting' }] }, ['databases[0].owner']],
    ['reserved database', { databases: [{ name: 'postgres', owner: 'app' }] }, ['databases[0].name']],
    ['reserved role', { roles: [{ name: 'postgres' }] }, ['roles[0].name']],
    ['role redeclares owner', { roles: [{ name: 'app' }] }, ['roles']],
    ['invalid retention', { backup: { objectStore: { ...S3, retention: '30 days' } } }, ['backup.objectStore.retention']],
    ['zero retention', { backup: { objectStore: { ...S3, retention: '0d' } } }, ['backup.objectStore.retention']],
    ['invalid timestamp', { bootstrap: { recovery: { objectStore: { name: 'old', serverName: 'old' }, targetTime: '2026-03-01 12:00' } } }, ['bootstrap.recovery.targetTime']],
    ['impossible date', { bootstrap: { recovery: { objectStore: { name: 'old', serverName: 'old' }, targetTime: '2026-02-30T12:00:00Z' } } }, ['bootstrap.recovery.targetTime']],
    ['point in time without WAL', { bootstrap: { recovery: { volumeSnapshots: { storage: 'snap' }, targetTime: '2026-03-01T12:00:00Z' } } }, ['bootstrap.recovery.targetTime']],
    ['recovery without source', { bootstrap: { recovery: {} } }, ['bootstrap.recovery']],
    ['recovering onto its own archive', { bootstrap: { recovery: { objectStore: { name: 'orders-backup', serverName: 'orders' } } }, backup: { objectStore: S3 } }, ['bootstrap.recovery.objectStore.serverName']],
    ['clone without credentials', { bootstrap: { clone: { host: 'old-db' } } }, ['bootstrap.clone']],
    ['operator-managed parameter', { parameters: { archive_mode: 'off' } }, ['parameters.archive_mode']],
    ['port parameter', { parameters: { port: '5433' } }, ['parameters.port']],
    ['shared_preload_libraries as parameter', { parameters: { shared_preload_libraries: 'pg_cron' } }, ['parameters.shared_preload_libraries']],
    ['numeric parameter value', { parameters: { max_connections: 200 } }, ['parameters.max_connections']],
    ['pg_hba trust', { pgHba: ['host all all 0.0.0.0/0 trust'] }, ['pgHba[0]']],
    ['pg_hba garbage', { pgHba: ['allow everyone'] }, ['pgHba[0]']],
    ['uppercase name', { name: 'Orders' }, ['name']],
    ['name too long', { name: 'a'.repeat(51) }, ['name']],
    ['name starting with a digit', { name: '1orders' }, ['name']],
    ['s3 credentials missing', { backup: { objectStore: { provider: 's3', destinationPath: 's3://acme-backups' } } }, ['backup.objectStore.s3']],
    ['s3 half credentials', { backup: { objectStore: { provider: 's3', destinationPath: 's3://acme-backups', s3: { accessKeyId: { secretName: 'a', key: 'b' } } } } }, ['backup.objectStore.s3']],
    ['wrong scheme for provider', { backup: { objectStore: { ...S3, destinationPath: 'gs://acme-backups' } } }, ['backup.objectStore.destinationPath']],
    ['azure creds on s3', { backup: { objectStore: { ...S3, azure: { inheritFromAzureAd: true } } } }, ['backup.objectStore.azure']],
    ['backup without target', { backup: { schedule: '0 2 * * *' } }, ['backup']],
    ['TLS cert without CA', { tls: { serverTlsSecret: 'server-tls' } }, ['tls.serverCaSecret']],
    ['logical backup size in GB', { logicalBackup: { size: '10GB' } }, ['logicalBackup.size']],
    ['logical backup six-field cron', { logicalBackup: { size: '10Gi', schedule: '0 0 2 * * *' } }, ['logicalBackup.schedule']],
    ['logical backup with an older pg_dump', { logicalBackup: { size: '10Gi', image: 'ghcr.io/cloudnative-pg/postgresql:16.11' } }, ['logicalBackup.image']],
    ['logical backup keep 0', { logicalBackup: { size: '10Gi', keep: 0 } }, ['logicalBackup.keep']],
    ['pooler managed parameter', { pooler: { parameters: { pool_mode: 'statement' } } }, ['pooler.parameters.pool_mode']],
    ['pooler zero instances', { pooler: { instances: 0 } }, ['pooler.instances']],
    ['bad anti-affinity', { scheduling: { antiAffinity: 'sometimes' } }, ['scheduling.antiAffinity']],
    ['bad update method', { primaryUpdateMethod: 'reboot' }, ['primaryUpdateMethod']],
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
