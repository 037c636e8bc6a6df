import { DatabaseReclaimPolicy } from './database';
import type { ExternalCluster } from './external-cluster';

/**
 * A publication on this cluster (CloudNativePG `Publication`): the tables whose row changes a
 * subscriber receives. Logical replication copies rows only: not DDL, not sequences, not large objects.
 */
export interface PublicationProps {
  /** Publication name in PostgreSQL: a lowercase identifier. The resource is `<cluster>-<name>`. */
  readonly name: string;
  /** Database it publishes from. @default the application database */
  readonly database?: string;
  /** Tables to publish, as `table` or `schema.table`. @default every table (FOR ALL TABLES) unless tables or schemas are given */
  readonly tables?: string[];
  /** Schemas whose tables are all published (FOR TABLES IN SCHEMA, PostgreSQL 15 and later). @default none */
  readonly schemas?: string[];
  /** Publication options, e.g. `{ publish: 'insert,update,delete' }`. @default PostgreSQL's */
  readonly parameters?: { [key: string]: string };
  /** What happens to the publication when the resource is deleted. @default DatabaseReclaimPolicy.RETAIN */
  readonly reclaimPolicy?: DatabaseReclaimPolicy;
}

/**
 * A subscription on this cluster (CloudNativePG `Subscription`) to a publication of another server.
 * The source connects as a role with the REPLICATION attribute (not `streaming_replica`).
 */
export interface SubscriptionProps {
  /** Subscription name in PostgreSQL: a lowercase identifier. The resource is `<cluster>-<name>`. */
  readonly name: string;
  /** The publisher (`ExternalCluster.fromCluster(old, { user, password })` or `fromServer`). */
  readonly source: ExternalCluster;
  /** Name of the publication on the source. */
  readonly publicationName: string;
  /** Database of this cluster that receives the rows. @default the application database */
  readonly database?: string;
  /** Database of the publication on the source. @default the source's `dbname` */
  readonly publicationDatabase?: string;
  /** Subscription options, e.g. `{ copy_data: 'true', failover: 'true' }`. @default PostgreSQL's */
  readonly parameters?: { [key: string]: string };
  /** What happens to the subscription when the resource is deleted. @default DatabaseReclaimPolicy.RETAIN */
  readonly reclaimPolicy?: DatabaseReclaimPolicy;
}
