import { ClusterSpecManagedRoles, ClusterSpecManagedRolesEnsure } from '../../imports/cnpg-clusters-postgresql.cnpg.io';
import { Problems } from '../core/errors';

/** Roles PostgreSQL or CloudNativePG reserve for themselves. */
export const RESERVED_ROLES: readonly string[] = ['postgres', 'streaming_replica', 'public'];

/** PostgreSQL identifiers this library accepts for roles and databases: lowercase, unquoted. */
export const IDENTIFIER = /^[a-z_][a-z0-9_]{0,62}$/;

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

/**
 * A role that CloudNativePG keeps in the state declared here (`spec.managed.roles`). Its password
 * comes from a Secret of type `kubernetes.io/basic-auth` with `username` and `password` keys.
 */
export interface RoleProps {
  /** Role name: a lowercase PostgreSQL identifier. */
  readonly name: string;
  /** Secret holding the role's `username` and `password`. @default no password (the role cannot log in with one) */
  readonly passwordSecret?: string;
  /** The role may log in. @default true */
  readonly login?: boolean;
  /** The role may create databases. @default false */
  readonly createdb?: boolean;
  /** The role may create roles. @default false */
  readonly createrole?: boolean;
  /** The role may start streaming replication. @default false */
  readonly replication?: boolean;
  /** The role bypasses row-level security. @default false */
  readonly bypassrls?: boolean;
  /** Roles this role is a member of (managed roles, or built-ins such as `pg_read_all_data`). @default none */
  readonly inRoles?: string[];
  /** Concurrent connections allowed; -1 for no limit. @default -1 */
  readonly connectionLimit?: number;
  /** Password expiry, RFC 3339 (e.g. `2026-12-31T00:00:00Z`). @default never */
  readonly validUntil?: string;
  /** `absent` drops the role. @default 'present' */
  readonly ensure?: 'present' | 'absent';
  /** Comment on the role. @default none */
  readonly comment?: string;
}

/** Validates managed roles; returns the names of roles that will exist. */
export function checkRoles(problems: Problems, field: string, roles: readonly RoleProps[] | undefined): Set<string> {
  const present = new Set<string>();
  if (roles === undefined) return present;
  if (!problems.check(Array.isArray(roles), field, roles, 'is not a list of roles', 'give e.g. [{ name: "reporting", passwordSecret: "reporting-credentials" }]')) return present;
  const seen = new Set<string>();
  roles.forEach((role, i) => {
    const path = `${field}[${i}]`;
    const name = role?.name;
    if (problems.check(typeof name === 'string' && IDENTIFIER.test(name), `${path}.name`, name, 'is not a lowercase PostgreSQL identifier',
      'use lowercase letters, digits and "_" (at most 63), starting with a letter or "_"')) {
      problems.check(!RESERVED_ROLES.includes(name) && !name.startsWith('pg_'), `${path}.name`, name, 'is reserved by PostgreSQL or CloudNativePG', 'choose another role name');
      problems.check(!seen.has(name), `${path}.name`, name, 'is declared twice', 'declare each role once');
      seen.add(name);
      if ((role.ensure ?? 'present') === 'present') present.add(name);
    }
    if (role?.passwordSecret !== undefined) {
      problems.check(typeof role.passwordSecret === 'string' && /^[a-z0-9]([-a-z0-9.]*[a-z0-9])?$/.test(role.passwordSecret) && role.passwordSecret.length <= 253,
        `${path}.passwordSecret`, role.passwordSecret, 'is not a valid Secret name', 'name an existing kubernetes.io/basic-auth Secret');
    }
    if (role?.connectionLimit !== undefined) {
      problems.check(Number.isInteger(role.connectionLimit) && role.connectionLimit >= -1, `${path}.connectionLimit`, role.connectionLimit,
        'must be a whole number of at least -1', 'give -1 for no limit or a positive number');
    }
    if (role?.validUntil !== undefined) {
      problems.check(isRfc3339(role.validUntil), `${path}.validUntil`, role.validUntil, 'is not an RFC 3339 timestamp', 'give e.g. "2026-12-31T00:00:00Z"');
    }
    if (role?.ensure !== undefined) {
      problems.check(role.ensure === 'present' || role.ensure === 'absent', `${path}.ensure`, role.ensure, 'is not "present" or "absent"', 'use "present" or "absent"');
    }
    if (role?.inRoles !== undefined) {
      problems.check(Array.isArray(role.inRoles) && role.inRoles.every(r => typeof r === 'string' && IDENTIFIER.test(r)), `${path}.inRoles`, role.inRoles,
        'is not a list of role names', 'give lowercase role names');
    }
  });
  return present;
}

/** Renders `spec.managed.roles` (without validUntil: cdk8s cannot render the Date the import expects; see roleExpiries). */
export function renderRoles(roles: readonly RoleProps[]): ClusterSpecManagedRoles[] {
  return roles.map(role => ({
    name: role.name,
    ensure: role.ensure === 'absent' ? ClusterSpecManagedRolesEnsure.ABSENT : ClusterSpecManagedRolesEnsure.PRESENT,
    login: role.login ?? true,
    superuser: false,
    createdb: role.createdb ?? false,
    createrole: role.createrole ?? false,
    replication: role.replication ?? false,
    bypassrls: role.bypassrls ?? false,
    inherit: true,
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
