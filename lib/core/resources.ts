import { k8s } from 'cdk8s-plus-28';
import { Problems } from './errors';
import { checkQuantity, parseQuantity } from './quantity';

/** CPU and memory for a container. */
export interface ResourceProps {
  /** CPU request, e.g. `500m` or `2`. */
  readonly cpu?: string;
  /** Memory request and limit (equal for database containers, so the kernel never reclaims its cache under pressure). */
  readonly memory?: string;
  /** CPU limit. @default no CPU limit: throttling a database hurts latency more than it protects neighbours */
  readonly cpuLimit?: string;
}

/** Validated resources: the Kubernetes form and the memory limit in bytes. */
export interface ResolvedResources {
  readonly requirements: k8s.ResourceRequirements;
  readonly memoryBytes: number;
}

/** The least memory a helper container (pooler, sidecar, dump Job) is given: below it the process is killed at start. */
export const HELPER_MIN_MEMORY = '64Mi';

/**
 * Renders resources for a database container: memory request equals the limit, and at least
 * `defaults.minMemory` (@default HELPER_MIN_MEMORY; a database server passes its own floor).
 * Problems are recorded under `field`; returns undefined when any is invalid.
 */
export function databaseResources(problems: Problems, field: string, props: ResourceProps | undefined,
  defaults: { cpu: string; memory: string; minMemory?: string }): ResolvedResources | undefined {
  const cpu = props?.cpu ?? defaults.cpu;
  const memory = props?.memory ?? defaults.memory;
  const cpuOk = checkQuantity(problems, `${field}.cpu`, cpu, '500m');
  const memoryBytes = checkQuantity(problems, `${field}.memory`, memory, '2Gi');
  const floor = defaults.minMemory ?? HELPER_MIN_MEMORY;
  if (memoryBytes !== undefined && memoryBytes < parseQuantity(floor)!) {
    problems.add(`${field}.memory`, memory, `is below ${floor}, too little for this container to start`, `give at least ${floor}, e.g. "${defaults.memory}"`);
    return undefined;
  }
  const cpuLimitOk = props?.cpuLimit === undefined || checkQuantity(problems, `${field}.cpuLimit`, props.cpuLimit, '2') !== undefined;
  if (cpuOk === undefined || memoryBytes === undefined || !cpuLimitOk) return undefined;
  return {
    memoryBytes,
    requirements: {
      requests: { cpu: k8s.Quantity.fromString(cpu), memory: k8s.Quantity.fromString(memory) },
      limits: {
        memory: k8s.Quantity.fromString(memory),
        ...(props?.cpuLimit ? { cpu: k8s.Quantity.fromString(props.cpuLimit) } : {}),
      },
    },
  };
}

/** Small fixed resources for helper containers (init containers, exporters, jobs). */
export function helperResources(cpu = '50m', memory = '64Mi'): k8s.ResourceRequirements {
  return {
    requests: { cpu: k8s.Quantity.fromString(cpu), memory: k8s.Quantity.fromString(memory) },
    limits: { memory: k8s.Quantity.fromString(memory) },
  };
}
