import { k8s } from 'cdk8s-plus-28';
import { Construct } from 'constructs';

/** What a database's disruption budget needs. */
export interface DisruptionBudgetProps {
  readonly name: string;
  /** Written explicitly: a construct's `namespace` prop may differ from its chart's. */
  readonly namespace: string;
  readonly selector: Record<string, string>;
  readonly labels: Record<string, string>;
}

/**
 * A PodDisruptionBudget letting at most one pod of a database be evicted at once. It never
 * blocks every eviction, so node drains still make progress.
 */
export function databaseDisruptionBudget(scope: Construct, id: string, props: DisruptionBudgetProps): k8s.KubePodDisruptionBudget {
  return new k8s.KubePodDisruptionBudget(scope, id, {
    metadata: { name: props.name, namespace: props.namespace, labels: props.labels },
    spec: {
      maxUnavailable: k8s.IntOrString.fromNumber(1),
      selector: { matchLabels: { ...props.selector } },
    },
  });
}
