/**
 * Medusa backups: the sidecar, the tools and restore init containers, medusa.ini, the backup
 * CronJob and its NetworkPolicy, the backup alerts, and bad input. The scripts run in
 * backup-scripts.test.ts against stand-ins (no Cassandra or Medusa can run here).
 */
import { Cron, Duration } from 'cdk8s';
import { CassandraBackupProps, CassandraDatacenter, CassandraDatacenterProps, CassandraRack } from '../../lib/cassandra';
import { ObjectStoreProvider } from '../../lib/postgres';
import { Credentials } from '../../lib/core';
import { compareManifests } from '../../lib/safety';
import { promqlErrors } from '../support/promql';
import { findObject, synthValid, testChart, validationErrorOf } from '../support/synth';

const RACKS = ['a', 'b', 'c'].map(z => ({ name: `zone-${z}`, zone: `eu-west-1${z}` }));
const BACKUP: CassandraBackupProps = { provider: ObjectStoreProvider.S3, bucket: 'events-backups', region: 'eu-west-1', credentials: { secretName: 'events-medusa', key: 'credentials' } };
// Start order: ordinal 0 of each rack, then ordinal 1.
const NODES = [0, 1].flatMap(i => ['a', 'b', 'c'].map(z => `events-zone-${z}-${i}.events-headless.events.svc.cluster.local`));

function synth(props: Partial<CassandraDatacenterProps> = {}): any[] {
  const chart = testChart('events');
  new CassandraDatacenter(chart, 'events', { racks: RACKS, nodesPerRack: 2, backup: BACKUP, ...props });
  return synthValid(chart);
}
const env = (c: any) => Object.fromEntries(c.env.map((e: any) => [e.name, e.value ?? e.valueFrom]));

const manifests = synth();
const cronJob = findObject(manifests, 'CronJob', 'events-backup');
const backupContainer = cronJob.spec.jobTemplate.spec.template.spec.containers[0];
const pod = findObject(manifests, 'StatefulSet', 'events-zone-a').spec.template.spec;
const medusa = pod.containers.find((c: any) => c.name === 'medusa');
const ini = findObject(manifests, 'ConfigMap', 'events-medusa').data;

