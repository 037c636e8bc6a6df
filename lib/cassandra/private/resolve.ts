import { ResolvedEgress, resolveEgress } from '../../core/egress';
import { isIP } from 'net';
import { Duration } from 'cdk8s';
import { IConstruct } from 'constructs';
import { Credentials } from '../../core/credentials';
import { checkDuration } from '../../core/duration';
import { Problems } from '../../core/errors';
import { checkChoice, checkFindingIds, checkName, isDns1123Subdomain, isLabelValue } from '../../core/names';
import { resolveNamespace } from '../../core/namespace';
import { NetworkPeer } from '../../core/network';
import { checkInteger, parseQuantity } from '../../core/quantity';
import { ResolvedResources, databaseResources } from '../../core/resources';
import { ResolvedStorage, checkStorage } from '../../core/storage';
import { CassandraNodeProps } from '../node';
import { CassandraVersion } from '../version';
import { CassandraWorkload } from '../workload';
import { CassandraYamlValue, ResolvedSettings, resolveSettings } from './config';
import { HeapSettings, resolveHeap } from './heap';
import { ResolvedMonitoring, resolveMonitoring } from './monitoring';
import { ResolvedRepairs, resolveRepairs } from './repair';
import { ResolvedBackup, resolveBackup } from './backup';

/** Everything a rack needs besides its own shape, validated, with every default applied. */
export interface ResolvedNodeSettings {
  readonly namespace: string;
  readonly clusterName: string;
  readonly version: CassandraVersion;
  readonly resources: ResolvedResources;
  readonly heap: HeapSettings;
  readonly storage: ResolvedStorage;
  readonly settings: ResolvedSettings;
  readonly authentication: boolean;
  readonly superuser: Credentials;
  readonly disruptionBudget: boolean;
  readonly additionalSeeds: string[];
  readonly peers: NetworkPeer[];
  readonly egress?: ResolvedEgress;
  readonly zoneAffinity: boolean;
  readonly startupTimeoutSeconds: number;
  readonly waitTimeoutSeconds: number;
  readonly terminationGracePeriodSeconds: number;
  readonly clusterDomain: string;
  readonly acknowledge: string[];
  readonly monitoring: ResolvedMonitoring;
  /** Set when repairs are scheduled: JMX is then remote and authenticated. */
  readonly repairs?: ResolvedRepairs;
  /** Set when Medusa backups are configured. */
  readonly backup?: ResolvedBackup;
  /** Unsafe choices made deliberately, recorded as construct warnings (id and message). */
  readonly warnings: Array<{ readonly id: string; readonly message: string }>;
}

/** Cassandra's own rule for cluster, datacenter and rack names; it also keeps them safe for the entrypoint's sed. */
const CASSANDRA_NAME = /^[A-Za-z0-9][A-Za-z0-9._-]{0,62}$/;

/** Records a problem unless `value` is a name Cassandra accepts for a cluster, datacenter or rack. */
export function checkCassandraName(problems: Problems, field: string, value: unknown, what: 'cluster' | 'datacenter' | 'rack'): boolean {
  return problems.check(typeof value === 'string' && CASSANDRA_NAME.test(value), field, value, `is not a valid ${what} name`,
    'use 1-63 letters, digits, ".", "_" or "-", starting with a letter or digit');
}

/**
 * The name of a datacenter, or of a rack used on its own: it names the Services (DNS-1035) and
 * the superuser Job `<name>-auth-<8 hex>`, so at most 49 characters.
 */
export function checkInstanceName(problems: Problems, name: string): boolean {
  return checkName(problems, 'name', name, 'service') && problems.check(name.length <= 49, 'name', name,
    `is ${name.length} characters long; the Job and Services named after it need it at most 49`, 'shorten it to at most 49 characters');
}

/** A rack's zone: a non-empty label value, required while zone affinity is on. */
export function checkZone(problems: Problems, field: string, zone: unknown, zoneAffinity: boolean): void {
  if (zone === undefined && !zoneAffinity) return;
  problems.check(zone !== '' && isLabelValue(zone), field, zone,
    zoneAffinity ? 'is required when zoneAffinity is on, and must be a label value' : 'is not a valid zone label value',
    zoneAffinity ? 'give the zone of the rack, e.g. "eu-west-1a", or set zoneAffinity: false' : 'give e.g. "eu-west-1a"');
}

/** Nodes in a rack: 1 to 1000. */
export function checkNodes(problems: Problems, field: string, nodes: unknown): boolean {
  return checkInteger(problems, field, nodes, 1, 1000);
}

