import { Construct } from 'constructs';
import { Problems } from './errors';
import { NetworkPeer, PodNetworkPolicy, tcp } from './network';

/**
 * Where the pods of a construct may connect, for clusters that deny egress by default. When
 * given (and `enabled` is not false), every NetworkPolicy of the construct lists Egress in its
 * `policyTypes` and admits only what its pods need: DNS, the database pods they talk to, and the
 * destinations given here. Object storage and the Kubernetes API are outside the pod network and
 * unknown at synth time, so they are given as address blocks (`NetworkPeer.fromCidr`).
 */
export interface EgressProps {
  /**
   * Render the egress rules; `false` keeps the settings but leaves egress open.
   * @default true
   */
  readonly enabled?: boolean;
  /**
   * The cluster's DNS servers, reached on 53 (UDP and TCP).
   * @default NetworkPeer.fromPodLabels({ 'k8s-app': 'kube-dns' }, 'kube-system'): CoreDNS and kube-dns
   */
  readonly dns?: NetworkPeer;
  /**
   * Object storage endpoints that backups and restores read and write (S3, GCS, Azure Blob, a
   * MinIO in the cluster). Needed when the construct uploads to a bucket.
   * @default none: pods that use a bucket cannot reach it
   */
  readonly objectStorage?: NetworkPeer[];
  /**
   * Ports of the object storage endpoints.
   * @default [443]
   */
  readonly objectStoragePorts?: number[];
}

/** Egress settings, validated, every default applied. */
export interface ResolvedEgress {
  readonly dns: NetworkPeer;
  readonly objectStorage: NetworkPeer[];
  readonly objectStoragePorts: number[];
}

/** The DNS servers of most clusters: CoreDNS keeps kube-dns's label. */
export function defaultDns(): NetworkPeer {
  return NetworkPeer.fromPodLabels({ 'k8s-app': 'kube-dns' }, 'kube-system');
}

/** Validates a list of peers under `field`. */
export function checkPeerList(problems: Problems, field: string, peers: unknown): NetworkPeer[] {
  if (peers === undefined) return [];
  if (!problems.check(Array.isArray(peers), field, peers, 'is not a list', 'give e.g. [NetworkPeer.fromCidr("10.20.0.0/16")]')) return [];
  const list = peers as unknown[];
  list.forEach((peer, i) => {
    if (problems.check(peer instanceof NetworkPeer, `${field}[${i}]`, peer, 'is not a NetworkPeer', 'use NetworkPeer.fromCidr(...) or NetworkPeer.fromPodLabels(...)')) {
      (peer as NetworkPeer)._validate(problems, `${field}[${i}]`);
    }
  });
  return list.filter((p): p is NetworkPeer => p instanceof NetworkPeer);
}

/** Validates TCP port numbers under `field`; `fallback` when not given. */
export function checkPorts(problems: Problems, field: string, ports: unknown, fallback: number[]): number[] {
  if (ports === undefined) return fallback;
  const ok = problems.check(Array.isArray(ports) && ports.length > 0, field, ports, 'is not a non-empty list of ports', `give e.g. ${JSON.stringify(fallback)}`);
  if (!ok) return fallback;
  (ports as unknown[]).forEach((p, i) => problems.check(Number.isInteger(p) && (p as number) >= 1 && (p as number) <= 65535, `${field}[${i}]`, p,
    'is not a port number', 'give an integer from 1 to 65535'));
  return ports as number[];
}

/** Validates `egress` (off unless given); undefined when off. */
export function resolveEgress(problems: Problems, field: string, props: EgressProps | undefined): ResolvedEgress | undefined {
  if (props === undefined) return undefined;
  if (!problems.check(typeof props === 'object' && props !== null, field, props, 'is not an object', 'give e.g. { objectStorage: [NetworkPeer.fromCidr("10.20.0.0/16")] }')) return undefined;
  const enabled = props.enabled ?? true;
  problems.check(typeof enabled === 'boolean', `${field}.enabled`, enabled, 'must be true or false', 'leave it out to restrict egress');
  const dns = props.dns ?? defaultDns();
  if (problems.check(dns instanceof NetworkPeer, `${field}.dns`, dns, 'is not a NetworkPeer', 'use NetworkPeer.fromPodLabels({ "k8s-app": "kube-dns" }, "kube-system")')) {
    dns._validate(problems, `${field}.dns`);
  }
  const objectStorage = checkPeerList(problems, `${field}.objectStorage`, props.objectStorage);
  const objectStoragePorts = checkPorts(problems, `${field}.objectStoragePorts`, props.objectStoragePorts, [443]);
  if (enabled !== true) return undefined;
  return { dns, objectStorage, objectStoragePorts };
}

/** Restricts the egress of `policy` to DNS, plus whatever the caller adds. */
export function restrictToDns(policy: PodNetworkPolicy, egress: ResolvedEgress): void {
  policy.restrictEgress();
  policy.allowTo([egress.dns], [{ port: 53, protocol: 'UDP' }, { port: 53, protocol: 'TCP' }]);
}

/** Lets the pods of `policy` reach the object storage endpoints. */
export function allowObjectStorage(policy: PodNetworkPolicy, egress: ResolvedEgress): void {
  policy.allowTo(egress.objectStorage, tcp(egress.objectStoragePorts));
}

/** What a helper pod (a Job's or CronJob's) talks to. */
export interface HelperPolicyProps {
  readonly name: string;
  readonly namespace: string;
  /** Labels of exactly the helper's pods. */
  readonly podSelector: Record<string, string>;
  readonly labels: Record<string, string>;
  /** Egress settings of the construct; undefined leaves egress open. */
  readonly egress?: ResolvedEgress;
  /** Database pods the helper connects to (same namespace) and their ports. */
  readonly databases?: Array<{ readonly podSelector: Record<string, string>; readonly ports: number[] }>;
  /** Whether the helper reads or writes object storage. */
  readonly objectStorage?: boolean;
}

/**
 * The NetworkPolicy of a helper pod: no ingress at all (nothing connects to a Job), and with
 * restricted egress only DNS, the database pods it uses and, when asked, object storage.
 */
export function helperPolicy(scope: Construct, id: string, p: HelperPolicyProps): PodNetworkPolicy {
  const policy = new PodNetworkPolicy(scope, id, { name: p.name, namespace: p.namespace, podSelector: p.podSelector, labels: p.labels });
  if (p.egress) {
    restrictToDns(policy, p.egress);
    for (const db of p.databases ?? []) policy.allowToPods(db.podSelector, db.ports);
    if (p.objectStorage) allowObjectStorage(policy, p.egress);
  }
  return policy;
}
