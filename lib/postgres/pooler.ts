import { ResourceProps } from '../core/resources';

/** How PgBouncer shares server connections. */
export enum PoolMode {
  /** A server connection per client session. */
  SESSION = 'session',
  /** Server connections are shared between transactions. */
  TRANSACTION = 'transaction',
}

/** A PgBouncer connection pooler in front of the cluster (CloudNativePG `Pooler`). */
export interface PoolerProps {
  /** PgBouncer pods per pooler. @default 2 */
  readonly instances?: number;
  /** How server connections are shared. @default PoolMode.SESSION */
  readonly poolMode?: PoolMode;
  /** PgBouncer parameters (values are strings), e.g. `{ max_client_conn: "1000", default_pool_size: "20" }`. @default none */
  readonly parameters?: { [key: string]: string };
  /** Also render a read-only pooler in front of the standbys (`<cluster>-pooler-ro`). @default false */
  readonly readOnly?: boolean;
  /** Resources of each PgBouncer container (memory request equals limit). @default cpu 100m, memory 128Mi */
  readonly resources?: ResourceProps;
}
