import { ApiObject, Duration } from 'cdk8s';
import { k8s } from 'cdk8s-plus-28';
import { Construct } from 'constructs';
import { acknowledgeAnnotation, KEEP_ON_PRUNE } from '../core/annotations';
import { ConnectionInfo, DatabaseEngine, IDatabase } from '../core/connection';
import { Credentials, SecretKeyReference } from '../core/credentials';
import { databaseDisruptionBudget } from '../core/disruption';
import { Problems } from '../core/errors';
import { standardLabels, selectorLabels } from '../core/labels';
import { checkName } from '../core/names';
import { claimName } from '../core/unique-names';
import { scheduleGapsSeconds } from '../core/schedule';
import { allowObjectStorage, EgressProps, helperPolicy, restrictToDns } from '../core/egress';
import { PodNetworkPolicy, NetworkPeer } from '../core/network';
import { ResourceProps, helperResources } from '../core/resources';
import { dedicatedServiceAccount, hardenedContainerSecurityContext, hardenedPodSecurityContext, RunAsIds } from '../core/security';
import { MySqlConfig } from './config';
import { MySqlLogicalBackupProps, MySqlMonitoringProps, MySqlRestoreJobOptions, MySqlStorageProps, MySqlWorkload } from './options';
import { alertRules } from './private/alerts';
import { exporterContainer, MYSQL_EXPORTER_PORT, MYSQL_PORT, renderMonitoringObjects } from './private/monitoring';
import {
  BACKUP_DIR, BACKUP_SCRIPT, DATA_SUBPATH, DATA_VOLUME_ROOT, PING_SCRIPT, PREPARE_DATA_SCRIPT, QUERY_SCRIPT,
  RESTORE_SCRIPT, ROOT_SECRET_DIR, USER_SECRET_DIR, DOWNLOAD_SCRIPT, RCLONE_ENV, UPLOAD_SCRIPT,
  BINLOG_DIR, BINLOG_DOWNLOAD_SCRIPT, BINLOG_READY_SCRIPT, BINLOG_STREAM_SCRIPT, BINLOG_UPLOAD_ALIVE_SCRIPT, BINLOG_UPLOAD_SCRIPT,
} from './private/scripts';
import { BackupSettings, checkDumpFile, resolveSettings, Settings } from './private/settings';
import { MySqlVersion } from './version';

