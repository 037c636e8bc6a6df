import { ClusterSpecTablespaces } from '../../../imports/cnpg-clusters-postgresql.cnpg.io';
import { Problems } from '../../core/errors';
import { ResolvedStorage, checkStorage } from '../../core/storage';
import { TablespaceProps } from '../tablespace';
import { IDENTIFIER } from './constants';

/** Validated tablespaces with their volumes. */
export interface ResolvedTablespace {
  readonly props: TablespaceProps;
  readonly storage: ResolvedStorage;
}

/** Validates tablespaces against the roles the cluster has. */
export function checkTablespaces(problems: Problems, field: string, list: readonly TablespaceProps[] | undefined, roles: ReadonlySet<string>): ResolvedTablespace[] {
  if (list === undefined) return [];
  if (!problems.check(Array.isArray(list), field, list, 'is not a list of tablespaces', 'give e.g. [{ name: "archive", storage: { size: "100Gi" } }]')) return [];
  const seen = new Set<string>();
  const out: ResolvedTablespace[] = [];
  list.forEach((t, i) => {
    const path = `${field}[${i}]`;
    if (problems.check(typeof t?.name === 'string' && IDENTIFIER.test(t.name) && !t.name.startsWith('pg_'), `${path}.name`, t?.name,
      'is not a usable tablespace name', 'use a lowercase identifier that does not start with pg_')) {
      problems.check(!seen.has(t.name), `${path}.name`, t.name, 'is declared twice', 'declare each tablespace once');
      seen.add(t.name);
    }
    const storage = checkStorage(problems, `${path}.storage`, t?.storage);
    if (t?.owner !== undefined) {
      problems.check(roles.has(t.owner), `${path}.owner`, t.owner, 'is not a role the cluster has', `declare it in roles, or use one of: ${[...roles].sort().join(', ')}`);
    }
    if (t?.temporary !== undefined) problems.check(typeof t.temporary === 'boolean', `${path}.temporary`, t.temporary, 'must be true or false', 'leave it out for a regular tablespace');
    if (storage) out.push({ props: t, storage });
  });
  return out;
}

/** Renders `spec.tablespaces`. */
export function renderTablespaces(list: readonly ResolvedTablespace[]): ClusterSpecTablespaces[] | undefined {
  if (list.length === 0) return undefined;
  return list.map(({ props, storage }) => ({
    name: props.name,
    storage: { size: storage.size, storageClass: storage.storageClass, resizeInUseVolumes: true },
    owner: props.owner ? { name: props.owner } : undefined,
    temporary: props.temporary,
  }));
}
