import { Construct } from 'constructs';
import { Database, DatabaseSpecDatabaseReclaimPolicy, DatabaseSpecEnsure, DatabaseSpecExtensionsEnsure } from '../../imports/cnpg-databases-postgresql.cnpg.io';
import { Problems } from '../core/errors';
import { IDENTIFIER } from './roles';

/** An extra database in the cluster, kept by CloudNativePG through a `Database` resource. */
export interface DatabaseProps {
  /** Database name: a lowercase PostgreSQL identifier (not postgres, template0 or template1). */
  readonly name: string;
  /** Owner: a managed role of the cluster or the initdb owner. */
  readonly owner: string;
  /** Extensions to create in the database (they must be available in the image). @default none */
  readonly extensions?: string[];
  /** Schemas to create, owned by the database owner. @default none */
  readonly schemas?: string[];
  /**
   * What happens to the database when the `Database` resource is deleted: `retain` keeps it,
   * `delete` drops it.
   * @default 'retain'
   */
  readonly reclaimPolicy?: 'retain' | 'delete';
  /** `absent` drops the database. @default 'present' */
  readonly ensure?: 'present' | 'absent';
  /** Connections allowed; -1 for no limit. @default -1 */
  readonly connectionLimit?: number;
}

const RESERVED_DATABASES = ['postgres', 'template0', 'template1'];

/** The Kubernetes name of a Database resource: `<cluster>-<database>` with "_" as "-". */
export function databaseResourceName(cluster: string, database: string): string {
  return `${cluster}-${database.replace(/_/g, '-')}`.replace(/-+/g, '-').replace(/-$/, '');
}

/** Validates extra databases against the roles that will exist. */
export function checkDatabases(problems: Problems, field: string, cluster: string, databases: readonly DatabaseProps[] | undefined, roles: ReadonlySet<string>, initdbDatabase?: string): void {
  if (databases === undefined) return;
  if (!problems.check(Array.isArray(databases), field, databases, 'is not a list of databases', 'give e.g. [{ name: "reports", owner: "reporting" }]')) return;
  const seen = new Set<string>(initdbDatabase ? [initdbDatabase] : []);
  const resourceNames = new Set<string>();
  databases.forEach((db, i) => {
    const path = `${field}[${i}]`;
    if (problems.check(typeof db?.name === 'string' && IDENTIFIER.test(db.name), `${path}.name`, db?.name, 'is not a lowercase PostgreSQL identifier',
      'use lowercase letters, digits and "_" (at most 63)')) {
      problems.check(!RESERVED_DATABASES.includes(db.name), `${path}.name`, db.name, 'is a system database', 'choose another name');
      problems.check(!seen.has(db.name), `${path}.name`, db.name, 'is declared twice (or is the bootstrap database)', 'declare each database once');
      seen.add(db.name);
      const resourceName = databaseResourceName(cluster, db.name);
      problems.check(resourceName.length <= 253 && !resourceNames.has(resourceName), `${path}.name`, db.name,
        `maps to the resource name "${resourceName}", which another database already uses`, 'choose names that differ other than by "_" and "-"');
      resourceNames.add(resourceName);
    }
    problems.check(typeof db?.owner === 'string' && roles.has(db.owner), `${path}.owner`, db?.owner,
      'is not a role the cluster has', `declare it in roles (with ensure "present"), or use one of: ${[...roles].sort().join(', ') || '(none)'}`);
    for (const [key, list] of [['extensions', db?.extensions], ['schemas', db?.schemas]] as const) {
      if (list === undefined) continue;
      problems.check(Array.isArray(list) && list.every(x => typeof x === 'string' && /^[a-z_][a-z0-9_-]{0,62}$/.test(x)) && new Set(list).size === list.length,
        `${path}.${key}`, list, 'is not a list of distinct lowercase names', `give e.g. ${key === 'extensions' ? '["pg_trgm"]' : '["reporting"]'}`);
    }
    if (db?.reclaimPolicy !== undefined) {
      problems.check(db.reclaimPolicy === 'retain' || db.reclaimPolicy === 'delete', `${path}.reclaimPolicy`, db.reclaimPolicy, 'is not "retain" or "delete"', 'use "retain" (keeps the data) or "delete"');
    }
    if (db?.ensure !== undefined) {
      problems.check(db.ensure === 'present' || db.ensure === 'absent', `${path}.ensure`, db.ensure, 'is not "present" or "absent"', 'use "present" or "absent"');
    }
    if (db?.connectionLimit !== undefined) {
      problems.check(Number.isInteger(db.connectionLimit) && db.connectionLimit >= -1, `${path}.connectionLimit`, db.connectionLimit, 'must be a whole number of at least -1', 'give -1 for no limit');
    }
  });
}

/** Renders one `Database` resource. */
export function renderDatabase(scope: Construct, id: string, props: { cluster: string; namespace: string; labels: Record<string, string>; annotations: Record<string, string>; database: DatabaseProps }): Database {
  const db = props.database;
  return new Database(scope, id, {
    metadata: { name: databaseResourceName(props.cluster, db.name), namespace: props.namespace, labels: props.labels, annotations: props.annotations },
    spec: {
      cluster: { name: props.cluster },
      name: db.name,
      owner: db.owner,
      ensure: db.ensure === 'absent' ? DatabaseSpecEnsure.ABSENT : DatabaseSpecEnsure.PRESENT,
      databaseReclaimPolicy: db.reclaimPolicy === 'delete' ? DatabaseSpecDatabaseReclaimPolicy.DELETE : DatabaseSpecDatabaseReclaimPolicy.RETAIN,
      connectionLimit: db.connectionLimit,
      extensions: db.extensions?.map(name => ({ name, ensure: DatabaseSpecExtensionsEnsure.PRESENT })),
      schemas: db.schemas?.map(name => ({ name, owner: db.owner })),
    },
  });
}