/** uid and gid of the `mysql` user in the official image. */
const MYSQL_IDS: RunAsIds = { uid: 999, gid: 999 };
const DATA_DIR = '/var/lib/mysql';
/** Secret files readable by the owner and the fsGroup (999) only. */
const SECRET_FILE_MODE = 0o440;
/** Replication id of the binary log streamer (servers here keep server_id 1). */
const BINLOG_SERVER_ID = 4_200_000_001;

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
   * @default MySqlWorkload.DEPLOYMENT
   */
  readonly workload?: MySqlWorkload;
  /**
   * The data volume.
   * @default 10Gi, MySqlAccessMode.READ_WRITE_ONCE, the cluster's default StorageClass
   */
  readonly storage?: MySqlStorageProps;
  /**
   * The Secret key holding the root password (also used by the probes and the backup job).
   * Required. For a password kept in an external store, let an ExternalSecret of your own
   * create that Secret.
   *
   * The official image reads it (through `MYSQL_ROOT_PASSWORD_FILE`) only when it initializes an
   * empty data directory: changing the Secret later does not change the password. Change it in
   * the server first (`ALTER USER 'root'@'%' IDENTIFIED BY ...` and `'root'@'localhost'`), then
   * update the Secret; until both agree the readiness probe fails.
   */
  readonly rootPassword: SecretKeyReference;
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
  readonly initScripts?: { [file: string]: string };
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
   * Monitoring: the mysqld-exporter sidecar on port 9104, a PodMonitor, the scraper admitted by
   * the NetworkPolicy, and a PrometheusRule with `extraAlertRules`. On when given (set
   * `enabled: false` to keep the settings but render nothing); it needs `exporterCredentials`.
   * @default no monitoring
   */
  readonly monitoring?: MySqlMonitoringProps;
  /**
   * Scheduled dumps with mysqldump to a backup volume of their own, restored with
   * `addRestoreJob()`. `{}` gives a daily dump at 03:00 UTC, seven kept, on 20Gi.
   * @default no backups
   */
  readonly logicalBackup?: MySqlLogicalBackupProps;
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
   * Restrict where the server and its Jobs may connect (for namespaces that deny egress by
   * default): DNS, the server's port for the backup and restore Jobs, and `objectStorage` for the
   * pods that use the bucket. On when given.
   * @default egress open
   */
  readonly egress?: EgressProps;
  /**
   * Ids of safety findings the owner accepts; recorded in an annotation on the workload and
   * the data claim.
   * @default none
   */
  readonly acknowledge?: string[];
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
  public readonly podSelector: { [key: string]: string };
  /** Name of the ClusterIP Service clients use. */
  public readonly serviceName: string;
  /** Name of the headless Service. */
  public readonly headlessServiceName: string;
  /** Name of the data claim (for a StatefulSet, `data-<name>-0`). */
  public readonly dataClaimName: string;
  /** Name of the backup claim, when dumps are kept on a volume. */
  public readonly backupClaimName?: string;
  /** The Deployment or StatefulSet. */
  public readonly workload: ApiObject;

  private readonly settings: Settings;
  private readonly labels: Record<string, string>;
  private readonly networkPolicy: PodNetworkPolicy;
  private restorePolicy?: PodNetworkPolicy;
  private restoreReadsBucket = false;

  constructor(scope: Construct, id: string, props: MySqlSingleNodeProps) {
    super(scope, id);
    this.settings = resolveSettings(this, props ?? ({} as MySqlSingleNodeProps));
    const { name, namespace, partOf, user } = this.settings;
    const unique = new Problems(this, 'MySqlSingleNode');
    claimName(unique, this, 'name', { kind: 'MySqlSingleNode', namespace, name, fix: 'give each server of a namespace its own name' });
    unique.throwIfAny();

    const labelProps = { name: 'mysql', instance: name, component: 'database', partOf };
    this.labels = standardLabels(labelProps);
    this.podSelector = selectorLabels(labelProps);
    this.serviceName = name;
    this.headlessServiceName = `${name}-headless`;
    this.dataClaimName = this.settings.workload === MySqlWorkload.STATEFUL_SET ? `data-${name}-0` : `${name}-data`;
    this.backupClaimName = this.settings.backup?.keepOnVolume ? `${name}-backups` : undefined;
    this.connection = {
      engine: DatabaseEngine.MYSQL,
      namespace,
      host: `${name}.${namespace}.svc`,
      port: MYSQL_PORT,
      database: this.settings.database,
      secret: user ? { name: user.secretName, usernameKey: user.usernameKey, passwordKey: user.passwordKey } : undefined,
      tls: false,
      majorVersion: this.settings.version.majorVersion,
    };

    this.renderExternalSecrets();
    dedicatedServiceAccount(this, 'ServiceAccount', name, this.labels, namespace);
    this.renderConfigMaps();
    this.renderServices();
    this.workload = this.settings.workload === MySqlWorkload.STATEFUL_SET ? this.renderStatefulSet() : this.renderDeployment();
    this.networkPolicy = new PodNetworkPolicy(this, 'NetworkPolicy', { name, namespace, podSelector: { ...this.podSelector }, labels: this.labels });
    const egress = this.settings.egress;
    if (egress) {
      restrictToDns(this.networkPolicy, egress);
      // The binary log uploader sidecar writes to the bucket.
      if (this.settings.backup?.pointInTimeRecovery) allowObjectStorage(this.networkPolicy, egress);
    }

    const monitoring = this.settings.monitoring;
    if (monitoring) {
      this.networkPolicy.allowPeer(monitoring.scraper, [MYSQL_EXPORTER_PORT]);
      const backup = this.settings.backup;
      renderMonitoringObjects(this, monitoring, { name, namespace, labels: this.labels, podSelector: this.podSelector }, alertRules({
        name, namespace, workload: this.settings.workload,
        claims: [this.dataClaimName, ...(this.backupClaimName ? [this.backupClaimName] : [])],
        backup: backup && { cronJob: `${name}-backup`, maxAgeSeconds: monitoring.backupMaxAgeSeconds ?? scheduleGapsSeconds(backup.schedule).longest + 7200 },
        binlogSidecars: backup?.pointInTimeRecovery,
      }));
    }
    if (this.settings.backup) this.renderBackup(this.settings.backup);
    if (this.settings.disruptionBudget) {
      databaseDisruptionBudget(this, 'DisruptionBudget', { name, namespace, labels: this.labels, selector: this.podSelector });
    }
  }

  /**
   * Opens port 3306 to `peer` through the NetworkPolicy. Throws ValidationError for a peer with
   * bad labels or namespace.
   */
  public allowFrom(peer: NetworkPeer): void {
    this.checkPeer('MySqlSingleNode.allowFrom', peer);
    this.networkPolicy.allowPeer(peer, [MYSQL_PORT]);
  }

  /**
   * Opens the metrics port (9104) to another scraper, in addition to `monitoring.scraper`.
   * Throws ValidationError when monitoring is off.
   */
  public allowMetricsFrom(peer: NetworkPeer): void {
    this.checkPeer('MySqlSingleNode.allowMetricsFrom', peer, problems =>
      problems.check(this.settings.monitoring !== undefined, 'monitoring', undefined, 'there is no metrics port to open', 'set the `monitoring` prop'));
    this.networkPolicy.allowPeer(peer, [MYSQL_EXPORTER_PORT]);
  }

  /**
   * Adds a Job that loads a dump into the server (see the restore script: each database in the
   * dump is recreated and its tables replaced; other databases are left alone), from the backup
   * volume or, with `fromObjectStore`, from the bucket. Add it for the restore only and remove it
   * afterwards, so it does not run again on the next apply; stop the applications writing to the
   * database while it runs.
   *
   * Requires `logicalBackup`. Throws ValidationError for a bad file or Job name, or a source that
   * is not configured.
   */
  public addRestoreJob(id = 'Restore', options: MySqlRestoreJobOptions = {}): k8s.KubeJob {
    const { name, partOf, backup } = this.settings;
    const problems = new Problems(this, 'MySqlSingleNode.addRestoreJob');
    problems.check(backup !== undefined, 'logicalBackup', undefined, 'restoring needs the dumps', 'set the `logicalBackup` prop');
    const jobName = options.name ?? `${name}-restore`;
    if (checkName(problems, 'name', jobName)) {
      claimName(problems, this, 'name', { kind: 'restore Job', namespace: this.settings.namespace, name: jobName, fix: 'give each restore Job its own name with options.name, or add only one' });
    }
    if (options.file !== undefined) checkDumpFile(problems, 'file', options.file, name);
    const pointInTime = options.pointInTime;
    if (pointInTime !== undefined && problems.check(pointInTime instanceof Date && !isNaN(pointInTime.getTime()), 'pointInTime', pointInTime, 'is not a valid Date',
      'give e.g. new Date("2026-03-01T12:30:00Z")') && backup) {
      problems.check(backup.pointInTimeRecovery, 'pointInTime', pointInTime.toISOString(), 'needs the archived binary logs', 'set logicalBackup.pointInTimeRecovery (it covers writes from then on)');
    }
    const fromObjectStore = options.fromObjectStore ?? (pointInTime !== undefined || (backup !== undefined && !backup.keepOnVolume));
    if (problems.check(typeof fromObjectStore === 'boolean', 'fromObjectStore', options.fromObjectStore, 'must be true or false', 'leave it out for the default') && backup) {
      problems.check(!fromObjectStore || backup.objectStore !== undefined, 'fromObjectStore', fromObjectStore, 'there is no bucket to read from', 'set logicalBackup.objectStore');
      problems.check(fromObjectStore || backup.keepOnVolume, 'fromObjectStore', fromObjectStore, 'there is no backup volume (logicalBackup.keepOnVolume is false)', 'leave fromObjectStore out to read from the bucket');
    }
    problems.throwIfAny();

    const labelProps = { name: 'mysql', instance: name, component: 'restore', partOf };
    const labels = standardLabels(labelProps);
    this.networkPolicy.allow([() => ({ podSelector: { matchLabels: selectorLabels(labelProps) } })], [MYSQL_PORT]);
    this.restoreNetwork(labels, selectorLabels(labelProps), fromObjectStore);
    const env = options.file ? [{ name: 'RESTORE_FILE', value: options.file }] : [];
    let steps: k8s.Container[];
    if (pointInTime) {
      const iso = pointInTime.toISOString();
      steps = [
        this.rcloneStep('download', DOWNLOAD_SCRIPT, [...env, { name: 'RESTORE_BEFORE', value: iso.replace(/[-:]/g, '').replace(/\.\d+Z$/, 'Z') }]),
        this.rcloneStep('download-binlogs', BINLOG_DOWNLOAD_SCRIPT, []),
        this.mysqlStep('restore', RESTORE_SCRIPT, [{ name: 'RESTORE_UNTIL', value: `${iso.slice(0, 10)} ${iso.slice(11, 19)}` }, { name: 'TZ', value: 'UTC' }]),
      ];
    } else if (fromObjectStore) {
      steps = [this.rcloneStep('download', DOWNLOAD_SCRIPT, env), this.mysqlStep('restore', RESTORE_SCRIPT, [])];
    } else {
      steps = [this.mysqlStep('restore', RESTORE_SCRIPT, env)];
    }
    return new k8s.KubeJob(this, id, {
      metadata: { ...this.meta(jobName, labels), annotations: acknowledgeAnnotation(this.settings.acknowledge) },
      spec: this.jobSpec(labels, steps, fromObjectStore ? backup!.storage.size : undefined,
        { backoffLimit: 0, activeDeadlineSeconds: 6 * 3600, ttlSecondsAfterFinished: 7 * 86400 }),
    });
  }

  /** A Job's own NetworkPolicy: no ingress; with restricted egress, DNS, the server and the bucket if it uses one. */
  private jobPolicy(id: string, name: string, labels: Record<string, string>, podSelector: Record<string, string>, objectStorage: boolean): PodNetworkPolicy {
    return helperPolicy(this, id, {
      name, namespace: this.settings.namespace, podSelector, labels, egress: this.settings.egress,
      databases: [{ podSelector: this.podSelector, ports: [MYSQL_PORT] }], objectStorage,
    });
  }

  /** One policy for the restore Jobs, which share their pod labels; the bucket is reachable once a restore reads from it. */
  private restoreNetwork(labels: Record<string, string>, podSelector: Record<string, string>, objectStorage: boolean): void {
    const egress = this.settings.egress;
    if (!this.restorePolicy) {
      this.restorePolicy = this.jobPolicy('RestoreNetwork', `${this.settings.name}-restore`, labels, podSelector, objectStorage);
      this.restoreReadsBucket = objectStorage;
    } else if (objectStorage && !this.restoreReadsBucket && egress) {
      allowObjectStorage(this.restorePolicy, egress);
      this.restoreReadsBucket = true;
    }
  }

  private checkPeer(method: string, peer: NetworkPeer, more?: (problems: Problems) => void): void {
    const problems = new Problems(this, method);
    more?.(problems);
    if (problems.check(peer instanceof NetworkPeer, 'peer', peer, 'is not a NetworkPeer',
      'use NetworkPeer.fromWorkload(deployment) or NetworkPeer.fromPodLabels({ app: "web" })')) {
      peer._validate(problems, 'peer');
    }
    problems.throwIfAny();
  }

  // ---------------------------------------------------------------- rendering

  private meta(name: string, labels: Record<string, string> = this.labels): { name: string; namespace: string; labels: Record<string, string> } {
    return { name, namespace: this.settings.namespace, labels };
  }

  /** ExternalSecrets for credentials that come from an external store. */
  private renderExternalSecrets(): void {
    const seen = new Set<string>();
    const all: Array<[string, Credentials | undefined]> = [['UserSecret', this.settings.user], ['ExporterSecret', this.settings.monitoring?.exporterCredentials]];
    for (const [id, creds] of all) {
      if (!creds?.external || seen.has(creds.secretName)) continue;
      seen.add(creds.secretName);
      creds._render(this, id, this.labels, this.settings.namespace);
    }
  }

  private renderConfigMaps(): void {
    const { name, configFile, initScripts } = this.settings;
    new k8s.KubeConfigMap(this, 'Config', {
      metadata: this.meta(`${name}-config`),
      data: { 'cdk8s-data.cnf': configFile },
    });
    if (Object.keys(initScripts).length > 0) {
      new k8s.KubeConfigMap(this, 'InitScripts', {
        metadata: this.meta(`${name}-initdb`),
        data: { ...initScripts },
      });
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
    const { storage, accessMode } = this.settings;
    return {
      accessModes: [accessMode],
      resources: { requests: { storage: k8s.Quantity.fromString(storage.size) } },
      ...(storage.storageClass ? { storageClassName: storage.storageClass } : {}),
    };
  }

  private renderDeployment(): ApiObject {
    const { name, acknowledge } = this.settings;
    new k8s.KubePersistentVolumeClaim(this, 'Data', {
      metadata: { ...this.meta(this.dataClaimName), annotations: { ...KEEP_ON_PRUNE, ...acknowledgeAnnotation(acknowledge) } },
      spec: this.dataClaimSpec(),
    });
    return new k8s.KubeDeployment(this, 'Resource', {
      metadata: { ...this.meta(name), annotations: acknowledgeAnnotation(acknowledge) },
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
    const { name, acknowledge } = this.settings;
    return new k8s.KubeStatefulSet(this, 'Resource', {
      metadata: { ...this.meta(name), annotations: acknowledgeAnnotation(acknowledge) },
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

  /** The root password file, mounted read-only by the server and by the backup and restore Jobs. */
  private rootCredentialsVolume(): k8s.Volume {
    const { secretName, key } = this.settings.rootPassword;
    return { name: 'root-credentials', secret: { secretName, defaultMode: SECRET_FILE_MODE, items: [{ key, path: 'password' }] } };
  }

  /** Volumes, mounts and environment of the mysql container. */
  private serverFiles(dataVolume: k8s.Volume | undefined): { volumes: k8s.Volume[]; mounts: k8s.VolumeMount[]; env: k8s.EnvVar[] } {
    const { name, database, user, initScripts } = this.settings;
    const volumes: k8s.Volume[] = [
      ...(dataVolume ? [dataVolume] : []),
      { name: 'run', emptyDir: { medium: 'Memory', sizeLimit: k8s.Quantity.fromString('16Mi') } },
      { name: 'tmp', emptyDir: { sizeLimit: k8s.Quantity.fromString('2Gi') } },
      { name: 'config', configMap: { name: `${name}-config` } },
      this.rootCredentialsVolume(),
    ];
    const mounts: k8s.VolumeMount[] = [
      { name: 'data', mountPath: DATA_DIR, subPath: DATA_SUBPATH },
      { name: 'run', mountPath: '/var/run/mysqld' },
      { name: 'tmp', mountPath: '/tmp' },
      { name: 'config', mountPath: '/etc/mysql/conf.d', readOnly: true },
      { name: 'root-credentials', mountPath: ROOT_SECRET_DIR, readOnly: true },
    ];
    const env: k8s.EnvVar[] = [{ name: 'MYSQL_ROOT_PASSWORD_FILE', value: `${ROOT_SECRET_DIR}/password` }];
    if (database) env.push({ name: 'MYSQL_DATABASE', value: database });
    if (user) {
      volumes.push({
        name: 'user-credentials',
        secret: {
          secretName: user.secretName,
          defaultMode: SECRET_FILE_MODE,
          items: [{ key: user.usernameKey, path: 'username' }, { key: user.passwordKey, path: 'password' }],
        },
      });
      mounts.push({ name: 'user-credentials', mountPath: USER_SECRET_DIR, readOnly: true });
      env.push({ name: 'MYSQL_USER_FILE', value: `${USER_SECRET_DIR}/username` }, { name: 'MYSQL_PASSWORD_FILE', value: `${USER_SECRET_DIR}/password` });
    }
    if (Object.keys(initScripts).length > 0) {
      volumes.push({ name: 'initdb', configMap: { name: `${name}-initdb` } });
      mounts.push({ name: 'initdb', mountPath: '/docker-entrypoint-initdb.d', readOnly: true });
    }
    return { volumes, mounts, env };
  }

  private podTemplate(dataVolume: k8s.Volume | undefined): k8s.PodTemplateSpec {
    const { name, version, monitoring } = this.settings;
    const { volumes, mounts, env } = this.serverFiles(dataVolume);
    const exec = (script: string): k8s.ExecAction => ({ command: ['/bin/sh', '-c', script] });
    const mysql: k8s.Container = {
      name: 'mysql',
      image: version.image,
      imagePullPolicy: 'IfNotPresent',
      ports: [{ name: 'mysql', containerPort: MYSQL_PORT, protocol: 'TCP' }],
      env,
      resources: this.settings.resources,
      securityContext: hardenedContainerSecurityContext(MYSQL_IDS),
      volumeMounts: mounts,
      startupProbe: { exec: exec(PING_SCRIPT), periodSeconds: 10, timeoutSeconds: 8, failureThreshold: this.settings.startupFailureThreshold },
      livenessProbe: { exec: exec(PING_SCRIPT), periodSeconds: 10, timeoutSeconds: 8, failureThreshold: 6 },
      readinessProbe: { exec: exec(QUERY_SCRIPT), periodSeconds: 10, timeoutSeconds: 8, failureThreshold: 3, successThreshold: 1 },
    };
    const prepare: k8s.Container = {
      name: 'prepare-data',
      image: version.image,
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
        terminationGracePeriodSeconds: this.settings.gracePeriodSeconds,
        initContainers: [prepare],
        containers: [mysql, ...(monitoring ? [exporterContainer(monitoring)] : []), ...this.binlogSidecars()],
        volumes: [...volumes, ...(this.settings.backup?.pointInTimeRecovery
          ? [{ name: 'binlog', emptyDir: { sizeLimit: k8s.Quantity.fromString(this.settings.backup.storage.size) } }, ...this.settings.backup.objectStore!.volumes] : [])],
      },
    };
  }

  /** With point-in-time recovery: the binary log streamer and its uploader, sharing an emptyDir. */
  private binlogSidecars(): k8s.Container[] {
    const backup = this.settings.backup;
    if (!backup?.pointInTimeRecovery) return [];
    const stream: k8s.Container = {
      name: 'binlog-stream',
      image: this.settings.version.image,
      imagePullPolicy: 'IfNotPresent',
      command: ['/bin/sh', '-c', BINLOG_STREAM_SCRIPT],
      env: [
        { name: 'MYSQL_ROOT_PASSWORD_FILE', value: `${ROOT_SECRET_DIR}/password` },
        { name: 'BINLOG_DIR', value: BINLOG_DIR },
        // A replication id no server uses: the server drops an older connection with the same id.
        { name: 'BINLOG_SERVER_ID', value: String(BINLOG_SERVER_ID) },
      ],
      resources: helperResources('50m', '128Mi'),
      securityContext: hardenedContainerSecurityContext(MYSQL_IDS),
      readinessProbe: { exec: { command: ['/bin/sh', '-c', BINLOG_READY_SCRIPT] }, periodSeconds: 30, timeoutSeconds: 5 },
      // mysqlbinlog is the container's process: when the stream breaks it exits and the kubelet
      // restarts it, so liveness only checks that the container still answers.
      livenessProbe: { exec: { command: ['/bin/sh', '-c', BINLOG_READY_SCRIPT] }, periodSeconds: 60, timeoutSeconds: 10, failureThreshold: 3 },
      volumeMounts: [
        { name: 'binlog', mountPath: BINLOG_DIR },
        { name: 'root-credentials', mountPath: ROOT_SECRET_DIR, readOnly: true },
      ],
    };
    const upload = this.rcloneStep('binlog-upload', BINLOG_UPLOAD_SCRIPT, [
      { name: 'BINLOG_DIR', value: BINLOG_DIR },
      { name: 'BINLOG_UPLOAD_SECONDS', value: '60' },
    ]);
    // The uploader shares the server's /tmp and needs none of the Job variables.
    const env = upload.env!.filter(e => e.name !== 'BACKUP_DIR' && e.name !== 'BACKUP_PREFIX');
    return [stream, {
      ...upload,
      env,
      volumeMounts: [{ name: 'binlog', mountPath: BINLOG_DIR }, { name: 'tmp', mountPath: '/tmp' }, ...this.settings.backup!.objectStore!.mounts],
      readinessProbe: { exec: { command: ['/bin/sh', '-c', BINLOG_READY_SCRIPT] }, periodSeconds: 30, timeoutSeconds: 5 },
      livenessProbe: { exec: { command: ['/bin/sh', '-c', BINLOG_UPLOAD_ALIVE_SCRIPT] }, initialDelaySeconds: 900, periodSeconds: 60, timeoutSeconds: 10, failureThreshold: 3 },
    }];
  }

  private renderBackup(backup: BackupSettings): void {
    const { name, partOf } = this.settings;
    const labelProps = { name: 'mysql', instance: name, component: 'backup', partOf };
    const labels = standardLabels(labelProps);
    if (this.backupClaimName) {
      new k8s.KubePersistentVolumeClaim(this, 'Backups', {
        metadata: { ...this.meta(this.backupClaimName, labels), annotations: { ...KEEP_ON_PRUNE } },
        spec: {
          accessModes: ['ReadWriteOnce'],
          resources: { requests: { storage: k8s.Quantity.fromString(backup.storage.size) } },
          ...(backup.storage.storageClass ? { storageClassName: backup.storage.storageClass } : {}),
        },
      });
    }
    this.networkPolicy.allow([() => ({ podSelector: { matchLabels: selectorLabels(labelProps) } })], [MYSQL_PORT]);
    this.jobPolicy('BackupNetwork', `${name}-backup`, labels, selectorLabels(labelProps), backup.objectStore !== undefined);

    const env: k8s.EnvVar[] = [
      { name: 'BACKUP_KEEP', value: String(backup.keep) },
      { name: 'BACKUP_TIMEOUT_MINUTES', value: String(Math.ceil(backup.timeoutSeconds / 60)) },
    ];
    if (backup.databases.length > 0) env.push({ name: 'BACKUP_DATABASES', value: backup.databases.join(' ') });
    if (backup.pointInTimeRecovery) env.push({ name: 'BACKUP_BINLOG_POSITION', value: 'true' });
    // With a bucket, the dump runs first (an init container) and the upload after it succeeded.
    const steps = [this.mysqlStep('backup', BACKUP_SCRIPT, env)];
    if (backup.objectStore) steps.push(this.rcloneStep('upload', UPLOAD_SCRIPT, [{ name: 'BACKUP_REMOTE_KEEP', value: String(backup.objectStore.keep) }]));
    new k8s.KubeCronJob(this, 'Backup', {
      metadata: this.meta(`${name}-backup`, labels),
      spec: {
        schedule: backup.schedule,
        timeZone: backup.timeZone,
        concurrencyPolicy: 'Forbid',
        startingDeadlineSeconds: backup.startingDeadlineSeconds,
        successfulJobsHistoryLimit: 3,
        failedJobsHistoryLimit: 3,
        jobTemplate: {
          metadata: { labels },
          spec: this.jobSpec(labels, steps, this.backupClaimName ? undefined : backup.storage.size, {
            backoffLimit: backup.retries,
            activeDeadlineSeconds: backup.timeoutSeconds,
            ttlSecondsAfterFinished: backup.keepFinishedSeconds,
          }),
        },
      },
    });
  }

  /** Environment every backup and restore step shares. */
  private jobEnv(): k8s.EnvVar[] {
    return [
      { name: 'BACKUP_DIR', value: BACKUP_DIR },
      { name: 'BACKUP_PREFIX', value: this.settings.name },
    ];
  }

  /** A step running `script` with the mysql image and the root password. */
  private mysqlStep(name: string, script: string, extraEnv: k8s.EnvVar[]): k8s.Container {
    const { namespace, version } = this.settings;
    return this.scriptStep(name, version.image, script, [
      { name: 'MYSQL_HOST', value: `${this.serviceName}.${namespace}.svc` },
      { name: 'MYSQL_TCP_PORT', value: String(MYSQL_PORT) },
      { name: 'MYSQL_ROOT_PASSWORD_FILE', value: `${ROOT_SECRET_DIR}/password` },
      ...this.jobEnv(),
      ...extraEnv,
    ], [{ name: 'root-credentials', mountPath: ROOT_SECRET_DIR, readOnly: true }]);
  }

  /** A step running `script` with the rclone image and the bucket's settings; no database credentials. */
  private rcloneStep(name: string, script: string, extraEnv: k8s.EnvVar[]): k8s.Container {
    const store = this.settings.backup!.objectStore!;
    return this.scriptStep(name, store.image, script, [
      { name: 'RCLONE_CONFIG', value: RCLONE_ENV.RCLONE_CONFIG },
      ...store.noBucketCheck,
      { name: 'HOME', value: RCLONE_ENV.HOME },
      ...this.jobEnv(),
      { name: 'BACKUP_REMOTE', value: store.remote },
      ...store.env,
      ...extraEnv,
    ], store.mounts);
  }

  /** A hardened container running `script` with the backup volume and a scratch /tmp. */
  private scriptStep(name: string, image: string, script: string, env: k8s.EnvVar[], extraMounts: k8s.VolumeMount[]): k8s.Container {
    return {
      name,
      image,
      imagePullPolicy: 'IfNotPresent',
      command: ['/bin/sh', '-c', script],
      env,
      resources: helperResources('100m', '256Mi'),
      securityContext: hardenedContainerSecurityContext(MYSQL_IDS),
      volumeMounts: [
        { name: 'backups', mountPath: BACKUP_DIR },
        { name: 'tmp', mountPath: '/tmp' },
        ...extraMounts,
      ],
    };
  }

  /**
   * A hardened Job pod running `steps` in order (all but the last as init containers), with the
   * backup volume, or a scratch emptyDir of `scratchSize` in its place.
   */
  private jobSpec(labels: Record<string, string>, steps: k8s.Container[], scratchSize: string | undefined,
    bounds: { backoffLimit: number; activeDeadlineSeconds: number; ttlSecondsAfterFinished: number }): k8s.JobSpec {
    const backups: k8s.Volume = scratchSize
      ? { name: 'backups', emptyDir: { sizeLimit: k8s.Quantity.fromString(scratchSize) } }
      : { name: 'backups', persistentVolumeClaim: { claimName: this.backupClaimName! } };
    return {
      ...bounds,
      template: {
        metadata: { labels },
        spec: {
          restartPolicy: 'Never',
          serviceAccountName: this.settings.name,
          automountServiceAccountToken: false,
          enableServiceLinks: false,
          securityContext: hardenedPodSecurityContext(MYSQL_IDS),
          ...(steps.length > 1 ? { initContainers: steps.slice(0, -1) } : {}),
          containers: steps.slice(-1),
          volumes: [
            backups,
            { name: 'tmp', emptyDir: { sizeLimit: k8s.Quantity.fromString('256Mi') } },
            this.rootCredentialsVolume(),
            // The bucket's credentials file, when a step (an rclone one) mounts it.
            ...(this.settings.backup?.objectStore?.volumes ?? []).filter(v => steps.some(step => step.volumeMounts?.some(m => m.name === v.name))),
          ],
        },
      },
    };
  }
}

