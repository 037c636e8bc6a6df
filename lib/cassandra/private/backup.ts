import { Cron, Duration } from 'cdk8s';
import { k8s } from 'cdk8s-plus-28';
import { Construct } from 'constructs';
import { Credentials, SecretKeyReference, checkSecretKeyReference } from '../../core/credentials';
import { checkDuration } from '../../core/duration';
import { Problems } from '../../core/errors';
import { checkImage } from '../../core/image';
import { NAME_LIMITS, checkChoice, isDns1123Subdomain } from '../../core/names';
import { checkInteger } from '../../core/quantity';
import { helperResources } from '../../core/resources';
import { checkSchedule, checkTimeZone, scheduleGapsSeconds } from '../../core/schedule';
import { hardenedContainerSecurityContext } from '../../core/security';
import { ObjectStoreProvider } from '../../postgres/backup';
import { CassandraBackupProps } from '../backup';
import { CASSANDRA_IDS } from './auth';
import { BACKUP_SCRIPT, RESTORE_SCRIPT, TOOLS_COPY_SCRIPT } from './backup-scripts';
import { renderHelperCronJob } from './cronjob';
import { ResolvedEgress } from '../../core/egress';

/** Medusa's gRPC port (its default, as in K8ssandra). */
export const MEDUSA_PORT = 50051;
export const DEFAULT_MEDUSA_IMAGE = 'docker.io/k8ssandra/medusa:0.29.1';
/** The Medusa image's virtualenv Python, with Medusa and its generated gRPC modules on PYTHONPATH. */
export const MEDUSA_PYTHON = '/home/cassandra/.venv/bin/python';
const TOOLS_DIR = '/cassandra-tools';
/** Medusa's `storage_provider` per provider; S3 with an endpoint is `s3_compatible`. */
const PROVIDERS: Record<ObjectStoreProvider, string> = {
  [ObjectStoreProvider.S3]: 's3',
  [ObjectStoreProvider.GOOGLE]: 'google_storage',
  [ObjectStoreProvider.AZURE]: 'azure_blobs',
};
/** Values written into medusa.ini: no blank space, line break, `%` (interpolation) or `;`/`#` (comments). */
const INI_SAFE = /^[A-Za-z0-9._\-/]{1,200}$/;
const BUCKET = /^[a-z0-9][a-z0-9.\-_]{1,220}[a-z0-9]$/;
const BACKUP_NAME = /^[A-Za-z0-9][A-Za-z0-9._-]{0,99}$/;

/** Backups, validated, every default applied. */
export interface ResolvedBackup {
  readonly provider: string;
  readonly bucket: string;
  readonly prefix: string;
  readonly region?: string;
  readonly endpoint?: { host: string; port?: number; secure: boolean };
  readonly credentials: SecretKeyReference;
  readonly schedule: string;
  readonly timeZone: string;
  readonly keep: number;
  readonly maxAgeDays: number;
  readonly timeoutSeconds: number;
  readonly startingDeadlineSeconds: number;
  readonly keepFinishedSeconds: number;
  readonly image: string;
  /** A successful run must happen at least this often, or `CassandraBackupTooOld` fires. */
  readonly maxAgeSeconds: number;
  readonly restore?: { backupName: string; restoreKey: string; sourceNodes: string[] };
}

