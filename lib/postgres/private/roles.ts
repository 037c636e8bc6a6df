import { Construct } from 'constructs';
import { ClusterSpecManagedRoles, ClusterSpecManagedRolesEnsure } from '../../../imports/cnpg-clusters-postgresql.cnpg.io';
import { Database, DatabaseSpecDatabaseReclaimPolicy, DatabaseSpecEnsure, DatabaseSpecExtensionsEnsure } from '../../../imports/cnpg-databases-postgresql.cnpg.io';
import { Problems } from '../../core/errors';
import { checkChoice, checkName, checkObjectName } from '../../core/names';
import { DatabaseProps, DatabaseReclaimPolicy } from '../database';
import { Ensure, RoleProps } from '../roles';
import { IDENTIFIER } from './constants';

/** Roles PostgreSQL or CloudNativePG reserve for themselves. */
export const RESERVED_ROLES: readonly string[] = ['postgres', 'streaming_replica', 'public'];
const RESERVED_DATABASES = ['postgres', 'template0', 'template1'];

/** RFC 3339 timestamp with an explicit offset, e.g. `2026-01-31T23:00:00Z`. */
export const RFC3339 = /^(\d{4})-(\d{2})-(\d{2})[Tt](\d{2}):(\d{2}):(\d{2})(\.\d+)?([Zz]|[+-]\d{2}:\d{2})$/;

/** True when `value` is an RFC 3339 timestamp naming a real instant (no 31 February). */
export function isRfc3339(value: unknown): value is string {
  if (typeof value !== 'string') return false;
  const m = RFC3339.exec(value);
  if (!m) return false;
  const [, y, mo, d, h, mi, s] = m.map(Number);
  if (mo < 1 || mo > 12 || d < 1 || h > 23 || mi > 59 || s > 59) return false;
  const days = new Date(Date.UTC(y, mo, 0)).getUTCDate();
  return d <= days && !Number.isNaN(Date.parse(value));
}

function checkConnectionLimit(problems: Problems, field: string, value: unknown): void {
  if (value === undefined) return;
  problems.check(typeof value === 'number' && Number.isInteger(value) && value >= -1, field, value, 'must be a whole number of at least -1', 'give -1 for no limit or a positive number');
}

function checkRole(problems: Problems, path: string, role: RoleProps, seen: Set<string>, present: Set<string>): void {
  const name = role?.name;
  if (problems.check(typeof name === 'string' && IDENTIFIER.test(name), `${path}.name`, name, 'is not a lowercase PostgreSQL identifier',
    'use lowercase letters, digits and "_" (at most 63), starting with a letter or "_"')) {
    problems.check(!RESERVED_ROLES.includes(name) && !name.startsWith('pg_'), `${path}.name`, name, 'is reserved by PostgreSQL or CloudNativePG', 'choose another role name');
    problems.check(!seen.has(name), `${path}.name`, name, 'is declared twice', 'declare each role once');
    seen.add(name);
    if ((role.ensure ?? Ensure.PRESENT) === Ensure.PRESENT) present.add(name);
  }
  if (role?.passwordSecret !== undefined) checkObjectName(problems, `${path}.passwordSecret`, role.passwordSecret, 'Secret');
  checkConnectionLimit(problems, `${path}.connectionLimit`, role?.connectionLimit);
  if (role?.validUntil !== undefined) {
    problems.check(isRfc3339(role.validUntil), `${path}.validUntil`, role.validUntil, 'is not an RFC 3339 timestamp', 'give e.g. "2026-12-31T00:00:00Z"');
  }
  if (role?.ensure !== undefined) checkChoice(problems, `${path}.ensure`, role.ensure, Ensure);
  for (const key of ['login', 'superuser', 'inherit', 'createdb', 'createrole', 'replication', 'bypassrls'] as const) {
    if (role?.[key] !== undefined) problems.check(typeof role[key] === 'boolean', `${path}.${key}`, role[key], 'must be true or false', 'leave it out for the default');
  }
  if (role?.inRoles !== undefined) {
    problems.check(Array.isArray(role.inRoles) && role.inRoles.every(r => typeof r === 'string' && IDENTIFIER.test(r)), `${path}.inRoles`, role.inRoles,
      'is not a list of role names', 'give lowercase role names');
  }
}

/** Validates managed roles; returns the names of roles that will exist. */
export function checkRoles(problems: Problems, field: string, roles: readonly RoleProps[] | undefined): Set<string> {
  const present = new Set<string>();
  if (roles === undefined) return present;
  if (!problems.check(Array.isArray(roles), field, roles, 'is not a list of roles', 'give e.g. [{ name: "reporting", passwordSecret: "reporting-credentials" }]')) return present;
  const seen = new Set<string>();
  roles.forEach((role, i) => checkRole(problems, `${field}[${i}]`, role, seen, present));
  return present;
}

