import { k8s } from 'cdk8s-plus-28';
import { Construct } from 'constructs';
import { CronExpressionParser } from 'cron-parser';
import { KEEP_ON_PRUNE } from '../core/annotations';
import { Problems } from '../core/errors';
import { checkInteger, checkQuantity } from '../core/quantity';
import { ResourceProps } from '../core/resources';
import { hardenedContainerSecurityContext, hardenedPodSecurityContext } from '../core/security';

/** Format of a logical dump. */
export type LogicalBackupFormat = 'custom' | 'plain-gzip';

/** A nightly `pg_dump` of the application database to a volume of its own (the seed's design). */
export interface LogicalBackupProps {
  /** Size of the backup volume. */
  readonly size: string;
  /** StorageClass of the backup volume. @default the cluster's default StorageClass */
  readonly storageClass?: string;
  /**
   * When the dump runs: a standard five-field Kubernetes CronJob schedule, in `timeZone`.
   * @default '30 3 * * *' (03:30 daily)
   */
  readonly schedule?: string;
  /** Time zone of the schedule (IANA name). @default 'Etc/UTC' */
  readonly timeZone?: string;
  /** Dumps kept on the volume; older ones are deleted after a successful dump. @default 7 */
  readonly keep?: number;
  /**
   * `custom`: pg_dump's compressed archive format, restored with pg_restore (selective restores
   * possible). `plain-gzip`: a gzip-compressed SQL script, restored with psql.
   * @default 'custom'
   */
  readonly format?: LogicalBackupFormat;
  /** Longest time one dump may run. @default 10800 (3 hours) */
  readonly activeDeadlineSeconds?: number;
  /** Resources of the dump container (memory request equals limit). @default cpu 100m, memory 256Mi */
  readonly resources?: ResourceProps;
  /** Image with pg_dump of the server's major. @default the cluster's image */
  readonly image?: string;
}

/** Where the dump script writes, inside the backup pod. */
export const BACKUP_MOUNT = '/backup';

/** File extension of dumps in each format. */
export function dumpExtension(format: LogicalBackupFormat): string {
  return format === 'custom' ? '.dump' : '.sql.gz';
}

/**
 * The dump script. It reads the connection from libpq's `PG*` variables, writes the dump under a
 * temporary name, checks that the archive reads back, renames it to `<db>-<UTC timestamp><ext>`
 * and then deletes all but the newest `BACKUP_KEEP` dumps. A failed dump leaves older dumps alone.
 */
export function dumpScript(format: LogicalBackupFormat): string {
  const ext = dumpExtension(format);
  const dump = format === 'custom'
    ? 'pg_dump --no-password --format=custom --compress=6 --file="$tmp"\npg_restore --list "$tmp" > /dev/null'
    : 'pg_dump --no-password --format=plain --clean --if-exists | gzip -6 > "$tmp"\ngzip -t "$tmp"';
  return `set -euo pipefail
export LC_ALL=C
umask 077
dir="\${BACKUP_DIR:?}"
keep="\${BACKUP_KEEP:?}"
db="\${PGDATABASE:?}"
name="\${db}-$(date -u +%Y%m%dT%H%M%S%NZ)${ext}"
tmp="\${dir}/.\${name}.partial"
trap 'rm -f -- "$tmp"' EXIT
${dump}
mv -- "$tmp" "\${dir}/\${name}"
trap - EXIT
echo "wrote \${name} ($(wc -c < "\${dir}/\${name}") bytes)"
shopt -s nullglob
dumps=("\${dir}/\${db}"-*${ext})
excess=$(( \${#dumps[@]} - keep ))
for (( i = 0; i < excess; i++ )); do
  rm -f -- "\${dumps[i]}"
  echo "removed $(basename -- "\${dumps[i]}")"
done
`;
}

/**
 * The restore script: restores `RESTORE_FILE` (a file name on the backup volume, or `latest`) into
 * the database, dropping and re-creating the objects the dump contains, in one transaction.
 */
export function restoreScript(format: LogicalBackupFormat): string {
  const ext = dumpExtension(format);
  const restore = format === 'custom'
    ? 'pg_restore --no-password --clean --if-exists --no-owner --single-transaction --exit-on-error --dbname="$db" "$file"'
    : 'gzip -dc "$file" | psql --no-password --quiet --single-transaction -v ON_ERROR_STOP=1 --dbname="$db"';
  return `set -euo pipefail
export LC_ALL=C
dir="\${BACKUP_DIR:?}"
db="\${PGDATABASE:?}"
file="\${RESTORE_FILE:-latest}"
if [ "$file" = latest ]; then
  shopt -s nullglob
  dumps=("\${dir}/\${db}"-*${ext})
  if [ \${#dumps[@]} -eq 0 ]; then echo "no dump of \${db} in \${dir}" >&2; exit 1; fi
  file="\${dumps[\${#dumps[@]}-1]}"
else
  case "$file" in */*) echo "RESTORE_FILE must be a file name in \${dir}" >&2; exit 1;; esac
  file="\${dir}/\${file}"
fi
echo "restoring $(basename -- "$file") into \${db}"
${restore}
echo "restore complete"
`;
}

