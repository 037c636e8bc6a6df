import { Construct } from 'constructs';
import { Publication, PublicationSpecPublicationReclaimPolicy } from '../../../imports/cnpg-publications-postgresql.cnpg.io';
import { Subscription, SubscriptionSpecSubscriptionReclaimPolicy } from '../../../imports/cnpg-subscriptions-postgresql.cnpg.io';
import { Problems } from '../../core/errors';
import { checkChoice } from '../../core/names';
import { DatabaseReclaimPolicy } from '../database';
import { ExternalCluster } from '../external-cluster';
import type { PublicationProps, SubscriptionProps } from '../logical-replication';
import { IDENTIFIER, plain } from './constants';
import { ExternalSourceContext, ResolvedExternalCluster } from './external-clusters';
import { databaseResourceName } from './roles';

const QUALIFIED_TABLE = /^([a-z_][a-z0-9_]{0,62}\.)?[a-z_][a-z0-9_]{0,62}$/;

/** A validated subscription with its source. */
export interface ResolvedSubscription {
  readonly props: SubscriptionProps;
  readonly source: ResolvedExternalCluster;
}

function checkOptions(problems: Problems, field: string, map: unknown): void {
  if (map === undefined) return;
  problems.check(typeof map === 'object' && map !== null && Object.entries(map).every(([k, v]) => /^[a-z_]+$/.test(k) && typeof v === 'string'),
    field, map, 'is not a map of option names to string values', 'give e.g. { publish: "insert,update,delete" }');
}

function checkCommon(problems: Problems, field: string, item: { name?: unknown; database?: unknown; reclaimPolicy?: unknown }, databases: ReadonlySet<string>, seen: Set<string>): void {
  if (problems.check(typeof item?.name === 'string' && IDENTIFIER.test(item.name), `${field}.name`, item?.name, 'is not a lowercase PostgreSQL identifier', 'use e.g. "orders_pub"')) {
    problems.check(!seen.has(item.name as string), `${field}.name`, item.name, 'is declared twice', 'declare each once');
    seen.add(item.name as string);
  }
  if (item?.database !== undefined) {
    problems.check(typeof item.database === 'string' && databases.has(item.database), `${field}.database`, item.database,
      'is not a database of this cluster', `use one of: ${[...databases].sort().join(', ')}`);
  }
  if (item?.reclaimPolicy !== undefined) checkChoice(problems, `${field}.reclaimPolicy`, item.reclaimPolicy, DatabaseReclaimPolicy);
}

/** Validates publications against the databases the cluster has. */
export function checkPublications(problems: Problems, field: string, list: readonly PublicationProps[] | undefined, databases: ReadonlySet<string>): PublicationProps[] {
  if (list === undefined) return [];
  if (!problems.check(Array.isArray(list), field, list, 'is not a list of publications', 'give e.g. [{ name: "orders_pub" }]')) return [];
  const seen = new Set<string>();
  list.forEach((p, i) => {
    const path = `${field}[${i}]`;
    checkCommon(problems, path, p, databases, seen);
    for (const [key, pattern, example] of [['tables', QUALIFIED_TABLE, '["public.orders"]'], ['schemas', IDENTIFIER, '["public"]']] as const) {
      const value = p?.[key];
      if (value === undefined) continue;
      problems.check(Array.isArray(value) && value.length > 0 && value.every(v => typeof v === 'string' && pattern.test(v)) && new Set(value).size === value.length,
        `${path}.${key}`, value, 'is not a list of distinct lowercase names', `give e.g. ${example}`);
    }
    checkOptions(problems, `${path}.parameters`, p?.parameters);
  });
  return [...list];
}

