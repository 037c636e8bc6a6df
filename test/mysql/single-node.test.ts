import { ApiObject, Chart, Cron, Duration, Testing } from 'cdk8s';
import { k8s } from 'cdk8s-plus-28';
import * as fc from 'fast-check';
import { Credentials, KEEP_ON_PRUNE, NetworkPeer, ValidationError } from '../../lib/core';
import { AlertSeverity } from '../../lib/core/monitoring';
import { MySqlSingleNode, MySqlSingleNodeProps, MySqlVersion, MySqlWorkload } from '../../lib/mysql';
import { mySqlSingleNodeProps } from '../support/arbitraries/mysql-single-node';
import { findObject, synthValid, testChart, validationErrorOf } from '../support/synth';

/** Fixed, so the runs (and the count of valid prop sets the test asserts on) are the same on every run and machine. */
const PROPERTY_SEED = 3306;

const ROOT = { secretName: 'orders-root', key: 'password' };
const DAILY_AT_3 = Cron.schedule({ minute: '0', hour: '3' });

function synth(props: Partial<MySqlSingleNodeProps> = {}, id = 'orders'): { manifests: any[]; db: MySqlSingleNode } {
  const chart = testChart('shop');
  const db = new MySqlSingleNode(chart, id, { rootPassword: ROOT, ...props });
  return { manifests: synthValid(chart), db };
}

function podSpec(workload: any): any {
  return workload.spec.template.spec;
}

function container(workload: any, name = 'mysql'): any {
  return podSpec(workload).containers.find((c: any) => c.name === name);
}