/** What the LogicalBackup construct needs from its cluster. */
export interface LogicalBackupTarget {
  readonly clusterName: string;
  readonly namespace: string;
  readonly host: string;
  readonly database: string;
  readonly secretName: string;
  readonly usernameKey: string;
  readonly passwordKey: string;
  readonly image: string;
  readonly labels: Record<string, string>;
  readonly selectorLabels: Record<string, string>;
}

/** Validated settings of a logical backup. */
export interface ResolvedLogicalBackup {
  readonly props: LogicalBackupProps;
  readonly schedule: string;
  readonly keep: number;
  readonly format: LogicalBackupFormat;
  readonly resources: k8s.ResourceRequirements;
}

/** Validates logical backup props (the names are checked by the cluster). */
export function checkLogicalBackup(problems: Problems, field: string, props: LogicalBackupProps, resources: k8s.ResourceRequirements | undefined): ResolvedLogicalBackup | undefined {
  const before = problems.empty;
  checkQuantity(problems, `${field}.size`, props.size, '20Gi');
  const schedule = props.schedule ?? '30 3 * * *';
  const fields = typeof schedule === 'string' ? schedule.trim().split(/\s+/) : [];
  if (problems.check(fields.length === 5, `${field}.schedule`, schedule, 'is not a five-field cron expression', 'give minute hour day month weekday, e.g. "30 3 * * *"')) {
    try {
      CronExpressionParser.parse(schedule);
    } catch (e) {
      problems.add(`${field}.schedule`, schedule, `is not a valid cron expression (${(e as Error).message})`, 'give e.g. "30 3 * * *"');
    }
  }
  if (props.timeZone !== undefined) {
    problems.check(typeof props.timeZone === 'string' && /^[A-Za-z_]+(\/[A-Za-z0-9_+\-]+)*$/.test(props.timeZone), `${field}.timeZone`, props.timeZone,
      'is not an IANA time zone name', 'give e.g. "Europe/Berlin" or "Etc/UTC"');
  }
  const keep = props.keep ?? 7;
  checkInteger(problems, `${field}.keep`, keep, 1, 1000);
  const format = props.format ?? 'custom';
  problems.check(format === 'custom' || format === 'plain-gzip', `${field}.format`, format, 'is not a dump format', 'use "custom" or "plain-gzip"');
  if (props.activeDeadlineSeconds !== undefined) checkInteger(problems, `${field}.activeDeadlineSeconds`, props.activeDeadlineSeconds, 60, 7 * 86400);
  if (props.storageClass !== undefined) {
    problems.check(typeof props.storageClass === 'string' && /^[a-z0-9]([-a-z0-9.]*[a-z0-9])?$/.test(props.storageClass), `${field}.storageClass`, props.storageClass,
      'is not a StorageClass name', 'name an existing StorageClass');
  }
  if (!before || !problems.empty || !resources) return undefined;
  return { props, schedule, keep, format, resources };
}

/** The names of the objects a logical backup renders for cluster `name`. */
export function logicalBackupNames(cluster: string): { cronJob: string; volume: string; serviceAccount: string; restoreJob: string } {
  return { cronJob: `${cluster}-dump`, volume: `${cluster}-dumps`, serviceAccount: `${cluster}-dump`, restoreJob: `${cluster}-restore` };
}

const UID = 26; // the postgres user of the CloudNativePG images

/**
 * A CronJob running `pg_dump` of the application database onto a retained PersistentVolumeClaim,
 * never two at once, keeping the newest N dumps. `addRestoreJob()` renders the matching restore.
 */
export class LogicalBackup extends Construct {
  /** The CronJob. */
  public readonly cronJob: k8s.KubeCronJob;
  /** The backup volume. */
  public readonly volume: k8s.KubePersistentVolumeClaim;
  /** Labels of the dump (and restore) pods, for NetworkPolicy rules. */
  public readonly podLabels: Record<string, string>;

