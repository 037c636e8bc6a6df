import { Cron, Duration } from 'cdk8s';
import { k8s } from 'cdk8s-plus-28';
import { IConstruct } from 'constructs';
import { Credentials, SecretKeyReference, checkSecretKeyReference } from '../../core/credentials';
import { checkDuration } from '../../core/duration';
import { ResolvedEgress, resolveEgress } from '../../core/egress';
import { Problems } from '../../core/errors';
import { checkImage } from '../../core/image';
import { ResolvedLogicalBackupOptions, resolveLogicalBackupOptions } from '../../core/logical-backup';
import { RenderedAlertRule, checkMonitoringProps, resolveAlertRules } from '../../core/monitoring';
import { checkChoice, checkFindingIds, checkName, isLabelValue, NAME_LIMITS } from '../../core/names';
import { resolveNamespace } from '../../core/namespace';
import { defaultScraper, NetworkPeer } from '../../core/network';
import { databaseResources } from '../../core/resources';
import { checkStorage, ResolvedStorage } from '../../core/storage';
import { renderConfig } from '../config';
import { MySqlAccessMode, MySqlLogicalBackupProps, MySqlMonitoringProps, MySqlWorkload } from '../options';
import type { MySqlSingleNodeProps } from '../single-node';
import { MySqlVersion } from '../version';
import { ObjectStoreSettings, resolveObjectStore } from './object-store';

/** The pinned mysqld-exporter image. */
export const MYSQL_EXPORTER_IMAGE = 'prom/mysqld-exporter:v0.18.0';

const SYSTEM_DATABASES = new Set(['mysql', 'information_schema', 'performance_schema', 'sys']);
const FILE_NAME = /^[A-Za-z0-9][A-Za-z0-9._-]{0,250}$/;


/** The exporter, its PodMonitor and the alert rules, when monitoring is on. */
export interface MonitoringSettings {
  readonly exporterImage: string;
  readonly exporterCredentials: Credentials;
  readonly podMonitor: boolean;
  readonly intervalSeconds: number;
  readonly scraper: NetworkPeer;
  readonly labels: Record<string, string>;
  readonly alertLabels: Record<string, string>;
  /** Render the built-in alerts. */
  readonly alerts: boolean;
  /** `monitoring.backupMaxAge`, when given. */
  readonly backupMaxAgeSeconds?: number;
  /** The user's own rules. */
  readonly rules: RenderedAlertRule[];
}

/** The dump CronJob and its volume, when logical backups are on. */
export interface BackupSettings extends ResolvedLogicalBackupOptions {
  /** Databases to dump; empty: every non-system database, listed at run time. */
  readonly databases: string[];
  /** The bucket receiving a copy of every dump. */
  readonly objectStore?: ObjectStoreSettings;
  /** Dumps stay on the retained backup volume (else a scratch emptyDir). */
  readonly keepOnVolume: boolean;
  /** Binary logs are streamed to the bucket; dumps record their coordinates. */
  readonly pointInTimeRecovery: boolean;
}

/** Every prop of a MySqlSingleNode, validated, with its default applied. */
export interface Settings {
  readonly name: string;
  readonly namespace: string;
  readonly partOf?: string;
  readonly version: MySqlVersion;
  readonly workload: MySqlWorkload;
  readonly storage: ResolvedStorage;
  readonly accessMode: MySqlAccessMode;
  readonly rootPassword: SecretKeyReference;
  readonly database?: string;
  readonly user?: Credentials;
  readonly resources: k8s.ResourceRequirements;
  readonly configFile: string;
  readonly initScripts: Record<string, string>;
  readonly startupFailureThreshold: number;
  readonly gracePeriodSeconds: number;
  readonly monitoring?: MonitoringSettings;
  readonly backup?: BackupSettings;
  readonly egress?: ResolvedEgress;
  readonly disruptionBudget: boolean;
  readonly acknowledge: string[];
}