describe('MySqlSingleNode defaults', () => {
  const { manifests, db } = synth();
  const deployment = findObject(manifests, 'Deployment', 'orders');

  it('matches the snapshot', () => {
    expect(manifests).toMatchSnapshot();
  });

  it('renders exactly these objects', () => {
    expect(manifests.map(m => `${m.kind}/${m.metadata.name}`).sort()).toEqual([
      'ConfigMap/orders-config', 'Deployment/orders', 'NetworkPolicy/orders', 'PersistentVolumeClaim/orders-data',
      'Service/orders', 'Service/orders-headless', 'ServiceAccount/orders',
    ]);
    for (const m of manifests) expect(m.metadata.namespace).toBe('shop');
  });

  it('runs one pod at a time: Recreate, one replica', () => {
    expect(deployment.spec.replicas).toBe(1);
    expect(deployment.spec.strategy).toEqual({ type: 'Recreate' });
  });

  it('keeps the data on a standalone claim that GitOps tools do not prune', () => {
    const pvc = findObject(manifests, 'PersistentVolumeClaim', 'orders-data');
    expect(pvc.spec.accessModes).toEqual(['ReadWriteOnce']);
    expect(pvc.spec.resources.requests.storage).toBe('10Gi');
    expect(pvc.metadata.annotations).toMatchObject(KEEP_ON_PRUNE);
    expect(pvc.metadata.ownerReferences).toBeUndefined();
    expect(podSpec(deployment).volumes).toContainEqual({ name: 'data', persistentVolumeClaim: { claimName: 'orders-data' } });
    expect(db.dataClaimName).toBe('orders-data');
  });

  it('mounts the data directory through a subPath and prepares it as uid 999', () => {
    expect(container(deployment).volumeMounts).toContainEqual({ name: 'data', mountPath: '/var/lib/mysql', subPath: 'mysql' });
    const [init] = podSpec(deployment).initContainers;
    expect(init.command).toEqual(['/bin/sh', '-c', 'mkdir -p "${DATA_VOLUME_ROOT:-/data}/mysql"']);
    expect(init.volumeMounts).toEqual([{ name: 'data', mountPath: '/data' }]);
    expect(init.securityContext.runAsUser).toBe(999);
  });

  it('is hardened: uid/gid/fsGroup 999, read-only root, writable emptyDirs, no token', () => {
    const spec = podSpec(deployment);
    expect(spec.securityContext).toMatchObject({ runAsNonRoot: true, runAsUser: 999, runAsGroup: 999, fsGroup: 999, seccompProfile: { type: 'RuntimeDefault' } });
    expect(spec.automountServiceAccountToken).toBe(false);
    expect(spec.serviceAccountName).toBe('orders');
    expect(findObject(manifests, 'ServiceAccount', 'orders').automountServiceAccountToken).toBe(false);
    expect(spec.enableServiceLinks).toBe(false);
    for (const c of [...spec.containers, ...spec.initContainers]) {
      expect(c.securityContext).toMatchObject({ allowPrivilegeEscalation: false, readOnlyRootFilesystem: true, runAsNonRoot: true, capabilities: { drop: ['ALL'] } });
      expect(c.imagePullPolicy).toBe('IfNotPresent');
    }
    const mounts = container(deployment).volumeMounts.map((m: any) => m.mountPath);
    expect(mounts).toEqual(expect.arrayContaining(['/var/run/mysqld', '/tmp', '/etc/mysql/conf.d']));
    expect(spec.volumes.find((v: any) => v.name === 'run').emptyDir).toBeDefined();
    expect(spec.volumes.find((v: any) => v.name === 'tmp').emptyDir).toBeDefined();
    expect(spec.terminationGracePeriodSeconds).toBe(120);
  });

  it('pins the 8.4 LTS image and sets memory request equal to the limit', () => {
    const c = container(deployment);
    expect(c.image).toBe(MySqlVersion.V8_4.image);
    expect(c.image).toMatch(/^mysql:8\.4\.\d+$/);
    expect(c.resources.requests.memory).toBe(c.resources.limits.memory);
  });

  it('has startup, liveness and readiness probes with room for crash recovery', () => {
    const c = container(deployment);
    expect(c.startupProbe.exec.command.join(' ')).toContain('mysqladmin');
    expect(c.startupProbe.exec.command.join(' ')).toContain('ping');
    expect(c.startupProbe.periodSeconds * c.startupProbe.failureThreshold).toBeGreaterThanOrEqual(600);
    expect(c.livenessProbe.exec.command.join(' ')).toContain('mysqladmin');
    expect(c.readinessProbe.exec.command.join(' ')).toContain("--execute='SELECT 1'");
    expect(c.readinessProbe).not.toEqual(c.livenessProbe);
    for (const probe of [c.startupProbe, c.livenessProbe, c.readinessProbe]) {
      expect(probe.timeoutSeconds).toBeGreaterThanOrEqual(5);
      expect(probe.timeoutSeconds).toBeLessThan(probe.periodSeconds);
    }
  });

  it('reads the root password from a mounted Secret file, never a literal', () => {
    const c = container(deployment);
    expect(c.env).toEqual([{ name: 'MYSQL_ROOT_PASSWORD_FILE', value: '/etc/mysql-credentials/root/password' }]);
    expect(podSpec(deployment).volumes).toContainEqual({
      name: 'root-credentials', secret: { secretName: 'orders-root', defaultMode: 0o440, items: [{ key: 'password', path: 'password' }] },
    });
    expect(JSON.stringify(manifests)).not.toMatch(/MYSQL_ROOT_PASSWORD"\s*,\s*"value"/);
    expect(manifests.some(m => m.kind === 'Secret')).toBe(false);
  });

  it('exposes a ClusterIP and a headless Service on the named port 3306', () => {
    const svc = findObject(manifests, 'Service', 'orders');
    const headless = findObject(manifests, 'Service', 'orders-headless');
    expect(svc.spec.type).toBe('ClusterIP');
    expect(headless.spec.clusterIP).toBe('None');
    for (const s of [svc, headless]) {
      expect(s.spec.ports).toEqual([{ name: 'mysql', port: 3306, targetPort: 'mysql', protocol: 'TCP' }]);
      expect(s.spec.selector).toEqual(deployment.spec.selector.matchLabels);
    }
    expect(container(deployment).ports).toEqual([{ name: 'mysql', containerPort: 3306, protocol: 'TCP' }]);
  });

  it('denies all ingress until clients are allowed', () => {
    const policy = findObject(manifests, 'NetworkPolicy', 'orders');
    expect(policy.spec.policyTypes).toEqual(['Ingress']);
    expect(policy.spec.ingress ?? []).toEqual([]);
    expect(policy.spec.podSelector.matchLabels).toEqual(deployment.spec.selector.matchLabels);
  });

  it('renders my.cnf with utf8mb4 and a buffer pool of half the memory limit', () => {
    const cnf = findObject(manifests, 'ConfigMap', 'orders-config').data['cdk8s-data.cnf'];
    expect(cnf).toContain('[mysqld]\nskip-name-resolve\ncharacter-set-server = utf8mb4\ninnodb_buffer_pool_size = 536870912\n');
  });

  it('has no PodDisruptionBudget for a single pod', () => {
    expect(manifests.some(m => m.kind === 'PodDisruptionBudget')).toBe(false);
  });

  it('publishes connection info without secrets', () => {
    expect(db.connection).toEqual({
      engine: 'mysql', namespace: 'shop', host: 'orders.shop.svc', port: 3306, database: undefined, secret: undefined, tls: false, majorVersion: '8.4',
    });
    expect(db.podSelector).toEqual(deployment.spec.selector.matchLabels);
  });
});

describe('MySqlSingleNode as a StatefulSet', () => {
  const { manifests, db } = synth({ workload: MySqlWorkload.STATEFUL_SET, storage: { size: '50Gi', storageClass: 'fast-ssd' } });
  const sts = findObject(manifests, 'StatefulSet', 'orders');

  it('has one replica, the headless Service and Retain/Retain claims', () => {
    expect(sts.spec.replicas).toBe(1);
    expect(sts.spec.serviceName).toBe('orders-headless');
    expect(sts.spec.persistentVolumeClaimRetentionPolicy).toEqual({ whenDeleted: 'Retain', whenScaled: 'Retain' });
    expect(sts.spec.volumeClaimTemplates).toHaveLength(1);
    expect(sts.spec.volumeClaimTemplates[0].metadata.name).toBe('data');
    expect(sts.spec.volumeClaimTemplates[0].spec).toEqual({ accessModes: ['ReadWriteOnce'], resources: { requests: { storage: '50Gi' } }, storageClassName: 'fast-ssd' });
    expect(manifests.some(m => m.kind === 'PersistentVolumeClaim' || m.kind === 'Deployment')).toBe(false);
    expect(db.dataClaimName).toBe('data-orders-0');
  });

  it('runs the same probe commands as the Deployment (tested once in scripts.test.ts)', () => {
    const deployment = findObject(synth().manifests, 'Deployment', 'orders');
    for (const probe of ['startupProbe', 'livenessProbe', 'readinessProbe']) {
      expect(container(sts)[probe]).toEqual(container(deployment)[probe]);
    }
    expect(podSpec(sts).initContainers).toEqual(podSpec(deployment).initContainers);
  });

  it('puts an acknowledgement on the StatefulSet, never on its immutable claim template', () => {
    const plain = findObject(synth({ workload: MySqlWorkload.STATEFUL_SET }).manifests, 'StatefulSet', 'orders');
    const acknowledged = findObject(synth({ workload: MySqlWorkload.STATEFUL_SET, acknowledge: ['pdb'] }).manifests, 'StatefulSet', 'orders');
    expect(acknowledged.metadata.annotations['data.cdk8s.io/acknowledge']).toBe('pdb');
    expect(acknowledged.spec.volumeClaimTemplates).toEqual(plain.spec.volumeClaimTemplates);
    expect(acknowledged.spec.volumeClaimTemplates[0].metadata.annotations).toBeUndefined();
  });

  it('mounts the claim template through the subPath', () => {
    expect(container(sts).volumeMounts).toContainEqual({ name: 'data', mountPath: '/var/lib/mysql', subPath: 'mysql' });
    expect(podSpec(sts).volumes.some((v: any) => v.name === 'data')).toBe(false);
  });
});

describe('MySqlSingleNode with everything', () => {
  const chart = testChart('shop');
  const db = new MySqlSingleNode(chart, 'orders', {
    rootPassword: ROOT,
    database: 'orders',
    user: Credentials.fromSecret('orders-app', { usernameKey: 'user', passwordKey: 'pass' }),
    config: { maxConnections: 300, innodbBufferPoolSize: '1Gi', collation: 'utf8mb4_0900_ai_ci', slowQueryThreshold: Duration.seconds(2), extra: { 'innodb_log_file_size': '256M' } },
    initScripts: { '01-schema.sql': 'CREATE TABLE t (id INT PRIMARY KEY);' },
    resources: { cpu: '1', memory: '2Gi' },
    monitoring: {
      exporterCredentials: Credentials.fromSecret('orders-exporter'),
      interval: Duration.seconds(15),
      labels: { release: 'kube-prometheus-stack' },
      alertLabels: { team: 'shop' },
      extraAlertRules: [
        { alert: 'OrdersDbSlowQueries', expr: 'rate(mysql_global_status_slow_queries{namespace="shop"}[5m]) > 1', summary: 'Many slow queries' },
        { alert: 'OrdersDbDown', expr: 'mysql_up{namespace="shop"} == 0', pendingFor: Duration.minutes(2), severity: AlertSeverity.CRITICAL, summary: 'MySQL is down', description: 'The exporter cannot reach the server.' },
      ],
    },
    logicalBackup: { schedule: DAILY_AT_3, keep: 3, timeZone: 'Europe/Berlin' },
    disruptionBudget: true,
    acknowledge: ['pdb'],
  });
  const client = new k8s.KubeDeployment(chart, 'Web', {
    metadata: { name: 'web' },
    spec: { selector: { matchLabels: { app: 'web' } }, template: { metadata: { labels: { app: 'web' } }, spec: { containers: [{ name: 'web', image: 'nginx:1.27.0' }] } } },
  });
  db.allowFrom(NetworkPeer.fromWorkload(client));
  db.allowFrom(NetworkPeer.fromPodLabels({ app: 'reports' }, 'analytics'));
  db.allowMetricsFrom(NetworkPeer.fromPodLabels({ app: 'vmagent' }));
  db.addRestoreJob('Restore', { file: 'orders-20260101T030000Z.sql.gz' });
  const manifests = Testing.synth(chart);
  const mine = manifests.filter(m => m.metadata.name !== 'web');
  const deployment = findObject(manifests, 'Deployment', 'orders');

  it('verifies clean (the unhardened client aside)', () => {
    const own = new Chart(Testing.app(), 'x', { namespace: 'shop' });
    for (const m of mine) new ApiObject(own, `${m.kind}-${m.metadata.name}`, m);
    synthValid(own);
  });

  it('creates the application user and database from mounted Secret files', () => {
    const c = container(deployment);
    expect(c.env).toEqual([
      { name: 'MYSQL_ROOT_PASSWORD_FILE', value: '/etc/mysql-credentials/root/password' },
      { name: 'MYSQL_DATABASE', value: 'orders' },
      { name: 'MYSQL_USER_FILE', value: '/etc/mysql-credentials/user/username' },
      { name: 'MYSQL_PASSWORD_FILE', value: '/etc/mysql-credentials/user/password' },
    ]);
    expect(podSpec(deployment).volumes).toContainEqual({
      name: 'user-credentials',
      secret: { secretName: 'orders-app', defaultMode: 0o440, items: [{ key: 'user', path: 'username' }, { key: 'pass', path: 'password' }] },
    });
    expect(db.connection.secret).toEqual({ name: 'orders-app', usernameKey: 'user', passwordKey: 'pass' });
    expect(db.connection.database).toBe('orders');
  });

  it('renders the typed config and the init scripts', () => {
    const cnf = findObject(manifests, 'ConfigMap', 'orders-config').data['cdk8s-data.cnf'];
    expect(cnf).toContain('collation-server = utf8mb4_0900_ai_ci\nmax_connections = 300\ninnodb_buffer_pool_size = 1073741824\nslow_query_log = ON\nlong_query_time = 2\ninnodb_log_file_size = 256M\n');
    expect(findObject(manifests, 'ConfigMap', 'orders-initdb').data).toEqual({ '01-schema.sql': 'CREATE TABLE t (id INT PRIMARY KEY);' });
    expect(container(deployment).volumeMounts).toContainEqual({ name: 'initdb', mountPath: '/docker-entrypoint-initdb.d', readOnly: true });
  });

  it('runs the exporter hardened, with credentials from secretKeyRef, and a PodMonitor', () => {
    const exporter = container(deployment, 'exporter');
    expect(exporter.image).toBe('prom/mysqld-exporter:v0.18.0');
    expect(exporter.ports).toEqual([{ name: 'metrics', containerPort: 9104, protocol: 'TCP' }]);
    expect(exporter.env.every((e: any) => e.valueFrom?.secretKeyRef?.name === 'orders-exporter')).toBe(true);
    expect(exporter.args).toContain('--mysqld.username=$(MYSQLD_EXPORTER_USER)');
    expect(exporter.securityContext).toMatchObject({ runAsUser: 65534, readOnlyRootFilesystem: true, allowPrivilegeEscalation: false });
    const monitor = findObject(manifests, 'PodMonitor', 'orders');
    expect(monitor.spec.podMetricsEndpoints).toEqual([{ port: 'metrics', path: '/metrics', interval: '15s' }]);
    expect(monitor.spec.selector.matchLabels).toEqual(deployment.spec.selector.matchLabels);
  });

  it('admits exactly the clients, the scraper, the backup and the restore pods', () => {
    const policy = findObject(manifests, 'NetworkPolicy', 'orders');
    const rules = policy.spec.ingress.map((r: any) => ({ from: r.from, ports: r.ports.map((p: any) => p.port) }));
    expect(rules).toEqual([
      { from: [{ podSelector: { matchLabels: { 'app.kubernetes.io/name': 'prometheus' } }, namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': 'monitoring' } } }], ports: [9104] },
      { from: [{ podSelector: { matchLabels: { 'app.kubernetes.io/name': 'mysql', 'app.kubernetes.io/instance': 'orders', 'app.kubernetes.io/component': 'backup' } } }], ports: [3306] },
      { from: [{ podSelector: { matchLabels: { app: 'web' } } }], ports: [3306] },
      { from: [{ podSelector: { matchLabels: { app: 'reports' } }, namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': 'analytics' } } }], ports: [3306] },
      { from: [{ podSelector: { matchLabels: { app: 'vmagent' } } }], ports: [9104] },
      { from: [{ podSelector: { matchLabels: { 'app.kubernetes.io/name': 'mysql', 'app.kubernetes.io/instance': 'orders', 'app.kubernetes.io/component': 'restore' } } }], ports: [3306] },
    ]);
  });

  it('backs up on a bounded CronJob to a retained volume', () => {
    const cron = findObject(manifests, 'CronJob', 'orders-backup');
    expect(cron.spec).toMatchObject({
      schedule: '0 3 * * *', timeZone: 'Europe/Berlin', concurrencyPolicy: 'Forbid', startingDeadlineSeconds: 1800,
      successfulJobsHistoryLimit: 3, failedJobsHistoryLimit: 3,
    });
    const job = cron.spec.jobTemplate.spec;
    expect(job).toMatchObject({ backoffLimit: 1, activeDeadlineSeconds: 7200, ttlSecondsAfterFinished: 86400 });
    expect(job.template.spec.restartPolicy).toBe('Never');
    const env = Object.fromEntries(job.template.spec.containers[0].env.map((e: any) => [e.name, e.value]));
    expect(env).toMatchObject({ MYSQL_HOST: 'orders.shop.svc', MYSQL_TCP_PORT: '3306', BACKUP_DIR: '/backup', BACKUP_PREFIX: 'orders', BACKUP_KEEP: '3', BACKUP_DATABASES: 'orders' });
    const pvc = findObject(manifests, 'PersistentVolumeClaim', 'orders-backups');
    expect(pvc.metadata.annotations).toMatchObject(KEEP_ON_PRUNE);
    expect(job.template.spec.volumes).toContainEqual({ name: 'backups', persistentVolumeClaim: { claimName: 'orders-backups' } });
  });

  it('renders a restore Job for the named dump', () => {
    const job = findObject(manifests, 'Job', 'orders-restore');
    expect(job.spec.backoffLimit).toBe(0);
    expect(job.spec.template.spec.containers[0].env).toContainEqual({ name: 'RESTORE_FILE', value: 'orders-20260101T030000Z.sql.gz' });
  });

  it('adds a PodDisruptionBudget that never blocks evictions when asked', () => {
    const pdb = findObject(manifests, 'PodDisruptionBudget', 'orders');
    expect(pdb.spec.maxUnavailable).toBe(1);
  });

  it('renders the extra alert rules in a PrometheusRule with the alert labels', () => {
    const rule = findObject(manifests, 'PrometheusRule', 'orders');
    expect(rule.apiVersion).toBe('monitoring.coreos.com/v1');
    expect(rule.metadata.labels).toMatchObject({ 'release': 'kube-prometheus-stack', 'app.kubernetes.io/name': 'mysql' });
    expect(rule.spec.groups).toHaveLength(1);
    expect(rule.spec.groups[0].name).toBe('mysql.shop.orders');
    // The built-in alerts first, then the user's own.
    expect(rule.spec.groups[0].rules.slice(-2)).toEqual([
        {
          alert: 'OrdersDbSlowQueries', expr: 'rate(mysql_global_status_slow_queries{namespace="shop"}[5m]) > 1', for: '5m',
          labels: { team: 'shop', severity: 'warning' }, annotations: { summary: 'Many slow queries', description: 'Many slow queries' },
        },
        {
          alert: 'OrdersDbDown', expr: 'mysql_up{namespace="shop"} == 0', for: '2m',
          labels: { team: 'shop', severity: 'critical' }, annotations: { summary: 'MySQL is down', description: 'The exporter cannot reach the server.' },
        },
    ]);
    expect(rule.spec.groups[0].rules[0]).toMatchObject({ alert: 'MySQLDown', labels: { team: 'shop', severity: 'critical' } });
    expect(findObject(manifests, 'PodMonitor', 'orders').metadata.labels.release).toBe('kube-prometheus-stack');
  });

  it('records acknowledgements on the workload and the claim', () => {
    expect(deployment.metadata.annotations['data.cdk8s.io/acknowledge']).toBe('pdb');
    expect(findObject(manifests, 'PersistentVolumeClaim', 'orders-data').metadata.annotations['data.cdk8s.io/acknowledge']).toBe('pdb');
  });
});

describe('MySqlSingleNode logical backup and monitoring settings', () => {
  it('backs up daily at 03:00 UTC with the documented defaults when given {}', () => {
    const { manifests, db } = synth({ logicalBackup: {} });
    const cron = findObject(manifests, 'CronJob', 'orders-backup');
    expect(cron.spec).toMatchObject({ schedule: '0 3 * * *', timeZone: 'Etc/UTC', startingDeadlineSeconds: 1800 });
    expect(cron.spec.jobTemplate.spec).toMatchObject({ backoffLimit: 1, activeDeadlineSeconds: 7200, ttlSecondsAfterFinished: 86400 });
    const env = Object.fromEntries(cron.spec.jobTemplate.spec.template.spec.containers[0].env.map((e: any) => [e.name, e.value]));
    expect(env).toMatchObject({ BACKUP_KEEP: '7', BACKUP_TIMEOUT_MINUTES: '120' });
    expect(env.BACKUP_DATABASES).toBeUndefined();
    const pvc = findObject(manifests, 'PersistentVolumeClaim', 'orders-backups');
    expect(pvc.spec).toEqual({ accessModes: ['ReadWriteOnce'], resources: { requests: { storage: '20Gi' } } });
    expect(db.backupClaimName).toBe('orders-backups');
  });

  it('renders the same objects for the defaults given explicitly', () => {
    const explicit = synth({
      logicalBackup: {
        schedule: Cron.schedule({ minute: '0', hour: '3' }), timeZone: 'Etc/UTC', keep: 7, storage: { size: '20Gi' }, retries: 1,
        startingDeadline: Duration.minutes(30), timeout: Duration.hours(2), keepFinishedJobsFor: Duration.days(1),
      },
    });
    expect(explicit.manifests).toEqual(synth({ logicalBackup: {} }).manifests);
  });

  it('takes the backup volume, the databases and the job settings', () => {
    const { manifests } = synth({
      database: 'orders',
      logicalBackup: {
        schedule: Cron.schedule({ minute: '15', hour: '*/6' }), databases: ['orders', 'audit'], storage: { size: '50Gi', storageClass: 'retained' },
        retries: 3, timeout: Duration.minutes(90), startingDeadline: Duration.minutes(5), keepFinishedJobsFor: Duration.hours(6),
      },
    });
    const cron = findObject(manifests, 'CronJob', 'orders-backup');
    expect(cron.spec).toMatchObject({ schedule: '15 */6 * * *', startingDeadlineSeconds: 300 });
    expect(cron.spec.jobTemplate.spec).toMatchObject({ backoffLimit: 3, activeDeadlineSeconds: 5400, ttlSecondsAfterFinished: 21600 });
    expect(cron.spec.jobTemplate.spec.template.spec.containers[0].env).toContainEqual({ name: 'BACKUP_DATABASES', value: 'orders audit' });
    expect(findObject(manifests, 'PersistentVolumeClaim', 'orders-backups').spec).toMatchObject({ storageClassName: 'retained', resources: { requests: { storage: '50Gi' } } });
  });

  it('turns monitoring on when given: exporter, PodMonitor, scraper, the built-in alerts', () => {
    const { manifests } = synth({ monitoring: { exporterCredentials: Credentials.fromSecret('orders-exporter') } });
    const deployment = findObject(manifests, 'Deployment', 'orders');
    expect(podSpec(deployment).containers.map((c: any) => c.name)).toEqual(['mysql', 'exporter']);
    expect(findObject(manifests, 'PodMonitor', 'orders').spec.podMetricsEndpoints).toEqual([{ port: 'metrics', path: '/metrics', interval: '30s' }]);
    expect(findObject(manifests, 'PrometheusRule', 'orders').spec.groups[0].rules.map((r: any) => r.alert)).toContain('MySQLDown');
    const ingress = findObject(manifests, 'NetworkPolicy', 'orders').spec.ingress;
    expect(ingress).toEqual([{
      from: [{ podSelector: { matchLabels: { 'app.kubernetes.io/name': 'prometheus' } }, namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': 'monitoring' } } }],
      ports: [{ protocol: 'TCP', port: 9104 }],
    }]);
  });

  it('renders nothing for monitoring with enabled: false', () => {
    const off = synth({ monitoring: { enabled: false, extraAlertRules: [{ alert: 'A', expr: 'up == 0', summary: 's' }] } });
    expect(off.manifests).toEqual(synth().manifests);
    expect(() => off.db.allowMetricsFrom(NetworkPeer.fromPodLabels({ app: 'vmagent' }))).toThrow(ValidationError);
  });

  it('admits a scraper of your own and can leave the PodMonitor out', () => {
    const { manifests } = synth({
      monitoring: { exporterCredentials: Credentials.fromSecret('orders-exporter'), podMonitor: false, scraper: NetworkPeer.fromPodLabels({ app: 'vmagent' }, 'observability') },
    });
    expect(manifests.some(m => m.kind === 'PodMonitor')).toBe(false);
    expect(container(findObject(manifests, 'Deployment', 'orders'), 'exporter')).toBeDefined();
    expect(findObject(manifests, 'NetworkPolicy', 'orders').spec.ingress[0].from).toEqual([
      { podSelector: { matchLabels: { app: 'vmagent' } }, namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': 'observability' } } },
    ]);
  });

  it('rejects a peer with bad labels', () => {
    const { db } = synth();
    try {
      db.allowFrom(NetworkPeer.fromPodLabels({ 'not a key': 'x' }));
      throw new Error('no error');
    } catch (e) {
      expect((e as ValidationError).fields).toEqual(['peer.labels']);
    }
  });
});

describe('MySqlSingleNode names and versions', () => {
  it('names objects from the name prop, not the construct path', () => {
    const chart = testChart('shop');
    const { Construct } = require('constructs');
    const wrapper = new Construct(chart, 'Wrapper');
    new MySqlSingleNode(wrapper, 'Database', { name: 'orders', rootPassword: ROOT });
    const names = synthValid(chart).map(m => m.metadata.name);
    expect(names).toContain('orders');
    expect(names.every((n: string) => n.startsWith('orders'))).toBe(true);
  });

  it('runs MySQL 8.0 and custom images with a tag', () => {
    expect(synth({ version: MySqlVersion.V8_0 }).db.connection.majorVersion).toBe('8.0');
    const custom = synth({ version: MySqlVersion.fromImage('registry.example.com:5000/db/mysql:8.4.8-hardened') });
    expect(custom.db.connection.majorVersion).toBe('8.4');
    expect(container(findObject(custom.manifests, 'Deployment')).image).toBe('registry.example.com:5000/db/mysql:8.4.8-hardened');
  });

  it('renders ExternalSecrets for credentials from an external store, in the namespace', () => {
    const chart = testChart('shop');
    const db = new MySqlSingleNode(chart, 'orders', {
      namespace: 'billing',
      rootPassword: ROOT,
      database: 'orders',
      user: Credentials.fromExternalSecret('orders-app', { storeName: 'vault', remoteKey: 'prod/orders/app' }),
      monitoring: { exporterCredentials: Credentials.fromExternalSecret('orders-exporter', { storeName: 'vault', remoteKey: 'prod/orders/exporter' }) },
      disruptionBudget: true,
    });
    const manifests = synthValid(chart);
    for (const m of manifests) expect(m.metadata.namespace).toBe('billing');
    expect(manifests.filter(m => m.kind === 'ExternalSecret').map(m => m.metadata.name).sort()).toEqual(['orders-app', 'orders-exporter']);
    const app = findObject(manifests, 'ExternalSecret', 'orders-app');
    expect(app.spec.data).toEqual([
      { secretKey: 'username', remoteRef: { key: 'prod/orders/app', property: 'username' } },
      { secretKey: 'password', remoteRef: { key: 'prod/orders/app', property: 'password' } },
    ]);
    expect(app.spec.target).toMatchObject({ name: 'orders-app', creationPolicy: 'Orphan', deletionPolicy: 'Retain' });
    expect(findObject(manifests, 'ExternalSecret', 'orders-exporter').spec.data).toHaveLength(2);
    expect(db.connection.host).toBe('orders.billing.svc');
  });

  it('renders one ExternalSecret when the user and the exporter share it', () => {
    const shared = Credentials.fromExternalSecret('orders-app', { storeName: 'vault', remoteKey: 'prod/orders/app' });
    const { manifests } = synth({ database: 'orders', user: shared, monitoring: { exporterCredentials: shared } });
    expect(manifests.filter(m => m.kind === 'ExternalSecret').map(m => m.metadata.name)).toEqual(['orders-app']);
  });
});

describe('MySqlSingleNode bad input', () => {
  const bad: Array<[string, Partial<MySqlSingleNodeProps> | Record<string, unknown>, string[]]> = [
    ['a name that is not DNS-1035', { name: 'Orders_DB' }, ['name']],
    ['a name starting with a digit', { name: '1orders' }, ['name']],
    ['a name too long for the headless Service', { name: 'a'.repeat(60) }, ['name']],
    ['a StatefulSet name too long', { name: 'a'.repeat(53), workload: MySqlWorkload.STATEFUL_SET }, ['name']],
    ['a name too long for the backup CronJob', { name: 'a'.repeat(50), logicalBackup: {} }, ['name']],
    ['a size in GB', { storage: { size: '10GB' } }, ['storage.size']],
    ['a zero size', { storage: { size: '0' } }, ['storage.size']],
    ['a negative size', { storage: { size: '-1Gi' } }, ['storage.size']],
    ['a shared access mode', { storage: { accessMode: 'ReadWriteMany' as any } }, ['storage.accessMode']],
    ['storage that is not an object', { storage: '10Gi' as any }, ['storage']],
    ['a bad storage class', { storage: { storageClass: 'Fast SSD' } }, ['storage.storageClass']],
    ['the latest image', { version: MySqlVersion.fromImage('mysql:latest') }, ['version']],
    ['an untagged image', { version: MySqlVersion.fromImage('mysql') }, ['version']],
    ['a tag without a version', { version: MySqlVersion.fromImage('mysql:lts') }, ['version']],
    ['a missing root password', { rootPassword: undefined }, ['rootPassword']],
    ['a password given as a value', { rootPassword: 'hunter2' as any }, ['rootPassword']],
    ['a bad Secret name', { rootPassword: { secretName: 'Root Secret', key: 'password' } }, ['rootPassword.secretName']],
    ['a bad Secret key', { rootPassword: { secretName: 'root', key: 'pass word' } }, ['rootPassword.key']],
    ['a user without a database', { user: Credentials.fromSecret('app') }, ['database']],
    ['a system database', { database: 'mysql' }, ['database']],
    ['a database name with a dash', { database: 'my-db' }, ['database']],
    ['memory in GB', { resources: { memory: '2GB' } }, ['resources.memory']],
    ['zero CPU', { resources: { cpu: '0' } }, ['resources.cpu']],
    ['zero max connections', { config: { maxConnections: 0 } }, ['config.maxConnections']],
    ['negative max connections', { config: { maxConnections: -5 } }, ['config.maxConnections']],
    ['a buffer pool above the memory limit', { config: { innodbBufferPoolSize: '4Gi' } }, ['config.innodbBufferPoolSize']],
    ['a buffer pool in GB', { config: { innodbBufferPoolSize: '1GB' } }, ['config.innodbBufferPoolSize']],
    ['a collation of another character set', { config: { collation: 'latin1_swedish_ci' } }, ['config.collation']],
    ['a slow query threshold below a millisecond', { config: { slowQueryThreshold: Duration.millis(0.5) } }, ['config.slowQueryThreshold']],
    ['a reserved option', { config: { extra: { datadir: '/tmp' } } }, ['config.extra']],
    ['a password in the config', { config: { extra: { 'ssl-key-password': 'x' } } }, ['config.extra']],
    ['a multi-line option value', { config: { extra: { 'init-connect': 'a\nb' } } }, ['config.extra.init-connect']],
    ['an init script with another extension', { initScripts: { 'schema.txt': 'x' } }, ['initScripts']],
    ['an empty init script', { initScripts: { 'a.sql': ' ' } }, ['initScripts.a.sql']],
    ['a startup timeout under five minutes', { startupTimeout: Duration.minutes(2) }, ['startupTimeout']],
    ['a grace period too short', { terminationGracePeriod: Duration.seconds(5) }, ['terminationGracePeriod']],
    ['a schedule that is a string', { logicalBackup: { schedule: '0 3 * * *' as any } }, ['logicalBackup.schedule']],
    ['a six-field schedule', { logicalBackup: { schedule: Cron.schedule({ minute: '0 0', hour: '3' }) } }, ['logicalBackup.schedule']],
    ['a schedule out of range', { logicalBackup: { schedule: Cron.schedule({ minute: '61', hour: '3' }) } }, ['logicalBackup.schedule']],
    ['a schedule with L', { logicalBackup: { schedule: Cron.schedule({ minute: '0', hour: '3', day: 'L' }) } }, ['logicalBackup.schedule']],
    ['a schedule that is text', { logicalBackup: { schedule: Cron.schedule({ minute: 'daily' }) } }, ['logicalBackup.schedule']],
    ['zero dumps kept', { logicalBackup: { keep: 0 } }, ['logicalBackup.keep']],
    ['a fractional keep', { logicalBackup: { keep: 1.5 } }, ['logicalBackup.keep']],
    ['a backup size in GB', { logicalBackup: { storage: { size: '20GB' } } }, ['logicalBackup.storage.size']],
    ['a bad backup storage class', { logicalBackup: { storage: { storageClass: 'Fast SSD' } } }, ['logicalBackup.storage.storageClass']],
    ['a bad time zone', { logicalBackup: { timeZone: 'Mars/Olympus' } }, ['logicalBackup.timeZone']],
    ['negative retries', { logicalBackup: { retries: -1 } }, ['logicalBackup.retries']],
    ['a backup timeout under a minute', { logicalBackup: { timeout: Duration.seconds(30) } }, ['logicalBackup.timeout']],
    ['a starting deadline over a day', { logicalBackup: { startingDeadline: Duration.days(2) } }, ['logicalBackup.startingDeadline']],
    ['finished Jobs kept for a fraction of a second', { logicalBackup: { keepFinishedJobsFor: Duration.millis(1500) } }, ['logicalBackup.keepFinishedJobsFor']],
    ['an empty database list', { logicalBackup: { databases: [] } }, ['logicalBackup.databases']],
    ['a system database in the backup list', { logicalBackup: { databases: ['mysql'] } }, ['logicalBackup.databases[0]']],
    ['a bucket path that is not s3://', { logicalBackup: { objectStore: { destinationPath: 'gs://b/x', s3: { accessKeyId: { secretName: 's3', key: 'id' }, secretAccessKey: { secretName: 's3', key: 'secret' } } } } }, ['logicalBackup.objectStore.destinationPath']],
    ['a bucket name with capitals', { logicalBackup: { objectStore: { destinationPath: 's3://My_Bucket/x', s3: { accessKeyId: { secretName: 's3', key: 'id' }, secretAccessKey: { secretName: 's3', key: 'secret' } } } } }, ['logicalBackup.objectStore.destinationPath']],
    ['a bucket path with a space', { logicalBackup: { objectStore: { destinationPath: 's3://bucket/a b', s3: { accessKeyId: { secretName: 's3', key: 'id' }, secretAccessKey: { secretName: 's3', key: 'secret' } } } } }, ['logicalBackup.objectStore.destinationPath']],
    ['an endpoint that is not http(s)', { logicalBackup: { objectStore: { destinationPath: 's3://bucket', endpointUrl: 'minio:9000', s3: { accessKeyId: { secretName: 's3', key: 'id' }, secretAccessKey: { secretName: 's3', key: 'secret' } } } } }, ['logicalBackup.objectStore.endpointUrl']],
    ['no S3 credentials', { logicalBackup: { objectStore: { destinationPath: 's3://bucket' } as any } }, ['logicalBackup.objectStore.s3']],
    ['only an access key id', { logicalBackup: { objectStore: { destinationPath: 's3://bucket', s3: { accessKeyId: { secretName: 's3', key: 'id' } } } } }, ['logicalBackup.objectStore.s3']],
    ['keys and the IAM role', { logicalBackup: { objectStore: { destinationPath: 's3://bucket', s3: { ...{ accessKeyId: { secretName: 's3', key: 'id' }, secretAccessKey: { secretName: 's3', key: 'secret' } }, inheritFromIamRole: true } } } }, ['logicalBackup.objectStore.s3']],
    ['a secret value instead of a reference', { logicalBackup: { objectStore: { destinationPath: 's3://bucket', s3: { accessKeyId: 'AKIA...' as any, secretAccessKey: { secretName: 's3', key: 'k' } } } } }, ['logicalBackup.objectStore.s3.accessKeyId']],
    ['zero dumps kept in the bucket', { logicalBackup: { objectStore: { destinationPath: 's3://bucket', s3: { inheritFromIamRole: true }, keep: 0 } } }, ['logicalBackup.objectStore.keep']],
    ['an rclone image on latest', { logicalBackup: { objectStore: { destinationPath: 's3://bucket', s3: { inheritFromIamRole: true }, image: 'rclone/rclone:latest' } } }, ['logicalBackup.objectStore.image']],
    ['dumps kept nowhere', { logicalBackup: { keepOnVolume: false } }, ['logicalBackup.keepOnVolume']],
    ['a monitoring backupMaxAge under an hour', { monitoring: { exporterCredentials: Credentials.fromSecret('exp'), backupMaxAge: Duration.minutes(5) } }, ['monitoring.backupMaxAge']],
    ['monitoring without exporter credentials', { monitoring: {} }, ['monitoring.exporterCredentials']],
    ['exporter credentials that are not Credentials', { monitoring: { exporterCredentials: { secretName: 'exp' } as any } }, ['monitoring.exporterCredentials']],
    ['an exporter image on latest', { monitoring: { exporterCredentials: Credentials.fromSecret('exp'), exporterImage: 'prom/mysqld-exporter:latest' } }, ['monitoring.exporterImage']],
    ['a scrape interval under five seconds', { monitoring: { exporterCredentials: Credentials.fromSecret('exp'), interval: Duration.seconds(1) } }, ['monitoring.interval']],
    ['a scraper with bad labels', { monitoring: { exporterCredentials: Credentials.fromSecret('exp'), scraper: NetworkPeer.fromPodLabels({ 'bad key!': 'x' }) } }, ['monitoring.scraper.labels']],
    ['a scraper that is not a NetworkPeer', { monitoring: { exporterCredentials: Credentials.fromSecret('exp'), scraper: { podLabels: { app: 'x' } } as any } }, ['monitoring.scraper']],
    ['monitoring labels that are not labels', { monitoring: { exporterCredentials: Credentials.fromSecret('exp'), labels: { 'a b': 'c' } } }, ['monitoring.labels']],
    ['an alert rule without a name', { monitoring: { exporterCredentials: Credentials.fromSecret('exp'), extraAlertRules: [{ alert: 'bad name', expr: 'up == 0', summary: 's' }] } }, ['monitoring.extraAlertRules[0].alert']],
    ['an alert rule with a bad severity', { monitoring: { exporterCredentials: Credentials.fromSecret('exp'), extraAlertRules: [{ alert: 'A', expr: 'up == 0', summary: 's', severity: 'page' as any }] } }, ['monitoring.extraAlertRules[0].severity']],
    ['monitoring enabled that is not a boolean', { monitoring: { exporterCredentials: Credentials.fromSecret('exp'), enabled: 'yes' as any } }, ['monitoring.enabled']],
    ['a slow query threshold of zero', { config: { slowQueryThreshold: Duration.millis(0) } }, ['config.slowQueryThreshold']],
    ['a slow query threshold over an hour', { config: { slowQueryThreshold: Duration.hours(2) } }, ['config.slowQueryThreshold']],
    ['Credentials given as the root password', { rootPassword: Credentials.fromSecret('root') as any }, ['rootPassword.key']],
    ['a bad workload kind', { workload: 'DaemonSet' as any }, ['workload']],
    ['a bad access mode', { storage: { accessMode: 'ReadWriteOnceNode' as any } }, ['storage.accessMode']],
    ['a bad acknowledgement', { acknowledge: ['Not An Id'] }, ['acknowledge[0]']],
    ['a bad namespace', { namespace: 'Shop' }, ['namespace']],
  ];

  it.each(bad)('rejects %s', (_label, props, fields) => {
    const chart = testChart('shop');
    const error = validationErrorOf(() => new MySqlSingleNode(chart, 'orders', { rootPassword: ROOT, ...(props as Partial<MySqlSingleNodeProps>) } as MySqlSingleNodeProps));
    expect(error.fields).toEqual(expect.arrayContaining(fields));
    expect(error.message).toContain("MySqlSingleNode at 'test/orders'");
    // Nothing was emitted half-way.
    expect(chart.node.findAll().some(c => c instanceof ApiObject)).toBe(false);
  });

  it('reports every problem at once', () => {
    const chart = testChart('shop');
    try {
      new MySqlSingleNode(chart, 'orders', { name: 'Bad', rootPassword: undefined as any, storage: { size: '10GB' }, logicalBackup: { schedule: '* *' as any } });
      throw new Error('no error');
    } catch (e) {
      expect((e as ValidationError).fields).toEqual(['name', 'storage.size', 'rootPassword', 'logicalBackup.schedule']);
    }
  });

  it('rejects opening the metrics port when monitoring is off', () => {
    const { db } = synth();
    expect(() => db.allowMetricsFrom(NetworkPeer.fromPodLabels({ app: 'vmagent' }))).toThrow(ValidationError);
  });

  it('rejects a restore without backups and a bad dump file name', () => {
    const { db } = synth();
    expect(() => db.addRestoreJob()).toThrow(ValidationError);
    const chart = testChart('shop');
    const withBackup = new MySqlSingleNode(chart, 'orders', { rootPassword: ROOT, logicalBackup: {} });
    try {
      withBackup.addRestoreJob('Restore', { file: '../etc/passwd' });
      throw new Error('no error');
    } catch (e) {
      expect((e as ValidationError).fields).toEqual(['file']);
    }
  });
});

describe('MySqlSingleNode off-site dumps', () => {
  const S3 = { destinationPath: 's3://backups/mysql/', s3: { accessKeyId: { secretName: 's3', key: 'id' }, secretAccessKey: { secretName: 's3', key: 'secret' }, region: { secretName: 's3', key: 'region' } } };

  it('uploads after the dump, with rclone, credentials from the Secret, volume kept by default', () => {
    const { manifests, db } = synth({ logicalBackup: { objectStore: S3 } });
    db.addRestoreJob('FromBucket', { name: 'orders-restore-bucket', fromObjectStore: true });
    const pod = findObject(manifests, 'CronJob', 'orders-backup').spec.jobTemplate.spec.template.spec;
    expect(pod.initContainers.map((c: any) => c.name)).toEqual(['backup']);
    expect(pod.containers.map((c: any) => c.name)).toEqual(['upload']);
    const upload = pod.containers[0];
    expect(upload.image).toBe('rclone/rclone:1.68.2');
    expect(upload.securityContext).toMatchObject({ readOnlyRootFilesystem: true, allowPrivilegeEscalation: false, runAsNonRoot: true });
    expect(upload.env).toEqual(expect.arrayContaining([
      { name: 'BACKUP_REMOTE', value: ':s3:backups/mysql' },
      { name: 'BACKUP_REMOTE_KEEP', value: '7' },
      { name: 'RCLONE_S3_PROVIDER', value: 'AWS' },
      { name: 'RCLONE_S3_ACCESS_KEY_ID', valueFrom: { secretKeyRef: { name: 's3', key: 'id' } } },
      { name: 'RCLONE_S3_SECRET_ACCESS_KEY', valueFrom: { secretKeyRef: { name: 's3', key: 'secret' } } },
      { name: 'RCLONE_S3_REGION', valueFrom: { secretKeyRef: { name: 's3', key: 'region' } } },
    ]));
    // The uploader never sees the database password.
    expect(upload.volumeMounts.map((m: any) => m.name)).toEqual(['backups', 'tmp']);
    expect(pod.volumes[0]).toEqual({ name: 'backups', persistentVolumeClaim: { claimName: 'orders-backups' } });
    expect(db.backupClaimName).toBe('orders-backups');
  });

  it('bucket only: no claim, a scratch emptyDir sized by storage.size, restore reads from the bucket by default', () => {
    const chart = testChart('shop');
    const db = new MySqlSingleNode(chart, 'orders', { rootPassword: ROOT, logicalBackup: { keepOnVolume: false, storage: { size: '8Gi' }, objectStore: { ...S3, s3: { inheritFromIamRole: true }, keep: 30 } } });
    db.addRestoreJob();
    const manifests = synthValid(chart);
    expect(db.backupClaimName).toBeUndefined();
    expect(manifests.filter(m => m.kind === 'PersistentVolumeClaim').map(m => m.metadata.name)).toEqual(['orders-data']);
    const cron = findObject(manifests, 'CronJob', 'orders-backup').spec.jobTemplate.spec.template.spec;
    expect(cron.volumes[0]).toEqual({ name: 'backups', emptyDir: { sizeLimit: '8Gi' } });
    expect(cron.containers[0].env).toEqual(expect.arrayContaining([{ name: 'RCLONE_S3_ENV_AUTH', value: 'true' }, { name: 'BACKUP_REMOTE_KEEP', value: '30' }]));
    const restore = findObject(manifests, 'Job', 'orders-restore').spec.template.spec;
    expect(restore.initContainers.map((c: any) => c.name)).toEqual(['download']);
    expect(restore.containers.map((c: any) => c.name)).toEqual(['restore']);
    expect(restore.volumes[0]).toEqual({ name: 'backups', emptyDir: { sizeLimit: '8Gi' } });
  });

  it('refuses a restore source that is not configured', () => {
    const chart = testChart('shop');
    const volumeOnly = new MySqlSingleNode(chart, 'a', { rootPassword: ROOT, logicalBackup: {} });
    expect(() => volumeOnly.addRestoreJob('R', { fromObjectStore: true })).toThrow(/fromObjectStore.*there is no bucket/s);
    const bucketOnly = new MySqlSingleNode(chart, 'b', { rootPassword: ROOT, logicalBackup: { keepOnVolume: false, objectStore: { ...S3 } } });
    expect(() => bucketOnly.addRestoreJob('R', { fromObjectStore: false })).toThrow(/there is no backup volume/);
  });
});

describe('MySqlSingleNode generated props', () => {
  const props = mySqlSingleNodeProps;

  it('either throws ValidationError or verifies clean (1000 runs)', () => {
    let valid = 0;
    fc.assert(fc.property(props, generated => {
      const chart = new Chart(Testing.app(), 'p', { namespace: 'prop' });
      let db: MySqlSingleNode;
      try {
        db = new MySqlSingleNode(chart, 'db', { rootPassword: ROOT, ...generated } as MySqlSingleNodeProps);
      } catch (e) {
        if (!(e instanceof ValidationError)) throw e;
        expect(chart.node.findAll().some(c => c instanceof ApiObject)).toBe(false);
        return;
      }
      db.allowFrom(NetworkPeer.fromPodLabels({ app: 'client' }));
      if (generated.logicalBackup) db.addRestoreJob();
      if (generated.logicalBackup?.pointInTimeRecovery) db.addRestoreJob('Pitr', { name: 'db-pitr', pointInTime: new Date('2026-03-01T12:30:00Z') });
      const manifests = synthValid(chart);
      valid++;
      const workload = manifests.find(m => m.kind === 'Deployment' || m.kind === 'StatefulSet');
      expect(workload.spec.replicas).toBe(1);
      if (workload.kind === 'Deployment') expect(workload.spec.strategy.type).toBe('Recreate');
      else expect(workload.spec.persistentVolumeClaimRetentionPolicy).toEqual({ whenDeleted: 'Retain', whenScaled: 'Retain' });
    }), { numRuns: 1000, seed: PROPERTY_SEED });
    // The generator must reach valid props often enough to mean something.
    expect(valid).toBeGreaterThan(100);
  });
});