/** A RollingUpdate partition: an ordinal from 0 to the rack's number of nodes. */
export function checkPartition(problems: Problems, field: string, partition: unknown, nodes: number): void {
  if (partition !== undefined) checkInteger(problems, field, partition, 0, Number.isInteger(nodes) ? nodes : 1000);
}

/** A rack's workload kind, and `maxUnavailable` (Advanced StatefulSet only, 1 to the rack's nodes). `at` is the rack's field path, '' for a rack used alone. */
export function checkWorkload(problems: Problems, at: string, workload: unknown, maxUnavailable: unknown, nodes: number): void {
  const f = (name: string) => (at ? `${at}.${name}` : name);
  if (workload !== undefined) checkChoice(problems, f('workload'), workload, CassandraWorkload);
  if (maxUnavailable === undefined) return;
  if (problems.check(workload === CassandraWorkload.ADVANCED_STATEFUL_SET, f('maxUnavailable'), maxUnavailable,
    'applies to an Advanced StatefulSet only', 'set workload: CassandraWorkload.ADVANCED_STATEFUL_SET, or leave maxUnavailable out')) {
    checkInteger(problems, f('maxUnavailable'), maxUnavailable, 1, Number.isInteger(nodes) && nodes >= 1 ? nodes : 1000);
  }
}

/** The replication factor must fit in the `total` nodes (0: unknown, already reported). */
export function checkReplicationFactor(problems: Problems, rf: unknown, total: number): void {
  if (rf === undefined || !checkInteger(problems, 'replicationFactor', rf, 1)) return;
  problems.check(total === 0 || rf <= total, 'replicationFactor', rf,
    `is more than the ${total} nodes; they cannot place every replica`, `add nodes to reach at least ${rf}, or lower the replication factor`);
}

/** Validates the shared settings; records problems and returns what it could resolve. */
export function resolveNodeSettings(scope: IConstruct, problems: Problems, props: CassandraNodeProps, name: string, nameOk: boolean): ResolvedNodeSettings {
  const namespace = resolveNamespace(scope, problems, props.namespace);
  const clusterName = props.clusterName ?? name;
  // Defaults derived from a bad name are not reported again.
  if (nameOk || props.clusterName !== undefined) checkCassandraName(problems, 'clusterName', clusterName, 'cluster');
  const version = props.version ?? CassandraVersion.V5_0;
  if (problems.check(version instanceof CassandraVersion, 'version', version, 'is not a CassandraVersion', 'use CassandraVersion.V5_0, V4_1 or fromImage(...)')) {
    version._validate(problems, 'version');
  }
  const resources = databaseResources(problems, 'resources', props.resources, { cpu: '1', memory: '4Gi' });
  const heap = resolveHeap(problems, 'heap', resources?.memoryBytes, parseQuantity(props.resources?.cpu ?? '1'), props.heap);
  const storage = checkStorage(problems, 'storage', props.storage, { defaultSize: '50Gi', minimum: { size: '1Gi', reason: 'too small for a Cassandra node' } });
  const authentication = checkBoolean(problems, 'authentication', props.authentication);
  const disruptionBudget = checkBoolean(problems, 'disruptionBudget', props.disruptionBudget);
  const zoneAffinity = checkBoolean(problems, 'zoneAffinity', props.zoneAffinity);
  const settings = resolveSettings(problems, 'settings', props.settings, managedSettings(version, authentication));
  const superuser = props.superuser ?? Credentials.fromSecret(`${name}-superuser`);
  if ((nameOk || props.superuser !== undefined) && problems.check(superuser instanceof Credentials, 'superuser', superuser, 'is not a Credentials reference', 'use Credentials.fromSecret("name")')) {
    superuser._validate(problems, 'superuser');
  }
  const clusterDomain = props.clusterDomain ?? 'cluster.local';
  problems.check(isDns1123Subdomain(clusterDomain) && clusterDomain.length <= 200, 'clusterDomain', clusterDomain, 'is not a DNS domain', 'use the cluster\'s domain, e.g. "cluster.local"');
  checkFindingIds(problems, 'acknowledge', props.acknowledge);
  const backup = resolveBackup(problems, props.backup, name, nameOk, clusterName);
  const egress = resolveEgress(problems, 'egress', props.egress);
  problems.check(!egress || !backup || egress.objectStorage.length > 0, 'egress.objectStorage', [],
    'is empty, but backup uploads to a bucket from every node', 'give the bucket endpoint\'s addresses, e.g. [NetworkPeer.fromCidr("203.0.113.0/24")]');
  return {
    namespace, clusterName, version, resources: resources!, heap: heap!, storage: storage!, settings, authentication, superuser, disruptionBudget,
    additionalSeeds: checkSeeds(problems, props.additionalSeeds),
    peers: checkPeers(problems, props.peers),
    egress,
    zoneAffinity,
    startupTimeoutSeconds: seconds(problems, 'startupTimeout', props.startupTimeout, Duration.minutes(30), Duration.minutes(2)),
    waitTimeoutSeconds: seconds(problems, 'firstStartWaitTimeout', props.firstStartWaitTimeout, Duration.minutes(15), Duration.seconds(30)),
    terminationGracePeriodSeconds: checkDuration(problems, 'terminationGracePeriod', props.terminationGracePeriod,
      { fallback: Duration.seconds(180), min: Duration.seconds(120), max: Duration.hours(1) }),
    clusterDomain,
    acknowledge: props.acknowledge ?? [],
    monitoring: resolveMonitoring(problems, 'monitoring', props.monitoring),
    repairs: resolveRepairs(problems, props.repairs, name, nameOk),
    backup,
    warnings: warnings(authentication, disruptionBudget),
  };
}

