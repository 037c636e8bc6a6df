import { Construct } from 'constructs';
import { allowObjectStorage, checkPeerList, checkPorts, ResolvedEgress, resolveEgress, restrictToDns } from '../../core/egress';
import { Problems } from '../../core/errors';
import { standardLabels } from '../../core/labels';
import { NetworkPeer, PodNetworkPolicy, tcp } from '../../core/network';
import { PostgresEgressProps } from '../cluster-props';
import { POSTGRES_PORT, STATUS_PORT } from './constants';
import { ResolvedExternalCluster } from './external-clusters';

/** Egress of a cluster, validated: the shared settings plus the API servers and external servers. */
export interface ResolvedPostgresEgress extends ResolvedEgress {
  readonly kubernetesApi: NetworkPeer[];
  readonly kubernetesApiPorts: number[];
  readonly externalServers: NetworkPeer[];
}

/**
 * Validates `egress`. CloudNativePG's instance manager and PgBouncer pods report to the
 * Kubernetes API, so restricted egress needs its addresses; a bucket in use needs
 * `objectStorage`; a server outside the app needs `externalServers`.
 */
export function resolvePostgresEgress(problems: Problems, props: PostgresEgressProps | undefined, needs: { objectStorage: boolean; externalServers: boolean }): ResolvedPostgresEgress | undefined {
  const base = resolveEgress(problems, 'egress', props);
  const kubernetesApi = checkPeerList(problems, 'egress.kubernetesApi', props?.kubernetesApi);
  const kubernetesApiPorts = checkPorts(problems, 'egress.kubernetesApiPorts', props?.kubernetesApiPorts, [443, 6443]);
  const externalServers = checkPeerList(problems, 'egress.externalServers', props?.externalServers);
  if (!base) return undefined;
  problems.check(kubernetesApi.length > 0, 'egress.kubernetesApi', props?.kubernetesApi,
    'is required: CloudNativePG\'s instance manager and PgBouncer pods talk to the Kubernetes API', 'give the API servers\' addresses, e.g. [NetworkPeer.fromCidr("10.0.0.1/32")] (kubectl get endpoints kubernetes)');
  problems.check(!needs.objectStorage || base.objectStorage.length > 0, 'egress.objectStorage', [],
    'is empty, but the cluster archives to or recovers from a bucket', 'give the bucket endpoint\'s addresses, e.g. [NetworkPeer.fromCidr("203.0.113.0/24")]');
  problems.check(!needs.externalServers || externalServers.length > 0, 'egress.externalServers', [],
    'is empty, but the cluster reads from a server given with ExternalCluster.fromServer', 'give the server\'s addresses, e.g. [NetworkPeer.fromCidr("10.30.0.12/32")]');
  return { ...base, kubernetesApi, kubernetesApiPorts, externalServers };
}

/** Whether the cluster reads or writes a bucket, and whether it reads a server outside the app. */
export function egressNeeds(objectStoreBackup: boolean, recoveryStore: boolean, sources: ResolvedExternalCluster[]): { objectStorage: boolean; externalServers: boolean } {
  return {
    objectStorage: objectStoreBackup || recoveryStore || sources.some(c => c.kind === 'objectStore'),
    externalServers: sources.some(c => c.kind === 'connection' && c.cluster === undefined),
  };
}

/**
 * The egress policy of every pod the operator runs for the cluster (instances and the initdb,
 * import and join Jobs: all carry `cnpg.io/cluster`). It lists only Egress, so ingress stays with
 * the instance policy.
 */
export function renderInstanceEgress(scope: Construct, p: {
  name: string; namespace: string; egress: ResolvedPostgresEgress; objectStorage: boolean; sources: ResolvedExternalCluster[];
}): PodNetworkPolicy {
  const policy = new PodNetworkPolicy(scope, 'EgressPolicy', {
    name: `${p.name}-egress`, namespace: p.namespace, podSelector: { 'cnpg.io/cluster': p.name },
    labels: standardLabels({ name: 'postgresql', instance: p.name, component: 'database' }), ingress: false,
  });
  restrictToDns(policy, p.egress);
  policy.allowToPods({ 'cnpg.io/cluster': p.name }, [POSTGRES_PORT, STATUS_PORT]);
  policy.allowTo(p.egress.kubernetesApi, tcp(p.egress.kubernetesApiPorts));
  if (p.objectStorage) allowObjectStorage(policy, p.egress);
  const serverPorts = new Set<number>();
  for (const source of p.sources) {
    if (source.cluster) {
      policy.allowTo([NetworkPeer.fromPodLabels({ 'cnpg.io/cluster': source.cluster.name }, source.cluster.namespace)], tcp([POSTGRES_PORT]));
    } else if (source.kind === 'connection') {
      serverPorts.add(Number(source.entry.connectionParameters?.port ?? POSTGRES_PORT));
    }
  }
  if (serverPorts.size > 0) policy.allowTo(p.egress.externalServers, tcp([...serverPorts]));
  return policy;
}
