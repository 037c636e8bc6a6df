import { Duration } from 'cdk8s';
import { IConstruct } from 'constructs';
import { Credentials } from '../core/credentials';
import { Problems } from '../core/errors';
import { isDns1123Label } from '../core/names';
import { NetworkClient } from '../core/network';
import { resolveNamespace } from '../core/namespace';
import { parseQuantity } from '../core/quantity';
import { ResolvedResources, ResourceProps, databaseResources } from '../core/resources';
import { CassandraSettings, CassandraYamlValue, ResolvedSettings, resolveSettings } from './config';
import { CassandraHeapProps, HeapSettings, resolveHeap } from './heap';
import { CassandraVersion } from './version';

/** Where a node's data lives. */
export interface CassandraStorageProps {
  /** Size of each node's volume. @default '50Gi' */
  readonly size?: string;
  /** StorageClass of the volumes. @default the cluster's default StorageClass */
  readonly storageClassName?: string;
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
  /** Each node's volume. @default { size: '50Gi' } on the default StorageClass */
  readonly storage?: CassandraStorageProps;
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
   * default). The Job creates that role and drops the default `cassandra` role.
   * @default Credentials.fromSecret('<name>-superuser'), a Secret you create
   */
  readonly superuser?: Credentials;
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
  readonly peers?: NetworkClient[];
  /**
   * Pin each rack to its zone with a required node affinity on `topology.kubernetes.io/zone`.
   * When true, every rack needs a `zone`.
   * @default true
   */
  readonly zoneAffinity?: boolean;
  /**
   * Time a node may take to start (commit log replay, loading SSTables) before the startup probe
   * fails it. Bootstrap streaming happens after this and is not limited by it.
   * @default 30 minutes
   */
  readonly startupTimeout?: Duration;
  /**
   * How long a first-starting node waits for the node before it (per attempt; the kubelet retries).
   * @default 15 minutes
   */
  readonly firstStartWaitTimeout?: Duration;
  /** Grace period for `nodetool drain` on shutdown (at least 120 s). @default 180 seconds */
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
}

/** Everything a rack needs, validated. */
export interface ResolvedNodeSettings {
  readonly namespace: string;
  readonly clusterName: string;
  readonly version: CassandraVersion;
  readonly resources: ResolvedResources;
  readonly heap: HeapSettings;
  readonly storageSize: string;
  readonly storageClassName?: string;
  readonly settings: ResolvedSettings;
  readonly authentication: boolean;
  readonly superuser: Credentials;
  readonly additionalSeeds: string[];
  readonly peers: NetworkClient[];
  readonly zoneAffinity: boolean;
  readonly startupTimeoutSeconds: number;
  readonly waitTimeoutSeconds: number;
  readonly terminationGracePeriodSeconds: number;
  readonly clusterDomain: string;
  readonly acknowledge: string[];
}

