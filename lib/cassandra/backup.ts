import { Cron, Duration } from 'cdk8s';
import { SecretKeyReference } from '../core/credentials';
import { ObjectStoreProvider } from '../postgres/backup';

/**
 * Restore a Medusa backup into the nodes' volumes before Cassandra starts (the `medusa-restore`
 * init container). A node restores once per `restoreKey`: it records the key on its volume, so
 * later restarts keep their data. Change the key to restore again.
 */
export interface CassandraRestoreProps {
  /** Name of the backup to restore, as the backup Job logs it (`<name>-<yyyymmddhhmmss>`). */
  readonly backupName: string;
  /** Marks this restore; a node whose volume already records it skips the restore. @default the backup name */
  readonly restoreKey?: string;
  /**
   * Restoring into a new datacenter: the stable DNS names of the backed-up nodes, in the start
   * order of this datacenter's nodes (ordinal 0 of each rack in turn, then ordinal 1, ...), one
   * per node. Each new node restores the data of the node at its position.
   * @default in place: each node restores its own backup
   */
  readonly sourceNodes?: string[];
}

/**
 * Backups to object storage with Medusa: a Medusa sidecar in every Cassandra pod serving gRPC,
 * and a CronJob that asks every node for a backup over the network, waits for all of them, then
 * purges backups beyond the retention on every node. No pod needs `pods/exec`.
 */
export interface CassandraBackupProps {
  /**
   * The object store: `ObjectStoreProvider.S3` (Amazon S3, or an S3-compatible store with
   * `endpointUrl`), `GOOGLE` (Google Cloud Storage) or `AZURE` (Blob Storage).
   */
  readonly provider: ObjectStoreProvider;
  /** Bucket (or Azure container) name. */
  readonly bucket: string;
  /** Folder inside the bucket, for several clusters in one bucket. @default the cluster name */
  readonly prefix?: string;
  /** Region of the bucket (S3). @default none (Medusa's default) */
  readonly region?: string;
  /** Endpoint of an S3-compatible store (MinIO, Ceph...), `https://host[:port]` or `http://host[:port]` (provider S3 only). @default Amazon S3 */
  readonly endpointUrl?: string;
  /**
   * The key of a Secret holding Medusa's credentials file: an AWS credentials file for S3 and
   * S3-compatible stores, a service account's JSON key for GCS, Medusa's JSON file for Azure. It is
   * mounted into the Medusa containers only.
   */
  readonly credentials: SecretKeyReference;
  /** When a cluster-wide backup starts, in `timeZone`. @default every day at 02:00 */
  readonly schedule?: Cron;
  /** Time zone of the schedule. @default 'Etc/UTC' */
  readonly timeZone?: string;
  /** Backups kept per node (Medusa `max_backup_count`); older ones are purged after each successful backup. @default 7 */
  readonly keep?: number;
  /** Backups older than this are purged (Medusa `max_backup_age`, whole days). @default none: by count only */
  readonly maxAge?: Duration;
  /** Longest a run may take (Job `activeDeadlineSeconds`). @default Duration.hours(12) */
  readonly timeout?: Duration;
  /** How late a missed run may still start (CronJob `startingDeadlineSeconds`). @default Duration.hours(1) */
  readonly startingDeadline?: Duration;
  /** How long finished Jobs stay for inspection. @default Duration.days(3) */
  readonly keepFinishedJobsFor?: Duration;
  /** The Medusa image, pinned. @default 'docker.io/k8ssandra/medusa:0.29.1' */
  readonly image?: string;
  /** Restore a backup into the nodes before Cassandra starts. @default none */
  readonly restoreFrom?: CassandraRestoreProps;
}
