import { ApiObject, Duration } from 'cdk8s';
import { k8s } from 'cdk8s-plus-28';
import { Construct } from 'constructs';
import { PodMonitor } from '../../imports/prom-podmonitors-monitoring.coreos.com';
import { acknowledgeAnnotation, KEEP_ON_PRUNE } from '../core/annotations';
import { ConnectionInfo, IDatabase } from '../core/connection';
import { Credentials, SecretKeyReference } from '../core/credentials';
import { Problems } from '../core/errors';
import { checkImage } from '../core/image';
import { standardLabels, selectorLabels } from '../core/labels';
import { checkName, NAME_LIMITS } from '../core/names';
import { resolveNamespace } from '../core/namespace';
import { IngressPolicy, NetworkClient, toNetworkPolicyPeer } from '../core/network';
import { checkInteger, checkQuantity } from '../core/quantity';
import { databaseResources, helperResources, ResourceProps } from '../core/resources';
import { dedicatedServiceAccount, hardenedContainerSecurityContext, hardenedPodSecurityContext, RunAsIds } from '../core/security';
import { MySqlConfig, renderConfig } from './config';
import { checkCronSchedule, checkTimeZone } from './private/schedule';
import {
  BACKUP_DIR, BACKUP_SCRIPT, DATA_SUBPATH, DATA_VOLUME_ROOT, PING_SCRIPT, PREPARE_DATA_SCRIPT, QUERY_SCRIPT,
  RESTORE_SCRIPT, ROOT_SECRET_DIR, USER_SECRET_DIR,
} from './private/scripts';
import { MySqlVersion } from './version';

/** The MySQL client port. */
export const MYSQL_PORT = 3306;
/** The port mysqld-exporter serves metrics on. */
export const MYSQL_EXPORTER_PORT = 9104;
/** The pinned mysqld-exporter image. */
export const MYSQL_EXPORTER_IMAGE = 'prom/mysqld-exporter:v0.18.0';

/** uid and gid of the `mysql` user in the official image. */
const MYSQL_IDS: RunAsIds = { uid: 999, gid: 999 };
/** The `nobody` user the Prometheus exporter images run as. */
const EXPORTER_IDS: RunAsIds = { uid: 65534, gid: 65534 };
const DATA_DIR = '/var/lib/mysql';
/** Secret files readable by the owner and the fsGroup (999) only. */
const SECRET_FILE_MODE = 0o440;

/** Where the database keeps its data. */
export interface MySqlStorageProps {
  /**
   * Size of the data volume, as a Kubernetes quantity.
   * @default '10Gi'
   */
  readonly size?: string;
  /**
   * StorageClass of the claim. Pick one with `reclaimPolicy: Retain` for production data.
   * @default the cluster's default StorageClass
   */
  readonly storageClass?: string;
  /**
   * Access mode. `ReadWriteOncePod` (Kubernetes 1.29+ GA, CSI volumes only) also keeps a second
   * pod on the same node off the volume.
   * @default 'ReadWriteOnce'
   */
  readonly accessMode?: 'ReadWriteOnce' | 'ReadWriteOncePod';
}

/** The mysqld-exporter sidecar and its Prometheus Operator PodMonitor. */
export interface MySqlMetricsProps {
  /**
   * The exporter's MySQL account (username and password keys of a Secret). Create the account
   * yourself, e.g. in an init script or once by hand:
   * `CREATE USER 'exporter'@'%' IDENTIFIED BY '...' WITH MAX_USER_CONNECTIONS 3;
   *  GRANT PROCESS, REPLICATION CLIENT, SELECT ON *.* TO 'exporter'@'%';`
   */
  readonly credentials: Credentials;
  /**
   * The exporter image, pinned.
   * @default 'prom/mysqld-exporter:v0.18.0'
   */
  readonly image?: string;
  /**
   * Render a PodMonitor (monitoring.coreos.com/v1) selecting the database pod's `metrics` port.
   * @default true
   */
  readonly podMonitor?: boolean;
  /**
   * Scrape interval of the PodMonitor.
   * @default Duration.seconds(30)
   */
  readonly interval?: Duration;
  /**
   * Who may scrape port 9104 through the NetworkPolicy.
   * @default pods labelled `app.kubernetes.io/name: prometheus` in namespace `monitoring`
   *   (kube-prometheus-stack's Prometheus)
   */
  readonly scraper?: NetworkClient;
}

/** Scheduled logical backups with mysqldump onto a volume of their own. */
export interface MySqlBackupProps {
  /** Cron schedule with five fields, e.g. `0 3 * * *`. */
  readonly schedule: string;
  /**
   * Time zone of the schedule (CronJob `timeZone`).
   * @default 'Etc/UTC'
   */
  readonly timeZone?: string;
  /**
   * How many dumps to keep; older ones are deleted after each successful dump.
   * @default 7
   */
  readonly keep?: number;
  /**
   * Size of the backup volume. It holds `keep` compressed dumps plus one being written.
   * @default '20Gi'
   */
  readonly size?: string;
  /**
   * StorageClass of the backup volume.
   * @default the cluster's default StorageClass
   */
  readonly storageClass?: string;
  /**
   * Databases to dump.
   * @default the `database` prop when set, else every non-system database, listed at run time
   */
  readonly databases?: string[];
  /**
   * How late a missed run may still start (CronJob `startingDeadlineSeconds`).
   * @default Duration.minutes(30)
   */
  readonly startingDeadline?: Duration;
  /**
   * Longest a run may take before it is stopped (Job `activeDeadlineSeconds`).
   * @default Duration.hours(2)
   */
  readonly timeout?: Duration;
  /**
   * Retries of a failed run (Job `backoffLimit`).
   * @default 1
   */
  readonly retries?: number;
  /**
   * How long finished Jobs and their pods stay for inspection (`ttlSecondsAfterFinished`).
   * @default Duration.days(1)
   */
  readonly keepFinishedJobsFor?: Duration;
}

