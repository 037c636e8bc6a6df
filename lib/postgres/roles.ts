/** Whether a managed role or database exists. */
export enum Ensure {
  /** CloudNativePG creates it and keeps it as declared. */
  PRESENT = 'present',
  /** CloudNativePG drops it. */
  ABSENT = 'absent',
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
  /** The role is a superuser: it bypasses every permission check (the safety gate blocks granting it). @default false */
  readonly superuser?: boolean;
  /** The role uses the privileges of the roles it is a member of without SET ROLE. @default true */
  readonly inherit?: boolean;
  /** The role bypasses row-level security. @default false */
  readonly bypassrls?: boolean;
  /** Roles this role is a member of (managed roles, or built-ins such as `pg_read_all_data`). @default none */
  readonly inRoles?: string[];
  /** Concurrent connections allowed; -1 for no limit. @default -1 */
  readonly connectionLimit?: number;
  /** Password expiry, RFC 3339 (e.g. `2026-12-31T00:00:00Z`). @default never */
  readonly validUntil?: string;
  /** `Ensure.ABSENT` drops the role. @default Ensure.PRESENT */
  readonly ensure?: Ensure;
  /** Comment on the role. @default none */
  readonly comment?: string;
}
