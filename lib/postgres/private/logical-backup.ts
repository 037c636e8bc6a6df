import { Cron, Duration } from 'cdk8s';
import { k8s } from 'cdk8s-plus-28';
import { Construct } from 'constructs';
import { KEEP_ON_PRUNE } from '../../core/annotations';
import { Problems } from '../../core/errors';
import { ResolvedLogicalBackupOptions, RestoreJobOptions, resolveLogicalBackupOptions } from '../../core/logical-backup';
import { checkChoice, checkName } from '../../core/names';
import { claimName } from '../../core/unique-names';
import { databaseResources } from '../../core/resources';
import { hardenedContainerSecurityContext, hardenedPodSecurityContext } from '../../core/security';
import { PgDumpFormat, PostgresLogicalBackupProps } from '../logical-backup';
import { PostgresVersion } from '../version';
import { POSTGRES_PORT } from './constants';
import { BACKUP_MOUNT, dumpExtension, dumpScript, restoreScript } from './scripts';

/** Validated settings of a logical backup, every default applied. */
export interface ResolvedLogicalBackup extends ResolvedLogicalBackupOptions {
  readonly format: PgDumpFormat;
  readonly resources: k8s.ResourceRequirements;
  readonly image: string;
}

/** The names of the objects a logical backup renders for cluster `name`. */
export function logicalBackupNames(cluster: string): { cronJob: string; volume: string; serviceAccount: string; restoreJob: string } {
  return { cronJob: `${cluster}-dump`, volume: `${cluster}-dumps`, serviceAccount: `${cluster}-dump`, restoreJob: `${cluster}-restore` };
}

/** The pg_dump image: the given one (not older than the server), else the cluster's. */
function checkDumpImage(problems: Problems, field: string, image: string | undefined, version: PostgresVersion): string | undefined {
  if (image === undefined) {
    problems.check(version.image !== undefined, field, image, 'is needed when the cluster image comes from an image catalog', 'give an image with pg_dump of the same major');
    return version.image;
  }
  const dumpVersion = PostgresVersion.fromImage(image);
  dumpVersion._validate(problems, field);
  problems.check(!(dumpVersion.major < version.major), field, image,
    `carries pg_dump ${dumpVersion.major}, older than the server's major ${version.major}; pg_dump refuses newer servers`, `use an image of major ${version.major} or later`);
  return image;
}

/** Validates the logical backup props of cluster `cluster`; undefined when invalid. */
export function checkLogicalBackup(problems: Problems, field: string, cluster: string, props: PostgresLogicalBackupProps, version: PostgresVersion): ResolvedLogicalBackup | undefined {
  checkName(problems, 'name', logicalBackupNames(cluster).cronJob, 'cronJob');
  const image = checkDumpImage(problems, `${field}.image`, props.image, version);
  const resources = databaseResources(problems, `${field}.resources`, props.resources, { cpu: '100m', memory: '256Mi' });
  const shared = resolveLogicalBackupOptions(problems, field, props, {
    schedule: Cron.schedule({ minute: '30', hour: '3' }), timeout: Duration.hours(3), startingDeadline: Duration.hours(1),
  });
  const format = props.format ?? PgDumpFormat.CUSTOM;
  const formatOk = checkChoice(problems, `${field}.format`, format, PgDumpFormat);
  if (!formatOk || !image || !resources || !shared) return undefined;
  return { ...shared, format, resources: resources.requirements, image };
}

/** What the logical backup needs from its cluster. */
export interface LogicalBackupTarget {
  readonly clusterName: string;
  readonly namespace: string;
  readonly host: string;
  readonly database: string;
  readonly secretName: string;
  readonly labels: Record<string, string>;
  readonly podLabels: Record<string, string>;
}

const UID = 26; // the postgres user of the CloudNativePG images
const RESTORE_FILE = /^[A-Za-z0-9_][-A-Za-z0-9_.]*$/;

/**
 * The dump CronJob, its ServiceAccount and retained volume; restore Jobs are added to it so they
 * render next to the backup they read.
 */