/** Options for a restore Job. */
export interface MySqlRestoreOptions {
  /**
   * File name of the dump in the backup volume, e.g. `orders-20260101T030000Z.sql.gz`.
   * @default the newest dump
   */
  readonly file?: string;
  /**
   * Name of the Job.
   * @default '<name>-restore'
   */
  readonly name?: string;
}

/** Props of MySqlSingleNode. */
export interface MySqlSingleNodeProps {
  /**
   * Name of the database: the Services, the workload and the claim are named from it. Changing
   * it later creates a new, empty database.
   * @default the construct id
   */
  readonly name?: string;
  /**
   * Namespace of every object.
   * @default the chart's namespace
   */
  readonly namespace?: string;
  /**
   * `app.kubernetes.io/part-of` label.
   * @default the name
   */
  readonly partOf?: string;
  /**
   * MySQL version (image).
   * @default MySqlVersion.V8_4
   */
  readonly version?: MySqlVersion;
  /**
   * The workload kind. Both run exactly one pod on one volume and never two at once: the
   * Deployment uses `strategy: Recreate` and a standalone claim; the StatefulSet uses a claim
   * template with `persistentVolumeClaimRetentionPolicy` Retain/Retain and the headless Service.
   * @default 'Deployment'
   */
  readonly workload?: 'Deployment' | 'StatefulSet';
  /**
   * The data volume.
   * @default 10Gi, ReadWriteOnce, default StorageClass
   */
  readonly storage?: MySqlStorageProps;
  /**
   * The Secret key holding the root password (also used by the probes and the backup job),
   * or Credentials whose password key is used. Required.
   *
   * The official image reads it (through `MYSQL_ROOT_PASSWORD_FILE`) only when it initializes an
   * empty data directory: changing the Secret later does not change the password. Change it in
   * the server first (`ALTER USER 'root'@'%' IDENTIFIED BY ...` and `'root'@'localhost'`), then
   * update the Secret; until both agree the readiness probe fails.
   */
  readonly rootPassword: SecretKeyReference | Credentials;
  /**
   * Application database, created on first initialization (`MYSQL_DATABASE`).
   * @default none
   */
  readonly database?: string;
  /**
   * Application user with all privileges on `database`, created on first initialization from
   * the Secret's username and password (`MYSQL_USER_FILE`, `MYSQL_PASSWORD_FILE`). Like the root
   * password, later changes to the Secret do not change the account. Requires `database`.
   * @default none; `connection.secret` is then undefined
   */
  readonly user?: Credentials;
  /**
   * Server settings (`my.cnf`), mounted at `/etc/mysql/conf.d`.
   * @default utf8mb4, buffer pool half the memory limit, skip-name-resolve
   */
  readonly config?: MySqlConfig;
  /**
   * Scripts run once, on first initialization, in name order (`/docker-entrypoint-initdb.d`):
   * file name (ending `.sql` or `.sh`) to content. Never put credentials in them: they are
   * stored in a ConfigMap.
   * @default none
   */
  readonly initScripts?: Readonly<Record<string, string>>;
  /**
   * CPU and memory of the database container (memory request equals the limit).
   * @default cpu '500m', memory '1Gi'
   */
  readonly resources?: ResourceProps;
  /**
   * Time budget for start-up, including InnoDB crash recovery and first initialization, before
   * the startup probe gives up and the container is restarted. At least 5 minutes: recovery
   * after a crash replays the redo log, and killing the server half-way only starts it over.
   * @default Duration.minutes(15)
   */
  readonly startupTimeout?: Duration;
  /**
   * How long the server may take to shut down cleanly (flushing the buffer pool) before it is
   * killed.
   * @default Duration.minutes(2)
   */
  readonly terminationGracePeriod?: Duration;
  /**
   * The mysqld-exporter sidecar on port 9104, with a PodMonitor.
   * @default no metrics
   */
  readonly metrics?: MySqlMetricsProps;
  /**
   * Scheduled dumps to a backup volume, restored with `addRestoreJob()`.
   * @default no backups
   */
  readonly backup?: MySqlBackupProps;
  /**
   * Render a PodDisruptionBudget (`maxUnavailable: 1`). Off by default, on purpose: a budget
   * for a single pod either blocks every voluntary eviction (`minAvailable: 1` or
   * `maxUnavailable: 0`, which stalls node drains forever and which the policy forbids) or allows
   * it anyway (`maxUnavailable: 1`), so it protects nothing. What protects a single node is the
   * clean shutdown (`terminationGracePeriod`) and `Recreate`. Turn it on where an admission
   * policy requires a budget on every workload.
   * @default false
   */
  readonly disruptionBudget?: boolean;
  /**
   * Ids of safety findings the owner accepts; recorded in an annotation on the workload and
   * the data claim.
   * @default none
   */
  readonly acknowledge?: string[];
}

const SYSTEM_DATABASES = new Set(['mysql', 'information_schema', 'performance_schema', 'sys']);