/** Validates `backup` (off unless given). `name` is the datacenter's; `clusterName` the default prefix. */
export function resolveBackup(problems: Problems, props: CassandraBackupProps | undefined, name: string, nameOk: boolean, clusterName: string): ResolvedBackup | undefined {
  if (props === undefined) return undefined;
  const f = 'backup';
  if (!problems.check(typeof props === 'object' && props !== null, f, props, 'is not a backup configuration', 'give { provider, bucket, credentials }')) return undefined;
  const providerOk = checkChoice(problems, `${f}.provider`, props.provider, ObjectStoreProvider);
  problems.check(typeof props.bucket === 'string' && BUCKET.test(props.bucket), `${f}.bucket`, props.bucket,
    'is not a bucket name', 'use 3-222 lower-case letters, digits, ".", "-" or "_", e.g. "cassandra-backups"');
  const prefix = props.prefix ?? clusterName;
  if (props.prefix !== undefined || nameOk) {
    problems.check(typeof prefix === 'string' && INI_SAFE.test(prefix), `${f}.prefix`, prefix, 'is not a safe folder name', 'use letters, digits, ".", "_", "-" or "/"');
  }
  if (props.region !== undefined) {
    problems.check(typeof props.region === 'string' && /^[a-z0-9-]{1,40}$/.test(props.region), `${f}.region`, props.region, 'is not a region', 'e.g. "eu-west-1"');
  }
  const endpoint = checkEndpoint(problems, `${f}.endpointUrl`, props.endpointUrl, providerOk ? props.provider : undefined);
  checkSecretKeyReference(problems, `${f}.credentials`, props.credentials);
  const schedule = checkSchedule(problems, `${f}.schedule`, props.schedule ?? Cron.schedule({ minute: '0', hour: '2' }));
  const timeZone = props.timeZone ?? 'Etc/UTC';
  checkTimeZone(problems, `${f}.timeZone`, timeZone);
  const keep = props.keep ?? 7;
  checkInteger(problems, `${f}.keep`, keep, 1, 1000);
  let maxAgeDays = 0;
  if (props.maxAge !== undefined) {
    const seconds = checkDuration(problems, `${f}.maxAge`, props.maxAge, { fallback: Duration.days(1), min: Duration.days(1), max: Duration.days(3650) });
    maxAgeDays = Math.floor(seconds / 86400);
    problems.check(seconds % 86400 === 0, `${f}.maxAge`, props.maxAge, 'is not a whole number of days (Medusa counts days)', 'e.g. Duration.days(30)');
  }
  const timeoutSeconds = checkDuration(problems, `${f}.timeout`, props.timeout, { fallback: Duration.hours(12), min: Duration.minutes(10), max: Duration.days(2) });
  const startingDeadlineSeconds = checkDuration(problems, `${f}.startingDeadline`, props.startingDeadline, { fallback: Duration.hours(1), min: Duration.seconds(10), max: Duration.days(1) });
  const keepFinishedSeconds = checkDuration(problems, `${f}.keepFinishedJobsFor`, props.keepFinishedJobsFor, { fallback: Duration.days(3), min: Duration.seconds(0), max: Duration.days(30) });
  const image = props.image ?? DEFAULT_MEDUSA_IMAGE;
  checkImage(problems, `${f}.image`, image, DEFAULT_MEDUSA_IMAGE);
  const cronJob = backupCronJobName(name);
  problems.check(!nameOk || cronJob.length <= NAME_LIMITS.cronJob, 'name', name,
    `makes the backup CronJob name "${cronJob}" ${cronJob.length} characters long; the limit is ${NAME_LIMITS.cronJob}`, 'shorten the name');
  const restore = resolveRestore(problems, `${f}.restoreFrom`, props.restoreFrom);
  if (schedule === undefined) return undefined;
  return {
    provider: endpoint ? 's3_compatible' : PROVIDERS[props.provider], bucket: props.bucket, prefix, region: props.region, endpoint, credentials: props.credentials,
    schedule, timeZone, keep, maxAgeDays, timeoutSeconds, startingDeadlineSeconds, keepFinishedSeconds, image, restore,
    // One missed run is tolerated; two in a row are not.
    maxAgeSeconds: 2 * scheduleGapsSeconds(schedule).longest + timeoutSeconds,
  };
}

function checkEndpoint(problems: Problems, field: string, endpoint: unknown, provider: ObjectStoreProvider | undefined): ResolvedBackup['endpoint'] {
  if (endpoint === undefined) return undefined;
  if (!problems.check(provider === undefined || provider === ObjectStoreProvider.S3, field, endpoint,
    'applies to ObjectStoreProvider.S3 only (an S3-compatible store)', 'leave it out, or use ObjectStoreProvider.S3')) return undefined;
  const m = typeof endpoint === 'string' ? /^(https?):\/\/([A-Za-z0-9.-]+)(?::([0-9]{1,5}))?\/?$/.exec(endpoint) : null;
  const port = m?.[3] !== undefined ? Number(m[3]) : undefined;
  if (!problems.check(m !== null && isDns1123Subdomain(m[2].toLowerCase()) && (port === undefined || (port >= 1 && port <= 65535)), field, endpoint,
    'is not an http(s) URL of a host with an optional port', 'e.g. "https://minio.storage.svc:9000"')) return undefined;
  return { host: m![2], port, secure: m![1] === 'https' };
}

