import { ApiObject, Lazy } from 'cdk8s';
import { k8s } from 'cdk8s-plus-28';
import { Construct, IConstruct } from 'constructs';
import { Problems } from './errors';
import { checkLabels, isDns1123Label } from './names';

/**
 * Pods a database admits through its NetworkPolicy: the pods of a workload, or pods chosen by
 * labels (optionally in another namespace).
 *
 * ```ts
 * db.allowFrom(NetworkPeer.fromWorkload(deployment));
 * db.allowFrom(NetworkPeer.fromPodLabels({ app: 'reports' }, 'analytics'));
 * ```
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

  private constructor(
    private readonly workload?: IConstruct,
    private readonly labels?: { [key: string]: string },
    private readonly namespace?: string,
  ) {}

  /**
   * The NetworkPolicy peer; call at synth time, after the workload is complete.
   * @internal
   */
  public _toNetworkPolicyPeer(ownNamespace: string | undefined): k8s.NetworkPolicyPeer {
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

/** One ingress rule: who may connect, on which ports. */
export interface IngressRule {
  readonly from: Array<() => k8s.NetworkPolicyPeer>;
  readonly ports: number[];
}

/**
 * A deny-by-default ingress NetworkPolicy for the pods of one database. Rules are added by
 * `allow()` and rendered lazily, so `allowFrom()` calls made after construction count.
 * Egress stays open: DNS, peers and object stores differ too much between clusters.
 */
export class IngressPolicy extends Construct {
  public readonly resource: k8s.KubeNetworkPolicy;
  private readonly rules: IngressRule[] = [];
  private readonly namespace?: string;

  constructor(scope: Construct, id: string, props: { name: string; namespace?: string; podSelector: Record<string, string>; labels: Record<string, string> }) {
    super(scope, id);
    this.namespace = props.namespace;
    this.resource = new k8s.KubeNetworkPolicy(this, 'Resource', {
      metadata: { name: props.name, labels: props.labels, ...(props.namespace ? { namespace: props.namespace } : {}) },
      spec: {
        podSelector: { matchLabels: props.podSelector },
        policyTypes: ['Ingress'],
        ingress: Lazy.any({ produce: () => this.renderRules() }) as any,
      },
    });
  }

  /** Admits `peers` on `ports` (TCP). */
  public allow(peers: Array<() => k8s.NetworkPolicyPeer>, ports: number[]): void {
    this.rules.push({ from: peers, ports });
  }

  /** Admits one NetworkPeer on `ports` (TCP); resolved at synth time. */
  public allowPeer(peer: NetworkPeer, ports: number[]): void {
    this.allow([() => peer._toNetworkPolicyPeer(this.namespace)], ports);
  }

  private renderRules(): k8s.NetworkPolicyIngressRule[] {
    return this.rules.map(rule => ({
      from: rule.from.map(peer => peer()),
      ports: rule.ports.map(port => ({ protocol: 'TCP', port: k8s.IntOrString.fromNumber(port) })),
    }));
  }
}