describe('Medusa sidecar', () => {
  test('serves gRPC on 50051 with the pinned image, hardened, with gRPC health probes', () => {
    expect(medusa.image).toBe('docker.io/k8ssandra/medusa:0.29.1');
    expect(medusa.command).toEqual(['/home/cassandra/.venv/bin/python', '-m', 'medusa.service.grpc.server', 'server.py', '/etc/medusa/medusa.ini']);
    expect(medusa.ports).toEqual([{ name: 'medusa-grpc', containerPort: 50051, protocol: 'TCP' }]);
    expect(medusa.securityContext).toMatchObject({ readOnlyRootFilesystem: true, allowPrivilegeEscalation: false });
    expect(medusa.readinessProbe.grpc).toEqual({ port: 50051 });
    expect(medusa.livenessProbe.grpc).toEqual({ port: 50051 });
  });

  test('shares the data and config volumes; credentials come from Secret files, never env values', () => {
    const mounts = Object.fromEntries(medusa.volumeMounts.map((m: any) => [m.mountPath, m]));
    expect(mounts['/var/lib/cassandra'].name).toBe('data');
    expect(mounts['/etc/cassandra']).toMatchObject({ name: 'config', readOnly: true });
    expect(mounts['/etc/medusa-secrets'].name).toBe('medusa-credentials');
    expect(mounts['/etc/medusa-cql'].name).toBe('medusa-cql');
    const volumes = Object.fromEntries(pod.volumes.map((v: any) => [v.name, v]));
    expect(volumes['medusa-credentials'].secret).toEqual({ secretName: 'events-medusa', items: [{ key: 'credentials', path: 'credentials' }], defaultMode: 0o400 });
    expect(volumes['medusa-cql'].secret.items).toEqual([{ key: 'username', path: 'username' }, { key: 'password', path: 'password' }]);
    expect(volumes['medusa-cql'].secret.secretName).toBe('events-superuser');
    expect(medusa.env.filter((e: any) => /PASSWORD|SECRET|KEY/i.test(e.name))).toEqual([]);
  });

  test('the tools init container copies nodetool and java from the Cassandra image', () => {
    const tools = pod.initContainers.find((c: any) => c.name === 'cassandra-tools');
    expect(tools.image).toBe('cassandra:5.0.5');
    expect(env(tools)).toEqual({ CASSANDRA_HOME: '/opt/cassandra', JAVA_HOME: '/opt/java/openjdk', TOOLS_DIR: '/cassandra-tools' });
    expect(pod.initContainers.map((c: any) => c.name)).toEqual(['config', 'cassandra-tools', 'wait-for-previous']);
  });

  test('medusa.ini: the store, retention, gRPC, nodetool from the copied tools; the restore variant with no-op stop and start', () => {
    expect(ini['medusa.ini']).toContain('[storage]\nstorage_provider = s3\nbucket_name = events-backups\nkey_file = /etc/medusa-secrets/credentials\nprefix = events\nregion = eu-west-1\n');
    expect(ini['medusa.ini']).toContain('resolve_ip_addresses = True\n');
    expect(ini['medusa.ini']).toContain('max_backup_count = 7\nmax_backup_age = 0\n');
    expect(ini['medusa.ini']).toContain('[grpc]\nenabled = True\nport = 50051\n');
    expect(ini['medusa.ini']).toContain('nodetool_executable = /cassandra-tools/cassandra/bin/nodetool\n');
    expect(ini['medusa.ini']).toContain('cql_k8s_secrets_path = /etc/medusa-cql\n');
    expect(ini['medusa.ini']).toContain('[kubernetes]\nenabled = False\n');
    expect(ini['medusa.ini']).not.toContain('stop_cmd');
    expect(ini['restore.ini']).toContain('stop_cmd = /bin/true\nstart_cmd = /bin/true\n');
    expect(ini['restore.ini']).toBe(ini['medusa.ini'].replace('resolve_ip_addresses = True\n', 'resolve_ip_addresses = True\nstop_cmd = /bin/true\nstart_cmd = /bin/true\n'));
    expect(ini['medusa.ini']).not.toContain('nodetool_password_file_path');
  });

  test('S3 with an endpoint is s3_compatible: host, port and TLS from the URL; Google and Azure names', () => {
    const s3c = findObject(synth({ backup: { ...BACKUP, region: undefined, provider: ObjectStoreProvider.S3, endpointUrl: 'http://minio.storage.svc:9000' } }), 'ConfigMap', 'events-medusa').data['medusa.ini'];
    expect(s3c).toContain('storage_provider = s3_compatible\n');
    expect(s3c).toContain('host = minio.storage.svc\nport = 9000\nsecure = False\n');
    expect(findObject(synth({ backup: { ...BACKUP, provider: ObjectStoreProvider.GOOGLE } }), 'ConfigMap', 'events-medusa').data['medusa.ini']).toContain('storage_provider = google_storage\n');
    expect(findObject(synth({ backup: { ...BACKUP, provider: ObjectStoreProvider.AZURE } }), 'ConfigMap', 'events-medusa').data['medusa.ini']).toContain('storage_provider = azure_blobs\n');
  });

  test('with repairs, nodetool logs in with the JMX account from the password file', () => {
    const m = synth({ repairs: { jmxCredentials: Credentials.fromSecret('events-jmx') } });
    expect(findObject(m, 'ConfigMap', 'events-medusa').data['medusa.ini']).toContain('nodetool_password_file_path = /etc/cassandra/jmxremote.password\n');
    const c = findObject(m, 'StatefulSet', 'events-zone-a').spec.template.spec.containers.find((x: any) => x.name === 'medusa');
    expect(env(c).MEDUSA_NODETOOL_USERNAME).toEqual({ secretKeyRef: { name: 'events-jmx', key: 'username' } });
  });

  test('without authentication, no CQL Secret is mounted', () => {
    const p = findObject(synth({ authentication: false }), 'StatefulSet', 'events-zone-a').spec.template.spec;
    expect(p.volumes.map((v: any) => v.name)).not.toContain('medusa-cql');
    expect(findObject(synth({ authentication: false }), 'ConfigMap', 'events-medusa').data['medusa.ini']).not.toContain('cql_k8s_secrets_path');
  });

  test('no backup prop: no sidecar, no CronJob, no ConfigMap', () => {
    const chart = testChart('events');
    new CassandraDatacenter(chart, 'events', { racks: RACKS });
    const m = synthValid(chart);
    expect(m.filter(o => o.metadata.name === 'events-backup' || o.metadata.name === 'events-medusa')).toEqual([]);
    expect(findObject(m, 'StatefulSet', 'events-zone-a').spec.template.spec.containers.map((c: any) => c.name)).not.toContain('medusa');
  });
});