function resolveRestore(problems: Problems, f: string, r: CassandraBackupProps['restoreFrom']): ResolvedBackup['restore'] {
  if (r === undefined) return undefined;
  if (!problems.check(typeof r === 'object' && r !== null, f, r, 'is not a restore request', 'give { backupName }')) return undefined;
  problems.check(typeof r.backupName === 'string' && BACKUP_NAME.test(r.backupName), `${f}.backupName`, r.backupName, 'is not a backup name', 'give the name the backup Job logged, e.g. "events-20260101020000"');
  const restoreKey = r.restoreKey ?? r.backupName;
  if (r.restoreKey !== undefined) problems.check(typeof r.restoreKey === 'string' && BACKUP_NAME.test(r.restoreKey), `${f}.restoreKey`, r.restoreKey, 'is not a restore key', 'use letters, digits, ".", "_" or "-"');
  const sourceNodes = r.sourceNodes ?? [];
  if (problems.check(Array.isArray(sourceNodes), `${f}.sourceNodes`, sourceNodes, 'is not a list', 'give the backed-up nodes\' DNS names')) {
    sourceNodes.forEach((n, i) => problems.check(isDns1123Subdomain(n), `${f}.sourceNodes[${i}]`, n, 'is not a DNS name', 'e.g. "events-zone-a-0.events-headless.events.svc.cluster.local"'));
    problems.check(new Set(sourceNodes).size === sourceNodes.length, `${f}.sourceNodes`, sourceNodes, 'lists a node twice', 'list each backed-up node once');
  }
  return { backupName: r.backupName, restoreKey, sourceNodes };
}

/** Checks that a new-datacenter restore names one source node per node. */
export function checkRestoreNodes(problems: Problems, b: ResolvedBackup | undefined, nodes: number): void {
  const n = b?.restore?.sourceNodes.length ?? 0;
  problems.check(n === 0 || n === nodes, 'backup.restoreFrom.sourceNodes', b?.restore?.sourceNodes,
    `lists ${n} nodes for a datacenter of ${nodes}`, 'list one backed-up node per node of this datacenter, in start order');
}

export function backupCronJobName(instance: string): string {
  return `${instance}-backup`;
}

/**
 * medusa.ini for the sidecar, or (`restore`) for the restore init container: the same node
 * identity (the pod's stable DNS name, `resolve_ip_addresses`), and Cassandra's stop and start
 * commands replaced by `true` since Cassandra is not running yet. `[storage]` comes last so that
 * RESTORE_SCRIPT can append the source node's `fqdn` for a new-datacenter restore.
 */
export function medusaIni(b: ResolvedBackup, o: { authentication: boolean; jmxAuthentication: boolean; restore: boolean }): string {
  const lines = [
    '[cassandra]',
    'config_file = /etc/cassandra/cassandra.yaml',
    'use_sudo = False',
    `nodetool_executable = ${TOOLS_DIR}/cassandra/bin/nodetool`,
    ...(o.jmxAuthentication ? ['nodetool_password_file_path = /etc/cassandra/jmxremote.password'] : []),
    ...(o.authentication ? ['cql_k8s_secrets_path = /etc/medusa-cql'] : []),
    // The backups are stored under the name the pod's IP resolves to: its stable DNS name.
    'resolve_ip_addresses = True',
    ...(o.restore ? ['stop_cmd = /bin/true', 'start_cmd = /bin/true'] : []),
    '',
    '[grpc]',
    'enabled = True',
    `port = ${MEDUSA_PORT}`,
    '',
    // Kubernetes mode would take snapshots through the Management API or Jolokia, which the official image lacks.
    '[kubernetes]',
    'enabled = False',
    '',
    '[logging]',
    'level = INFO',
    '',
    '[storage]',
    `storage_provider = ${b.provider}`,
    `bucket_name = ${b.bucket}`,
    'key_file = /etc/medusa-secrets/credentials',
    `prefix = ${b.prefix}`,
    ...(b.region ? [`region = ${b.region}`] : []),
    ...(b.endpoint ? [`host = ${b.endpoint.host}`, ...(b.endpoint.port ? [`port = ${b.endpoint.port}`] : []), `secure = ${b.endpoint.secure ? 'True' : 'False'}`] : []),
    `max_backup_count = ${b.keep}`,
    `max_backup_age = ${b.maxAgeDays}`,
    'use_sudo_for_restore = False',
    'concurrent_transfers = 1',
  ];
  return lines.join('\n') + '\n';
}

/** Names and inputs the pod parts need. */
export interface MedusaPodContext {
  readonly configMap: string;
  readonly superuser?: Credentials;
  readonly jmxCredentials?: Credentials;
  readonly cassandraImage: string;
  /** This datacenter's pods in start order, for a new-datacenter restore mapping. */
  readonly podNames: string[];
}