/** Validates every prop, collecting every problem, and returns the settings; throws ValidationError on any problem. */
export function resolveSettings(scope: IConstruct, props: MySqlSingleNodeProps): Settings {
  const problems = new Problems(scope, 'MySqlSingleNode');
  const name = props.name ?? scope.node.id;
  const namespace = resolveNamespace(scope, problems, props.namespace);
  const workload = props.workload ?? MySqlWorkload.DEPLOYMENT;
  checkChoice(problems, 'workload', workload, MySqlWorkload);
  checkDerivedNames(problems, name, workload, props.logicalBackup !== undefined);

  const version = props.version ?? MySqlVersion.V8_4;
  if (problems.check(version instanceof MySqlVersion, 'version', version, 'is not a MySqlVersion',
    'use MySqlVersion.V8_4, MySqlVersion.V8_0 or MySqlVersion.fromImage("registry/mysql:8.4.8")')) {
    version._validate(problems, 'version');
  }

  const storage = checkStorage(problems, 'storage', props.storage, { defaultSize: '10Gi' });
  const accessMode = props.storage?.accessMode ?? MySqlAccessMode.READ_WRITE_ONCE;
  checkChoice(problems, 'storage.accessMode', accessMode, MySqlAccessMode);

  const rootPassword = checkRootPassword(problems, props.rootPassword);
  checkUser(problems, props);
  const resources = databaseResources(problems, 'resources', props.resources, { cpu: '500m', memory: '1Gi', minMemory: '256Mi' });
  const configFile = renderConfig(problems, 'config', props.config, resources?.memoryBytes,
    `Rendered by cdk8s-data for MySqlSingleNode ${name}; change the construct's config, not this file.`);
  checkInitScripts(problems, props.initScripts);

  const startupSeconds = checkDuration(problems, 'startupTimeout', props.startupTimeout,
    { fallback: Duration.minutes(15), min: Duration.minutes(5), max: Duration.days(1) });
  const gracePeriodSeconds = checkDuration(problems, 'terminationGracePeriod', props.terminationGracePeriod,
    { fallback: Duration.minutes(2), min: Duration.seconds(30), max: Duration.hours(1) });
  const monitoring = resolveMonitoring(problems, props.monitoring);
  const backup = resolveBackup(problems, props.logicalBackup, props.database);
  const egress = resolveEgress(problems, 'egress', props.egress);
  problems.check(!egress || !backup?.objectStore || egress.objectStorage.length > 0, 'egress.objectStorage', [],
    'is empty, but logicalBackup.objectStore uploads dumps to a bucket', 'give the bucket endpoint\'s addresses, e.g. [NetworkPeer.fromCidr("203.0.113.0/24")]');

  checkFindingIds(problems, 'acknowledge', props.acknowledge);
  problems.check(props.partOf === undefined || isLabelValue(props.partOf), 'partOf', props.partOf,
    'is not a valid label value (app.kubernetes.io/part-of on every object)', 'use at most 63 letters, digits, "-", "_" or ".", starting and ending with a letter or digit');
  problems.check(props.disruptionBudget === undefined || typeof props.disruptionBudget === 'boolean', 'disruptionBudget', props.disruptionBudget,
    'must be true or false', 'leave it out unless an admission policy requires a budget');

  problems.throwIfAny();
  return {
    name, namespace, partOf: props.partOf, version, workload, storage: storage!, accessMode, rootPassword: rootPassword!,
    database: props.database, user: props.user, resources: resources!.requirements, configFile,
    initScripts: { ...props.initScripts },
    startupFailureThreshold: Math.ceil(startupSeconds / 10),
    gracePeriodSeconds, monitoring, backup, egress,
    disruptionBudget: props.disruptionBudget ?? false,
    acknowledge: [...(props.acknowledge ?? [])],
  };
}

/** The name is a Service name (DNS-1035) and must leave room for the names derived from it. */
function checkDerivedNames(problems: Problems, name: string, workload: MySqlWorkload, backup: boolean): void {
  if (!checkName(problems, 'name', name, 'service')) return;
  const longest: Array<[string, number]> = [[`${name}-headless`, NAME_LIMITS.service]];
  if (workload === MySqlWorkload.STATEFUL_SET) longest.push([name, NAME_LIMITS.statefulSet], [`data-${name}-0`, NAME_LIMITS.default]);
  if (backup) longest.push([`${name}-backup`, NAME_LIMITS.cronJob]);
  for (const [derived, limit] of longest) {
    problems.check(derived.length <= limit, 'name', name, `makes the object name "${derived}" longer than ${limit} characters`,
      `shorten the name to at most ${name.length - (derived.length - limit)} characters`);
  }
}

function checkRootPassword(problems: Problems, value: SecretKeyReference | undefined): SecretKeyReference | undefined {
  if (value === undefined || value === null) {
    problems.add('rootPassword', value, 'is required: the server cannot initialize without a root password',
      'reference the Secret key holding the root password, e.g. { secretName: "orders-mysql", key: "root-password" }');
    return undefined;
  }
  return checkSecretKeyReference(problems, 'rootPassword', value) ? { secretName: value.secretName, key: value.key } : undefined;
}

function checkUser(problems: Problems, props: MySqlSingleNodeProps): void {
  if (props.user !== undefined) {
    if (problems.check(props.user instanceof Credentials, 'user', props.user, 'is not a Credentials reference',
      'use Credentials.fromSecret("orders-app-user") or Credentials.fromExternalSecret(...)')) {
      props.user._validate(problems, 'user');
    }
    problems.check(props.database !== undefined, 'database', props.database, 'is required when `user` is set (the user gets all privileges on it)',
      'name the application database, e.g. "orders"');
  }
  if (props.database !== undefined) checkDatabaseName(problems, 'database', props.database);
}

function checkDatabaseName(problems: Problems, field: string, db: unknown): void {
  problems.check(typeof db === 'string' && /^[A-Za-z0-9_]{1,64}$/.test(db) && !SYSTEM_DATABASES.has(db.toLowerCase()), field, db,
    'is not an application database name', 'use letters, digits and "_" (at most 64), not a system schema such as "mysql"');
}

