import { Duration } from 'cdk8s';
import { Credentials } from '../core/credentials';
import { LogicalBackupOptions } from '../core/logical-backup';
import { MonitoringProps } from '../core/monitoring';
import { StorageProps } from '../core/storage';

/** The workload kind of a MySqlSingleNode. Both run exactly one pod on one volume. */
export enum MySqlWorkload {
  /** A Deployment with `strategy: Recreate` and a standalone claim. */
  DEPLOYMENT = 'Deployment',
  /** A one-replica StatefulSet with a claim template retained on delete and on scale-down. */
  STATEFUL_SET = 'StatefulSet',
}

/** Access mode of the data volume: a single writer either way. */
export enum MySqlAccessMode {
  /** One node may mount the volume. */
  READ_WRITE_ONCE = 'ReadWriteOnce',
  /**
   * One pod may mount the volume (Kubernetes 1.29+ GA, CSI volumes only): also keeps a second
   * pod on the same node off it.
   */
  READ_WRITE_ONCE_POD = 'ReadWriteOncePod',
}

/** The data volume of a MySqlSingleNode. */
export interface MySqlStorageProps extends StorageProps {
  /**
   * Access mode of the claim.
   * @default MySqlAccessMode.READ_WRITE_ONCE
   */
  readonly accessMode?: MySqlAccessMode;
}

/**
 * Monitoring of a MySqlSingleNode: the mysqld-exporter sidecar on port 9104, its PodMonitor, the
 * scraper admitted by the NetworkPolicy, and a PrometheusRule with the built-in alerts (server
 * down, connections near `max_connections`, slow queries, InnoDB buffer pool pressure, volumes
 * filling, dumps failing or too old) plus `extraAlertRules`. The volume alerts read the kubelet's
 * `kubelet_volume_stats_*`, the dump alerts kube-state-metrics' Job and CronJob series.
 */
export interface MySqlMonitoringProps extends MonitoringProps {
  /**
   * The exporter's MySQL account (username and password keys of a Secret). Required when
   * monitoring is on. Create the account yourself, e.g. in an init script or once by hand:
   * `CREATE USER 'exporter'@'%' IDENTIFIED BY '...' WITH MAX_USER_CONNECTIONS 3;
   *  GRANT PROCESS, REPLICATION CLIENT, SELECT ON *.* TO 'exporter'@'%';`
   * @default none; required unless `enabled` is false
   */
  readonly exporterCredentials?: Credentials;
  /**
   * The exporter image, pinned.
   * @default 'prom/mysqld-exporter:v0.18.0'
   */
  readonly exporterImage?: string;
  /**
   * Render a PodMonitor (monitoring.coreos.com/v1) selecting the database pod's `metrics` port.
   * @default true
   */
  readonly podMonitor?: boolean;
  /**
   * Scrape interval of the PodMonitor.
   * @default Duration.seconds(30)
   */
  readonly interval?: Duration;
  /**
   * Age of the last successful dump (`logicalBackup`) that raises an alert.
   * @default the longest gap between two scheduled dumps plus 2 hours
   */
  readonly backupMaxAge?: Duration;
}

/**
 * Scheduled logical backups with mysqldump onto a retained volume of their own, restored with
 * `addRestoreJob()`.
 *
 * Defaults of the shared options: `schedule` 03:00 every day, `storage.size` '20Gi',
 * `startingDeadline` 30 minutes, `timeout` 2 hours, `keepFinishedJobsFor` 1 day.
 */
export interface MySqlLogicalBackupProps extends LogicalBackupOptions {
  /**
   * Databases to dump.
   * @default the `database` prop when set, else every non-system database, listed at run time
   */
  readonly databases?: string[];
}