/** Volumes the Medusa containers add to the pod. */
export function medusaVolumes(b: ResolvedBackup, c: MedusaPodContext): k8s.Volume[] {
  return [
    { name: 'medusa-config', configMap: { name: c.configMap } },
    { name: 'medusa-credentials', secret: { secretName: b.credentials.secretName, items: [{ key: b.credentials.key, path: 'credentials' }], defaultMode: 0o400 } },
    ...(c.superuser ? [{ name: 'medusa-cql', secret: { secretName: c.superuser.secretName, defaultMode: 0o400,
      items: [{ key: c.superuser.usernameKey, path: 'username' }, { key: c.superuser.passwordKey, path: 'password' }] } }] : []),
    { name: 'cassandra-tools', emptyDir: { sizeLimit: k8s.Quantity.fromString('1Gi') } },
    { name: 'medusa-tmp', emptyDir: { sizeLimit: k8s.Quantity.fromString('1Gi') } },
  ];
}

function medusaMounts(c: MedusaPodContext, restore: boolean): k8s.VolumeMount[] {
  return [
    { name: 'data', mountPath: '/var/lib/cassandra' },
    { name: 'config', mountPath: '/etc/cassandra', readOnly: !restore },
    { name: 'medusa-config', mountPath: '/etc/medusa', readOnly: true },
    { name: 'medusa-credentials', mountPath: '/etc/medusa-secrets', readOnly: true },
    ...(c.superuser ? [{ name: 'medusa-cql', mountPath: '/etc/medusa-cql', readOnly: true }] : []),
    { name: 'cassandra-tools', mountPath: TOOLS_DIR, readOnly: true },
    { name: 'medusa-tmp', mountPath: '/tmp' },
  ];
}

function medusaEnv(c: MedusaPodContext): k8s.EnvVar[] {
  return [
    { name: 'HOME', value: '/tmp' },
    { name: 'PYTHONPATH', value: '/home/cassandra' },
    { name: 'JAVA_HOME', value: `${TOOLS_DIR}/java` },
    { name: 'CASSANDRA_CONF', value: '/etc/cassandra' },
    // nodetool's own JVM: small, whatever the node's heap.
    { name: 'MAX_HEAP_SIZE', value: '128M' },
    { name: 'HEAP_NEWSIZE', value: '32M' },
    { name: 'POD_NAME', valueFrom: { fieldRef: { fieldPath: 'metadata.name' } } },
    ...(c.jmxCredentials ? [{ name: 'MEDUSA_NODETOOL_USERNAME', valueFrom: { secretKeyRef: { name: c.jmxCredentials.secretName, key: c.jmxCredentials.usernameKey } } }] : []),
  ];
}

/** The init containers: the tools copy (Cassandra image), then the restore when asked for. */
export function medusaInitContainers(b: ResolvedBackup, c: MedusaPodContext): k8s.Container[] {
  const securityContext = hardenedContainerSecurityContext(CASSANDRA_IDS);
  const containers: k8s.Container[] = [{
    name: 'cassandra-tools',
    image: c.cassandraImage,
    imagePullPolicy: 'IfNotPresent',
    command: ['bash', '-c', TOOLS_COPY_SCRIPT],
    env: [
      { name: 'CASSANDRA_HOME', value: '/opt/cassandra' },
      { name: 'JAVA_HOME', value: '/opt/java/openjdk' },
      { name: 'TOOLS_DIR', value: TOOLS_DIR },
    ],
    resources: helperResources('100m', '128Mi'),
    securityContext,
    volumeMounts: [{ name: 'cassandra-tools', mountPath: TOOLS_DIR }],
  }];
  if (!b.restore) return containers;
  const r = b.restore;
  const mapping = r.sourceNodes.length === 0 ? undefined : JSON.stringify({
    in_place: false,
    host_map: Object.fromEntries(c.podNames.map((pod, i) => [pod, { source: [r.sourceNodes[i]], seed: false }])),
  });
  containers.push({
    name: 'medusa-restore',
    image: b.image,
    imagePullPolicy: 'IfNotPresent',
    command: ['bash', '-c', RESTORE_SCRIPT],
    env: [
      ...medusaEnv(c),
      { name: 'BACKUP_NAME', value: r.backupName },
      { name: 'RESTORE_ID', value: r.restoreKey },
      ...(mapping ? [
        // Medusa's own mapping (not in place: each node keeps its own system tables and takes the source's tokens)...
        { name: 'RESTORE_MAPPING', value: mapping },
        // ...and, for RESTORE_SCRIPT, the source node whose backup each pod downloads.
        { name: 'RESTORE_SOURCES', value: c.podNames.map((pod, i) => `${pod}=${r.sourceNodes[i]}`).join(' ') },
      ] : []),
      { name: 'MEDUSA_TMP_DIR', value: '/var/lib/cassandra' },
      { name: 'DATA_DIR', value: '/var/lib/cassandra' },
      { name: 'MEDUSA_PYTHON', value: MEDUSA_PYTHON },
      { name: 'MEDUSA_CONFIG', value: '/etc/medusa/restore.ini' },
    ],
    resources: helperResources('500m', '1Gi'),
    securityContext,
    volumeMounts: medusaMounts(c, true),
  });
  return containers;
}

