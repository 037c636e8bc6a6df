import { k8s } from 'cdk8s-plus-28';
import { Construct, IConstruct } from 'constructs';
import { ConnectionInfo, DatabaseEngine } from '../../core/connection';
import { databaseDisruptionBudget } from '../../core/disruption';
import { selectorLabels, standardLabels } from '../../core/labels';
import { Problems } from '../../core/errors';
import { allowObjectStorage, helperPolicy, restrictToDns } from '../../core/egress';
import { PodNetworkPolicy, NetworkPeer, tcp } from '../../core/network';
import { authReplication, superuserJob } from './auth';
import { EXPORTER_PORT, renderMonitoringObjects } from './monitoring';
import { MEDUSA_PORT, backupCronJobName, renderBackupObjects } from './backup';
import { JMX_PORT, renderRepairCronJob, repairCronJobName } from './repair';
import { ResolvedNodeSettings } from './resolve';

/** Label carrying the rack on pods and in each rack's selector. */
export const RACK_LABEL = 'data.cdk8s.io/cassandra-rack';
export const CQL_PORT = 9042;
export const INTER_NODE_PORTS = [7000, 7001];

export function cassandraLabels(instance: string, component = 'database'): Record<string, string> {
  return standardLabels({ name: 'cassandra', instance, component });
}

export function cassandraSelector(instance: string, component = 'database'): Record<string, string> {
  return selectorLabels({ name: 'cassandra', instance, component });
}

/** Names of the objects a datacenter shares, derived from its name. */
export function sharedNames(instance: string): { headless: string; client: string; serviceAccount: string; exporterConfig: string; medusaConfig: string } {
  return { headless: `${instance}-headless`, client: instance, serviceAccount: instance, exporterConfig: `${instance}-exporter`, medusaConfig: `${instance}-medusa` };
}

/** What the shared objects give the racks and the construct. */
export interface SharedResources {
  readonly headlessServiceName: string;
  readonly serviceAccountName: string;
  readonly exporterConfigMapName: string;
  readonly medusaConfigMapName: string;
  /** Every pod of the datacenter in start order (ordinal 0 of each rack, then ordinal 1, ...). */
  readonly podNames: string[];
  readonly policy: PodNetworkPolicy;
  readonly connection: ConnectionInfo;
  readonly podSelector: Record<string, string>;
}

/**
 * The objects every rack of a datacenter shares: ServiceAccount, the headless Service the
 * StatefulSets use (publishing not-ready addresses so seeds resolve while starting), the client
 * Service, the disruption budget (one node down at a time across the datacenter) unless turned
 * off, the NetworkPolicy and the superuser Job.
 */