describe('backup CronJob', () => {
  test('daily, never concurrent, no retry, bounded', () => {
    expect(cronJob.spec).toMatchObject({ schedule: '0 2 * * *', timeZone: 'Etc/UTC', concurrencyPolicy: 'Forbid', startingDeadlineSeconds: 3600, successfulJobsHistoryLimit: 3, failedJobsHistoryLimit: 3 });
    expect(cronJob.spec.jobTemplate.spec).toMatchObject({ backoffLimit: 0, activeDeadlineSeconds: 43200, ttlSecondsAfterFinished: 3 * 86400 });
  });

  test('calls every node by its stable name over gRPC; no credentials, no API token, no RBAC', () => {
    const e = env(backupContainer);
    expect(e.NODES.split(' ')).toEqual(NODES);
    expect(e).toMatchObject({ MEDUSA_PORT: '50051', BACKUP_NAME_PREFIX: 'events', BACKUP_MODE: 'DIFFERENTIAL', DEADLINE_SECONDS: String(43200 - 300) });
    expect(backupContainer.env.every((x: any) => x.value !== undefined)).toBe(true);
    expect(backupContainer.command.slice(0, 2)).toEqual(['/home/cassandra/.venv/bin/python', '-c']);
    expect(cronJob.spec.jobTemplate.spec.template.spec.automountServiceAccountToken).toBe(false);
    expect(manifests.filter(o => ['Role', 'RoleBinding', 'ClusterRole', 'ClusterRoleBinding'].includes(o.kind))).toEqual([]);
  });

  test('the nodes admit the backup pods on 50051 only; the backup pods admit nothing', () => {
    const policy = findObject(manifests, 'NetworkPolicy', 'events');
    const rules = policy.spec.ingress.filter((r: any) => r.ports.some((p: any) => p.port === 50051));
    expect(rules).toHaveLength(1);
    expect(rules[0].ports).toEqual([{ protocol: 'TCP', port: 50051 }]);
    expect(rules[0].from).toEqual([{ podSelector: { matchLabels: expect.objectContaining({ 'app.kubernetes.io/component': 'backup' }) } }]);
    const own = findObject(manifests, 'NetworkPolicy', 'events-backup');
    expect(own.spec).toMatchObject({ policyTypes: ['Ingress'], ingress: [] });
    expect(cronJob.spec.jobTemplate.spec.template.metadata.labels).toMatchObject(own.spec.podSelector.matchLabels);
    expect(rules[0].from[0].podSelector.matchLabels).toEqual(own.spec.podSelector.matchLabels);
  });

  test('retention and schedule reach medusa.ini and the CronJob', () => {
    const m = synth({ backup: { ...BACKUP, keep: 14, maxAge: Duration.days(30), schedule: Cron.schedule({ minute: '30', hour: '4' }), timeZone: 'Europe/Paris' } });
    expect(findObject(m, 'ConfigMap', 'events-medusa').data['medusa.ini']).toContain('max_backup_count = 14\nmax_backup_age = 30\n');
    expect(findObject(m, 'CronJob', 'events-backup').spec).toMatchObject({ schedule: '30 4 * * *', timeZone: 'Europe/Paris' });
  });
});