interface Resolved {
  readonly name: string;
  readonly namespace: string;
  readonly version: MySqlVersion;
  readonly workload: 'Deployment' | 'StatefulSet';
  readonly storageSize: string;
  readonly accessMode: string;
  readonly rootPassword: SecretKeyReference;
  readonly resources: k8s.ResourceRequirements;
  readonly configFile: string;
  readonly startupFailureThreshold: number;
  readonly gracePeriodSeconds: number;
  readonly exporterImage?: string;
  readonly backupKeep: number;
}

/**
 * One MySQL server (official image) with its own volume, reachable through a stable Service.
 *
 * - Exactly one pod writes the data directory: a Deployment with `strategy: Recreate` (the old
 *   pod is gone before the new one starts; `RollingUpdate` would start a second mysqld on the
 *   same files, "Unable to lock ./ibdata1") or a one-replica StatefulSet.
 * - The data lives on a PersistentVolumeClaim mounted at `/var/lib/mysql` through the subPath
 *   `mysql` (a fresh filesystem's `lost+found` would make initialization abort). The claim
 *   survives deletion of the workload: with a Deployment it is a standalone object that the
 *   Deployment does not own, so Kubernetes' garbage collector never deletes it with the
 *   Deployment; with a StatefulSet the retention policy is Retain on delete and on scale-down.
 *   The standalone claim carries annotations that stop Argo CD and Flux from pruning it (and
 *   Helm from deleting it) when it disappears from the manifests.
 * - Credentials come from Secrets only, read through `*_FILE` variables from mounted files.
 * - Services: `<name>` (ClusterIP, 3306, what clients use) and `<name>-headless`.
 * - A deny-by-default NetworkPolicy; `allowFrom()` admits clients on 3306.
 */
export class MySqlSingleNode extends Construct implements IDatabase {
  /** What clients need to connect; the credentials stay in the Secret it names. */
  public readonly connection: ConnectionInfo;
  /** Labels selecting the database pod. */
  public readonly podSelector: Readonly<Record<string, string>>;
  /** Name of the ClusterIP Service clients use. */
  public readonly serviceName: string;
  /** Name of the headless Service. */
  public readonly headlessServiceName: string;
  /** Name of the data claim (for a StatefulSet, `data-<name>-0`). */
  public readonly dataClaimName: string;
  /** Name of the backup claim, when backups are on. */
  public readonly backupClaimName?: string;
  /** The Deployment or StatefulSet. */
  public readonly workload: ApiObject;
  /** The database's NetworkPolicy. */
  public readonly networkPolicy: IngressPolicy;

  private readonly props: MySqlSingleNodeProps;
  private readonly resolved: Resolved;
  private readonly labels: Record<string, string>;

  constructor(scope: Construct, id: string, props: MySqlSingleNodeProps) {
    super(scope, id);
    this.props = props ?? ({} as MySqlSingleNodeProps);
    this.resolved = this.validate(this.props);
    const { name, namespace } = this.resolved;

    const labelProps = { name: 'mysql', instance: name, component: 'database', partOf: this.props.partOf };
    this.labels = standardLabels(labelProps);
    this.podSelector = selectorLabels(labelProps);
    this.serviceName = name;
    this.headlessServiceName = `${name}-headless`;
    this.dataClaimName = this.resolved.workload === 'StatefulSet' ? `data-${name}-0` : `${name}-data`;
    this.backupClaimName = this.props.backup ? `${name}-backups` : undefined;

    const user = this.props.user;
    this.connection = {
      engine: 'mysql',
      namespace,
      host: `${name}.${namespace}.svc`,
      port: MYSQL_PORT,
      database: this.props.database,
      secret: user ? { name: user.secretName, usernameKey: user.usernameKey, passwordKey: user.passwordKey } : undefined,
      tls: false,
      majorVersion: this.resolved.version.majorVersion,
    };

    this.renderExternalSecrets();
    dedicatedServiceAccount(this, 'ServiceAccount', name, this.labels, namespace);
    new k8s.KubeConfigMap(this, 'Config', {
      metadata: this.meta(`${name}-config`),
      data: { 'cdk8s-data.cnf': this.resolved.configFile },
    });
    if (this.props.initScripts && Object.keys(this.props.initScripts).length > 0) {
      new k8s.KubeConfigMap(this, 'InitScripts', {
        metadata: this.meta(`${name}-initdb`),
        data: { ...this.props.initScripts },
      });
    }

    this.renderServices();
    this.workload = this.resolved.workload === 'StatefulSet' ? this.renderStatefulSet() : this.renderDeployment();

    this.networkPolicy = new IngressPolicy(this, 'NetworkPolicy', {
      name,
      namespace,
      podSelector: { ...this.podSelector },
      labels: this.labels,
    });

    if (this.props.metrics) this.renderMetrics(this.props.metrics);
    if (this.props.backup) this.renderBackup(this.props.backup);
    if (this.props.disruptionBudget) {
      new k8s.KubePodDisruptionBudget(this, 'DisruptionBudget', {
        metadata: this.meta(name),
        spec: { maxUnavailable: k8s.IntOrString.fromNumber(1), selector: { matchLabels: { ...this.podSelector } } },
      });
    }
  }

  /** Opens port 3306 to `client` (a workload, or pods by labels) through the NetworkPolicy. */
  public allowFrom(client: NetworkClient): void {
    this.networkPolicy.allow([() => toNetworkPolicyPeer(client, this.resolved.namespace)], [MYSQL_PORT]);
  }