export function createShared(scope: Construct, o: { instance: string; datacenterName: string; settings: ResolvedNodeSettings; totalNodes: number; clientId: string; statefulSets: string[] }): SharedResources {
  const s = o.settings;
  const names = sharedNames(o.instance);
  const labels = cassandraLabels(o.instance);
  const selector = cassandraSelector(o.instance);
  const ns = s.namespace;
  new k8s.KubeServiceAccount(scope, 'ServiceAccount', {
    metadata: { name: names.serviceAccount, namespace: ns, labels },
    automountServiceAccountToken: false,
  });
  new k8s.KubeService(scope, 'Headless', {
    metadata: { name: names.headless, namespace: ns, labels },
    spec: {
      clusterIp: 'None',
      publishNotReadyAddresses: true,
      selector,
      ports: [
        { name: 'intra-node', port: 7000, targetPort: k8s.IntOrString.fromString('intra-node') },
        { name: 'tls-intra-node', port: 7001, targetPort: k8s.IntOrString.fromString('tls-intra-node') },
        { name: 'cql', port: CQL_PORT, targetPort: k8s.IntOrString.fromString('cql') },
      ],
    },
  });
  // Headless too: drivers resolve the name to every ready node and pick their own coordinators.
  new k8s.KubeService(scope, o.clientId, {
    metadata: { name: names.client, namespace: ns, labels },
    spec: {
      clusterIp: 'None',
      selector,
      ports: [{ name: 'cql', port: CQL_PORT, targetPort: k8s.IntOrString.fromString('cql') }],
    },
  });
  if (s.disruptionBudget) {
    // At most one node of the datacenter down at a time, whatever its rack.
    databaseDisruptionBudget(scope, 'Disruption', { name: o.instance, namespace: ns, labels, selector });
  }
  const policy = new PodNetworkPolicy(scope, 'Network', { name: o.instance, namespace: ns, podSelector: selector, labels });
  // Inter-node traffic between this datacenter's nodes, and CQL for the first-start gate.
  policy.allow([() => ({ podSelector: { matchLabels: selector } })], [...INTER_NODE_PORTS, CQL_PORT]);
  if (s.peers.length > 0) {
    policy.allow(s.peers.map(peer => () => peer._toNetworkPolicyPeer(ns)), INTER_NODE_PORTS);
  }
  if (s.egress) {
    restrictToDns(policy, s.egress);
    policy.allowToPods(selector, [...INTER_NODE_PORTS, CQL_PORT]);
    policy.allowTo(s.peers, tcp(INTER_NODE_PORTS));
  }
  if (s.repairs) {
    const repairLabels = cassandraLabels(o.instance, 'repair');
    const repairSelector = cassandraSelector(o.instance, 'repair');
    const perRack = o.totalNodes / o.statefulSets.length;
    const nodes = o.statefulSets.flatMap(sts => Array.from({ length: perRack }, (_, i) => `${sts}-${i}.${names.headless}.${ns}.svc.${s.clusterDomain}`));
    renderRepairCronJob(scope, s.repairs, {
      instance: o.instance, namespace: ns, image: s.version.image, serviceAccountName: names.serviceAccount, labels: repairLabels, selector: repairSelector, nodes, nodeSelector: selector, egress: s.egress,
    });
    // JMX leaves the pod only for the repair pods, and only with the account's password.
    policy.allow([() => ({ podSelector: { matchLabels: repairSelector } })], [JMX_PORT]);
  }
  const perRackNodes = o.totalNodes / o.statefulSets.length;
  const podNames = Array.from({ length: perRackNodes }, (_, i) => o.statefulSets.map(sts => `${sts}-${i}`)).flat();
  if (s.backup) {
    const backupSelector = cassandraSelector(o.instance, 'backup');
    renderBackupObjects(scope, s.backup, {
      instance: o.instance, namespace: ns, serviceAccountName: names.serviceAccount, labels: cassandraLabels(o.instance, 'backup'), selector: backupSelector,
      nodes: podNames.map(p => `${p}.${names.headless}.${ns}.svc.${s.clusterDomain}`), datacenterLabels: labels,
      authentication: s.authentication, jmxAuthentication: s.repairs !== undefined, nodeSelector: selector, egress: s.egress,
    }, names.medusaConfig);
    // The Medusa sidecars upload to and download from the bucket.
    if (s.egress) allowObjectStorage(policy, s.egress);
    // Medusa's gRPC port is reachable from the backup pods only.
    policy.allow([() => ({ podSelector: { matchLabels: backupSelector } })], [MEDUSA_PORT]);
  }
  if (s.monitoring.enabled) {
    // The exporter's port only; JMX (7199) is opened to no scraper.
    policy.allowPeer(s.monitoring.scraper, [EXPORTER_PORT]);
    renderMonitoringObjects(scope, s.monitoring,
      { name: o.instance, namespace: ns, labels, podSelector: selector, configMap: names.exporterConfig },
      { name: o.instance, namespace: ns, statefulSets: o.statefulSets, nodes: o.totalNodes,
        repair: s.repairs ? { cronJob: repairCronJobName(o.instance), maxAgeSeconds: s.repairs.maxAgeSeconds } : undefined,
        backup: s.backup ? { cronJob: backupCronJobName(o.instance), maxAgeSeconds: s.backup.maxAgeSeconds } : undefined });
  }
  const host = `${names.client}.${ns}.svc.${s.clusterDomain}`;
  if (s.authentication) {
    const jobLabels = cassandraLabels(o.instance, 'superuser-setup');
    superuserJob(scope, 'Superuser', {
      namePrefix: o.instance, namespace: ns, labels: jobLabels, podLabels: jobLabels,
      image: s.version.image, serviceAccountName: names.serviceAccount, credentials: s.superuser, cqlHost: host, cqlPort: CQL_PORT,
      authReplication: s.additionalSeeds.length === 0 ? authReplication(o.datacenterName, o.totalNodes) : undefined, nodes: o.totalNodes,
    });
    const jobSelector = cassandraSelector(o.instance, 'superuser-setup');
    policy.allow([() => ({ podSelector: { matchLabels: jobSelector } })], [CQL_PORT]);
    // The Job's name changes with its spec; its policy keeps one name.
    helperPolicy(scope, 'SuperuserNetwork', {
      name: `${o.instance}-superuser`, namespace: ns, podSelector: jobSelector, labels: jobLabels, egress: s.egress, databases: [{ podSelector: selector, ports: [CQL_PORT] }],
    });
  }
  const connection: ConnectionInfo = {
    engine: DatabaseEngine.CASSANDRA,
    namespace: ns,
    host,
    port: CQL_PORT,
    tls: false,
    majorVersion: s.version.majorVersion,
    contactPoints: [host],
    datacenter: o.datacenterName,
    // Cassandra has no application user of its own: the superuser is the administrative login.
    ...(s.authentication ? { adminSecret: { name: s.superuser.secretName, usernameKey: s.superuser.usernameKey, passwordKey: s.superuser.passwordKey } } : {}),
  };
  return { headlessServiceName: names.headless, serviceAccountName: names.serviceAccount, exporterConfigMapName: names.exporterConfig, medusaConfigMapName: names.medusaConfig, podNames, policy, connection, podSelector: selector };
}

/** `allowFrom()` of a rack or datacenter: validates the peer, then opens CQL to it through the shared NetworkPolicy. */
export function allowCql(owner: IConstruct, constructType: string, shared: SharedResources, peer: NetworkPeer): void {
  const problems = new Problems(owner, `${constructType}.allowFrom`);
  if (problems.check(peer instanceof NetworkPeer, 'peer', peer, 'is not a NetworkPeer', 'use NetworkPeer.fromWorkload(...) or NetworkPeer.fromPodLabels(...)')) {
    peer._validate(problems, 'peer');
  }
  problems.throwIfAny();
  shared.policy.allowPeer(peer, [CQL_PORT]);
}
