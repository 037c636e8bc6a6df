import { ApiObjectMetadata } from 'cdk8s';
import { k8s } from 'cdk8s-plus-28';
import { Construct } from 'constructs';
import { CronExpressionParser } from 'cron-parser';
import {
  Cluster, ClusterSpec, ClusterSpecBootstrap, ClusterSpecExternalClusters, ClusterSpecPostgresqlSynchronousDataDurability, ClusterSpecPostgresqlSynchronousMethod,
  ClusterSpecPrimaryUpdateMethod, ClusterSpecPrimaryUpdateStrategy, ClusterSpecResourcesLimits, ClusterSpecResourcesRequests,
} from '../../imports/cnpg-clusters-postgresql.cnpg.io';
import { KEEP_ON_PRUNE, acknowledgeAnnotation } from '../core/annotations';
import { ConnectionInfo, IDatabase } from '../core/connection';
import { SecretKeyReference } from '../core/credentials';
import { Problems } from '../core/errors';
import { standardLabels, selectorLabels } from '../core/labels';
import { checkName, isDns1123Label } from '../core/names';
import { resolveNamespace } from '../core/namespace';
import { IngressPolicy, NetworkClient, PodPeer, toNetworkPolicyPeer } from '../core/network';
import { checkInteger, checkQuantity } from '../core/quantity';
import { ResourceProps, databaseResources } from '../core/resources';
import {
  BARMAN_CLOUD_PLUGIN, BackupProps, checkObjectStore, checkSidecarResources, renderObjectStore, renderScheduledBackup, toCnpgSchedule,
} from './backup';
import { DatabaseProps, checkDatabases, renderDatabase } from './database';
import { LogicalBackup, LogicalBackupProps, ResolvedLogicalBackup, checkLogicalBackup, logicalBackupNames } from './logical-backup';
import { MonitoringProps, alertRules, checkMonitoring, renderPodMonitor, renderPrometheusRule } from './monitoring';
import { checkLibraries, checkParameters, checkPgHba } from './parameters';
import { PoolerProps, checkPooler, renderPooler } from './pooler';
import { IDENTIFIER, RoleProps, checkRoles, isRfc3339, renderRoles, roleExpiries } from './roles';
import { PostgresVersion } from './version';

/** The PostgreSQL port of every CloudNativePG service and instance. */
export const POSTGRES_PORT = 5432;
/** The instance manager's status port, used by the operator and by peers. */
export const STATUS_PORT = 8000;
/** The instance's metrics exporter. */
export const METRICS_PORT = 9187;
/** PgBouncer's metrics exporter. */
export const POOLER_METRICS_PORT = 9127;

/** A PersistentVolumeClaim template for data or WAL. */
export interface StorageProps {
  /** Size, e.g. `20Gi`. Grow it later (volumes are resized in place when the StorageClass allows). */
  readonly size: string;
  /** StorageClass. @default the cluster's default StorageClass */
  readonly storageClass?: string;
}

/** Where instances run. */
export interface SchedulingProps {
  /**
   * Pod anti-affinity across nodes (`kubernetes.io/hostname`): `required` never puts two instances on
   * one node; `preferred` does when nodes run short.
   * @default 'required'
   */
  readonly antiAffinity?: 'required' | 'preferred';
  /**
   * Spread across zones (`topology.kubernetes.io/zone`): `preferred` (ScheduleAnyway), `required`
   * (DoNotSchedule), or `none`.
   * @default 'preferred'
   */
  readonly zoneSpread?: 'required' | 'preferred' | 'none';
  /** Node labels the instances require. @default none */
  readonly nodeSelector?: Record<string, string>;
  /** Tolerations, e.g. for dedicated database nodes. @default none */
  readonly tolerations?: k8s.Toleration[];
  /** PriorityClass of the instance pods. @default none */
  readonly priorityClassName?: string;
}

/** A new, empty cluster (`bootstrap.initdb`). */
export interface InitdbProps {
  /** Application database. @default 'app' */
  readonly database?: string;
  /** Owner of the application database. @default the database name */
  readonly owner?: string;
  /**
   * A `kubernetes.io/basic-auth` Secret with the owner's `username` and `password`.
   * @default CloudNativePG generates `<cluster>-app`
   */
  readonly secret?: string;
  /** SQL run in the application database after it is created, as the superuser. @default none */
  readonly postInitApplicationSql?: string[];
  /** Page checksums, which detect storage corruption. @default true */
  readonly dataChecksums?: boolean;
  /** Encoding. @default 'UTF8' */
  readonly encoding?: string;
  /** Locale (LC_COLLATE and LC_CTYPE). @default 'C' (CloudNativePG's default) */
  readonly locale?: string;
}

/** Recovery from a backup (`bootstrap.recovery`). */
export interface RecoveryProps {
  /**
   * An ObjectStore (in the cluster's namespace) holding the source's base backups and WAL, and the
   * source's server name in it (usually the old cluster's name).
   * @default none
   */
  readonly objectStore?: { readonly name: string; readonly serverName: string };
  /** VolumeSnapshots to restore from (WAL is then replayed from objectStore, when given). @default none */
  readonly volumeSnapshots?: { readonly storage: string; readonly walStorage?: string };
  /** Point in time to recover to, RFC 3339 (e.g. `2026-03-01T12:00:00Z`). Needs objectStore. @default the end of the WAL */
  readonly targetTime?: string;
  /** Application database in the backup. @default 'app' */
  readonly database?: string;
  /** Owner of the application database. @default the database name */
  readonly owner?: string;
  /** Basic-auth Secret with the owner's credentials. @default CloudNativePG generates `<cluster>-app` */
  readonly secret?: string;
}

/** A physical copy of another running PostgreSQL server (`bootstrap.pg_basebackup`). */
export interface CloneProps {
  /** Host of the source server. */
  readonly host: string;
  /** Port of the source. @default 5432 */
  readonly port?: number;
  /** Replication user on the source. @default 'streaming_replica' */
  readonly user?: string;
  /** Database to connect to on the source. @default 'postgres' */
  readonly dbname?: string;
  /** Password of the user. @default none (use TLS client certificates) */
  readonly password?: SecretKeyReference;
  /** TLS client certificate, key and CA of the source. @default none */
  readonly tls?: { readonly cert: SecretKeyReference; readonly key: SecretKeyReference; readonly rootCert: SecretKeyReference };
  /** libpq sslmode. @default 'verify-full' with tls, else 'require' */
  readonly sslMode?: 'require' | 'verify-ca' | 'verify-full';
  /** Application database. @default 'app' */
  readonly database?: string;
  /** Owner of the application database. @default the database name */
  readonly owner?: string;
  /** Basic-auth Secret with the owner's credentials. @default CloudNativePG generates `<cluster>-app` */
  readonly secret?: string;
}

