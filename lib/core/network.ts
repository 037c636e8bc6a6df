import { ApiObject, Lazy } from 'cdk8s';
import { k8s } from 'cdk8s-plus-28';
import { Construct } from 'constructs';

/** Pods that may connect, by labels, optionally in another namespace. */
export interface PodPeer {
  readonly podLabels: Record<string, string>;
  /** Namespace of the pods. @default the database's namespace */
  readonly namespace?: string;
}

/**
 * Something a database can admit: a workload rendered with the low-level `k8s` classes
 * (KubeDeployment, KubeStatefulSet, KubeJob, ...), a cdk8s-plus workload (anything with
 * `toPodSelectorConfig()`), or explicit pod labels.
 */
export type NetworkClient = ApiObject | { toPodSelectorConfig(): any } | PodPeer;

function isPodPeer(client: NetworkClient): client is PodPeer {
  return typeof (client as PodPeer).podLabels === 'object';
}

function isPlusSelector(client: NetworkClient): client is { toPodSelectorConfig(): any } {
  return typeof (client as any).toPodSelectorConfig === 'function';
}

/** Resolves a client into a NetworkPolicy peer; call at synth time, after the client is complete. */
export function toNetworkPolicyPeer(client: NetworkClient, ownNamespace: string | undefined): k8s.NetworkPolicyPeer {
  let labels: Record<string, string> | undefined;
  let namespace: string | undefined;
  if (isPodPeer(client)) {
    labels = client.podLabels;
    namespace = client.namespace;
  } else if (isPlusSelector(client)) {
    const config = client.toPodSelectorConfig();
    labels = config.labelSelector._toKube().matchLabels;
    namespace = (client as any).metadata?.namespace;
  } else {
    const json = client.toJson();
    labels = json?.spec?.template?.metadata?.labels ?? json?.spec?.jobTemplate?.spec?.template?.metadata?.labels;
    namespace = client.metadata.namespace;
  }
  if (!labels || Object.keys(labels).length === 0) {
    throw new Error(`allowFrom: the client ${describe(client)} has no pod labels to select; give its pod template labels`);
  }
  const peer: k8s.NetworkPolicyPeer = { podSelector: { matchLabels: { ...labels } } };
  if (namespace && namespace !== ownNamespace) {
    return { ...peer, namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': namespace } } };
  }
  return peer;
}

function describe(client: NetworkClient): string {
  if (client instanceof ApiObject) return `${client.kind}/${client.name}`;
  return isPodPeer(client) ? JSON.stringify(client.podLabels) : 'workload';
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

  constructor(scope: Construct, id: string, props: { name: string; namespace?: string; podSelector: Record<string, string>; labels: Record<string, string> }) {
    super(scope, id);
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

  private renderRules(): k8s.NetworkPolicyIngressRule[] {
    return this.rules.map(rule => ({
      from: rule.from.map(peer => peer()),
      ports: rule.ports.map(port => ({ protocol: 'TCP', port: k8s.IntOrString.fromNumber(port) })),
    }));
  }
}
