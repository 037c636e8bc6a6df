import { k8s } from 'cdk8s-plus-28';
import { EgressProps } from '../core/egress';
import { NetworkPeer } from '../core/network';
import { ResourceProps } from '../core/resources';
import { StorageProps } from '../core/storage';
import { BackupProps } from './backup';
import { Bootstrap } from './bootstrap';
import { DatabaseProps } from './database';
import { ExternalCluster } from './external-cluster';
import { PostgresLogicalBackupProps } from './logical-backup';
import { PostgresMonitoringProps } from './monitoring';
import { PoolerProps } from './pooler';
import { ImagePullPolicy, InstanceTimeoutsProps, NodeMaintenanceProps } from './lifecycle';
import { TablespaceProps } from './tablespace';
import { PublicationProps, SubscriptionProps } from './logical-replication';
import { ReplicaProps } from './replica';
import { RoleProps } from './roles';
import { PostgresVersion } from './version';

/** An extension shipped as an image, mounted into the instances (PostgreSQL 18 or later). */
export interface ExtensionImageProps {
  /** Name of the volume and its directory (a DNS-1123 label, e.g. `pgvector`). */
  readonly name: string;
  /** Image with the extension's files, e.g. `ghcr.io/cloudnative-pg/pgvector:0.8.1-18-trixie`. */
  readonly image: string;
}

/** Pod anti-affinity of the instances across nodes (`kubernetes.io/hostname`). */
export enum AntiAffinity {
  /** Never two instances on one node. */
  REQUIRED = 'required',
  /** Two instances share a node only when nodes run short. */
  PREFERRED = 'preferred',
}

/** Spread of the instances across zones (`topology.kubernetes.io/zone`). */
export enum ZoneSpread {
  /** DoNotSchedule: an instance stays pending rather than unbalance the zones. */
  REQUIRED = 'required',
  /** ScheduleAnyway. */
  PREFERRED = 'preferred',
  /** No spread constraint. */
  NONE = 'none',
}

/** How standbys are chosen for synchronous replication. */
export enum SynchronousMethod {
  /** A quorum of any `number` standbys. */
  ANY = 'any',
  /** The first `number` standbys in priority order. */
  FIRST = 'first',
}

/** What the primary does when too few synchronous standbys are available. */
export enum DataDurability {
  /** Writes stop. */
  REQUIRED = 'required',
  /** The primary falls back to asynchronous replication. */
  PREFERRED = 'preferred',
}

/** How the primary is updated after the standbys. */
export enum PrimaryUpdateStrategy {
  /** Automatically. */
  UNSUPERVISED = 'unsupervised',
  /** The operator waits for a manual switchover. */
  SUPERVISED = 'supervised',
}

/** How an unsupervised primary update happens. */
export enum PrimaryUpdateMethod {
  /** An updated standby is promoted first. */
  SWITCHOVER = 'switchover',
  /** The primary restarts in place. */
  RESTART = 'restart',
}

/** Keys of the application Secret that CloudNativePG generates (`<cluster>-app`). */
export enum PostgresSecretKey {
  URI = 'uri',
  JDBC_URI = 'jdbc-uri',
  USERNAME = 'username',
  PASSWORD = 'password',
  HOST = 'host',
  PORT = 'port',
  DBNAME = 'dbname',
}

/** Where instances run. */
export interface SchedulingProps {
  /** Pod anti-affinity across nodes. @default AntiAffinity.REQUIRED */
  readonly antiAffinity?: AntiAffinity;
  /** Spread across zones. @default ZoneSpread.PREFERRED */
  readonly zoneSpread?: ZoneSpread;
  /** Topology key of the anti-affinity, e.g. a rack label. @default 'kubernetes.io/hostname' */
  readonly antiAffinityTopologyKey?: string;
  /** Node labels the instances require. @default none */
  readonly nodeSelector?: { [key: string]: string };
  /** Tolerations, e.g. for dedicated database nodes. @default none */
  readonly tolerations?: k8s.Toleration[];
  /** PriorityClass of the instance pods. @default none */
  readonly priorityClassName?: string;
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
  /** How standbys are chosen. @default SynchronousMethod.ANY */
  readonly method?: SynchronousMethod;
  /** Standbys that must confirm each commit; fewer than the instances. */
  readonly number: number;
  /** What happens when too few standbys are available. @default DataDurability.REQUIRED */
  readonly dataDurability?: DataDurability;
  /** Fail over only to a standby a quorum confirms holds every synchronous commit (CloudNativePG `failoverQuorum`). @default false */
  readonly failoverQuorum?: boolean;
}

