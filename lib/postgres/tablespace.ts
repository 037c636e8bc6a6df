import { StorageProps } from '../core/storage';

/** A tablespace on its own volume in every instance (CloudNativePG `tablespaces`). */
export interface TablespaceProps {
  /** Tablespace name: a lowercase identifier, not starting with `pg_`. */
  readonly name: string;
  /** The volume of each instance for this tablespace; `size` is required. */
  readonly storage: StorageProps;
  /** Owner: a role the cluster has (managed role or the bootstrap owner). @default the superuser */
  readonly owner?: string;
  /** A temporary tablespace (for temporary tables and sorts), added to `temp_tablespaces`. @default false */
  readonly temporary?: boolean;
}