/** How the cluster is created: exactly one method. */
export interface BootstrapProps {
  /** @default `{ database: 'app', owner: 'app' }` when no other method is given */
  readonly initdb?: InitdbProps;
  /** @default none */
  readonly recovery?: RecoveryProps;
  /** @default none */
  readonly clone?: CloneProps;
}

/** Server certificates supplied by the user (cert-manager, a corporate CA). */
export interface TlsProps {
  /** `kubernetes.io/tls` Secret with the server certificate; needs serverCaSecret. @default operator-issued */
  readonly serverTlsSecret?: string;
  /** Secret with `ca.crt` of the server certificate's CA. @default operator-issued */
  readonly serverCaSecret?: string;
  /** Secret with `ca.crt` (and `ca.key` unless replicationTlsSecret is given) for client certificates. @default operator-issued */
  readonly clientCaSecret?: string;
  /** `kubernetes.io/tls` Secret with the `streaming_replica` client certificate. @default operator-issued */
  readonly replicationTlsSecret?: string;
}

/** Synchronous replication (quorum-based by default). */
export interface SynchronousReplicationProps {
  /** `any`: quorum of any `number` standbys; `first`: the first `number` in priority order. @default 'any' */
  readonly method?: 'any' | 'first';
  /** Standbys that must confirm each commit; fewer than the instances. */
  readonly number: number;
  /**
   * `required`: writes stop when too few standbys are available; `preferred`: the primary falls back
   * to asynchronous replication instead.
   * @default 'required'
   */
  readonly dataDurability?: 'required' | 'preferred';
}

/** Cloud workload identity for the instance pods (IRSA, Azure AD workload identity, GKE). */
export interface WorkloadIdentityProps {
  /**
   * Annotations of the ServiceAccount the operator creates for the instances, e.g.
   * `{ 'eks.amazonaws.com/role-arn': 'arn:aws:iam::123456789012:role/orders-backup' }` or
   * `{ 'iam.gke.io/gcp-service-account': 'orders-backup@project.iam.gserviceaccount.com' }`.
   * @default none
   */
  readonly serviceAccountAnnotations?: Record<string, string>;
  /** Labels the operator puts on the pods and other objects it creates, e.g. `{ 'azure.workload.identity/use': 'true' }`. @default none */
  readonly podLabels?: Record<string, string>;
}

/** NetworkPolicy settings. */
export interface NetworkProps {
  /** Namespace of the CloudNativePG operator, which reaches instances on 8000 and 5432. @default 'cnpg-system' */
  readonly operatorNamespace?: string;
  /**
   * The Prometheus pods that scrape metrics (9187 on instances, 9127 on poolers).
   * @default `{ namespace: 'monitoring', podLabels: { 'app.kubernetes.io/name': 'prometheus' } }`
   */
  readonly metricsScraper?: PodPeer;
}

/** Props of a PostgresCluster. */
export interface PostgresClusterProps {
  /** Name of the Cluster; services are `<name>-rw`, `-ro`, `-r`. Never changes once created. @default the construct id */
  readonly name?: string;
  /** Namespace. @default the chart's namespace */
  readonly namespace?: string;
  /** PostgreSQL instances: one primary and standbys; the operator fails over automatically. @default 3 */
  readonly instances?: number;
  /** PostgreSQL version and image. @default PostgresVersion.V18 */
  readonly version?: PostgresVersion;
  /** Data volume of each instance. */
  readonly storage: StorageProps;
  /** Separate WAL volume, which keeps a WAL burst from filling the data volume. @default WAL on the data volume */
  readonly walStorage?: StorageProps;
  /** CPU and memory of each instance (memory request equals limit). @default cpu 500m, memory 1Gi */
  readonly resources?: ResourceProps;
  /** Placement. @default required anti-affinity across nodes, preferred spread across zones */
  readonly scheduling?: SchedulingProps;
  /** postgresql.conf parameters; values are strings. Operator-managed ones are rejected. @default none */
  readonly parameters?: Record<string, string>;
  /** pg_hba rules, before the operator's default `host all all all scram-sha-256`. @default none */
  readonly pgHba?: string[];
  /** Extra shared_preload_libraries (the operator adds pg_stat_statements, auto_explain, pgaudit itself when their parameters are set). @default none */
  readonly sharedPreloadLibraries?: string[];
  /** Synchronous replication. @default asynchronous streaming replication */
  readonly synchronous?: SynchronousReplicationProps;
  /** Cloud identity for backups with inheritFromIamRole, inheritFromAzureAd or gkeEnvironment. @default none */
  readonly workloadIdentity?: WorkloadIdentityProps;
  /** How the cluster is created. @default a new database `app` owned by `app` */
  readonly bootstrap?: BootstrapProps;
  /** Managed roles. @default none */
  readonly roles?: RoleProps[];
  /** Extra databases (CloudNativePG `Database` resources); owners must be roles the cluster has. @default none */
  readonly databases?: DatabaseProps[];
  /** Physical backups (object store through the Barman Cloud plugin, or volume snapshots). @default none (verification warns) */
  readonly backup?: BackupProps;
  /** A pg_dump CronJob of the application database. @default none */
  readonly logicalBackup?: LogicalBackupProps;
  /** A PgBouncer pooler in front of the primary (and optionally the standbys). @default none */
  readonly pooler?: PoolerProps;
  /** PodMonitor and PrometheusRule. @default enabled */
  readonly monitoring?: MonitoringProps;
  /** NetworkPolicy settings. @default operator in cnpg-system, Prometheus in monitoring */
  readonly network?: NetworkProps;
  /** Your own server and client CA certificates. @default operator-issued certificates */
  readonly tls?: TlsProps;
  /** Let the `postgres` superuser log in over the network (CloudNativePG creates `<name>-superuser`). @default false */
  readonly enableSuperuserAccess?: boolean;
  /** PodDisruptionBudget managed by the operator. @default true */
  readonly enablePdb?: boolean;
  /** `unsupervised` updates the primary automatically; `supervised` waits for a manual switchover. @default 'unsupervised' */
  readonly primaryUpdateStrategy?: 'unsupervised' | 'supervised';
  /** `switchover` promotes an updated standby first; `restart` restarts the primary in place. @default 'switchover' */
  readonly primaryUpdateMethod?: 'switchover' | 'restart';
  /** Description shown by `kubectl cnpg status`. @default none */
  readonly description?: string;
  /** Safety finding ids accepted for this cluster (see `npm run safety`). @default none */
  readonly acknowledge?: string[];
}