/** Renders `spec.managed.roles` (without validUntil: cdk8s cannot render the Date the import expects; see roleExpiries). */
export function renderRoles(roles: readonly RoleProps[]): ClusterSpecManagedRoles[] {
  return roles.map(role => ({
    name: role.name,
    ensure: role.ensure === Ensure.ABSENT ? ClusterSpecManagedRolesEnsure.ABSENT : ClusterSpecManagedRolesEnsure.PRESENT,
    login: role.login ?? true,
    superuser: role.superuser ?? false,
    createdb: role.createdb ?? false,
    createrole: role.createrole ?? false,
    replication: role.replication ?? false,
    bypassrls: role.bypassrls ?? false,
    inherit: role.inherit ?? true,
    connectionLimit: role.connectionLimit ?? -1,
    inRoles: role.inRoles,
    passwordSecret: role.passwordSecret ? { name: role.passwordSecret } : undefined,
    comment: role.comment,
  }));
}

/** `validUntil` of the managed roles by index in `spec.managed.roles`, as the RFC 3339 strings given. */
export function roleExpiries(roles: readonly RoleProps[]): Map<number, string> {
  return new Map(roles.flatMap((role, i) => (role.validUntil ? [[i, role.validUntil] as [number, string]] : [])));
}

/** The Kubernetes name of a Database resource: `<cluster>-<database>` with "_" as "-". */
export function databaseResourceName(cluster: string, database: string): string {
  return `${cluster}-${database.replace(/_/g, '-')}`.replace(/-+/g, '-').replace(/-$/, '');
}

function checkDatabase(problems: Problems, path: string, cluster: string, db: DatabaseProps, roles: ReadonlySet<string>, seen: Set<string>, resourceNames: Set<string>,
  bootstrap: { database: string; owner: string }): void {
  if (db?.name !== undefined && db.name === bootstrap.database && !seen.has(`\0${db.name}`)) {
    // The bootstrap database may be listed once, to add extensions and schemas: nothing that drops,
    // limits or hands it over.
    seen.add(`\0${db.name}`);
    seen.delete(db.name);
    const why = 'is the bootstrap database, whose Database may only add extensions and schemas';
    problems.check(db.owner === bootstrap.owner, `${path}.owner`, db.owner, `${why}; its owner stays "${bootstrap.owner}"`, `give owner "${bootstrap.owner}"`);
    problems.check((db.ensure ?? Ensure.PRESENT) === Ensure.PRESENT, `${path}.ensure`, db.ensure, why, 'remove ensure');
    problems.check((db.reclaimPolicy ?? DatabaseReclaimPolicy.RETAIN) === DatabaseReclaimPolicy.RETAIN, `${path}.reclaimPolicy`, db.reclaimPolicy, why, 'remove reclaimPolicy');
    problems.check(db.connectionLimit === undefined, `${path}.connectionLimit`, db.connectionLimit, why, 'remove connectionLimit');
  }
  if (problems.check(typeof db?.name === 'string' && IDENTIFIER.test(db.name), `${path}.name`, db?.name, 'is not a lowercase PostgreSQL identifier',
    'use lowercase letters, digits and "_" (at most 63)')) {
    problems.check(!RESERVED_DATABASES.includes(db.name), `${path}.name`, db.name, 'is a system database', 'choose another name');
    problems.check(!seen.has(db.name), `${path}.name`, db.name, 'is declared twice (or is the bootstrap database)', 'declare each database once');
    seen.add(db.name);
    if (db.resourceName === undefined) {
      const resourceName = databaseResourceName(cluster, db.name);
      problems.check(resourceName.length <= 253 && !resourceNames.has(resourceName), `${path}.name`, db.name,
        `maps to the resource name "${resourceName}", which another database already uses`, 'choose names that differ other than by "_" and "-", or give resourceName');
      resourceNames.add(resourceName);
    }
  }
  if (db?.resourceName !== undefined && checkName(problems, `${path}.resourceName`, db.resourceName)) {
    problems.check(!resourceNames.has(db.resourceName), `${path}.resourceName`, db.resourceName, 'is the resource name of another database', 'give each Database its own name');
    resourceNames.add(db.resourceName);
  }
  problems.check(typeof db?.owner === 'string' && roles.has(db.owner), `${path}.owner`, db?.owner,
    'is not a role the cluster has', `declare it in roles (with ensure PRESENT), or use one of: ${[...roles].sort().join(', ') || '(none)'}`);
  for (const [key, list] of [['extensions', db?.extensions], ['schemas', db?.schemas]] as const) {
    if (list === undefined) continue;
    problems.check(Array.isArray(list) && list.every(x => typeof x === 'string' && LOWER_NAME.test(x)) && new Set(list).size === list.length,
      `${path}.${key}`, list, 'is not a list of distinct lowercase names', `give e.g. ${key === 'extensions' ? '["pg_trgm"]' : '["reporting"]'}`);
  }
  checkExtensionSettings(problems, `${path}.extensionSettings`, db);
  if (db?.reclaimPolicy !== undefined) checkChoice(problems, `${path}.reclaimPolicy`, db.reclaimPolicy, DatabaseReclaimPolicy);
  if (db?.ensure !== undefined) checkChoice(problems, `${path}.ensure`, db.ensure, Ensure);
  checkConnectionLimit(problems, `${path}.connectionLimit`, db?.connectionLimit);
}