/** Validates subscriptions and resolves their sources. */
export function checkSubscriptions(problems: Problems, field: string, list: readonly SubscriptionProps[] | undefined, databases: ReadonlySet<string>,
  context: ExternalSourceContext): ResolvedSubscription[] {
  if (list === undefined) return [];
  if (!problems.check(Array.isArray(list), field, list, 'is not a list of subscriptions', 'give e.g. [{ name: "orders_sub", source, publicationName: "orders_pub" }]')) return [];
  const seen = new Set<string>();
  const out: ResolvedSubscription[] = [];
  list.forEach((s, i) => {
    const path = `${field}[${i}]`;
    checkCommon(problems, path, s, databases, seen);
    problems.check(typeof s?.publicationName === 'string' && IDENTIFIER.test(s.publicationName), `${path}.publicationName`, s?.publicationName,
      'is not a publication name', 'give the name of the publication on the source');
    if (s?.publicationDatabase !== undefined) {
      problems.check(typeof s.publicationDatabase === 'string' && IDENTIFIER.test(s.publicationDatabase), `${path}.publicationDatabase`, s.publicationDatabase, 'is not a database name', 'give e.g. "app"');
    }
    checkOptions(problems, `${path}.parameters`, s?.parameters);
    if (!problems.check(s?.source instanceof ExternalCluster, `${path}.source`, s?.source, 'is not an ExternalCluster',
      'use ExternalCluster.fromCluster(old, { user, password }) or fromServer(...)')) return;
    const source = s.source._resolve(problems, `${path}.source`, context);
    if (!source) return;
    if (!problems.check(source.kind === 'connection', `${path}.source`, source.name, 'is an object store; a subscription connects to a running server',
      'use ExternalCluster.fromCluster(old, { user, password }) or fromServer(...)')) return;
    problems.check(source.user !== 'streaming_replica', `${path}.source.user`, source.user,
      'is the physical replication user, which CloudNativePG lets into the replication pseudo-database only',
      'connect as a role with replication: true and a password (a managed role of the source)');
    if (source.replicationRoles !== undefined && source.user !== undefined && source.user !== 'streaming_replica') {
      problems.check(source.replicationRoles.includes(source.user), `${path}.source.user`, source.user,
        'is not a role of the source cluster with the REPLICATION attribute', `declare it in the source's roles with replication: true${source.replicationRoles.length ? `, or use one of: ${source.replicationRoles.join(', ')}` : ''}`);
    }
    out.push({ props: s, source });
  });
  return out;
}

const publicationPolicy = (p?: DatabaseReclaimPolicy) =>
  (p === DatabaseReclaimPolicy.DELETE ? PublicationSpecPublicationReclaimPolicy.DELETE : PublicationSpecPublicationReclaimPolicy.RETAIN);
const subscriptionPolicy = (p?: DatabaseReclaimPolicy) =>
  (p === DatabaseReclaimPolicy.DELETE ? SubscriptionSpecSubscriptionReclaimPolicy.DELETE : SubscriptionSpecSubscriptionReclaimPolicy.RETAIN);

interface RenderContext {
  readonly cluster: string;
  readonly namespace: string;
  readonly database: string;
  readonly labels: Record<string, string>;
  readonly annotations: Record<string, string>;
}

/** Renders the Publication resources. */
export function renderPublications(scope: Construct, c: RenderContext, list: readonly PublicationProps[]): void {
  for (const p of list) {
    const split = (t: string) => (t.includes('.') ? { schema: t.split('.')[0], name: t.split('.')[1] } : { name: t });
    const objects = [...(p.schemas ?? []).map(schema => ({ tablesInSchema: schema })), ...(p.tables ?? []).map(t => ({ table: split(t) }))];
    new Publication(scope, `Publication-${p.name}`, {
      metadata: { name: databaseResourceName(c.cluster, p.name), namespace: c.namespace, labels: c.labels, annotations: c.annotations },
      spec: {
        cluster: { name: c.cluster },
        dbname: p.database ?? c.database,
        name: p.name,
        target: objects.length > 0 ? { objects } : { allTables: true },
        parameters: plain(p.parameters),
        publicationReclaimPolicy: publicationPolicy(p.reclaimPolicy),
      },
    });
  }
}

/** Renders the Subscription resources. */
export function renderSubscriptions(scope: Construct, c: RenderContext, list: readonly ResolvedSubscription[]): void {
  for (const { props: s, source } of list) {
    new Subscription(scope, `Subscription-${s.name}`, {
      metadata: { name: databaseResourceName(c.cluster, s.name), namespace: c.namespace, labels: c.labels, annotations: c.annotations },
      spec: {
        cluster: { name: c.cluster },
        dbname: s.database ?? c.database,
        name: s.name,
        externalClusterName: source.name,
        publicationName: s.publicationName,
        publicationDbName: s.publicationDatabase,
        parameters: plain(s.parameters),
        subscriptionReclaimPolicy: subscriptionPolicy(s.reclaimPolicy),
      },
    });
  }
}
