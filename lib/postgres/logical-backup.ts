import { LogicalBackupOptions } from '../core/logical-backup';
import { ResourceProps } from '../core/resources';

/** The format pg_dump writes. */
export enum PgDumpFormat {
  /** pg_dump's compressed archive format, restored with pg_restore (selective restores possible). */
  CUSTOM = 'custom',
  /** A gzip-compressed SQL script, restored with psql. */
  PLAIN_GZIP = 'plain-gzip',
}

/**
 * Scheduled `pg_dump` of the application database onto a retained volume of its own, never two at
 * once, keeping the newest `keep` dumps. `PostgresCluster.addRestoreJob()` renders the restore.
 *
 * Defaults of the shared options: `schedule` 03:30 every day, `storage` has no default size (give
 * one), `timeout` 3 hours, `retries` 1, `startingDeadline` 1 hour, `keepFinishedJobsFor` 1 day.
 */
export interface PostgresLogicalBackupProps extends LogicalBackupOptions {
  /** The dump format. @default PgDumpFormat.CUSTOM */
  readonly format?: PgDumpFormat;
  /** Resources of the dump container (memory request equals limit). @default cpu 100m, memory 256Mi */
  readonly resources?: ResourceProps;
  /** Image with pg_dump of the server's major or later. @default the cluster's image */
  readonly image?: string;
}
