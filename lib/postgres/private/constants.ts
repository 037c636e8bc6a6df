import { k8s } from 'cdk8s-plus-28';

/** The PostgreSQL port of every CloudNativePG service and instance. */
export const POSTGRES_PORT = 5432;
/** The instance manager's status port, used by the operator and by peers. */
export const STATUS_PORT = 8000;
/** The instance's metrics exporter. */
export const METRICS_PORT = 9187;
/** PgBouncer's metrics exporter. */
export const POOLER_METRICS_PORT = 9127;
/** Name of the Barman Cloud CNPG-I plugin, as the Cluster's `plugins` entry and `pluginConfiguration` use it. */
export const BARMAN_CLOUD_PLUGIN = 'barman-cloud.cloudnative-pg.io';
/** Name of the external cluster a recovery or clone reads from. */
export const ORIGIN = 'origin';
/** PostgreSQL identifiers this library accepts for roles and databases: lowercase, unquoted. */
export const IDENTIFIER = /^[a-z_][a-z0-9_]{0,62}$/;

/** A plain copy of a string map (null-prototype objects break serialization); undefined when empty. */
export function plain(map: { readonly [key: string]: string } | undefined): Record<string, string> | undefined {
  return map && Object.keys(map).length > 0 ? Object.fromEntries(Object.entries(map)) : undefined;
}

/** Resource quantities in the shape of an imported CRD type, whose quantity classes differ by field. */
export interface QuantityResources<R, L> {
  readonly requests: { cpu: R; memory: R };
  readonly limits: { memory: L; cpu?: L };
}

/**
 * Converts validated resources (requests for cpu and memory, a memory limit, maybe a cpu limit) into
 * an imported CRD's resources, given the CRD's `fromString` factories.
 */
export function resourceQuantities<R, L>(r: k8s.ResourceRequirements, request: (value: string) => R, limit: (value: string) => L): QuantityResources<R, L> {
  return {
    requests: { cpu: request(String(r.requests!.cpu!.value)), memory: request(String(r.requests!.memory!.value)) },
    limits: {
      memory: limit(String(r.limits!.memory!.value)),
      ...(r.limits!.cpu ? { cpu: limit(String(r.limits!.cpu.value)) } : {}),
    },
  };
}