  /**
   * Opens the metrics port (9104) to another scraper, in addition to `metrics.scraper`.
   * Throws ValidationError when metrics are off.
   */
  public allowMetricsFrom(client: NetworkClient): void {
    const problems = new Problems(this, 'MySqlSingleNode.allowMetricsFrom');
    problems.check(this.props.metrics !== undefined, 'metrics', undefined, 'there is no metrics port to open', 'set the `metrics` prop');
    problems.throwIfAny();
    this.networkPolicy.allow([() => toNetworkPolicyPeer(client, this.resolved.namespace)], [MYSQL_EXPORTER_PORT]);
  }

  /**
   * Adds a Job that loads a dump from the backup volume into the server (see the restore
   * script: each database in the dump is recreated and its tables replaced; other databases are
   * left alone). Add it for the restore only and remove it afterwards, so it does not run again
   * on the next apply; stop the applications writing to the database while it runs.
   *
   * Requires `backup`. Throws ValidationError for a bad file or Job name.
   */
  public addRestoreJob(id = 'Restore', options: MySqlRestoreOptions = {}): k8s.KubeJob {
    const { name } = this.resolved;
    const problems = new Problems(this, 'MySqlSingleNode.addRestoreJob');
    problems.check(this.props.backup !== undefined, 'backup', undefined, 'restoring needs the backup volume', 'set the `backup` prop');
    const jobName = options.name ?? `${name}-restore`;
    checkName(problems, 'name', jobName);
    if (options.file !== undefined) {
      problems.check(typeof options.file === 'string' && /^[A-Za-z0-9][A-Za-z0-9._-]{0,250}$/.test(options.file), 'file', options.file,
        'is not a file name in the backup volume', `give a name such as "${name}-20260101T030000Z.sql.gz"`);
    }
    problems.throwIfAny();

    const labelProps = { name: 'mysql', instance: name, component: 'restore', partOf: this.props.partOf };
    const labels = standardLabels(labelProps);
    this.networkPolicy.allow([() => ({ podSelector: { matchLabels: selectorLabels(labelProps) } })], [MYSQL_PORT]);
    const env = options.file ? [{ name: 'RESTORE_FILE', value: options.file }] : [];
    return new k8s.KubeJob(this, id, {
      metadata: { ...this.meta(jobName, labels), annotations: acknowledgeAnnotation(this.props.acknowledge) },
      spec: this.jobSpec(labels, 'restore', RESTORE_SCRIPT, env, { backoffLimit: 0, activeDeadlineSeconds: 6 * 3600, ttlSecondsAfterFinished: 7 * 86400 }),
    });
  }

  // ---------------------------------------------------------------- validation

