import { k8s } from 'cdk8s-plus-28';
import { Construct } from 'constructs';
import {
  Pooler, PoolerSpecPgbouncerPoolMode, PoolerSpecServiceTemplate, PoolerSpecTemplateSpecContainersResourcesLimits, PoolerSpecTemplateSpecContainersResourcesRequests, PoolerSpecType,
} from '../../../imports/cnpg-poolers-postgresql.cnpg.io';
import { Problems } from '../../core/errors';
import { checkInteger } from '../../core/quantity';
import { databaseResources } from '../../core/resources';
import { checkChoice, checkLabels, checkName } from '../../core/names';
import { PoolMode, PoolerProps, PoolerServiceTemplate, PoolerServiceType } from '../pooler';
import { resourceQuantities } from './constants';

/** PgBouncer settings the operator manages itself; setting them in `parameters` breaks the pooler. */
export const POOLER_MANAGED_PARAMETERS: Readonly<Record<string, string>> = {
  pool_mode: 'use the poolMode prop',
  listen_addr: 'the operator listens on all addresses',
  listen_port: 'the operator fixes the port to 5432',
  auth_type: 'the operator sets up authentication against the cluster',
  auth_file: 'the operator sets up authentication against the cluster',
  auth_user: 'the operator sets up authentication against the cluster',
  auth_query: 'the operator sets up authentication against the cluster',
  unix_socket_dir: 'the operator manages sockets',
  logfile: 'the operator logs to standard output',
  pidfile: 'the operator manages the process',
  client_tls_cert_file: 'the operator manages TLS',
  client_tls_key_file: 'the operator manages TLS',
  client_tls_ca_file: 'the operator manages TLS',
  server_tls_cert_file: 'the operator manages TLS',
  server_tls_key_file: 'the operator manages TLS',
  server_tls_ca_file: 'the operator manages TLS',
};

/** One Pooler object to render. */
export interface ResolvedPooler {
  readonly name: string;
  readonly type: 'rw' | 'ro';
  readonly props: PoolerProps;
  readonly resources: k8s.ResourceRequirements;
  /** Construct id; the `pooler` prop keeps its historical ids. */
  readonly id: string;
}

/**
 * Validates `pooler` and `poolers`; returns every Pooler object to render, the `pooler` prop's
 * first. Names must be distinct and differ from the cluster's own Services.
 */
export function checkPoolers(problems: Problems, cluster: string, pooler: PoolerProps | undefined, poolers: PoolerProps[] | undefined): ResolvedPooler[] {
  const result: ResolvedPooler[] = [];
  const taken = new Map<string, string>([`${cluster}-rw`, `${cluster}-ro`, `${cluster}-r`].map(n => [n, 'a Service of the cluster']));
  const add = (field: string, props: PoolerProps, name: string, legacy: boolean): void => {
    const resources = checkPooler(problems, field, props);
    const names = props.readOnly ? [['rw', name], ['ro', legacy ? `${cluster}-pooler-ro` : `${name}-ro`]] as const : [['rw', name]] as const;
    for (const [type, objectName] of names) {
      if (!checkName(problems, `${field}.name`, objectName, 'service')) continue;
      const owner = taken.get(objectName);
      if (!problems.check(owner === undefined, `${field}.name`, objectName, `is already the name of ${owner}`, 'give each pooler its own name')) continue;
      taken.set(objectName, `the pooler of ${field}`);
      if (resources) result.push({ name: objectName, type, props, resources, id: legacy ? `Pooler-${type}` : `Pooler-${objectName}` });
    }
  };
  if (pooler !== undefined) add('pooler', pooler, pooler.name ?? `${cluster}-pooler-rw`, pooler.name === undefined);
  if (poolers !== undefined && problems.check(Array.isArray(poolers), 'poolers', poolers, 'is not a list of poolers', 'give e.g. [{ name: "orders-reports", readOnly: true }]')) {
    poolers.forEach((p, i) => {
      if (problems.check(typeof p?.name === 'string', `poolers[${i}].name`, p?.name, 'is missing', 'name each pooler of the list, e.g. "orders-batch"')) add(`poolers[${i}]`, p, p.name!, false);
    });
  }
  return result;
}

