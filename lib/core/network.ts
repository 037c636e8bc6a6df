import { BlockList, isIP } from 'net';
import { ApiObject, Lazy } from 'cdk8s';
import { k8s } from 'cdk8s-plus-28';
import { Construct, IConstruct } from 'constructs';
import { Problems } from './errors';
import { checkLabels, isDns1123Label } from './names';

/**
 * Pods a database admits through its NetworkPolicy: the pods of a workload, or pods chosen by
 * labels (optionally in another namespace); and, for egress, addresses outside the cluster.
 *
 * ```ts
 * db.allowFrom(NetworkPeer.fromWorkload(deployment));
 * db.allowFrom(NetworkPeer.fromPodLabels({ app: 'reports' }, 'analytics'));
 * ```
 *
 * A NetworkPolicy cannot authenticate a pod: any pod that can be created with the same labels in
 * the same namespace is admitted too. Namespaces are the trust boundary; give a namespace for
 * peers outside the database's own, and keep who may create pods in the database's namespace
 * under RBAC.
 */
export class NetworkPeer {
  /**
   * The pods of a workload: a low-level `k8s` object with a pod template (KubeDeployment,
   * KubeStatefulSet, KubeJob, KubeCronJob, ...) or a cdk8s-plus workload. Its pod labels and
   * namespace are read at synth time, so labels added after this call count.
   */
  public static fromWorkload(workload: IConstruct): NetworkPeer {
    return new NetworkPeer(workload);
  }

  /**
   * Pods with all of these labels.
   * @param labels pod labels to match
   * @param namespace namespace of the pods; @default the database's namespace
   */
  public static fromPodLabels(labels: { [key: string]: string }, namespace?: string): NetworkPeer {
    return new NetworkPeer(undefined, { ...labels }, namespace);
  }

  /**
   * Addresses outside the cluster, e.g. an object storage endpoint or the Kubernetes API
   * servers, as a CIDR block (`10.0.0.0/16`, `2001:db8::/48`; a single address as `/32`).
   * @param cidr the block
   * @param excluded blocks inside `cidr` to leave out (the ipBlock's `except`); @default none
   */
  public static fromCidr(cidr: string, excluded?: string[]): NetworkPeer {
    return new NetworkPeer(undefined, undefined, undefined, { cidr, except: excluded ? [...excluded] : undefined });
  }

  private constructor(
    private readonly workload?: IConstruct,
    private readonly labels?: { [key: string]: string },
    private readonly namespace?: string,
    private readonly block?: { cidr: string; except?: string[] },
  ) {}

  /**
   * The NetworkPolicy peer; call at synth time, after the workload is complete.
   * @internal
   */
  public _toNetworkPolicyPeer(ownNamespace: string | undefined): k8s.NetworkPolicyPeer {
    if (this.block) return { ipBlock: { cidr: this.block.cidr, ...(this.block.except?.length ? { except: [...this.block.except] } : {}) } };
    const { labels, namespace } = this.workload ? workloadPods(this.workload) : { labels: this.labels, namespace: this.namespace };
    if (!labels || Object.keys(labels).length === 0) {
      throw new Error(`allowFrom: the peer ${this.describe()} has no pod labels to select; give its pod template labels`);
    }
    const peer: k8s.NetworkPolicyPeer = { podSelector: { matchLabels: { ...labels } } };
    if (namespace && namespace !== ownNamespace) {
      return { ...peer, namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': namespace } } };
    }
    return peer;
  }

  /** Validates the peer's labels and namespace; problems are recorded under `field`. @internal */
  public _validate(problems: Problems, field: string): void {
    if (this.workload) return;
    if (this.block) {
      const ok = problems.check(isCidr(this.block.cidr), `${field}.cidr`, this.block.cidr, 'is not a CIDR block', 'give an address and a prefix length, e.g. "10.0.0.0/16" or "203.0.113.7/32"');
      (this.block.except ?? []).forEach((e, i) => problems.check(isCidr(e) && (!ok || inside(e, this.block!.cidr)), `${field}.except[${i}]`, e,
        'is not a CIDR block inside the peer\'s block', `give a smaller block inside ${this.block!.cidr}`));
      return;
    }
    checkLabels(problems, `${field}.labels`, this.labels);
    if (this.namespace !== undefined) {
      problems.check(isDns1123Label(this.namespace), `${field}.namespace`, this.namespace, 'is not a namespace name', 'use a lowercase DNS-1123 label');
    }
  }

  private describe(): string {
    if (this.workload instanceof ApiObject) return `${this.workload.kind}/${this.workload.name}`;
    return this.workload ? this.workload.node.path : JSON.stringify(this.labels ?? {});
  }
}

/** `address/prefix`, IPv4 or IPv6, with a prefix length the family allows. */
function isCidr(value: unknown): value is string {
  if (typeof value !== 'string') return false;
  const m = /^([^/]+)\/(\d{1,3})$/.exec(value);
  if (!m) return false;
  const family = isIP(m[1]);
  return family !== 0 && Number(m[2]) <= (family === 4 ? 32 : 128);
}

/** Whether block `inner` lies inside block `outer` (same family). */
function inside(inner: string, outer: string): boolean {
  const [ia, ip] = inner.split('/');
  const [oa, op] = outer.split('/');
  const family = isIP(oa) === 4 ? 'ipv4' : 'ipv6';
  if (isIP(ia) !== isIP(oa) || Number(ip) < Number(op)) return false;
  const list = new BlockList();
  list.addSubnet(oa, Number(op), family);
  return list.check(ia, family);
}

/** The pod labels and namespace of a workload: an ApiObject with a pod template, or a cdk8s-plus workload. */
function workloadPods(workload: IConstruct): { labels?: Record<string, string>; namespace?: string } {
  const plus = workload as { toPodSelectorConfig?: () => any; metadata?: { namespace?: string } };
  if (typeof plus.toPodSelectorConfig === 'function') {
    return { labels: plus.toPodSelectorConfig().labelSelector._toKube().matchLabels, namespace: plus.metadata?.namespace };
  }
  const object = workload instanceof ApiObject ? workload : workload.node.tryFindChild('Resource');
  if (!(object instanceof ApiObject)) return {};
  const json = object.toJson();
  return {
    labels: json?.spec?.template?.metadata?.labels ?? json?.spec?.jobTemplate?.spec?.template?.metadata?.labels,
    namespace: object.metadata.namespace,
  };
}

/** The Prometheus pods of kube-prometheus-stack, the default scraper of every metrics port. */
export function defaultScraper(): NetworkPeer {
  return NetworkPeer.fromPodLabels({ 'app.kubernetes.io/name': 'prometheus' }, 'monitoring');
}

/** A port and its protocol. */
export interface PolicyPort {
  readonly port: number;
  readonly protocol: 'TCP' | 'UDP';
}

/** One rule: which peers, on which ports. */
interface PolicyRule {
  readonly peers: Array<() => k8s.NetworkPolicyPeer>;
  readonly ports: PolicyPort[];
}

/** TCP ports. */
export function tcp(ports: number[]): PolicyPort[] {
  return ports.map(port => ({ port, protocol: 'TCP' }));
}

/**
 * A deny-by-default NetworkPolicy for one group of pods (a database's, or a Job's). Ingress
 * rules are added by `allow()`; egress is open until `restrictEgress()`, after which only the
 * destinations added by `allowTo()` are reachable. Rules render lazily, so `allowFrom()` calls
 * made after construction count.
 */
export class PodNetworkPolicy extends Construct {
  public readonly resource: k8s.KubeNetworkPolicy;
  private readonly ingress: PolicyRule[] = [];
  private readonly egress: PolicyRule[] = [];
  private egressRestricted = false;
  private readonly namespace?: string;