const LOWER_NAME = /^[a-z_][a-z0-9_-]{0,62}$/;

function checkExtensionSettings(problems: Problems, field: string, db: DatabaseProps): void {
  const list = db?.extensionSettings;
  if (list === undefined) return;
  if (!problems.check(Array.isArray(list), field, list, 'is not a list of extensions', 'give e.g. [{ name: "postgis", version: "3.5.2" }]')) return;
  const names = new Set(Array.isArray(db.extensions) ? db.extensions : []);
  list.forEach((ext, i) => {
    const path = `${field}[${i}]`;
    if (problems.check(typeof ext?.name === 'string' && LOWER_NAME.test(ext.name), `${path}.name`, ext?.name, 'is not a lowercase extension name', 'give e.g. "postgis"')) {
      problems.check(!names.has(ext.name), `${path}.name`, ext.name, 'is declared twice (here or in extensions)', 'declare each extension once');
      names.add(ext.name);
    }
    if (ext?.version !== undefined) {
      problems.check(typeof ext.version === 'string' && /^[A-Za-z0-9][A-Za-z0-9._-]{0,62}$/.test(ext.version), `${path}.version`, ext.version,
        'is not an extension version', 'give the version as PostgreSQL lists it, e.g. "3.5.2"');
    }
    if (ext?.schema !== undefined) {
      problems.check(typeof ext.schema === 'string' && IDENTIFIER.test(ext.schema), `${path}.schema`, ext.schema, 'is not a lowercase schema name', 'give e.g. "extensions"');
    }
  });
}

/** Validates extra databases against the roles that will exist. */
export function checkDatabases(problems: Problems, field: string, cluster: string, databases: readonly DatabaseProps[] | undefined, roles: ReadonlySet<string>,
  bootstrap: { database: string; owner: string }): void {
  if (databases === undefined) return;
  if (!problems.check(Array.isArray(databases), field, databases, 'is not a list of databases', 'give e.g. [{ name: "reports", owner: "reporting" }]')) return;
  const seen = new Set<string>([bootstrap.database]);
  const resourceNames = new Set<string>();
  databases.forEach((db, i) => checkDatabase(problems, `${field}[${i}]`, cluster, db, roles, seen, resourceNames, bootstrap));
}

/** Renders one `Database` resource. */
export function renderDatabase(scope: Construct, id: string, props: { cluster: string; namespace: string; labels: Record<string, string>; annotations: Record<string, string>; database: DatabaseProps }): Database {
  const db = props.database;
  return new Database(scope, id, {
    metadata: { name: db.resourceName ?? databaseResourceName(props.cluster, db.name), namespace: props.namespace, labels: props.labels, annotations: props.annotations },
    spec: {
      cluster: { name: props.cluster },
      name: db.name,
      owner: db.owner,
      ensure: db.ensure === Ensure.ABSENT ? DatabaseSpecEnsure.ABSENT : DatabaseSpecEnsure.PRESENT,
      databaseReclaimPolicy: db.reclaimPolicy === DatabaseReclaimPolicy.DELETE ? DatabaseSpecDatabaseReclaimPolicy.DELETE : DatabaseSpecDatabaseReclaimPolicy.RETAIN,
      connectionLimit: db.connectionLimit,
      extensions: db.extensions || db.extensionSettings ? [
        ...(db.extensions ?? []).map(name => ({ name, ensure: DatabaseSpecExtensionsEnsure.PRESENT })),
        ...(db.extensionSettings ?? []).map(e => ({ name: e.name, version: e.version, schema: e.schema, ensure: DatabaseSpecExtensionsEnsure.PRESENT })),
      ] : undefined,
      schemas: db.schemas?.map(name => ({ name, owner: db.owner })),
    },
  });
}