/** Cloud workload identity for the instance pods (IRSA, Azure AD workload identity, GKE). */
export interface WorkloadIdentityProps {
  /**
   * Annotations of the ServiceAccount the operator creates for the instances, e.g.
   * `{ 'eks.amazonaws.com/role-arn': 'arn:aws:iam::123456789012:role/orders-backup' }` or
   * `{ 'iam.gke.io/gcp-service-account': 'orders-backup@project.iam.gserviceaccount.com' }`.
   * @default none
   */
  readonly serviceAccountAnnotations?: { [key: string]: string };
  /** Labels the operator puts on the pods and other objects it creates, e.g. `{ 'azure.workload.identity/use': 'true' }`. @default none */
  readonly podLabels?: { [key: string]: string };
}

/** NetworkPolicy settings (the metrics scraper is `monitoring.scraper`). */
export interface NetworkProps {
  /** Namespace of the CloudNativePG operator, which reaches instances on 8000 and 5432. @default 'cnpg-system' */
  readonly operatorNamespace?: string;
}

/**
 * Restricted egress of a cluster's pods (see EgressProps), with what CloudNativePG needs on top:
 * the Kubernetes API, which the instance manager and the PgBouncer pods use.
 */
export interface PostgresEgressProps extends EgressProps {
  /**
   * Addresses of the Kubernetes API servers (`kubectl get endpoints kubernetes`). Required when
   * egress is restricted.
   * @default none
   */
  readonly kubernetesApi?: NetworkPeer[];
  /**
   * Ports of the API servers: the Service port and the servers' own (policies see either,
   * depending on the network plugin).
   * @default [443, 6443]
   */
  readonly kubernetesApiPorts?: number[];
  /**
   * Addresses of servers the cluster reads from that are given with `ExternalCluster.fromServer`
   * (clone, import, replica or subscription sources outside the app), reached on their ports.
   * @default none
   */
  readonly externalServers?: NetworkPeer[];
}