const SECRET_NAME = /^[a-z0-9]([-a-z0-9.]*[a-z0-9])?$/;
const LABEL_KEY = /^([a-z0-9]([-a-z0-9.]*[a-z0-9])?\/)?[A-Za-z0-9]([-A-Za-z0-9_.]{0,61}[A-Za-z0-9])?$/;
const LABEL_VALUE = /^([A-Za-z0-9]([-A-Za-z0-9_.]{0,61}[A-Za-z0-9])?)?$/;
const ORIGIN = 'origin';

/** A plain copy of a string map (null-prototype objects break serialization); undefined when empty. */
function plain(map: Readonly<Record<string, string>> | undefined): Record<string, string> | undefined {
  return map && Object.keys(map).length > 0 ? Object.fromEntries(Object.entries(map)) : undefined;
}

function checkSecretName(problems: Problems, field: string, value: unknown): void {
  if (value === undefined) return;
  problems.check(typeof value === 'string' && SECRET_NAME.test(value) && value.length <= 253, field, value, 'is not a valid Secret name', 'name an existing Secret (lowercase DNS-1123)');
}

function checkStorage(problems: Problems, field: string, storage: StorageProps | undefined): void {
  if (typeof storage !== 'object' || storage === null) return problems.add(field, storage, 'is required', 'give e.g. { size: "20Gi" }');
  const bytes = checkQuantity(problems, `${field}.size`, storage.size, '20Gi');
  if (bytes !== undefined) {
    problems.check(bytes >= 2 ** 30, `${field}.size`, storage.size, 'is smaller than 1Gi, too small for PostgreSQL and its WAL', 'give at least "1Gi"');
  }
  if (storage.storageClass !== undefined) {
    problems.check(typeof storage.storageClass === 'string' && SECRET_NAME.test(storage.storageClass), `${field}.storageClass`, storage.storageClass,
      'is not a StorageClass name', 'name an existing StorageClass');
  }
}

function resourcesToCluster(r: k8s.ResourceRequirements) {
  return {
    requests: {
      cpu: ClusterSpecResourcesRequests.fromString(String(r.requests!.cpu!.value)),
      memory: ClusterSpecResourcesRequests.fromString(String(r.requests!.memory!.value)),
    },
    limits: {
      memory: ClusterSpecResourcesLimits.fromString(String(r.limits!.memory!.value)),
      ...(r.limits!.cpu ? { cpu: ClusterSpecResourcesLimits.fromString(String(r.limits!.cpu.value)) } : {}),
    },
  };
}

/** The longest gap between two runs of a six-field schedule, in seconds (over about a year of runs, capped). */
function longestGapSeconds(schedule: string): number {
  const expr = CronExpressionParser.parse(schedule, { currentDate: new Date(Date.UTC(2025, 0, 1)), tz: 'UTC' });
  let previous = expr.next().getTime();
  let gap = 0;
  for (let i = 0; i < 400; i++) {
    const next = expr.next().getTime();
    gap = Math.max(gap, next - previous);
    previous = next;
    if (next > Date.UTC(2026, 0, 1)) break;
  }
  return Math.round(gap / 1000);
}

/**
 * The imported Cluster, writing managed roles' `validUntil` as the RFC 3339 strings given: the
 * import types it as a Date, which cdk8s cannot resolve.
 */
class CnpgCluster extends Cluster {
  constructor(scope: Construct, id: string, props: { metadata: ApiObjectMetadata; spec: ClusterSpec }, private readonly expiries: Map<number, string>) {
    super(scope, id, props);
  }

  public override toJson(): any {
    const json = super.toJson();
    for (const [index, value] of this.expiries) json.spec.managed.roles[index].validUntil = value;
    return json;
  }
}

/**
 * A production PostgreSQL cluster on CloudNativePG: the `Cluster` and the companions it needs
 * (ObjectStore and ScheduledBackup for backups, Pooler, PodMonitor and PrometheusRule, Database
 * resources, NetworkPolicies, an optional pg_dump CronJob).
 *
 * ```ts
 * const db = new PostgresCluster(chart, 'orders', { storage: { size: '20Gi' } });
 * db.allowFrom(deployment);
 * ```
 */
export class PostgresCluster extends Construct implements IDatabase {
  /** The CloudNativePG Cluster. */
  public readonly resource: Cluster;
  /** Name of the Cluster. */
  public readonly name: string;
  /** Namespace of every object. */
  public readonly namespace: string;
  /** How applications reach the primary (and standbys) directly. */
  public readonly connection: ConnectionInfo;
  /** How applications reach the read-write pooler, when one is declared. */
  public readonly poolerConnection?: ConnectionInfo;
  /** Labels CloudNativePG puts on every pod of the cluster. */
  public readonly podSelector: Readonly<Record<string, string>>;
  /** The PostgreSQL version. */
  public readonly version: PostgresVersion;
  /** The logical backup, when declared. */
  public readonly logicalBackup?: LogicalBackup;
  /** The NetworkPolicy of the instances. */
  public readonly networkPolicy: IngressPolicy;

  private readonly poolerPolicies: IngressPolicy[] = [];