describe('backup alerts', () => {
  const rules = findObject(manifests, 'PrometheusRule', 'events').spec.groups[0].rules;
  test('failed and too old, scoped to the CronJob, valid PromQL', () => {
    const failed = rules.find((r: any) => r.alert === 'CassandraBackupFailed');
    const old = rules.find((r: any) => r.alert === 'CassandraBackupTooOld');
    expect(failed.expr).toBe('max by (namespace, job_name) (kube_job_status_failed{namespace="events", job_name=~"events-backup-[0-9]+"}) > 0');
    // Two daily gaps plus the 12-hour timeout.
    expect(old.expr).toBe(`time() - kube_cronjob_status_last_successful_time{namespace="events", cronjob="events-backup"} > ${2 * 86400 + 43200}`);
    expect(old.labels.severity).toBe('critical');
    for (const r of [failed, old]) expect(promqlErrors(r.expr)).toEqual([]);
  });
});

describe('restore', () => {
  test('in place: the restore init container runs before the first-start gate with the backup name and key', () => {
    const p = findObject(synth({ backup: { ...BACKUP, restoreFrom: { backupName: 'events-20260101020000' } } }), 'StatefulSet', 'events-zone-b').spec.template.spec;
    expect(p.initContainers.map((c: any) => c.name)).toEqual(['config', 'cassandra-tools', 'medusa-restore', 'wait-for-previous']);
    const r = p.initContainers.find((c: any) => c.name === 'medusa-restore');
    expect(env(r)).toMatchObject({ BACKUP_NAME: 'events-20260101020000', RESTORE_ID: 'events-20260101020000', MEDUSA_CONFIG: '/etc/medusa/restore.ini', MEDUSA_TMP_DIR: '/var/lib/cassandra' });
    expect(env(r).RESTORE_MAPPING).toBeUndefined();
    expect(env(r).RESTORE_SOURCES).toBeUndefined();
    expect(r.image).toBe('docker.io/k8ssandra/medusa:0.29.1');
    expect(r.volumeMounts).toContainEqual({ name: 'medusa-config', mountPath: '/etc/medusa', readOnly: true });
    expect(r.volumeMounts).toContainEqual({ name: 'config', mountPath: '/etc/cassandra', readOnly: false });
  });

  test('new datacenter: a mapping from each new pod to the backed-up node at its position', () => {
    const sources = NODES.map(n => n.replace(/^events/, 'old').replace('events-headless', 'old-headless'));
    const p = findObject(synth({ backup: { ...BACKUP, restoreFrom: { backupName: 'old-20260101020000', restoreKey: 'r1', sourceNodes: sources } } }), 'StatefulSet', 'events-zone-a').spec.template.spec;
    const e = env(p.initContainers.find((c: any) => c.name === 'medusa-restore'));
    const mapping = JSON.parse(e.RESTORE_MAPPING);
    expect(e.RESTORE_SOURCES.split(' ')[0]).toBe(`events-zone-a-0=${sources[0]}`);
    expect(e.RESTORE_SOURCES.split(' ')[1]).toBe(`events-zone-b-0=${sources[1]}`);
    expect(mapping.in_place).toBe(false);
    expect(mapping.host_map['events-zone-a-0']).toEqual({ source: [sources[0]], seed: false });
    expect(mapping.host_map['events-zone-b-0']).toEqual({ source: [sources[1]], seed: false });
    expect(mapping.host_map['events-zone-a-1']).toEqual({ source: [sources[3]], seed: false });
    expect(Object.keys(mapping.host_map)).toHaveLength(6);
  });

  test('a single rack renders the same parts', () => {
    const chart = testChart('sessions');
    new CassandraRack(chart, 'sessions', { zone: 'eu-west-1a', nodes: 3, backup: { ...BACKUP, restoreFrom: { backupName: 'sessions-1' } } });
    const m = synthValid(chart);
    expect(findObject(m, 'CronJob', 'sessions-backup')).toBeDefined();
    expect(findObject(m, 'StatefulSet', 'sessions').spec.template.spec.initContainers.map((c: any) => c.name)).toContain('medusa-restore');
  });
});