function seconds(problems: Problems, field: string, value: Duration | undefined, fallback: Duration, min: Duration): number {
  return checkDuration(problems, field, value, { fallback, min, max: Duration.hours(24) });
}

/** A boolean prop that defaults to true. */
function checkBoolean(problems: Problems, field: string, value: unknown): boolean {
  problems.check(value === undefined || typeof value === 'boolean', field, value, 'must be true or false', 'leave it out (true) or set false');
  return value !== false;
}

/** The settings the construct owns: authentication on or off, in the form the release line reads. */
function managedSettings(version: CassandraVersion, authentication: boolean): Record<string, CassandraYamlValue> {
  const authenticator = `org.apache.cassandra.auth.${authentication ? 'PasswordAuthenticator' : 'AllowAllAuthenticator'}`;
  return {
    // 5.0 reads the authenticator as a parameterized class; authorizer and role manager stay plain class names.
    authenticator: version instanceof CassandraVersion && !version._parameterizedAuthenticator ? authenticator : { class_name: authenticator },
    authorizer: `org.apache.cassandra.auth.${authentication ? 'CassandraAuthorizer' : 'AllowAllAuthorizer'}`,
    role_manager: 'org.apache.cassandra.auth.CassandraRoleManager',
  };
}

function checkSeeds(problems: Problems, seeds: unknown): string[] {
  if (seeds === undefined) return [];
  if (!problems.check(Array.isArray(seeds), 'additionalSeeds', seeds, 'is not a list', 'give a list of DNS names or IPs')) return [];
  const list = seeds as unknown[];
  list.forEach((seed, i) => problems.check(typeof seed === 'string' && (isIP(seed) !== 0 || isDns1123Subdomain(seed)), `additionalSeeds[${i}]`, seed,
    'is not a DNS name or IP address', 'give a stable pod DNS name of another datacenter, e.g. "dc2-rack1-0.dc2-headless.ns.svc.cluster.local"'));
  problems.check(new Set(list).size === list.length, 'additionalSeeds', list, 'lists a seed twice', 'list each seed once');
  return list as string[];
}

function checkPeers(problems: Problems, peers: unknown): NetworkPeer[] {
  if (peers === undefined) return [];
  if (!problems.check(Array.isArray(peers), 'peers', peers, 'is not a list', 'give e.g. [NetworkPeer.fromPodLabels({ ... }, "other-namespace")]')) return [];
  (peers as unknown[]).forEach((peer, i) => {
    if (problems.check(peer instanceof NetworkPeer, `peers[${i}]`, peer, 'is not a NetworkPeer', 'use NetworkPeer.fromPodLabels(...) or NetworkPeer.fromWorkload(...)')) {
      (peer as NetworkPeer)._validate(problems, `peers[${i}]`);
    }
  });
  return peers as NetworkPeer[];
}

function warnings(authentication: boolean, disruptionBudget: boolean): Array<{ id: string; message: string }> {
  return [
    ...(authentication ? [] : [{ id: 'cassandra-authentication-off', message: 'authentication is off (AllowAllAuthenticator): any pod allowed by the NetworkPolicy can read and change all data; use it for development only' }]),
    ...(disruptionBudget ? [] : [{ id: 'cassandra-disruption-budget-off', message: 'disruptionBudget is off: a node drain may evict several Cassandra nodes at once and lose quorum' }]),
  ];
}