  constructor(scope: Construct, id: string, props: PostgresClusterProps) {
    super(scope, id);
    const problems = new Problems(this, 'PostgresCluster');
    const name = props.name ?? id;
    if (checkName(problems, 'name', name, 'cnpgCluster')) {
      problems.check(/^[a-z]/.test(name), 'name', name, 'must start with a letter (its Services are named after it)', 'start the name with a letter');
    }
    const namespace = resolveNamespace(this, problems, props.namespace);
    const instances = props.instances ?? 3;
    checkInteger(problems, 'instances', instances, 1, 64);
    const version = props.version ?? PostgresVersion.DEFAULT;
    if (problems.check(version instanceof PostgresVersion, 'version', version, 'is not a PostgresVersion', 'use PostgresVersion.V17, fromImage(...) or fromImageCatalog(...)')) {
      version.validate(problems, 'version');
    }
    checkStorage(problems, 'storage', props.storage);
    if (props.walStorage !== undefined) checkStorage(problems, 'walStorage', props.walStorage);
    const resources = databaseResources(problems, 'resources', props.resources, { cpu: '500m', memory: '1Gi' });

    // Scheduling
    const scheduling = props.scheduling ?? {};
    const antiAffinity = scheduling.antiAffinity ?? 'required';
    problems.check(antiAffinity === 'required' || antiAffinity === 'preferred', 'scheduling.antiAffinity', antiAffinity, 'is not an anti-affinity type', 'use "required" or "preferred"');
    const zoneSpread = scheduling.zoneSpread ?? 'preferred';
    problems.check(['required', 'preferred', 'none'].includes(zoneSpread), 'scheduling.zoneSpread', zoneSpread, 'is not a spread mode', 'use "required", "preferred" or "none"');
    if (scheduling.nodeSelector !== undefined) {
      problems.check(typeof scheduling.nodeSelector === 'object' && scheduling.nodeSelector !== null
        && Object.entries(scheduling.nodeSelector).every(([k, v]) => LABEL_KEY.test(k) && typeof v === 'string' && LABEL_VALUE.test(v)),
      'scheduling.nodeSelector', scheduling.nodeSelector, 'is not a map of node label keys to values', 'give e.g. { "node-role/database": "true" }');
    }
    if (scheduling.priorityClassName !== undefined) {
      problems.check(typeof scheduling.priorityClassName === 'string' && SECRET_NAME.test(scheduling.priorityClassName), 'scheduling.priorityClassName',
        scheduling.priorityClassName, 'is not a PriorityClass name', 'name an existing PriorityClass');
    }
    if (scheduling.tolerations !== undefined) {
      problems.check(Array.isArray(scheduling.tolerations) && scheduling.tolerations.every(t => typeof t === 'object' && t !== null
        && (t.operator === undefined || t.operator === 'Exists' || t.operator === 'Equal')
        && (t.effect === undefined || ['NoSchedule', 'PreferNoSchedule', 'NoExecute'].includes(t.effect))),
      'scheduling.tolerations', scheduling.tolerations, 'are not valid tolerations', 'give e.g. [{ key: "dedicated", operator: "Equal", value: "db", effect: "NoSchedule" }]');
    }

    // Configuration
    checkParameters(problems, 'parameters', props.parameters);
    checkPgHba(problems, 'pgHba', props.pgHba);
    checkLibraries(problems, 'sharedPreloadLibraries', props.sharedPreloadLibraries);
    const sync = props.synchronous;
    if (sync !== undefined) {
      problems.check(Number.isInteger(sync.number) && sync.number >= 1 && sync.number < instances, 'synchronous.number', sync.number,
        `must be a whole number from 1 to ${instances - 1} (fewer than the instances)`, instances > 1 ? `give 1 to ${instances - 1}, or add instances` : 'add instances; one instance has no standby');
      problems.check(sync.method === undefined || sync.method === 'any' || sync.method === 'first', 'synchronous.method', sync.method, 'is not a method', 'use "any" or "first"');
      problems.check(sync.dataDurability === undefined || sync.dataDurability === 'required' || sync.dataDurability === 'preferred', 'synchronous.dataDurability',
        sync.dataDurability, 'is not a durability mode', 'use "required" or "preferred"');
    }
    for (const key of ['serviceAccountAnnotations', 'podLabels'] as const) {
      const map = props.workloadIdentity?.[key];
      if (map === undefined) continue;
      problems.check(typeof map === 'object' && map !== null && Object.entries(map).every(([k, v]) => LABEL_KEY.test(k) && typeof v === 'string'
        && (key === 'serviceAccountAnnotations' || LABEL_VALUE.test(v))), `workloadIdentity.${key}`, map,
      `is not a map of valid ${key === 'podLabels' ? 'labels' : 'annotations'}`, 'use Kubernetes keys (prefix/name) and string values');
    }

    // Bootstrap: exactly one method
    const bootstrap = props.bootstrap ?? {};
    const methods = (['initdb', 'recovery', 'clone'] as const).filter(m => bootstrap[m] !== undefined);
    problems.check(methods.length <= 1, 'bootstrap', methods, `declares ${methods.length} bootstrap methods (${methods.join(', ')})`,
      'keep exactly one of initdb, recovery and clone');
    const method = methods[0] ?? 'initdb';
    const source = (bootstrap[method] ?? {}) as InitdbProps & RecoveryProps & CloneProps;
    const database = source.database ?? 'app';
    const owner = source.owner ?? database;
    const appSecret = source.secret;
    problems.check(typeof database === 'string' && IDENTIFIER.test(database) && !['postgres', 'template0', 'template1'].includes(database),
      `bootstrap.${method}.database`, database, 'is not a lowercase PostgreSQL identifier for an application database', 'use e.g. "app" or "orders"');
    problems.check(typeof owner === 'string' && IDENTIFIER.test(owner) && owner !== 'postgres' && owner !== 'streaming_replica' && !owner.startsWith('pg_'),
      `bootstrap.${method}.owner`, owner, 'is not a usable role name', 'use a lowercase identifier other than postgres, streaming_replica or pg_*');
    checkSecretName(problems, `bootstrap.${method}.secret`, appSecret);
    if (method === 'initdb') {
      const initdb = bootstrap.initdb ?? {};
      if (initdb.postInitApplicationSql !== undefined) {
        problems.check(Array.isArray(initdb.postInitApplicationSql) && initdb.postInitApplicationSql.every(s => typeof s === 'string' && s.trim() !== ''),
          'bootstrap.initdb.postInitApplicationSql', initdb.postInitApplicationSql, 'is not a list of SQL statements', 'give e.g. ["CREATE EXTENSION pg_trgm"]');
      }
      if (initdb.encoding !== undefined) {
        problems.check(typeof initdb.encoding === 'string' && /^[A-Za-z0-9_]+$/.test(initdb.encoding), 'bootstrap.initdb.encoding', initdb.encoding, 'is not an encoding name', 'use e.g. "UTF8"');
      }
      if (initdb.locale !== undefined) {
        problems.check(typeof initdb.locale === 'string' && /^[A-Za-z0-9_.@-]+$/.test(initdb.locale), 'bootstrap.initdb.locale', initdb.locale, 'is not a locale name', 'use e.g. "C" or "en_US.UTF-8"');
      }
    }
    if (method === 'recovery') {
      const recovery = bootstrap.recovery!;
      problems.check(recovery.objectStore !== undefined || recovery.volumeSnapshots !== undefined, 'bootstrap.recovery', recovery,
        'names no backup to recover from', 'give objectStore (ObjectStore name and server name), volumeSnapshots, or both');
      if (recovery.objectStore !== undefined) {
        problems.check(typeof recovery.objectStore.name === 'string' && isDns1123Label(recovery.objectStore.name), 'bootstrap.recovery.objectStore.name',
          recovery.objectStore.name, 'is not an ObjectStore name', 'name the ObjectStore holding the backups');
        problems.check(typeof recovery.objectStore.serverName === 'string' && /^[A-Za-z0-9][-A-Za-z0-9_.]*$/.test(recovery.objectStore.serverName),
          'bootstrap.recovery.objectStore.serverName', recovery.objectStore.serverName, 'is not a server name', 'give the name the source cluster archived under (usually its cluster name)');
      }
      if (recovery.volumeSnapshots !== undefined) {
        for (const key of ['storage', 'walStorage'] as const) {
          const v = recovery.volumeSnapshots[key];
          if (v === undefined && key === 'walStorage') continue;
          problems.check(typeof v === 'string' && SECRET_NAME.test(v), `bootstrap.recovery.volumeSnapshots.${key}`, v, 'is not a VolumeSnapshot name', 'name an existing VolumeSnapshot');
        }
        problems.check((recovery.volumeSnapshots.walStorage !== undefined) === (props.walStorage !== undefined), 'bootstrap.recovery.volumeSnapshots.walStorage',
          recovery.volumeSnapshots.walStorage, 'must be given exactly when walStorage is declared', 'give a WAL snapshot together with walStorage, or neither');
      }
      if (recovery.targetTime !== undefined) {
        if (problems.check(isRfc3339(recovery.targetTime), 'bootstrap.recovery.targetTime', recovery.targetTime, 'is not an RFC 3339 timestamp with a time zone',
          'give e.g. "2026-03-01T12:00:00Z"')) {
          problems.check(recovery.objectStore !== undefined, 'bootstrap.recovery.targetTime', recovery.targetTime,
            'needs WAL from an object store to replay up to that time', 'add bootstrap.recovery.objectStore');
        }
      }
    }
    if (method === 'clone') {
      const clone = bootstrap.clone!;
      problems.check(typeof clone.host === 'string' && /^[A-Za-z0-9]([-A-Za-z0-9.]*[A-Za-z0-9])?$/.test(clone.host) && clone.host.length <= 253, 'bootstrap.clone.host', clone.host,
        'is not a host name', 'give the DNS name of the source, e.g. "old-db-rw.legacy.svc"');
      if (clone.port !== undefined) checkInteger(problems, 'bootstrap.clone.port', clone.port, 1, 65535);
      if (clone.user !== undefined) problems.check(typeof clone.user === 'string' && IDENTIFIER.test(clone.user), 'bootstrap.clone.user', clone.user, 'is not a role name', 'use e.g. "streaming_replica"');
      if (clone.dbname !== undefined) problems.check(typeof clone.dbname === 'string' && IDENTIFIER.test(clone.dbname), 'bootstrap.clone.dbname', clone.dbname, 'is not a database name', 'use e.g. "postgres"');
      problems.check(clone.password !== undefined || clone.tls !== undefined, 'bootstrap.clone', '(credentials)', 'gives no way to authenticate to the source',
        'give password (a Secret key reference) or tls client certificates');
      for (const [key, ref] of [['password', clone.password], ['tls.cert', clone.tls?.cert], ['tls.key', clone.tls?.key], ['tls.rootCert', clone.tls?.rootCert]] as const) {
        if (ref === undefined) continue;
        checkSecretName(problems, `bootstrap.clone.${key}.secretName`, ref.secretName);
        problems.check(typeof ref.key === 'string' && /^[-._a-zA-Z0-9]+$/.test(ref.key), `bootstrap.clone.${key}.key`, ref.key, 'is not a Secret key', 'use letters, digits, "-", "_" or "."');
      }
      if (clone.sslMode !== undefined) {
        problems.check(['require', 'verify-ca', 'verify-full'].includes(clone.sslMode), 'bootstrap.clone.sslMode', clone.sslMode, 'is not an encrypted sslmode', 'use "require", "verify-ca" or "verify-full"');
      }
    }

    // Roles and databases
    const roles = checkRoles(problems, 'roles', props.roles);
    problems.check(!roles.has(owner), 'roles', owner, `redeclares the bootstrap owner "${owner}"`, 'remove it from roles; the bootstrap owns it');
    roles.add(owner);
    checkDatabases(problems, 'databases', name, props.databases, roles, database);

    // Backups
    const backup = props.backup;
    let schedule: string | undefined;
    let backupMethod: 'plugin' | 'volumeSnapshot' | undefined;
    let sidecar: k8s.ResourceRequirements | undefined;
    const storeName = backup?.objectStore?.name ?? `${name}-backup`;
    const serverName = backup?.serverName ?? name;
    if (backup !== undefined) {
      if (problems.check(backup.objectStore !== undefined || backup.volumeSnapshot !== undefined, 'backup', backup, 'names no backup target',
        'give objectStore, volumeSnapshot, or both')) {
        if (backup.objectStore !== undefined) {
          checkObjectStore(problems, 'backup.objectStore', backup.objectStore);
          sidecar = checkSidecarResources(problems, 'backup.objectStore', backup.objectStore);
        }
        if (backup.volumeSnapshot !== undefined) {
          problems.check(typeof backup.volumeSnapshot.className === 'string' && SECRET_NAME.test(backup.volumeSnapshot.className), 'backup.volumeSnapshot.className',
            backup.volumeSnapshot.className, 'is not a VolumeSnapshotClass name', 'name an existing VolumeSnapshotClass');
          if (backup.volumeSnapshot.walClassName !== undefined) {
            problems.check(typeof backup.volumeSnapshot.walClassName === 'string' && SECRET_NAME.test(backup.volumeSnapshot.walClassName), 'backup.volumeSnapshot.walClassName',
              backup.volumeSnapshot.walClassName, 'is not a VolumeSnapshotClass name', 'name an existing VolumeSnapshotClass');
          }
        }
        backupMethod = backup.method ?? (backup.objectStore ? 'plugin' : 'volumeSnapshot');
        problems.check(backupMethod === 'plugin' ? backup.objectStore !== undefined : backupMethod === 'volumeSnapshot' ? backup.volumeSnapshot !== undefined : false,
          'backup.method', backupMethod, 'has no matching target', backupMethod === 'plugin' ? 'add backup.objectStore' : backupMethod === 'volumeSnapshot' ? 'add backup.volumeSnapshot' : 'use "plugin" or "volumeSnapshot"');
        schedule = toCnpgSchedule(problems, 'backup.schedule', backup.schedule ?? '0 2 * * *');
        if (backup.serverName !== undefined) {
          problems.check(typeof backup.serverName === 'string' && /^[A-Za-z0-9][-A-Za-z0-9_.]{0,62}$/.test(backup.serverName), 'backup.serverName', backup.serverName,
            'is not a server name', 'use letters, digits, "-", "_" and "."');
        }
        if (backup.target !== undefined) {
          problems.check(backup.target === 'primary' || backup.target === 'prefer-standby', 'backup.target', backup.target, 'is not a backup target', 'use "primary" or "prefer-standby"');
        }
      }
      const recoveryStore = bootstrap.recovery?.objectStore;
      if (backup.objectStore && recoveryStore) {
        problems.check(!(recoveryStore.name === storeName && recoveryStore.serverName === serverName), 'bootstrap.recovery.objectStore.serverName', recoveryStore.serverName,
          `is the server name this cluster archives to in the same ObjectStore "${storeName}"; the new cluster would write over the backups it recovers from`,
          'archive the new cluster under another server name (rename the cluster or use another ObjectStore)');
      }
    }

    // Logical backup
    let logical: ResolvedLogicalBackup | undefined;
    if (props.logicalBackup !== undefined) {
      const lb = props.logicalBackup;
      checkName(problems, 'name', logicalBackupNames(name).cronJob, 'cronJob');
      const image = lb.image ?? version?.image;
      if (problems.check(image !== undefined, 'logicalBackup.image', image, 'is needed when the cluster image comes from an image catalog', 'give an image with pg_dump of the same major')) {
        if (lb.image !== undefined) {
          const dumpVersion = PostgresVersion.fromImage(lb.image);
          dumpVersion.validate(problems, 'logicalBackup.image');
          problems.check(!(dumpVersion.major < version.major), 'logicalBackup.image', lb.image,
            `carries pg_dump ${dumpVersion.major}, older than the server's major ${version.major}; pg_dump refuses newer servers`, `use an image of major ${version.major} or later`);
        }
      }
      const lbResources = databaseResources(problems, 'logicalBackup.resources', lb.resources, { cpu: '100m', memory: '256Mi' });
      logical = checkLogicalBackup(problems, 'logicalBackup', lb, lbResources?.requirements);
    }

    // Pooler, monitoring, network, TLS
    let poolerResources: k8s.ResourceRequirements | undefined;
    if (props.pooler !== undefined) {
      poolerResources = checkPooler(problems, 'pooler', props.pooler);
      checkName(problems, 'name', `${name}-pooler-${props.pooler.readOnly ? 'ro' : 'rw'}`, 'service');
    }
    checkMonitoring(problems, 'monitoring', props.monitoring);
    const operatorNamespace = props.network?.operatorNamespace ?? 'cnpg-system';
    problems.check(typeof operatorNamespace === 'string' && isDns1123Label(operatorNamespace), 'network.operatorNamespace', operatorNamespace, 'is not a namespace name', 'give e.g. "cnpg-system"');
    const scraper: PodPeer = props.network?.metricsScraper ?? { namespace: 'monitoring', podLabels: { 'app.kubernetes.io/name': 'prometheus' } };
    problems.check(typeof scraper === 'object' && scraper !== null && typeof scraper.podLabels === 'object' && scraper.podLabels !== null
      && Object.keys(scraper.podLabels).length > 0 && (scraper.namespace === undefined || isDns1123Label(scraper.namespace)),
    'network.metricsScraper', scraper, 'does not select Prometheus pods', 'give { namespace: "monitoring", podLabels: { "app.kubernetes.io/name": "prometheus" } }');
    const tls = props.tls;
    if (tls !== undefined) {
      for (const key of ['serverTlsSecret', 'serverCaSecret', 'clientCaSecret', 'replicationTlsSecret'] as const) checkSecretName(problems, `tls.${key}`, tls[key]);
      problems.check(tls.serverTlsSecret === undefined || tls.serverCaSecret !== undefined, 'tls.serverCaSecret', tls.serverCaSecret,
        'is required with serverTlsSecret', 'give the Secret holding ca.crt of the CA that signed the server certificate');
      problems.check(tls.replicationTlsSecret === undefined || tls.clientCaSecret !== undefined, 'tls.clientCaSecret', tls.clientCaSecret,
        'is required with replicationTlsSecret', 'give the Secret holding ca.crt of the CA that signed the replication certificate');
    }
    const updateStrategy = props.primaryUpdateStrategy ?? 'unsupervised';
    problems.check(updateStrategy === 'unsupervised' || updateStrategy === 'supervised', 'primaryUpdateStrategy', updateStrategy, 'is not an update strategy', 'use "unsupervised" or "supervised"');
    const updateMethod = props.primaryUpdateMethod ?? 'switchover';
    problems.check(updateMethod === 'switchover' || updateMethod === 'restart', 'primaryUpdateMethod', updateMethod, 'is not an update method', 'use "switchover" or "restart"');
    if (props.acknowledge !== undefined) {
      problems.check(Array.isArray(props.acknowledge) && props.acknowledge.every(a => typeof a === 'string' && /^[a-z0-9][-a-z0-9]*$/.test(a)), 'acknowledge', props.acknowledge,
        'is not a list of finding ids', 'give ids such as "cnpg-superuser"');
    }
    if (props.description !== undefined) {
      problems.check(typeof props.description === 'string' && props.description.length <= 1024, 'description', props.description, 'is not a short text', 'give at most 1024 characters');
    }
    problems.throwIfAny();

    // ---- Rendering (all props valid) ----
    this.name = name;
    this.namespace = namespace;
    this.version = version;
    this.podSelector = { 'cnpg.io/cluster': name };
    const labels = standardLabels({ name: 'postgresql', instance: name, component: 'database' });
    const rw = `${name}-rw.${namespace}.svc`;
    this.connection = {
      engine: 'postgresql',
      namespace,
      host: rw,
      readOnlyHost: `${name}-ro.${namespace}.svc`,
      anyHost: `${name}-r.${namespace}.svc`,
      port: POSTGRES_PORT,
      database,
      secret: appSecret
        ? { name: appSecret, usernameKey: 'username', passwordKey: 'password' }
        : { name: `${name}-app`, usernameKey: 'username', passwordKey: 'password', extraKeys: { uri: 'uri', jdbcUri: 'jdbc-uri', host: 'host', port: 'port', dbname: 'dbname', pgpass: '.pgpass' } },
      tls: true,
      majorVersion: String(version.major),
    };

    const externalClusters: ClusterSpecExternalClusters[] = [];
    let bootstrapSpec: ClusterSpecBootstrap;
    if (method === 'recovery') {
      const r = bootstrap.recovery!;
      if (r.objectStore) {
        externalClusters.push({ name: ORIGIN, plugin: { name: BARMAN_CLOUD_PLUGIN, parameters: { barmanObjectName: r.objectStore.name, serverName: r.objectStore.serverName } } });
      }
      bootstrapSpec = {
        recovery: {
          database, owner,
          secret: appSecret ? { name: appSecret } : undefined,
          source: r.objectStore ? ORIGIN : undefined,
          volumeSnapshots: r.volumeSnapshots ? {
            storage: { name: r.volumeSnapshots.storage, kind: 'VolumeSnapshot', apiGroup: 'snapshot.storage.k8s.io' },
            walStorage: r.volumeSnapshots.walStorage ? { name: r.volumeSnapshots.walStorage, kind: 'VolumeSnapshot', apiGroup: 'snapshot.storage.k8s.io' } : undefined,
          } : undefined,
          recoveryTarget: r.targetTime ? { targetTime: r.targetTime } : undefined,
        },
      };
    } else if (method === 'clone') {
      const c = bootstrap.clone!;
      const ref = (s?: SecretKeyReference) => (s ? { name: s.secretName, key: s.key } : undefined);
      externalClusters.push({
        name: ORIGIN,
        connectionParameters: {
          host: c.host,
          port: String(c.port ?? POSTGRES_PORT),
          user: c.user ?? 'streaming_replica',
          dbname: c.dbname ?? 'postgres',
          sslmode: c.sslMode ?? (c.tls ? 'verify-full' : 'require'),
        },
        password: ref(c.password),
        sslCert: ref(c.tls?.cert),
        sslKey: ref(c.tls?.key),
        sslRootCert: ref(c.tls?.rootCert),
      });
      bootstrapSpec = { pgBasebackup: { source: ORIGIN, database, owner, secret: appSecret ? { name: appSecret } : undefined } };
    } else {
      const i = bootstrap.initdb ?? {};
      bootstrapSpec = {
        initdb: {
          database, owner,
          secret: appSecret ? { name: appSecret } : undefined,
          dataChecksums: i.dataChecksums ?? true,
          encoding: i.encoding ?? 'UTF8',
          localeCollate: i.locale,
          localeCType: i.locale,
          postInitApplicationSql: i.postInitApplicationSql,
        },
      };
    }

    const annotations = { ...KEEP_ON_PRUNE, ...acknowledgeAnnotation(props.acknowledge) };
    const spec: ClusterSpec = {
      description: props.description,
      instances,
      imageName: version.image,
      imageCatalogRef: version.catalog ? { apiGroup: 'postgresql.cnpg.io', kind: version.catalog.kind ?? 'ImageCatalog', name: version.catalog.name, major: version.major } : undefined,
      imagePullPolicy: 'IfNotPresent',
      enableSuperuserAccess: props.enableSuperuserAccess ?? false,
      enablePdb: props.enablePdb ?? true,
      primaryUpdateStrategy: updateStrategy === 'supervised' ? ClusterSpecPrimaryUpdateStrategy.SUPERVISED : ClusterSpecPrimaryUpdateStrategy.UNSUPERVISED,
      primaryUpdateMethod: updateMethod === 'restart' ? ClusterSpecPrimaryUpdateMethod.RESTART : ClusterSpecPrimaryUpdateMethod.SWITCHOVER,
      storage: { size: props.storage.size, storageClass: props.storage.storageClass, resizeInUseVolumes: true },
      walStorage: props.walStorage ? { size: props.walStorage.size, storageClass: props.walStorage.storageClass, resizeInUseVolumes: true } : undefined,
      resources: resourcesToCluster(resources!.requirements),
      affinity: {
        enablePodAntiAffinity: true,
        podAntiAffinityType: antiAffinity,
        topologyKey: 'kubernetes.io/hostname',
        nodeSelector: plain(scheduling.nodeSelector),
        tolerations: scheduling.tolerations?.map(t => ({ key: t.key, operator: t.operator, value: t.value, effect: t.effect, tolerationSeconds: t.tolerationSeconds })),
      },
      topologySpreadConstraints: zoneSpread === 'none' ? undefined : [{
        maxSkew: 1,
        topologyKey: 'topology.kubernetes.io/zone',
        whenUnsatisfiable: zoneSpread === 'required' ? 'DoNotSchedule' : 'ScheduleAnyway',
        labelSelector: { matchLabels: { 'cnpg.io/cluster': name } },
      }],
      priorityClassName: scheduling.priorityClassName,
      postgresql: plain(props.parameters) || props.pgHba?.length || props.sharedPreloadLibraries?.length || sync ? {
        parameters: plain(props.parameters),
        synchronous: sync ? {
          method: sync.method === 'first' ? ClusterSpecPostgresqlSynchronousMethod.FIRST : ClusterSpecPostgresqlSynchronousMethod.ANY,
          number: sync.number,
          dataDurability: sync.dataDurability === 'preferred' ? ClusterSpecPostgresqlSynchronousDataDurability.PREFERRED : ClusterSpecPostgresqlSynchronousDataDurability.REQUIRED,
        } : undefined,
        pgHba: props.pgHba?.length ? [...props.pgHba] : undefined,
        sharedPreloadLibraries: props.sharedPreloadLibraries?.length ? [...props.sharedPreloadLibraries] : undefined,
      } : undefined,
      bootstrap: bootstrapSpec,
      serviceAccountTemplate: plain(props.workloadIdentity?.serviceAccountAnnotations) ? { metadata: { annotations: plain(props.workloadIdentity!.serviceAccountAnnotations) } } : undefined,
      inheritedMetadata: plain(props.workloadIdentity?.podLabels) ? { labels: plain(props.workloadIdentity!.podLabels) } : undefined,
      externalClusters: externalClusters.length > 0 ? externalClusters : undefined,
      managed: props.roles && props.roles.length > 0 ? { roles: renderRoles(props.roles) } : undefined,
      plugins: backup?.objectStore ? [{
        name: BARMAN_CLOUD_PLUGIN,
        enabled: true,
        isWalArchiver: true,
        parameters: { barmanObjectName: storeName, ...(serverName !== name ? { serverName } : {}) },
      }] : undefined,
      backup: backup?.volumeSnapshot ? {
        volumeSnapshot: {
          className: backup.volumeSnapshot.className,
          walClassName: backup.volumeSnapshot.walClassName,
          online: backup.volumeSnapshot.online ?? true,
        },
      } : undefined,
      certificates: tls ? {
        serverTlsSecret: tls.serverTlsSecret,
        serverCaSecret: tls.serverCaSecret,
        clientCaSecret: tls.clientCaSecret,
        replicationTlsSecret: tls.replicationTlsSecret,
      } : undefined,
    };
    this.resource = new CnpgCluster(this, 'Resource', { metadata: { name, namespace, labels, annotations }, spec }, roleExpiries(props.roles ?? []));

    if (backup?.objectStore) {
      renderObjectStore(this, 'ObjectStore', {
        name: storeName, namespace, store: backup.objectStore, sidecar,
        labels: standardLabels({ name: 'postgresql', instance: name, component: 'backup' }),
        annotations,
      });
    }
    if (backup && schedule && backupMethod) {
      renderScheduledBackup(this, 'ScheduledBackup', {
        name: `${name}-backup`, namespace, cluster: name, schedule, method: backupMethod, backup,
        labels: standardLabels({ name: 'postgresql', instance: name, component: 'backup' }),
      });
    }
    (props.databases ?? []).forEach((db, i) => renderDatabase(this, `Database${i}`, {
      cluster: name, namespace, database: db,
      labels: standardLabels({ name: 'postgresql', instance: name, component: 'database' }),
      annotations: acknowledgeAnnotation(props.acknowledge),
    }));

    // NetworkPolicy of the instances
    const instanceSelector = { 'cnpg.io/cluster': name, 'cnpg.io/podRole': 'instance' };
    this.networkPolicy = new IngressPolicy(this, 'NetworkPolicy', {
      name, namespace, podSelector: instanceSelector,
      labels: standardLabels({ name: 'postgresql', instance: name, component: 'database' }),
    });
    this.networkPolicy.allow([() => ({ podSelector: { matchLabels: { 'cnpg.io/cluster': name } } })], [POSTGRES_PORT, STATUS_PORT]);
    this.networkPolicy.allow([() => ({
      namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': operatorNamespace } },
      podSelector: { matchLabels: { 'app.kubernetes.io/name': 'cloudnative-pg' } },
    })], [STATUS_PORT, POSTGRES_PORT]);
    const scraperPeer = () => toNetworkPolicyPeer(scraper, namespace);
    this.networkPolicy.allow([scraperPeer], [METRICS_PORT]);

    // Pooler(s)
    const poolers: string[] = [];
    if (props.pooler && poolerResources) {
      for (const type of props.pooler.readOnly ? ['rw', 'ro'] as const : ['rw'] as const) {
        const poolerName = `${name}-pooler-${type}`;
        poolers.push(poolerName);
        const poolerLabels = standardLabels({ name: 'pgbouncer', instance: poolerName, component: 'pooler', partOf: name });
        renderPooler(this, `Pooler-${type}`, { name: poolerName, namespace, labels: poolerLabels, cluster: name, type, pooler: props.pooler, resources: poolerResources });
        const policy = new IngressPolicy(this, `PoolerPolicy-${type}`, { name: poolerName, namespace, podSelector: { 'cnpg.io/poolerName': poolerName }, labels: poolerLabels });
        policy.allow([scraperPeer], [POOLER_METRICS_PORT]);
        this.poolerPolicies.push(policy);
        this.networkPolicy.allow([() => ({ podSelector: { matchLabels: { 'cnpg.io/poolerName': poolerName } } })], [POSTGRES_PORT]);
      }
      this.poolerConnection = { ...this.connection, host: `${name}-pooler-rw.${namespace}.svc`, readOnlyHost: props.pooler.readOnly ? `${name}-pooler-ro.${namespace}.svc` : undefined, anyHost: undefined };
    }

    // Logical backup
    if (logical) {
      const lbLabels = standardLabels({ name: 'postgresql', instance: name, component: 'logical-backup' });
      this.logicalBackup = new LogicalBackup(this, 'LogicalBackup', {
        clusterName: name, namespace, host: rw, database,
        secretName: this.connection.secret!.name, usernameKey: 'username', passwordKey: 'password',
        image: props.logicalBackup!.image ?? version.image!,
        labels: lbLabels,
        selectorLabels: selectorLabels({ name: 'postgresql', instance: name, component: 'logical-backup' }),
      }, logical);
      this.networkPolicy.allow([() => ({ podSelector: { matchLabels: { ...this.logicalBackup!.podLabels } } })], [POSTGRES_PORT]);
    }

    // Monitoring
    const monitoring = props.monitoring ?? {};
    if (monitoring.enabled ?? true) {
      const monitorLabels = { ...standardLabels({ name: 'postgresql', instance: name, component: 'monitoring' }), ...plain(monitoring.labels) };
      renderPodMonitor(this, 'PodMonitor', { name, namespace, labels: monitorLabels, selector: { 'cnpg.io/cluster': name, 'cnpg.io/podRole': 'instance' } });
      poolers.forEach(p => renderPodMonitor(this, `PoolerPodMonitor-${p}`, { name: p, namespace, labels: monitorLabels, selector: { 'cnpg.io/poolerName': p } }));
      if (monitoring.alerts ?? true) {
        const gap = schedule && backupMethod === 'plugin' ? longestGapSeconds(schedule) : undefined;
        renderPrometheusRule(this, 'PrometheusRule', {
          name, namespace, labels: monitorLabels, cluster: name, alertLabels: monitoring.alertLabels,
          rules: alertRules({
            cluster: name, namespace, instances, poolers,
            replicationLagSeconds: monitoring.replicationLagSeconds ?? 30,
            backupMaxAgeSeconds: gap !== undefined ? (monitoring.backupMaxAgeHours !== undefined ? monitoring.backupMaxAgeHours * 3600 : gap + 7200) : undefined,
            logicalBackup: logical ? { cronJob: logicalBackupNames(name).cronJob, maxAgeSeconds: Math.round((longestCronJobGapHours(logical.schedule) + 2) * 3600) } : undefined,
          }),
        });
      }
    }
  }