describe('bad backup props', () => {
  const cases: Array<[string, Partial<CassandraBackupProps>, string]> = [
    ['unknown provider', { provider: 'FTP' as any }, 'backup.provider'],
    ['bad bucket', { bucket: 'Bad Bucket' }, 'backup.bucket'],
    ['prefix with a line break', { prefix: 'a\nb' }, 'backup.prefix'],
    ['prefix with %', { prefix: 'a%b' }, 'backup.prefix'],
    ['region with blank', { region: 'eu west' }, 'backup.region'],
    ['endpoint on Google', { provider: ObjectStoreProvider.GOOGLE, endpointUrl: 'https://storage.example.com' }, 'backup.endpointUrl'],
    ['endpoint without a scheme', { endpointUrl: 'minio:9000' }, 'backup.endpointUrl'],
    ['endpoint with credentials', { endpointUrl: 'https://user:pw@minio:9000' }, 'backup.endpointUrl'],
    ['endpoint port out of range', { endpointUrl: 'https://minio:99999' }, 'backup.endpointUrl'],
    ['no credentials', { credentials: undefined as any }, 'backup.credentials'],
    ['credentials key bad', { credentials: { secretName: 'x', key: 'a b' } }, 'backup.credentials.key'],
    ['keep 0', { keep: 0 }, 'backup.keep'],
    ['maxAge in hours', { maxAge: Duration.hours(36) }, 'backup.maxAge'],
    ['timeout too short', { timeout: Duration.minutes(1) }, 'backup.timeout'],
    ['bad time zone', { timeZone: 'Mars/Olympus' }, 'backup.timeZone'],
    ['latest image', { image: 'docker.io/k8ssandra/medusa:latest' }, 'backup.image'],
    ['bad backup name', { restoreFrom: { backupName: 'a b' } }, 'backup.restoreFrom.backupName'],
    ['bad restore key', { restoreFrom: { backupName: 'b', restoreKey: '$(x)' } }, 'backup.restoreFrom.restoreKey'],
    ['source node not a name', { restoreFrom: { backupName: 'b', sourceNodes: ['a b', 'x', 'y', 'z', 'u', 'v'] } }, 'backup.restoreFrom.sourceNodes[0]'],
    ['source nodes count', { restoreFrom: { backupName: 'b', sourceNodes: ['a.b'] } }, 'backup.restoreFrom.sourceNodes'],
  ];
  test.each(cases)('%s', (_name, bad, field) => {
    const chart = testChart('events');
    expect(validationErrorOf(() => new CassandraDatacenter(chart, 'events', { racks: RACKS, nodesPerRack: 2, backup: { ...BACKUP, ...bad } })).message).toContain(field);
  });

  test('a datacenter name too long for the backup CronJob', () => {
    expect(() => new CassandraDatacenter(testChart('events'), 'events', { name: 'a'.repeat(49), racks: [{ name: 'r', zone: 'z' }], backup: BACKUP }))
      .toThrow(/backup CronJob name/);
  });
});

describe('data-safety gate', () => {
  const withoutBackup = (() => {
    const chart = testChart('events');
    new CassandraDatacenter(chart, 'events', { racks: RACKS, nodesPerRack: 2 });
    return synthValid(chart);
  })();

  test('removing the backup is a blocking backup-removed finding, acknowledgeable on the racks', () => {
    const report = compareManifests(manifests, withoutBackup);
    const found = report.findings.filter((f: any) => f.id === 'backup-removed');
    expect(found).toHaveLength(1);
    expect(found[0].severity).toBe('blocking');
    const acked = (() => {
      const chart = testChart('events');
      new CassandraDatacenter(chart, 'events', { racks: RACKS, nodesPerRack: 2, acknowledge: ['backup-removed'] });
      return synthValid(chart);
    })();
    const ackedReport = compareManifests(manifests, acked);
    expect(ackedReport.blocking.filter((f: any) => f.id === 'backup-removed')).toEqual([]);
    expect(ackedReport.findings.filter((f: any) => f.id === 'backup-removed')).toHaveLength(1);
  });

  test('adding backups to a running datacenter blocks nothing', () => {
    expect(compareManifests(withoutBackup, manifests).blocking).toEqual([]);
  });
});