const CLUSTER_NAME = /^[A-Za-z0-9][A-Za-z0-9._-]{0,62}$/;
const HOST = /^(([a-z0-9]([-a-z0-9]*[a-z0-9])?)(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*|[0-9]{1,3}(\.[0-9]{1,3}){3}|\[?[0-9a-fA-F:]+\]?)$/;

/** A name Cassandra accepts for a cluster, datacenter or rack, safe for the entrypoint's sed. */
export function isCassandraName(value: unknown): value is string {
  return typeof value === 'string' && CLUSTER_NAME.test(value);
}

function seconds(problems: Problems, field: string, value: Duration | undefined, dflt: number, min: number): number {
  if (value === undefined) return dflt;
  const s = value instanceof Duration ? value.toSeconds() : NaN;
  problems.check(Number.isFinite(s) && s >= min, field, Number.isFinite(s) ? `${s}s` : value, `must be a Duration of at least ${min} seconds`, `use e.g. Duration.seconds(${Math.max(min, dflt)})`);
  return s;
}

/** Validates the shared settings; records problems and returns what it could resolve. */
export function resolveNodeSettings(scope: IConstruct, problems: Problems, props: CassandraNodeProps, name: string, nameOk = true): ResolvedNodeSettings {
  const namespace = resolveNamespace(scope, problems, props.namespace);
  const clusterName = props.clusterName ?? name;
  // Defaults derived from a bad name are not reported again.
  if (nameOk || props.clusterName !== undefined) problems.check(isCassandraName(clusterName), 'clusterName', clusterName, 'is not a valid cluster name',
    'use 1-63 letters, digits, ".", "_" or "-", starting with a letter or digit');
  const version = props.version ?? CassandraVersion.V5_0;
  if (problems.check(version instanceof CassandraVersion, 'version', version, 'is not a CassandraVersion', 'use CassandraVersion.V5_0, V4_1 or custom(...)')) {
    version.validate(problems, 'version');
  }
  const resources = databaseResources(problems, 'resources', props.resources, { cpu: '1', memory: '4Gi' });
  const cpu = parseQuantity(props.resources?.cpu ?? '1');
  const heap = resolveHeap(problems, 'heap', resources?.memoryBytes, cpu, props.heap);
  const storageSize = props.storage?.size ?? '50Gi';
  const size = parseQuantity(storageSize);
  problems.check(size !== undefined && size >= 2 ** 30, 'storage.size', storageSize, 'is not a Kubernetes quantity of at least 1Gi', 'use e.g. "100Gi"');
  const storageClassName = props.storage?.storageClassName;
  if (storageClassName !== undefined) {
    problems.check(typeof storageClassName === 'string' && storageClassName.length <= 253 && /^[a-z0-9]([-a-z0-9.]*[a-z0-9])?$/.test(storageClassName),
      'storage.storageClassName', storageClassName, 'is not a valid StorageClass name', 'use a lowercase DNS-1123 name');
  }
  const authentication = props.authentication ?? true;
  problems.check(typeof authentication === 'boolean', 'authentication', authentication, 'must be true or false', 'leave it out (true) or set false for development');
  const authenticator = `org.apache.cassandra.auth.${authentication === false ? 'AllowAllAuthenticator' : 'PasswordAuthenticator'}`;
  const managed: Record<string, CassandraYamlValue> = {
    // 5.0 reads the authenticator as a parameterized class; authorizer and role manager stay plain class names.
    authenticator: version instanceof CassandraVersion && !version.parameterizedAuthenticator ? authenticator : { class_name: authenticator },
    authorizer: `org.apache.cassandra.auth.${authentication === false ? 'AllowAllAuthorizer' : 'CassandraAuthorizer'}`,
    role_manager: 'org.apache.cassandra.auth.CassandraRoleManager',
  };
  const settings = resolveSettings(problems, 'settings', props.settings, managed);
  const superuser = props.superuser ?? Credentials.fromSecret(`${name}-superuser`);
  if ((nameOk || props.superuser !== undefined) && problems.check(superuser instanceof Credentials, 'superuser', superuser, 'is not a Credentials reference', 'use Credentials.fromSecret("name")')) {
    superuser.validate(problems, 'superuser');
  }
  const additionalSeeds = props.additionalSeeds ?? [];
  if (problems.check(Array.isArray(additionalSeeds), 'additionalSeeds', additionalSeeds, 'is not a list', 'give a list of DNS names or IPs')) {
    additionalSeeds.forEach((seed, i) => problems.check(typeof seed === 'string' && seed.length <= 253 && HOST.test(seed), `additionalSeeds[${i}]`, seed,
      'is not a DNS name or IP address', 'give a stable pod DNS name of another datacenter, e.g. "dc2-rack1-0.dc2-headless.ns.svc.cluster.local"'));
    problems.check(new Set(additionalSeeds).size === additionalSeeds.length, 'additionalSeeds', additionalSeeds, 'lists a seed twice', 'list each seed once');
  }
  const zoneAffinity = props.zoneAffinity ?? true;
  const clusterDomain = props.clusterDomain ?? 'cluster.local';
  problems.check(typeof clusterDomain === 'string' && clusterDomain.length <= 200 && /^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/.test(clusterDomain),
    'clusterDomain', clusterDomain, 'is not a DNS domain', 'use the cluster\'s domain, e.g. "cluster.local"');
  const acknowledge = props.acknowledge ?? [];
  problems.check(Array.isArray(acknowledge) && acknowledge.every(a => typeof a === 'string' && /^[a-z0-9][a-z0-9-]*$/.test(a)), 'acknowledge', acknowledge,
    'is not a list of finding ids', 'give finding ids such as "pvc-retention"');
  const startupTimeoutSeconds = seconds(problems, 'startupTimeout', props.startupTimeout, 1800, 120);
  const waitTimeoutSeconds = seconds(problems, 'firstStartWaitTimeout', props.firstStartWaitTimeout, 900, 30);
  const terminationGracePeriodSeconds = seconds(problems, 'terminationGracePeriod', props.terminationGracePeriod, 180, 120);
  return {
    namespace, clusterName, version, resources: resources!, heap: heap!, storageSize, storageClassName, settings, authentication, superuser,
    additionalSeeds: Array.isArray(additionalSeeds) ? additionalSeeds : [], peers: props.peers ?? [], zoneAffinity,
    startupTimeoutSeconds, waitTimeoutSeconds, terminationGracePeriodSeconds, clusterDomain, acknowledge: Array.isArray(acknowledge) ? acknowledge : [],
  };
}

/** Validates a zone name (a label value). */
export function isZone(value: unknown): value is string {
  return typeof value === 'string' && value.length <= 63 && /^[A-Za-z0-9]([-A-Za-z0-9_.]*[A-Za-z0-9])?$/.test(value);
}

/** Checks a Kubernetes object name used as part of derived names. */
export function isLabelName(value: unknown): value is string {
  return typeof value === 'string' && isDns1123Label(value);
}