function checkServiceTemplate(problems: Problems, field: string, t: PoolerServiceTemplate): void {
  if (!problems.check(typeof t === 'object' && t !== null, field, t, 'is not a Service template', 'give e.g. { serviceType: PoolerServiceType.LOAD_BALANCER }')) return;
  for (const kind of ['labels', 'annotations'] as const) {
    const map = t[kind];
    if (!checkLabels(problems, `${field}.${kind}`, map, kind) || map === undefined) continue;
    for (const key of Object.keys(map)) {
      problems.check(!/(^|\.)cnpg\.io\//.test(key), `${field}.${kind}.${key}`, key, 'belongs to CloudNativePG, which sets it on the Service', 'use a key of your own prefix');
    }
  }
  if (t.serviceType !== undefined) checkChoice(problems, `${field}.serviceType`, t.serviceType, PoolerServiceType);
}

/** Validates pooler props; returns the container resources when valid. */
export function checkPooler(problems: Problems, field: string, props: PoolerProps): k8s.ResourceRequirements | undefined {
  checkInteger(problems, `${field}.instances`, props.instances ?? 2, 1, 32);
  if (props.poolMode !== undefined) checkChoice(problems, `${field}.poolMode`, props.poolMode, PoolMode);
  if (props.parameters !== undefined) {
    if (problems.check(typeof props.parameters === 'object' && props.parameters !== null && !Array.isArray(props.parameters), `${field}.parameters`, props.parameters,
      'is not a map of PgBouncer settings', 'give e.g. { max_client_conn: "1000" }')) {
      for (const [name, value] of Object.entries(props.parameters)) {
        const path = `${field}.parameters.${name}`;
        if (!problems.check(/^[a-z_][a-z0-9_]*$/.test(name), path, name, 'is not a PgBouncer setting name', 'use lowercase letters, digits and "_"')) continue;
        const reason = POOLER_MANAGED_PARAMETERS[name];
        if (reason) {
          problems.add(path, value, `is managed by CloudNativePG: ${reason}`, `remove "${name}"`);
          continue;
        }
        problems.check(typeof value === 'string', path, value, 'is not a string', `quote the value, e.g. "${String(value)}"`);
      }
    }
  }
  if (props.serviceTemplate !== undefined) checkServiceTemplate(problems, `${field}.serviceTemplate`, props.serviceTemplate);
  return databaseResources(problems, `${field}.resources`, props.resources, { cpu: '100m', memory: '128Mi' })?.requirements;
}

/** Renders one Pooler. */
export function renderPooler(scope: Construct, id: string, props: {
  name: string; namespace: string; labels: Record<string, string>; cluster: string; type: 'rw' | 'ro'; pooler: PoolerProps; resources: k8s.ResourceRequirements;
}): Pooler {
  const r = props.resources;
  return new Pooler(scope, id, {
    metadata: { name: props.name, namespace: props.namespace, labels: props.labels },
    spec: {
      cluster: { name: props.cluster },
      serviceTemplate: serviceTemplate(props.pooler.serviceTemplate),
      type: props.type === 'rw' ? PoolerSpecType.RW : PoolerSpecType.RO,
      instances: props.pooler.instances ?? 2,
      pgbouncer: {
        poolMode: (props.pooler.poolMode ?? PoolMode.SESSION) === PoolMode.SESSION ? PoolerSpecPgbouncerPoolMode.SESSION : PoolerSpecPgbouncerPoolMode.TRANSACTION,
        parameters: props.pooler.parameters && Object.keys(props.pooler.parameters).length > 0 ? Object.fromEntries(Object.entries(props.pooler.parameters)) : undefined,
      },
      // Only the resources are set: the operator fills in the image, probes and its restricted
      // security context for the pgbouncer container.
      template: {
        metadata: { labels: props.labels },
        spec: {
          containers: [{
            name: 'pgbouncer',
            resources: resourceQuantities(r, PoolerSpecTemplateSpecContainersResourcesRequests.fromString, PoolerSpecTemplateSpecContainersResourcesLimits.fromString),
          }],
        },
      },
    },
  });
}

function serviceTemplate(t: PoolerServiceTemplate | undefined): PoolerSpecServiceTemplate | undefined {
  if (t === undefined) return undefined;
  const some = (m?: Record<string, string>) => (m && Object.keys(m).length > 0 ? { ...m } : undefined);
  const metadata = { labels: some(t.labels), annotations: some(t.annotations) };
  return {
    metadata: metadata.labels || metadata.annotations ? metadata : undefined,
    spec: t.serviceType ? { type: t.serviceType } : undefined,
  };
}