  /**
   * Admits `client` to PostgreSQL (5432) on the instances and on the poolers. The client's pod
   * labels are read at synth time, so later changes to its template count.
   */
  public allowFrom(client: NetworkClient): void {
    const peer = () => toNetworkPolicyPeer(client, this.namespace);
    this.networkPolicy.allow([peer], [POSTGRES_PORT]);
    for (const policy of this.poolerPolicies) policy.allow([peer], [POSTGRES_PORT]);
  }

  /** An env var reading key `key` of the application Secret (e.g. `uri`), for a client container. */
  public secretEnv(envName: string, key: 'uri' | 'jdbc-uri' | 'username' | 'password' | 'host' | 'port' | 'dbname' = 'uri'): k8s.EnvVar {
    return { name: envName, valueFrom: { secretKeyRef: { name: this.connection.secret!.name, key } } };
  }
}

/** The longest gap between runs of a five-field CronJob schedule, in hours (sampled over two weeks). */
function longestCronJobGapHours(schedule: string): number {
  const expr = CronExpressionParser.parse(schedule, { currentDate: new Date(Date.UTC(2025, 0, 1)), tz: 'UTC' });
  let previous = expr.next().getTime();
  let gap = 0;
  for (let i = 0; i < 100; i++) {
    const next = expr.next().getTime();
    gap = Math.max(gap, next - previous);
    previous = next;
    if (next > Date.UTC(2025, 0, 15)) break;
  }
  return gap / 3600_000;
}