export class LogicalBackup extends Construct {
  constructor(scope: Construct, id: string, private readonly target: LogicalBackupTarget, private readonly settings: ResolvedLogicalBackup) {
    super(scope, id);
    const names = logicalBackupNames(target.clusterName);
    const metadata = { namespace: target.namespace, labels: target.labels };
    new k8s.KubeServiceAccount(this, 'ServiceAccount', { metadata: { name: names.serviceAccount, ...metadata }, automountServiceAccountToken: false });
    new k8s.KubePersistentVolumeClaim(this, 'Volume', {
      metadata: { name: names.volume, ...metadata, annotations: { ...KEEP_ON_PRUNE } },
      spec: {
        accessModes: ['ReadWriteOnce'],
        storageClassName: settings.storage.storageClass,
        resources: { requests: { storage: k8s.Quantity.fromString(settings.storage.size) } },
      },
    });
    new k8s.KubeCronJob(this, 'Resource', {
      metadata: { name: names.cronJob, ...metadata },
      spec: {
        schedule: settings.schedule,
        timeZone: settings.timeZone,
        concurrencyPolicy: 'Forbid',
        startingDeadlineSeconds: settings.startingDeadlineSeconds,
        successfulJobsHistoryLimit: 3,
        failedJobsHistoryLimit: 3,
        suspend: false,
        jobTemplate: {
          metadata: { labels: target.labels },
          spec: this.jobSpec(dumpScript(settings.format), 'pg-dump', { deadline: settings.timeoutSeconds, retries: settings.retries }, []),
        },
      },
    });
  }

  /** Validates the options and renders a one-off restore Job. */
  public addRestoreJob(problems: Problems, id: string, options: RestoreJobOptions, owner: Construct): k8s.KubeJob {
    const file = options.file ?? 'latest';
    const ext = dumpExtension(this.settings.format);
    problems.check(file === 'latest' || (typeof file === 'string' && RESTORE_FILE.test(file) && file.endsWith(ext)), 'file', file,
      `is not a dump file name ending in ${ext}`, 'give a file name on the backup volume, or leave it out for the newest dump');
    const name = options.name ?? logicalBackupNames(this.target.clusterName).restoreJob;
    if (checkName(problems, 'name', name)) {
      claimName(problems, owner, 'name', { kind: 'restore Job', namespace: this.target.namespace, name, fix: 'give each restore Job its own name with options.name, or add only one' });
    }
    problems.throwIfAny();
    return new k8s.KubeJob(this, id, {
      metadata: { name, namespace: this.target.namespace, labels: this.target.labels },
      spec: this.jobSpec(restoreScript(this.settings.format), 'pg-restore', { deadline: 21600, retries: 0 }, [{ name: 'RESTORE_FILE', value: file }]),
    });
  }

  private jobSpec(script: string, container: string, limits: { deadline: number; retries: number }, extraEnv: k8s.EnvVar[]): k8s.JobSpec {
    const t = this.target;
    return {
      backoffLimit: limits.retries,
      activeDeadlineSeconds: limits.deadline,
      ttlSecondsAfterFinished: this.settings.keepFinishedSeconds,
      template: {
        metadata: { labels: { ...t.labels } },
        spec: {
          serviceAccountName: logicalBackupNames(t.clusterName).serviceAccount,
          automountServiceAccountToken: false,
          restartPolicy: 'Never',
          securityContext: hardenedPodSecurityContext({ uid: UID, gid: UID }),
          volumes: [
            { name: 'dumps', persistentVolumeClaim: { claimName: logicalBackupNames(t.clusterName).volume } },
            { name: 'tmp', emptyDir: { sizeLimit: k8s.Quantity.fromString('64Mi') } },
          ],
          containers: [{
            name: container,
            image: this.settings.image,
            imagePullPolicy: 'IfNotPresent',
            command: ['/bin/bash', '-c', script],
            env: [...this.env(), ...extraEnv],
            resources: this.settings.resources,
            securityContext: hardenedContainerSecurityContext({ uid: UID, gid: UID }),
            volumeMounts: [{ name: 'dumps', mountPath: BACKUP_MOUNT }, { name: 'tmp', mountPath: '/tmp' }],
          }],
        },
      },
    };
  }

  /** libpq's variables and the script's own; credentials come from the application Secret. */
  private env(): k8s.EnvVar[] {
    const t = this.target;
    return [
      { name: 'PGHOST', value: t.host },
      { name: 'PGPORT', value: String(POSTGRES_PORT) },
      { name: 'PGDATABASE', value: t.database },
      { name: 'PGUSER', valueFrom: { secretKeyRef: { name: t.secretName, key: 'username' } } },
      { name: 'PGPASSWORD', valueFrom: { secretKeyRef: { name: t.secretName, key: 'password' } } },
      { name: 'PGSSLMODE', value: 'require' },
      { name: 'PGCONNECT_TIMEOUT', value: '10' },
      { name: 'BACKUP_DIR', value: BACKUP_MOUNT },
      { name: 'BACKUP_KEEP', value: String(this.settings.keep) },
      { name: 'HOME', value: '/tmp' },
    ];
  }
}

