import { k8s } from 'cdk8s-plus-28';
import { Construct } from 'constructs';

/**
 * A PodDisruptionBudget letting at most `maxUnavailable` pods of a database be evicted at once.
 * It never blocks every eviction, so node drains still make progress.
 */
export function databaseDisruptionBudget(scope: Construct, id: string, props: { name: string; selector: Record<string, string>; labels: Record<string, string>; maxUnavailable?: number }): k8s.KubePodDisruptionBudget {
  return new k8s.KubePodDisruptionBudget(scope, id, {
    metadata: { name: props.name, labels: props.labels },
    spec: {
      maxUnavailable: k8s.IntOrString.fromNumber(props.maxUnavailable ?? 1),
      selector: { matchLabels: props.selector },
    },
  });
}