  private validate(props: MySqlSingleNodeProps): Resolved {
    const problems = new Problems(this, 'MySqlSingleNode');
    const name = props.name ?? this.node.id;
    const namespace = resolveNamespace(this, problems, props.namespace);
    const workload = props.workload ?? 'Deployment';
    problems.check(workload === 'Deployment' || workload === 'StatefulSet', 'workload', workload,
      'is not a workload kind', 'use "Deployment" or "StatefulSet"');

    // The name is a Service name (DNS-1035) and must leave room for the derived names.
    if (checkName(problems, 'name', name, 'service')) {
      const longest: Array<[string, number]> = [[`${name}-headless`, NAME_LIMITS.service]];
      if (workload === 'StatefulSet') longest.push([name, NAME_LIMITS.statefulSet], [`data-${name}-0`, NAME_LIMITS.default]);
      if (props.backup) longest.push([`${name}-backup`, NAME_LIMITS.cronJob]);
      for (const [derived, limit] of longest) {
        problems.check(derived.length <= limit, 'name', name, `makes the object name "${derived}" longer than ${limit} characters`,
          `shorten the name to at most ${name.length - (derived.length - limit)} characters`);
      }
    }

    const version = props.version ?? MySqlVersion.V8_4;
    if (version instanceof MySqlVersion) {
      version.validate(problems, 'version');
    } else {
      problems.add('version', version, 'is not a MySqlVersion', 'use MySqlVersion.V8_4, MySqlVersion.V8_0 or MySqlVersion.of("registry/mysql:8.4.8")');
    }

    const storageSize = props.storage?.size ?? '10Gi';
    checkQuantity(problems, 'storage.size', storageSize, '10Gi');
    if (props.storage?.storageClass !== undefined) {
      problems.check(typeof props.storage.storageClass === 'string' && props.storage.storageClass.length <= 253 && /^[a-z0-9]([-a-z0-9.]*[a-z0-9])?$/.test(props.storage.storageClass),
        'storage.storageClass', props.storage.storageClass, 'is not a StorageClass name', 'give the name of an existing StorageClass');
    }
    const accessMode = props.storage?.accessMode ?? 'ReadWriteOnce';
    problems.check(accessMode === 'ReadWriteOnce' || accessMode === 'ReadWriteOncePod', 'storage.accessMode', accessMode,
      'must be a single-writer access mode', 'use "ReadWriteOnce" or "ReadWriteOncePod"; one MySQL server owns its volume');

    const rootPassword = this.checkRootPassword(problems, props.rootPassword);
    if (props.user !== undefined) {
      if (problems.check(props.user instanceof Credentials, 'user', props.user, 'is not a Credentials reference',
        'use Credentials.fromSecret("orders-app-user") or Credentials.fromExternalSecret(...)')) {
        props.user.validate(problems, 'user');
      }
      problems.check(props.database !== undefined, 'database', props.database, 'is required when `user` is set (the user gets all privileges on it)',
        'name the application database, e.g. "orders"');
    }
    if (props.database !== undefined) this.checkDatabaseName(problems, 'database', props.database);

    const resources = databaseResources(problems, 'resources', props.resources, { cpu: '500m', memory: '1Gi' });
    const configFile = renderConfig(problems, 'config', props.config, resources?.memoryBytes,
      `Rendered by cdk8s-data for MySqlSingleNode ${name}; change the construct's config, not this file.`);

    for (const [file, content] of Object.entries(props.initScripts ?? {})) {
      problems.check(/^[A-Za-z0-9][A-Za-z0-9._-]{0,250}\.(sql|sh)$/.test(file), 'initScripts', file,
        'is not a script file name ending in .sql or .sh', 'use names such as "01-schema.sql" (they run in name order)');
      problems.check(typeof content === 'string' && content.trim().length > 0, `initScripts.${file}`, content, 'is empty', 'give the script text');
    }

    const startupSeconds = durationSeconds(problems, 'startupTimeout', props.startupTimeout, 15 * 60, 300, 24 * 3600);
    const gracePeriodSeconds = durationSeconds(problems, 'terminationGracePeriod', props.terminationGracePeriod, 120, 30, 3600);

    let exporterImage: string | undefined;
    if (props.metrics !== undefined) {
      const metrics = props.metrics;
      if (problems.check(metrics.credentials instanceof Credentials, 'metrics.credentials', metrics.credentials, 'is required for the exporter',
        'reference the exporter account\'s Secret: Credentials.fromSecret("orders-mysql-exporter")')) {
        metrics.credentials.validate(problems, 'metrics.credentials');
      }
      exporterImage = metrics.image ?? MYSQL_EXPORTER_IMAGE;
      checkImage(problems, 'metrics.image', exporterImage);
      durationSeconds(problems, 'metrics.interval', metrics.interval, 30, 5, 3600);
    }

    let backupKeep = 0;
    if (props.backup !== undefined) {
      const backup = props.backup;
      checkCronSchedule(problems, 'backup.schedule', backup.schedule);
      checkTimeZone(problems, 'backup.timeZone', backup.timeZone ?? 'Etc/UTC');
      backupKeep = backup.keep ?? 7;
      checkInteger(problems, 'backup.keep', backupKeep, 1, 1000);
      checkQuantity(problems, 'backup.size', backup.size ?? '20Gi', '20Gi');
      if (backup.storageClass !== undefined) {
        problems.check(typeof backup.storageClass === 'string' && /^[a-z0-9]([-a-z0-9.]*[a-z0-9])?$/.test(backup.storageClass) && backup.storageClass.length <= 253,
          'backup.storageClass', backup.storageClass, 'is not a StorageClass name', 'give the name of an existing StorageClass');
      }
      if (backup.databases !== undefined) {
        if (problems.check(Array.isArray(backup.databases) && backup.databases.length > 0, 'backup.databases', backup.databases,
          'must list at least one database', 'leave it out to dump every application database')) {
          backup.databases.forEach((db, i) => this.checkDatabaseName(problems, `backup.databases[${i}]`, db));
        }
      }
      durationSeconds(problems, 'backup.startingDeadline', backup.startingDeadline, 1800, 10, 24 * 3600);
      durationSeconds(problems, 'backup.timeout', backup.timeout, 7200, 60, 7 * 24 * 3600);
      durationSeconds(problems, 'backup.keepFinishedJobsFor', backup.keepFinishedJobsFor, 86400, 60, 30 * 86400);
      if (backup.retries !== undefined) checkInteger(problems, 'backup.retries', backup.retries, 0, 10);
    }

    for (const [i, finding] of (props.acknowledge ?? []).entries()) {
      problems.check(typeof finding === 'string' && /^[a-z0-9][a-z0-9-]{0,62}$/.test(finding), `acknowledge[${i}]`, finding,
        'is not a finding id', 'use the id shown in the finding, e.g. "pdb"');
    }
    problems.check(props.disruptionBudget === undefined || typeof props.disruptionBudget === 'boolean', 'disruptionBudget', props.disruptionBudget,
      'must be true or false', 'leave it out unless an admission policy requires a budget');

    problems.throwIfAny();
    return {
      name, namespace, version, workload, storageSize, accessMode,
      rootPassword: rootPassword!,
      resources: resources!.requirements,
      configFile,
      startupFailureThreshold: Math.ceil(startupSeconds / 10),
      gracePeriodSeconds,
      exporterImage,
      backupKeep,
    };
  }

  private checkRootPassword(problems: Problems, value: SecretKeyReference | Credentials | undefined): SecretKeyReference | undefined {
    const fix = 'reference the Secret key holding the root password, e.g. { secretName: "orders-mysql", key: "root-password" }';
    if (value === undefined || value === null) {
      problems.add('rootPassword', value, 'is required: the server cannot initialize without a root password', fix);
      return undefined;
    }
    if (value instanceof Credentials) {
      value.validate(problems, 'rootPassword');
      return value.password;
    }
    if (typeof value !== 'object') {
      problems.add('rootPassword', value, 'is not a Secret reference (passwords are never given as values)', fix);
      return undefined;
    }
    const ok1 = problems.check(typeof value.secretName === 'string' && value.secretName.length <= 253 && /^[a-z0-9]([-a-z0-9.]*[a-z0-9])?$/.test(value.secretName),
      'rootPassword.secretName', value.secretName, 'is not a Secret name', fix);
    const ok2 = problems.check(typeof value.key === 'string' && /^[-._a-zA-Z0-9]{1,253}$/.test(value.key),
      'rootPassword.key', value.key, 'is not a Secret key', 'use letters, digits, "-", "_" or "."');
    return ok1 && ok2 ? { secretName: value.secretName, key: value.key } : undefined;
  }

