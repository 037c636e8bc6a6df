import { k8s } from 'cdk8s-plus-28';
import { Construct } from 'constructs';

/**
 * What a stateless service beside the databases needs to survive node drains and zone outages and
 * to be reachable only by its clients. The example apps share it, as a team would in its own
 * repository; nothing here is part of cdk8s-data.
 */
export interface StatelessServiceProps {
  /** Name of the Deployment, and of its Service, PodDisruptionBudget and NetworkPolicy. */
  readonly name: string;
  readonly namespace: string;
  /** The recommended `app.kubernetes.io/*` labels, set on every object. */
  readonly labels: { [key: string]: string };
  /** The Deployment's selector (the labels that never change). */
  readonly selector: { [key: string]: string };
  /** The container port clients use: its name in the pod and its number on the Service. */
  readonly port: { readonly name: string; readonly number: number };
  /** Who may connect to that port; nothing else reaches the pods. */
  readonly clients: k8s.NetworkPolicyPeer[];
}

/** The ingress-nginx controller's pods, in the namespace of the same name (its default install). */
export const INGRESS_CONTROLLER: k8s.NetworkPolicyPeer = {
  namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': 'ingress-nginx' } },
  podSelector: { matchLabels: { 'app.kubernetes.io/name': 'ingress-nginx' } },
};

/** Pods with these labels in another namespace (the namespace label is set by Kubernetes itself). */
export function podsIn(namespace: string, labels: { [key: string]: string }): k8s.NetworkPolicyPeer {
  return { namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': namespace } }, podSelector: { matchLabels: labels } };
}

/**
 * Pod scheduling for the replicas: on different nodes where the cluster has room (preferred, so a
 * small cluster still runs them all), and spread evenly over zones.
 */
export function spreadReplicas(selector: { [key: string]: string }): Pick<k8s.PodSpec, 'affinity' | 'topologySpreadConstraints'> {
  return {
    affinity: {
      podAntiAffinity: {
        preferredDuringSchedulingIgnoredDuringExecution: [{
          weight: 100,
          podAffinityTerm: { topologyKey: 'kubernetes.io/hostname', labelSelector: { matchLabels: selector } },
        }],
      },
    },
    topologySpreadConstraints: [{
      maxSkew: 1,
      topologyKey: 'topology.kubernetes.io/zone',
      whenUnsatisfiable: 'ScheduleAnyway',
      labelSelector: { matchLabels: selector },
    }],
  };
}

/**
 * The ClusterIP Service in front of the Deployment, a PodDisruptionBudget that lets a drain evict
 * one replica at a time, and a NetworkPolicy that admits only the clients, only on the port.
 */
export function addServiceGuards(scope: Construct, id: string, props: StatelessServiceProps): void {
  const metadata = { name: props.name, namespace: props.namespace, labels: props.labels };
  new k8s.KubeService(scope, `${id}Service`, {
    metadata,
    spec: {
      type: 'ClusterIP',
      selector: props.selector,
      ports: [{ name: props.port.name, port: props.port.number, targetPort: k8s.IntOrString.fromString(props.port.name), protocol: 'TCP' }],
    },
  });
  new k8s.KubePodDisruptionBudget(scope, `${id}DisruptionBudget`, {
    metadata,
    spec: { maxUnavailable: k8s.IntOrString.fromNumber(1), selector: { matchLabels: props.selector } },
  });
  new k8s.KubeNetworkPolicy(scope, `${id}NetworkPolicy`, {
    metadata,
    spec: {
      podSelector: { matchLabels: props.selector },
      policyTypes: ['Ingress'],
      ingress: [{ from: props.clients, ports: [{ port: k8s.IntOrString.fromString(props.port.name), protocol: 'TCP' }] }],
    },
  });
}
