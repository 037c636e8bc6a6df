import { Ensure } from './roles';

/** What happens to a database when its `Database` resource is deleted. */
export enum DatabaseReclaimPolicy {
  /** The database stays in PostgreSQL. */
  RETAIN = 'retain',
  /** The database is dropped. */
  DELETE = 'delete',
}

/** An extension of a database with its version and schema (CloudNativePG `Database` `extensions[]`). */
export interface DatabaseExtensionProps {
  /** Extension name, e.g. `postgis` (it must be available in the image). */
  readonly name: string;
  /** Version to install or update to (`ALTER EXTENSION ... UPDATE TO`). @default the image's default version */
  readonly version?: string;
  /** Schema the extension's objects are created in. @default the first schema of the search path */
  readonly schema?: string;
}

/**
 * A database of the cluster, kept by CloudNativePG through a `Database` resource. The bootstrap
 * database may be listed too, with its owner, to add extensions and schemas to it.
 */
export interface DatabaseProps {
  /** Database name: a lowercase PostgreSQL identifier (not postgres, template0 or template1). */
  readonly name: string;
  /** Owner: a managed role of the cluster or the bootstrap owner. */
  readonly owner: string;
  /** Extensions to create in the database (they must be available in the image). @default none */
  readonly extensions?: string[];
  /** Extensions with a version or schema; a name may not also be in `extensions`. @default none */
  readonly extensionSettings?: DatabaseExtensionProps[];
  /** Schemas to create, owned by the database owner. @default none */
  readonly schemas?: string[];
  /** What happens to the database when the `Database` resource is deleted. @default DatabaseReclaimPolicy.RETAIN */
  readonly reclaimPolicy?: DatabaseReclaimPolicy;
  /** `Ensure.ABSENT` drops the database. @default Ensure.PRESENT */
  readonly ensure?: Ensure;
  /** Connections allowed; -1 for no limit. @default -1 */
  readonly connectionLimit?: number;
  /** Name of the `Database` resource (a DNS-1123 name). @default `<cluster>-<name>` with "_" as "-" */
  readonly resourceName?: string;
}