  private checkDatabaseName(problems: Problems, field: string, db: unknown): void {
    problems.check(typeof db === 'string' && /^[A-Za-z0-9_]{1,64}$/.test(db) && !SYSTEM_DATABASES.has(db.toLowerCase()), field, db,
      'is not an application database name', 'use letters, digits and "_" (at most 64), not a system schema such as "mysql"');
  }

  // ---------------------------------------------------------------- rendering

  private meta(name: string, labels: Record<string, string> = this.labels): { name: string; namespace: string; labels: Record<string, string> } {
    return { name, namespace: this.resolved.namespace, labels };
  }

  /** ExternalSecrets for credentials that come from an external store. */
  private renderExternalSecrets(): void {
    const seen = new Set<string>();
    const all: Array<[string, unknown]> = [['RootSecret', this.props.rootPassword], ['UserSecret', this.props.user], ['ExporterSecret', this.props.metrics?.credentials]];
    for (const [id, creds] of all) {
      if (!(creds instanceof Credentials) || !creds.external || seen.has(creds.secretName)) continue;
      seen.add(creds.secretName);
      creds.render(this, id, this.labels, this.resolved.namespace);
    }
  }

  private renderServices(): void {
    const ports = [{ name: 'mysql', port: MYSQL_PORT, targetPort: k8s.IntOrString.fromString('mysql'), protocol: 'TCP' }];
    new k8s.KubeService(this, 'Service', {
      metadata: this.meta(this.serviceName),
      spec: { type: 'ClusterIP', selector: { ...this.podSelector }, ports },
    });
    new k8s.KubeService(this, 'HeadlessService', {
      metadata: this.meta(this.headlessServiceName),
      spec: { clusterIp: 'None', selector: { ...this.podSelector }, ports },
    });
  }

  private dataClaimSpec(): k8s.PersistentVolumeClaimSpec {
    const storage = this.props.storage;
    return {
      accessModes: [this.resolved.accessMode],
      resources: { requests: { storage: k8s.Quantity.fromString(this.resolved.storageSize) } },
      ...(storage?.storageClass ? { storageClassName: storage.storageClass } : {}),
    };
  }

  private renderDeployment(): ApiObject {
    const { name } = this.resolved;
    new k8s.KubePersistentVolumeClaim(this, 'Data', {
      metadata: { ...this.meta(this.dataClaimName), annotations: { ...KEEP_ON_PRUNE, ...acknowledgeAnnotation(this.props.acknowledge) } },
      spec: this.dataClaimSpec(),
    });
    return new k8s.KubeDeployment(this, 'Resource', {
      metadata: { ...this.meta(name), annotations: acknowledgeAnnotation(this.props.acknowledge) },
      spec: {
        replicas: 1,
        // Recreate: the old pod is gone before the new one mounts the volume.
        strategy: { type: 'Recreate' },
        revisionHistoryLimit: 5,
        selector: { matchLabels: { ...this.podSelector } },
        template: this.podTemplate({ name: 'data', persistentVolumeClaim: { claimName: this.dataClaimName } }),
      },
    });
  }

  private renderStatefulSet(): ApiObject {
    const { name } = this.resolved;
    return new k8s.KubeStatefulSet(this, 'Resource', {
      metadata: { ...this.meta(name), annotations: acknowledgeAnnotation(this.props.acknowledge) },
      spec: {
        replicas: 1,
        serviceName: this.headlessServiceName,
        selector: { matchLabels: { ...this.podSelector } },
        updateStrategy: { type: 'RollingUpdate' },
        persistentVolumeClaimRetentionPolicy: { whenDeleted: 'Retain', whenScaled: 'Retain' },
        revisionHistoryLimit: 5,
        template: this.podTemplate(undefined),
        volumeClaimTemplates: [{
          // No acknowledgement here: volume claim templates are immutable, so annotating one would block the update.
          metadata: { name: 'data', labels: this.labels },
          spec: this.dataClaimSpec(),
        }],
      },
    });
  }