function checkInitScripts(problems: Problems, scripts: { [file: string]: string } | undefined): void {
  for (const [file, content] of Object.entries(scripts ?? {})) {
    problems.check(FILE_NAME.test(file) && /\.(sql|sh)$/.test(file), 'initScripts', file,
      'is not a script file name ending in .sql or .sh', 'use names such as "01-schema.sql" (they run in name order)');
    problems.check(typeof content === 'string' && content.trim().length > 0, `initScripts.${file}`, content, 'is empty', 'give the script text');
  }
}

/** Validates a dump file name given to `addRestoreJob`. */
export function checkDumpFile(problems: Problems, field: string, file: unknown, name: string): void {
  problems.check(typeof file === 'string' && FILE_NAME.test(file), field, file,
    'is not a file name in the backup volume', `give a name such as "${name}-20260101T030000Z.sql.gz"`);
}

function resolveMonitoring(problems: Problems, props: MySqlMonitoringProps | undefined): MonitoringSettings | undefined {
  if (props === undefined) return undefined;
  checkMonitoringProps(problems, 'monitoring', props);
  const intervalSeconds = checkDuration(problems, 'monitoring.interval', props.interval,
    { fallback: Duration.seconds(30), min: Duration.seconds(5), max: Duration.hours(1) });
  problems.check(props.podMonitor === undefined || typeof props.podMonitor === 'boolean', 'monitoring.podMonitor', props.podMonitor,
    'must be true or false', 'leave it out to render the PodMonitor');
  const backupMaxAgeSeconds = props.backupMaxAge === undefined ? undefined
    : checkDuration(problems, 'monitoring.backupMaxAge', props.backupMaxAge, { fallback: Duration.hours(26), min: Duration.hours(1), max: Duration.days(90) });
  if (props.enabled === false) return undefined;

  const credentials = props.exporterCredentials;
  if (problems.check(credentials instanceof Credentials, 'monitoring.exporterCredentials', credentials, 'is required for the exporter',
    'reference the exporter account\'s Secret: Credentials.fromSecret("orders-mysql-exporter")')) {
    credentials!._validate(problems, 'monitoring.exporterCredentials');
  }
  const exporterImage = props.exporterImage ?? MYSQL_EXPORTER_IMAGE;
  checkImage(problems, 'monitoring.exporterImage', exporterImage, MYSQL_EXPORTER_IMAGE);
  return {
    exporterImage,
    exporterCredentials: credentials!,
    podMonitor: props.podMonitor ?? true,
    intervalSeconds,
    scraper: props.scraper ?? defaultScraper(),
    labels: { ...props.labels },
    alertLabels: { ...props.alertLabels },
    alerts: props.alerts ?? true,
    backupMaxAgeSeconds,
    // Only converted when valid: a bad Duration would throw.
    rules: problems.empty ? resolveAlertRules(props.extraAlertRules) : [],
  };
}

function resolveBackup(problems: Problems, props: MySqlLogicalBackupProps | undefined, database: string | undefined): BackupSettings | undefined {
  if (props === undefined) return undefined;
  const shared = resolveLogicalBackupOptions(problems, 'logicalBackup', props, {
    schedule: Cron.schedule({ minute: '0', hour: '3' }), storageSize: '20Gi', timeout: Duration.hours(2), startingDeadline: Duration.minutes(30),
  });
  if (props.databases !== undefined) {
    if (problems.check(Array.isArray(props.databases) && props.databases.length > 0, 'logicalBackup.databases', props.databases,
      'must list at least one database', 'leave it out to dump every application database')) {
      props.databases.forEach((db, i) => checkDatabaseName(problems, `logicalBackup.databases[${i}]`, db));
    }
  }
  const objectStore = props.objectStore === undefined ? undefined
    : resolveObjectStore(problems, 'logicalBackup.objectStore', props.objectStore, shared?.keep ?? 7);
  const keepOnVolume = props.keepOnVolume ?? true;
  if (problems.check(typeof keepOnVolume === 'boolean', 'logicalBackup.keepOnVolume', props.keepOnVolume, 'must be true or false', 'leave it out to keep dumps on the volume')) {
    problems.check(keepOnVolume || props.objectStore !== undefined, 'logicalBackup.keepOnVolume', keepOnVolume,
      'leaves the dumps nowhere: there is no objectStore', 'set logicalBackup.objectStore, or leave keepOnVolume out');
  }
  const pointInTimeRecovery = props.pointInTimeRecovery ?? false;
  if (problems.check(typeof pointInTimeRecovery === 'boolean', 'logicalBackup.pointInTimeRecovery', props.pointInTimeRecovery, 'must be true or false', 'leave it out, or set true')) {
    problems.check(!pointInTimeRecovery || props.objectStore !== undefined, 'logicalBackup.pointInTimeRecovery', pointInTimeRecovery,
      'needs a bucket for the binary logs', 'set logicalBackup.objectStore');
  }
  return shared && { ...shared, databases: [...(props.databases ?? (database ? [database] : []))], objectStore, keepOnVolume, pointInTimeRecovery };
}
