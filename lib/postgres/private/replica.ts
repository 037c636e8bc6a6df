import { Duration } from 'cdk8s';
import { ClusterSpecReplica } from '../../../imports/cnpg-clusters-postgresql.cnpg.io';
import { checkDuration } from '../../core/duration';
import { Problems } from '../../core/errors';
import { isDns1123Label } from '../../core/names';
import { ExternalCluster } from '../external-cluster';
import { ReplicaProps } from '../replica';
import { ExternalSourceContext, ResolvedExternalCluster } from './external-clusters';

/** A validated replica configuration. */
export interface ResolvedReplica {
  readonly spec: ClusterSpecReplica;
  readonly source: ResolvedExternalCluster;
}

const TOKEN = /^[A-Za-z0-9+/=_-]{1,4096}$/;

/** Validates `replica`; `names` are the names the topology may use (this cluster's self name is added). */
export function checkReplica(problems: Problems, field: string, replica: ReplicaProps, context: ExternalSourceContext): ResolvedReplica | undefined {
  if (!problems.check(typeof replica === 'object' && replica !== null, field, replica, 'is not a replica configuration', 'give { source: ExternalCluster.fromServer(...) }')) return undefined;
  let source: ResolvedExternalCluster | undefined;
  if (problems.check(replica.source instanceof ExternalCluster, `${field}.source`, replica.source, 'is not an ExternalCluster',
    'use ExternalCluster.fromServer(...), fromCluster(...), fromObjectStore(...) or fromClusterBackup(...)')) {
    source = replica.source._resolve(problems, `${field}.source`, context);
  }
  if (replica.enabled !== undefined) {
    problems.check(typeof replica.enabled === 'boolean', `${field}.enabled`, replica.enabled, 'must be true or false', 'leave it out for a replica');
    problems.check(replica.primary === undefined, `${field}.enabled`, replica.enabled, 'is decided by primary in a distributed topology', 'give either enabled or primary');
  }
  for (const key of ['primary', 'selfName'] as const) {
    if (replica[key] !== undefined) problems.check(isDns1123Label(replica[key]), `${field}.${key}`, replica[key], 'is not a cluster name of the topology', 'give e.g. "orders-eu"');
  }
  problems.check(replica.selfName === undefined || replica.primary !== undefined, `${field}.selfName`, replica.selfName, 'is only used with primary (distributed topology)', 'give primary too, or leave self out');
  if (replica.promotionToken !== undefined) {
    problems.check(typeof replica.promotionToken === 'string' && TOKEN.test(replica.promotionToken), `${field}.promotionToken`, '(token)',
      'is not a promotion token', 'copy status.demotionToken of the demoted primary as it is');
  }
  let delaySeconds = 0;
  if (replica.minApplyDelay !== undefined) {
    delaySeconds = checkDuration(problems, `${field}.minApplyDelay`, replica.minApplyDelay, { fallback: Duration.seconds(0), min: Duration.seconds(1), max: Duration.days(30) });
    problems.check(replica.promotionToken === undefined, `${field}.promotionToken`, '(token)', 'cannot be used with minApplyDelay (CloudNativePG refuses it)',
      'remove minApplyDelay before the controlled promotion');
  }
  if (!source) return undefined;
  return {
    source,
    spec: {
      source: source.name,
      enabled: replica.primary === undefined ? replica.enabled ?? true : undefined,
      primary: replica.primary,
      self: replica.primary !== undefined ? replica.selfName ?? context.clusterName : undefined,
      promotionToken: replica.promotionToken,
      minApplyDelay: replica.minApplyDelay !== undefined ? `${delaySeconds}s` : undefined,
    },
  };
}
