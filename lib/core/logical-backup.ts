import { Cron, Duration } from 'cdk8s';
import { StorageProps } from './storage';

/**
 * Scheduled dumps of a database (pg_dump, mysqldump) onto a retained volume of their own: the same
 * shape on every construct that takes them; constructs add the settings only they have.
 */
export interface LogicalBackupOptions {
  /**
   * When the dump runs, in `timeZone`.
   * @default depends on the construct (a daily run at night)
   */
  readonly schedule?: Cron;
  /** Time zone of the schedule (IANA name, CronJob `timeZone`). @default 'Etc/UTC' */
  readonly timeZone?: string;
  /** Dumps kept on the volume; older ones are deleted after each successful dump. @default 7 */
  readonly keep?: number;
  /** The backup volume. It holds `keep` compressed dumps plus one being written. @default depends on the construct */
  readonly storage?: StorageProps;
  /** How late a missed run may still start (CronJob `startingDeadlineSeconds`). @default depends on the construct */
  readonly startingDeadline?: Duration;
  /** Longest a run may take before it is stopped (Job `activeDeadlineSeconds`). @default depends on the construct */
  readonly timeout?: Duration;
  /** Retries of a failed run (Job `backoffLimit`). @default 1 */
  readonly retries?: number;
  /** How long finished Jobs and their pods stay for inspection (`ttlSecondsAfterFinished`). @default depends on the construct */
  readonly keepFinishedJobsFor?: Duration;
}

/** Options of a restore Job, the same on every construct that restores its dumps. */
export interface RestoreJobOptions {
  /**
   * File name of the dump on the backup volume.
   * @default the newest dump
   */
  readonly file?: string;
  /**
   * Name of the Job.
   * @default '<name>-restore'
   */
  readonly name?: string;
}