/** CPU and memory of each PostgreSQL instance. */
export interface PostgresResourceProps extends ResourceProps {
  /**
   * A memory request below the limit (`resources.memory`), for clusters that overcommit memory on
   * purpose. Under memory pressure the kernel may then reclaim the page cache PostgreSQL relies on,
   * or the pod may be evicted first: the construct records a warning and marks the Cluster's
   * `cnpg-resources` check as skipped, with this reason, in the verification report.
   * @default equal to the limit
   */
  readonly memoryRequest?: string;
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
  /** Data volume of each instance; `size` is required, at least 1Gi. Grow it later (volumes are resized in place when the StorageClass allows). */
  readonly storage: StorageProps;
  /** Separate WAL volume, which keeps a WAL burst from filling the data volume; `size` is required, at least 1Gi. @default WAL on the data volume */
  readonly walStorage?: StorageProps;
  /** Tablespaces, each on its own volume in every instance. @default none */
  readonly tablespaces?: TablespaceProps[];
  /** CPU and memory of each instance (memory request equals limit unless `memoryRequest` says otherwise). @default cpu 500m, memory 1Gi */
  readonly resources?: PostgresResourceProps;
  /** Placement. @default required anti-affinity across nodes, preferred spread across zones */
  readonly scheduling?: SchedulingProps;
  /** postgresql.conf parameters; values are strings. Operator-managed ones are rejected. @default none */
  readonly parameters?: { [key: string]: string };
  /** pg_hba rules, before the operator's default `host all all all scram-sha-256`. @default none */
  readonly pgHba?: string[];
  /** Extra shared_preload_libraries (the operator adds pg_stat_statements, auto_explain, pgaudit itself when their parameters are set). @default none */
  readonly sharedPreloadLibraries?: string[];
  /**
   * Extensions mounted from their own images (PostgreSQL 18 or later; CloudNativePG
   * `postgresql.extensions`). Create them in a database with `databases[].extensions`.
   * @default none
   */
  readonly extensionImages?: ExtensionImageProps[];
  /** Synchronous replication. @default asynchronous streaming replication */
  readonly synchronous?: SynchronousReplicationProps;
  /** Cloud identity for backups with inheritFromIamRole, inheritFromAzureAd or gkeEnvironment. @default none */
  readonly workloadIdentity?: WorkloadIdentityProps;
  /** How the cluster is created. @default Bootstrap.initdb(): a new database `app` owned by `app` */
  readonly bootstrap?: Bootstrap;
  /**
   * Replica cluster: follow another cluster (streaming or WAL from an object store) until promoted.
   * Without `bootstrap`, the cluster starts as a copy of `replica.source`.
   * @default a primary cluster
   */
  readonly replica?: ReplicaProps;
  /**
   * Further external clusters the Cluster lists, beyond the sources of bootstrap and replica
   * (the other members of a distributed topology). One name is one definition.
   * @default none
   */
  readonly externalClusters?: ExternalCluster[];
  /** Managed roles; the bootstrap owner may be listed to give it attributes (e.g. `replication`). @default none */
  readonly roles?: RoleProps[];
  /** Extra databases (CloudNativePG `Database` resources); owners must be roles the cluster has. @default none */
  readonly databases?: DatabaseProps[];
  /** Publications (CloudNativePG `Publication` resources) of this cluster's databases. @default none */
  readonly publications?: PublicationProps[];
  /** Subscriptions (CloudNativePG `Subscription` resources) to publications of other servers; their sources join externalClusters. @default none */
  readonly subscriptions?: SubscriptionProps[];
  /** Physical backups (object store through the Barman Cloud plugin, or volume snapshots). @default none (verification warns) */
  readonly backup?: BackupProps;
  /** A pg_dump CronJob of the application database; restore with `addRestoreJob()`. @default none */
  readonly logicalBackup?: PostgresLogicalBackupProps;
  /** A PgBouncer pooler in front of the primary (and optionally the standbys). @default none */
  readonly pooler?: PoolerProps;
  /** More PgBouncer poolers, each with its own `name` (e.g. one per workload with its own pool mode). @default none */
  readonly poolers?: PoolerProps[];
  /** PodMonitor, the scraper's access and the PrometheusRule. @default enabled, scraped by kube-prometheus-stack's Prometheus */
  readonly monitoring?: PostgresMonitoringProps;
  /** NetworkPolicy settings. @default operator in cnpg-system */
  readonly network?: NetworkProps;
  /**
   * Restrict where the cluster's pods may connect (for namespaces that deny egress by default):
   * the instances and the operator's Jobs, the poolers, the dump and restore Jobs. On when given;
   * `kubernetesApi` is then required.
   * @default egress open
   */
  readonly egress?: PostgresEgressProps;
  /** Your own server and client CA certificates. @default operator-issued certificates */
  readonly tls?: TlsProps;
  /**
   * Let the `postgres` superuser log in over the network: CloudNativePG creates the Secret
   * `<name>-superuser`, which becomes `connection.adminSecret`.
   * @default false
   */
  readonly superuserAccess?: boolean;
  /** PodDisruptionBudget managed by the operator. @default true */
  readonly disruptionBudget?: boolean;
  /** How the primary is updated. @default PrimaryUpdateStrategy.UNSUPERVISED */
  readonly primaryUpdateStrategy?: PrimaryUpdateStrategy;
  /** How an unsupervised primary update happens. @default PrimaryUpdateMethod.SWITCHOVER */
  readonly primaryUpdateMethod?: PrimaryUpdateMethod;
  /** When the kubelet pulls the instance image. @default ImagePullPolicy.IF_NOT_PRESENT */
  readonly imagePullPolicy?: ImagePullPolicy;
  /** Start, stop, switchover and failover time limits. @default CloudNativePG's (1 hour, 30 minutes, 3 minutes, 1 hour, no failover delay) */
  readonly timeouts?: InstanceTimeoutsProps;
  /** Node maintenance window (set `inProgress` while nodes drain). @default none */
  readonly nodeMaintenance?: NodeMaintenanceProps;
  /**
   * Keep logical replication slots (subscribers of this cluster, CDC tools) across failovers:
   * CloudNativePG synchronizes them to the standbys. Needs PostgreSQL 17 or later, or
   * `pg_failover_slots` in sharedPreloadLibraries.
   * @default false
   */
  readonly logicalSlotSync?: boolean;
  /** A `kubernetes.io/basic-auth` Secret with the superuser's password; needs superuserAccess. @default generated `<name>-superuser` */
  readonly superuserSecret?: string;
  /** Description shown by `kubectl cnpg status`. @default none */
  readonly description?: string;
  /** Safety finding ids accepted for this cluster (see `npm run safety`). @default none */
  readonly acknowledge?: string[];
}