  private podTemplate(dataVolume: k8s.Volume | undefined): k8s.PodTemplateSpec {
    const { name } = this.resolved;
    const props = this.props;
    const volumes: k8s.Volume[] = [
      ...(dataVolume ? [dataVolume] : []),
      { name: 'run', emptyDir: { medium: 'Memory', sizeLimit: k8s.Quantity.fromString('16Mi') } },
      { name: 'tmp', emptyDir: { sizeLimit: k8s.Quantity.fromString('2Gi') } },
      { name: 'config', configMap: { name: `${name}-config` } },
      {
        name: 'root-credentials',
        secret: { secretName: this.resolved.rootPassword.secretName, defaultMode: SECRET_FILE_MODE, items: [{ key: this.resolved.rootPassword.key, path: 'password' }] },
      },
    ];
    const mounts: k8s.VolumeMount[] = [
      { name: 'data', mountPath: DATA_DIR, subPath: DATA_SUBPATH },
      { name: 'run', mountPath: '/var/run/mysqld' },
      { name: 'tmp', mountPath: '/tmp' },
      { name: 'config', mountPath: '/etc/mysql/conf.d', readOnly: true },
      { name: 'root-credentials', mountPath: ROOT_SECRET_DIR, readOnly: true },
    ];
    const env: k8s.EnvVar[] = [{ name: 'MYSQL_ROOT_PASSWORD_FILE', value: `${ROOT_SECRET_DIR}/password` }];
    if (props.database) env.push({ name: 'MYSQL_DATABASE', value: props.database });
    if (props.user) {
      volumes.push({
        name: 'user-credentials',
        secret: {
          secretName: props.user.secretName,
          defaultMode: SECRET_FILE_MODE,
          items: [{ key: props.user.usernameKey, path: 'username' }, { key: props.user.passwordKey, path: 'password' }],
        },
      });
      mounts.push({ name: 'user-credentials', mountPath: USER_SECRET_DIR, readOnly: true });
      env.push({ name: 'MYSQL_USER_FILE', value: `${USER_SECRET_DIR}/username` }, { name: 'MYSQL_PASSWORD_FILE', value: `${USER_SECRET_DIR}/password` });
    }
    if (props.initScripts && Object.keys(props.initScripts).length > 0) {
      volumes.push({ name: 'initdb', configMap: { name: `${name}-initdb` } });
      mounts.push({ name: 'initdb', mountPath: '/docker-entrypoint-initdb.d', readOnly: true });
    }

    const exec = (script: string): k8s.ExecAction => ({ command: ['/bin/sh', '-c', script] });
    const mysql: k8s.Container = {
      name: 'mysql',
      image: this.resolved.version.image,
      imagePullPolicy: 'IfNotPresent',
      ports: [{ name: 'mysql', containerPort: MYSQL_PORT, protocol: 'TCP' }],
      env,
      resources: this.resolved.resources,
      securityContext: hardenedContainerSecurityContext(MYSQL_IDS),
      volumeMounts: mounts,
      startupProbe: { exec: exec(PING_SCRIPT), periodSeconds: 10, timeoutSeconds: 8, failureThreshold: this.resolved.startupFailureThreshold },
      livenessProbe: { exec: exec(PING_SCRIPT), periodSeconds: 10, timeoutSeconds: 8, failureThreshold: 6 },
      readinessProbe: { exec: exec(QUERY_SCRIPT), periodSeconds: 10, timeoutSeconds: 8, failureThreshold: 3, successThreshold: 1 },
    };
    const containers = [mysql];
    if (props.metrics) containers.push(this.exporterContainer(props.metrics));

    const prepare: k8s.Container = {
      name: 'prepare-data',
      image: this.resolved.version.image,
      imagePullPolicy: 'IfNotPresent',
      command: ['/bin/sh', '-c', PREPARE_DATA_SCRIPT],
      resources: helperResources(),
      securityContext: hardenedContainerSecurityContext(MYSQL_IDS),
      volumeMounts: [{ name: 'data', mountPath: DATA_VOLUME_ROOT }],
    };

    return {
      metadata: { labels: { ...this.labels } },
      spec: {
        serviceAccountName: name,
        automountServiceAccountToken: false,
        // Service links would put variables such as MYSQL_PORT or MYSQL_TCP_PORT (from a Service
        // named "mysql-tcp") into the environment, which the MySQL client programs read.
        enableServiceLinks: false,
        securityContext: hardenedPodSecurityContext(MYSQL_IDS),
        terminationGracePeriodSeconds: this.resolved.gracePeriodSeconds,
        initContainers: [prepare],
        containers,
        volumes,
      },
    };
  }

  private exporterContainer(metrics: MySqlMetricsProps): k8s.Container {
    const creds = metrics.credentials;
    return {
      name: 'exporter',
      image: this.resolved.exporterImage!,
      imagePullPolicy: 'IfNotPresent',
      args: [
        `--mysqld.address=127.0.0.1:${MYSQL_PORT}`,
        // Kubernetes expands $(VAR) from the container's env, here a secretKeyRef.
        '--mysqld.username=$(MYSQLD_EXPORTER_USER)',
        `--web.listen-address=:${MYSQL_EXPORTER_PORT}`,
      ],
      env: [
        { name: 'MYSQLD_EXPORTER_USER', valueFrom: { secretKeyRef: { name: creds.secretName, key: creds.usernameKey } } },
        { name: 'MYSQLD_EXPORTER_PASSWORD', valueFrom: { secretKeyRef: { name: creds.secretName, key: creds.passwordKey } } },
      ],
      ports: [{ name: 'metrics', containerPort: MYSQL_EXPORTER_PORT, protocol: 'TCP' }],
      resources: helperResources('50m', '128Mi'),
      securityContext: hardenedContainerSecurityContext(EXPORTER_IDS),
      livenessProbe: { tcpSocket: { port: k8s.IntOrString.fromString('metrics') }, periodSeconds: 20, timeoutSeconds: 5, failureThreshold: 3 },
      readinessProbe: { httpGet: { path: '/', port: k8s.IntOrString.fromString('metrics') }, periodSeconds: 10, timeoutSeconds: 5, failureThreshold: 3 },
    };
  }

  private renderMetrics(metrics: MySqlMetricsProps): void {
    const { name, namespace } = this.resolved;
    const scraper: NetworkClient = metrics.scraper ?? { podLabels: { 'app.kubernetes.io/name': 'prometheus' }, namespace: 'monitoring' };
    this.networkPolicy.allow([() => toNetworkPolicyPeer(scraper, namespace)], [MYSQL_EXPORTER_PORT]);
    if (metrics.podMonitor === false) return;
    new PodMonitor(this, 'PodMonitor', {
      metadata: this.meta(name),
      spec: {
        selector: { matchLabels: { ...this.podSelector } },
        namespaceSelector: { matchNames: [namespace] },
        podMetricsEndpoints: [{ port: 'metrics', path: '/metrics', interval: `${(metrics.interval ?? Duration.seconds(30)).toSeconds()}s` }],
      },
    });
  }