  constructor(scope: Construct, id: string, private readonly target: LogicalBackupTarget, private readonly settings: ResolvedLogicalBackup) {
    super(scope, id);
    const names = logicalBackupNames(target.clusterName);
    const { props } = settings;
    this.podLabels = target.selectorLabels;

    new k8s.KubeServiceAccount(this, 'ServiceAccount', {
      metadata: { name: names.serviceAccount, namespace: target.namespace, labels: target.labels },
      automountServiceAccountToken: false,
    });

    this.volume = new k8s.KubePersistentVolumeClaim(this, 'Volume', {
      metadata: { name: names.volume, namespace: target.namespace, labels: target.labels, annotations: { ...KEEP_ON_PRUNE } },
      spec: {
        accessModes: ['ReadWriteOnce'],
        storageClassName: props.storageClass,
        resources: { requests: { storage: k8s.Quantity.fromString(props.size) } },
      },
    });

    this.cronJob = new k8s.KubeCronJob(this, 'Resource', {
      metadata: { name: names.cronJob, namespace: target.namespace, labels: target.labels },
      spec: {
        schedule: settings.schedule,
        timeZone: props.timeZone ?? 'Etc/UTC',
        concurrencyPolicy: 'Forbid',
        startingDeadlineSeconds: 3600,
        successfulJobsHistoryLimit: 3,
        failedJobsHistoryLimit: 3,
        suspend: false,
        jobTemplate: {
          metadata: { labels: target.labels },
          spec: this.jobSpec(dumpScript(settings.format), 'pg-dump', props.activeDeadlineSeconds ?? 10800, 1, []),
        },
      },
    });
  }

  /**
   * Renders a one-off Job restoring a dump into the application database: `file` is a file name on
   * the backup volume, or `latest`. Apply it deliberately (it replaces the objects the dump holds).
   */
  public addRestoreJob(id: string, options: { file?: string } = {}): k8s.KubeJob {
    const file = options.file ?? 'latest';
    const ext = dumpExtension(this.settings.format);
    if (file !== 'latest' && !(new RegExp(`^[A-Za-z0-9_][-A-Za-z0-9_.]*${ext.replace(/\./g, '\\.')}$`).test(file))) {
      const problems = new Problems(this, 'LogicalBackup');
      problems.add('file', file, `is not a dump file name ending in ${ext}`, 'give a file name on the backup volume, or "latest"');
      problems.throwIfAny();
    }
    const names = logicalBackupNames(this.target.clusterName);
    return new k8s.KubeJob(this, id, {
      metadata: { name: names.restoreJob, namespace: this.target.namespace, labels: this.target.labels },
      spec: this.jobSpec(restoreScript(this.settings.format), 'pg-restore', 21600, 0, [{ name: 'RESTORE_FILE', value: file }]),
    });
  }

  private jobSpec(script: string, container: string, deadline: number, backoffLimit: number, extraEnv: k8s.EnvVar[]): k8s.JobSpec {
    const t = this.target;
    const names = logicalBackupNames(t.clusterName);
    return {
      backoffLimit,
      activeDeadlineSeconds: deadline,
      ttlSecondsAfterFinished: 86400,
      template: {
        metadata: { labels: { ...t.labels } },
        spec: {
          serviceAccountName: names.serviceAccount,
          automountServiceAccountToken: false,
          restartPolicy: 'Never',
          securityContext: hardenedPodSecurityContext({ uid: UID, gid: UID }),
          volumes: [
            { name: 'dumps', persistentVolumeClaim: { claimName: names.volume } },
            { name: 'tmp', emptyDir: { sizeLimit: k8s.Quantity.fromString('64Mi') } },
          ],
          containers: [{
            name: container,
            image: t.image,
            imagePullPolicy: 'IfNotPresent',
            command: ['/bin/bash', '-c', script],
            env: [
              { name: 'PGHOST', value: t.host },
              { name: 'PGPORT', value: '5432' },
              { name: 'PGDATABASE', value: t.database },
              { name: 'PGUSER', valueFrom: { secretKeyRef: { name: t.secretName, key: t.usernameKey } } },
              { name: 'PGPASSWORD', valueFrom: { secretKeyRef: { name: t.secretName, key: t.passwordKey } } },
              { name: 'PGSSLMODE', value: 'require' },
              { name: 'PGCONNECT_TIMEOUT', value: '10' },
              { name: 'BACKUP_DIR', value: BACKUP_MOUNT },
              { name: 'BACKUP_KEEP', value: String(this.settings.keep) },
              { name: 'HOME', value: '/tmp' },
              ...extraEnv,
            ],
            resources: this.settings.resources,
            securityContext: hardenedContainerSecurityContext({ uid: UID, gid: UID }),
            volumeMounts: [
              { name: 'dumps', mountPath: BACKUP_MOUNT },
              { name: 'tmp', mountPath: '/tmp' },
            ],
          }],
        },
      },
    };
  }
}

/** The script of a rendered CronJob or Job (for tests and tooling). */
export function scriptOf(manifest: any): string {
  const spec = manifest.spec.jobTemplate?.spec ?? manifest.spec;
  return spec.template.spec.containers[0].command[2];
}

