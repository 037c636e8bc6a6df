import { EgressProps } from '../core/egress';
import { Duration } from 'cdk8s';
import { Credentials } from '../core/credentials';
import { NetworkPeer } from '../core/network';
import { ResourceProps } from '../core/resources';
import { StorageProps } from '../core/storage';
import { CassandraBackupProps } from './backup';
import { CassandraMonitoringProps } from './monitoring';
import { CassandraRepairProps } from './repairs';
import { CassandraSettings } from './settings';
import { CassandraVersion } from './version';

/** Explicit JVM heap sizes. Both are Kubernetes quantities, e.g. `4Gi`, `800Mi`. */
export interface CassandraHeapProps {
  /** `MAX_HEAP_SIZE` (-Xms and -Xmx). Must leave off-heap headroom below the memory limit. */
  readonly maxHeapSize: string;
  /** `HEAP_NEWSIZE` (-Xmn, young generation; ignored by G1). @default 100Mi per CPU core, at most a quarter of the heap */
  readonly newSize?: string;
}

/** Settings shared by every node of a datacenter (and by a rack used on its own). */
export interface CassandraNodeProps {
  /**
   * Cassandra cluster name (`cluster_name`); identical in every datacenter of a cluster and
   * unchangeable once the cluster has data.
   * @default the datacenter's name
   */
  readonly clusterName?: string;
  /** Cassandra release and image. @default CassandraVersion.V5_0 */
  readonly version?: CassandraVersion;
  /**
   * CPU and memory of each node; memory request equals the limit, and the heap is derived from it.
   * @default { cpu: '1', memory: '4Gi' }
   */
  readonly resources?: ResourceProps;
  /**
   * Explicit JVM heap, validated against the memory limit (off-heap headroom of a quarter of the
   * limit, at least 512 MiB).
   * @default half the memory limit (at most 31 GiB), new generation 100 MiB per core (at most a quarter of the heap)
   */
  readonly heap?: CassandraHeapProps;
  /** Each node's volume (at least 1Gi). @default { size: '50Gi' } on the default StorageClass */
  readonly storage?: StorageProps;
  /** Typed `cassandra.yaml` overrides. @default num_tokens 16, allocate_tokens_for_local_replication_factor 3, the image's defaults otherwise */
  readonly settings?: CassandraSettings;
  /**
   * PasswordAuthenticator and CassandraAuthorizer, with a Job that replaces the default
   * `cassandra` superuser. `false` turns authentication off (AllowAllAuthenticator): for
   * development only; the construct records a warning.
   * @default true
   */
  readonly authentication?: boolean;
  /**
   * Secret holding the superuser's username and password (keys `username` and `password` by
   * default). The Job creates that role and drops the default `cassandra` role. It is
   * `connection.adminSecret`; Cassandra has no application user of its own (`connection.secret`
   * is undefined): create your application's roles with it.
   * @default Credentials.fromSecret('<name>-superuser'), a Secret you create
   */
  readonly superuser?: Credentials;
  /**
   * A PodDisruptionBudget letting at most one node of the datacenter (or the rack used on its own)
   * be evicted at a time. `false` renders none: a node drain may then take several replicas down
   * together; the construct records a warning.
   * @default true
   */
  readonly disruptionBudget?: boolean;
  /**
   * Seeds of other datacenters of the same cluster (stable DNS names or IPs), appended to this
   * datacenter's own seeds.
   * @default none (a single-datacenter cluster)
   */
  readonly additionalSeeds?: string[];
  /**
   * Pods of other datacenters allowed to reach the inter-node ports (7000, 7001).
   * @default none
   */
  readonly peers?: NetworkPeer[];
  /**
   * Restrict where the nodes and the Jobs may connect (for namespaces that deny egress by
   * default): DNS, this datacenter's nodes and `peers` on the inter-node ports, CQL and JMX for
   * the superuser and repair Jobs. On when given.
   * @default egress open
   */
  readonly egress?: EgressProps;
  /**
   * Pin each rack to its zone with a required node affinity on `topology.kubernetes.io/zone`.
   * When true, every rack needs a `zone`.
   * @default true
   */
  readonly zoneAffinity?: boolean;
  /**
   * Time a node may take to start (commit log replay, loading SSTables) before the startup probe
   * fails it. Bootstrap streaming happens after this and is not limited by it. From 2 minutes to
   * 24 hours.
   * @default 30 minutes
   */
  readonly startupTimeout?: Duration;
  /**
   * How long a first-starting node waits for the node before it (per attempt; the kubelet
   * retries). From 30 seconds to 24 hours.
   * @default 15 minutes
   */
  readonly firstStartWaitTimeout?: Duration;
  /** Grace period for `nodetool drain` on shutdown, from 120 seconds to 1 hour. @default 180 seconds */
  readonly terminationGracePeriod?: Duration;
  /** The cluster's DNS domain, for stable pod names in the seed list. @default 'cluster.local' */
  readonly clusterDomain?: string;
  /** Namespace of every object. @default the chart's namespace */
  readonly namespace?: string;
  /**
   * Replication factor the keyspaces will use in this datacenter: a datacenter with fewer nodes is
   * refused (it could not place the replicas).
   * @default not checked
   */
  readonly replicationFactor?: number;
  /** Data-safety finding ids you accept, recorded on the StatefulSets. @default none */
  readonly acknowledge?: string[];
  /**
   * Metrics and alerts: an exporter sidecar reading each node's JMX on loopback, a PodMonitor,
   * the scraper admitted on the metrics port, and a PrometheusRule.
   * @default on, scraped by kube-prometheus-stack's Prometheus, with the built-in alerts
   */
  readonly monitoring?: CassandraMonitoringProps;
  /**
   * Scheduled anti-entropy repair: a CronJob repairing every node's primary ranges, one node at a
   * time, over JMX with password authentication (JMX is then reachable from the repair pods only).
   * @default none: schedule repairs yourself (every range within gc_grace_seconds, 10 days)
   */
  readonly repairs?: CassandraRepairProps;
  /**
   * Backups to object storage with Medusa: a Medusa sidecar in every node's pod and a CronJob that
   * backs up every node over Medusa's gRPC port, then purges beyond the retention; optionally a
   * restore before Cassandra starts.
   * @default none: no backups
   */
  readonly backup?: CassandraBackupProps;
}