  private renderBackup(backup: MySqlBackupProps): void {
    const { name } = this.resolved;
    const labelProps = { name: 'mysql', instance: name, component: 'backup', partOf: this.props.partOf };
    const labels = standardLabels(labelProps);
    new k8s.KubePersistentVolumeClaim(this, 'Backups', {
      metadata: { ...this.meta(this.backupClaimName!, labels), annotations: { ...KEEP_ON_PRUNE } },
      spec: {
        accessModes: ['ReadWriteOnce'],
        resources: { requests: { storage: k8s.Quantity.fromString(backup.size ?? '20Gi') } },
        ...(backup.storageClass ? { storageClassName: backup.storageClass } : {}),
      },
    });
    this.networkPolicy.allow([() => ({ podSelector: { matchLabels: selectorLabels(labelProps) } })], [MYSQL_PORT]);

    const databases = backup.databases ?? (this.props.database ? [this.props.database] : []);
    const timeoutSeconds = (backup.timeout ?? Duration.hours(2)).toSeconds();
    const env: k8s.EnvVar[] = [
      { name: 'BACKUP_KEEP', value: String(this.resolved.backupKeep) },
      { name: 'BACKUP_TIMEOUT_MINUTES', value: String(Math.ceil(timeoutSeconds / 60)) },
    ];
    if (databases.length > 0) env.push({ name: 'BACKUP_DATABASES', value: databases.join(' ') });
    new k8s.KubeCronJob(this, 'Backup', {
      metadata: this.meta(`${name}-backup`, labels),
      spec: {
        schedule: backup.schedule.trim().split(/\s+/).join(' '),
        timeZone: backup.timeZone ?? 'Etc/UTC',
        concurrencyPolicy: 'Forbid',
        startingDeadlineSeconds: (backup.startingDeadline ?? Duration.minutes(30)).toSeconds(),
        successfulJobsHistoryLimit: 3,
        failedJobsHistoryLimit: 3,
        jobTemplate: {
          metadata: { labels },
          spec: this.jobSpec(labels, 'backup', BACKUP_SCRIPT, env, {
            backoffLimit: backup.retries ?? 1,
            activeDeadlineSeconds: timeoutSeconds,
            ttlSecondsAfterFinished: (backup.keepFinishedJobsFor ?? Duration.days(1)).toSeconds(),
          }),
        },
      },
    });
  }

  /** A hardened Job running `script` with the mysql image, the root password and the backup volume. */
  private jobSpec(labels: Record<string, string>, container: string, script: string, extraEnv: k8s.EnvVar[],
    bounds: { backoffLimit: number; activeDeadlineSeconds: number; ttlSecondsAfterFinished: number }): k8s.JobSpec {
    const { name, namespace } = this.resolved;
    return {
      ...bounds,
      template: {
        metadata: { labels },
        spec: {
          restartPolicy: 'Never',
          serviceAccountName: name,
          automountServiceAccountToken: false,
          enableServiceLinks: false,
          securityContext: hardenedPodSecurityContext(MYSQL_IDS),
          containers: [{
            name: container,
            image: this.resolved.version.image,
            imagePullPolicy: 'IfNotPresent',
            command: ['/bin/sh', '-c', script],
            env: [
              { name: 'MYSQL_HOST', value: `${this.serviceName}.${namespace}.svc` },
              { name: 'MYSQL_TCP_PORT', value: String(MYSQL_PORT) },
              { name: 'MYSQL_ROOT_PASSWORD_FILE', value: `${ROOT_SECRET_DIR}/password` },
              { name: 'BACKUP_DIR', value: BACKUP_DIR },
              { name: 'BACKUP_PREFIX', value: name },
              ...extraEnv,
            ],
            resources: helperResources('100m', '256Mi'),
            securityContext: hardenedContainerSecurityContext(MYSQL_IDS),
            volumeMounts: [
              { name: 'backups', mountPath: BACKUP_DIR },
              { name: 'tmp', mountPath: '/tmp' },
              { name: 'root-credentials', mountPath: ROOT_SECRET_DIR, readOnly: true },
            ],
          }],
          volumes: [
            { name: 'backups', persistentVolumeClaim: { claimName: this.backupClaimName! } },
            { name: 'tmp', emptyDir: { sizeLimit: k8s.Quantity.fromString('256Mi') } },
            {
              name: 'root-credentials',
              secret: { secretName: this.resolved.rootPassword.secretName, defaultMode: SECRET_FILE_MODE, items: [{ key: this.resolved.rootPassword.key, path: 'password' }] },
            },
          ],
        },
      },
    };
  }
}

function durationSeconds(problems: Problems, field: string, value: Duration | undefined, fallback: number, min: number, max: number): number {
  if (value === undefined) return fallback;
  let seconds = NaN;
  try {
    if (value instanceof Duration) seconds = value.toSeconds();
  } catch {
    // a fraction of a second: reported below
  }
  problems.check(Number.isInteger(seconds) && seconds >= min && seconds <= max, field, value instanceof Duration ? `${seconds}s` : value,
    `must be a Duration of whole seconds from ${min}s to ${max}s`, `use e.g. Duration.seconds(${Math.max(min, Math.min(fallback, max))})`);
  return Number.isInteger(seconds) && seconds >= min && seconds <= max ? seconds : fallback;
}