/** The Medusa sidecar: its gRPC server, which the backup CronJob calls. */
export function medusaContainer(b: ResolvedBackup, c: MedusaPodContext): k8s.Container {
  return {
    name: 'medusa',
    image: b.image,
    imagePullPolicy: 'IfNotPresent',
    command: [MEDUSA_PYTHON, '-m', 'medusa.service.grpc.server', 'server.py', '/etc/medusa/medusa.ini'],
    ports: [{ name: 'medusa-grpc', containerPort: MEDUSA_PORT, protocol: 'TCP' }],
    env: medusaEnv(c),
    resources: helperResources('200m', '1Gi'),
    securityContext: hardenedContainerSecurityContext(CASSANDRA_IDS),
    // Medusa's server registers the standard gRPC health service.
    startupProbe: { grpc: { port: MEDUSA_PORT }, periodSeconds: 10, timeoutSeconds: 5, failureThreshold: 30 },
    readinessProbe: { grpc: { port: MEDUSA_PORT }, periodSeconds: 10, timeoutSeconds: 5, failureThreshold: 3 },
    livenessProbe: { grpc: { port: MEDUSA_PORT }, periodSeconds: 30, timeoutSeconds: 10, failureThreshold: 5 },
    volumeMounts: medusaMounts(c, false),
  };
}

/** What the backup CronJob needs from the datacenter. */
export interface BackupTarget {
  readonly instance: string;
  readonly namespace: string;
  readonly serviceAccountName: string;
  readonly labels: Record<string, string>;
  readonly selector: Record<string, string>;
  readonly nodes: string[];
  readonly datacenterLabels: Record<string, string>;
  readonly authentication: boolean;
  readonly jmxAuthentication: boolean;
  /** Labels of the datacenter's node pods (the Job calls their gRPC port). */
  readonly nodeSelector: Record<string, string>;
  readonly egress?: ResolvedEgress;
}

/**
 * The medusa.ini ConfigMap (the sidecar's and the restore's), the backup CronJob (BACKUP_SCRIPT,
 * no credentials, no Kubernetes API access) and a NetworkPolicy admitting nothing into its pods.
 * The caller opens the gRPC port on the nodes to `t.selector`.
 */
export function renderBackupObjects(scope: Construct, b: ResolvedBackup, t: BackupTarget, configMap: string): void {
  new k8s.KubeConfigMap(scope, 'MedusaConfig', {
    metadata: { name: configMap, namespace: t.namespace, labels: t.datacenterLabels },
    data: {
      'medusa.ini': medusaIni(b, { authentication: t.authentication, jmxAuthentication: t.jmxAuthentication, restore: false }),
      'restore.ini': medusaIni(b, { authentication: t.authentication, jmxAuthentication: t.jmxAuthentication, restore: true }),
    },
  });
  renderHelperCronJob(scope, 'Backup', {
    name: backupCronJobName(t.instance), namespace: t.namespace, labels: t.labels, selector: t.selector, serviceAccountName: t.serviceAccountName,
    schedule: b.schedule, timeZone: b.timeZone, startingDeadlineSeconds: b.startingDeadlineSeconds, timeoutSeconds: b.timeoutSeconds, keepFinishedSeconds: b.keepFinishedSeconds,
    container: {
      name: 'backup',
      image: b.image,
      command: [MEDUSA_PYTHON, '-c', BACKUP_SCRIPT],
      env: [
        { name: 'NODES', value: t.nodes.join(' ') },
        { name: 'MEDUSA_PORT', value: String(MEDUSA_PORT) },
        { name: 'BACKUP_NAME_PREFIX', value: t.instance },
        { name: 'BACKUP_MODE', value: 'DIFFERENTIAL' },
        { name: 'POLL_INTERVAL_SECONDS', value: '10' },
        { name: 'RPC_TIMEOUT_SECONDS', value: '60' },
        // Stop polling before the Job's deadline so the log says which nodes were late.
        { name: 'DEADLINE_SECONDS', value: String(Math.max(60, b.timeoutSeconds - 300)) },
        { name: 'PYTHONPATH', value: '/home/cassandra' },
        { name: 'HOME', value: '/tmp' },
      ],
      resources: helperResources('100m', '256Mi'),
    },
    egress: t.egress,
    databases: [{ podSelector: t.nodeSelector, ports: [MEDUSA_PORT] }],
  });
}