  /** `ingress: false` makes an egress-only policy, which leaves the pods' ingress to other policies. */
  constructor(scope: Construct, id: string, props: { name: string; namespace?: string; podSelector: Record<string, string>; labels: Record<string, string>; ingress?: boolean }) {
    super(scope, id);
    this.namespace = props.namespace;
    const ingress = props.ingress ?? true;
    if (!ingress) this.egressRestricted = true;
    this.resource = new k8s.KubeNetworkPolicy(this, 'Resource', {
      metadata: { name: props.name, labels: props.labels, ...(props.namespace ? { namespace: props.namespace } : {}) },
      spec: {
        podSelector: { matchLabels: { ...props.podSelector } },
        policyTypes: Lazy.any({ produce: () => [...(ingress ? ['Ingress'] : []), ...(this.egressRestricted ? ['Egress'] : [])] }) as any,
        ingress: Lazy.any({ produce: () => (ingress ? this.ingress.map(r => ({ from: r.peers.map(peer => peer()), ports: renderPorts(r.ports) })) : undefined) }) as any,
        egress: Lazy.any({ produce: () => (this.egressRestricted ? this.egress.map(r => ({ to: r.peers.map(peer => peer()), ports: renderPorts(r.ports) })) : undefined) }) as any,
      },
    });
  }

  /** Admits `peers` on `ports` (TCP). */
  public allow(peers: Array<() => k8s.NetworkPolicyPeer>, ports: number[]): void {
    this.ingress.push({ peers, ports: tcp(ports) });
  }

  /** Admits one NetworkPeer on `ports` (TCP); resolved at synth time. */
  public allowPeer(peer: NetworkPeer, ports: number[]): void {
    this.allow([() => peer._toNetworkPolicyPeer(this.namespace)], ports);
  }

  /** Denies every connection the pods open, except to the destinations of `allowTo()`. */
  public restrictEgress(): void {
    this.egressRestricted = true;
  }

  /** Lets the pods connect to `peers` on `ports` (once egress is restricted). */
  public allowTo(peers: NetworkPeer[], ports: PolicyPort[]): void {
    if (peers.length === 0) return;
    this.egress.push({ peers: peers.map(peer => () => peer._toNetworkPolicyPeer(this.namespace)), ports });
  }

  /** Lets the pods connect to pods of this namespace with `labels` on `ports` (TCP). */
  public allowToPods(labels: Record<string, string>, ports: number[]): void {
    this.egress.push({ peers: [() => ({ podSelector: { matchLabels: { ...labels } } })], ports: tcp(ports) });
  }
}

function renderPorts(ports: PolicyPort[]): k8s.NetworkPolicyPort[] {
  return ports.map(p => ({ protocol: p.protocol, port: k8s.IntOrString.fromNumber(p.port) }));
}

/** The former name, kept so code written against it still compiles. */
export { PodNetworkPolicy as IngressPolicy };
