import { Cron, Duration } from 'cdk8s';
import { checkDuration } from './duration';
import { Problems } from './errors';
import { checkInteger } from './quantity';
import { checkSchedule, checkTimeZone } from './schedule';
import { ResolvedStorage, StorageProps, checkStorage } from './storage';

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

/** The construct's defaults for the shared logical backup settings. */
export interface LogicalBackupDefaults {
  readonly schedule: Cron;
  readonly timeout: Duration;
  readonly startingDeadline: Duration;
  /** Size of the backup volume; without it the size is required. */
  readonly storageSize?: string;
}

/** The shared logical backup settings, validated, with every default applied. */
export interface ResolvedLogicalBackupOptions {
  readonly schedule: string;
  readonly timeZone: string;
  readonly keep: number;
  readonly storage: ResolvedStorage;
  readonly retries: number;
  readonly timeoutSeconds: number;
  readonly startingDeadlineSeconds: number;
  readonly keepFinishedSeconds: number;
}

/**
 * Validates the shared logical backup props under `field` (every problem recorded); returns them
 * resolved, or undefined when any is invalid.
 */
export function resolveLogicalBackupOptions(problems: Problems, field: string, props: LogicalBackupOptions, defaults: LogicalBackupDefaults): ResolvedLogicalBackupOptions | undefined {
  const schedule = checkSchedule(problems, `${field}.schedule`, props.schedule ?? defaults.schedule);
  const timeZone = props.timeZone ?? 'Etc/UTC';
  const keep = props.keep ?? 7;
  const retries = props.retries ?? 1;
  const ok = [
    checkTimeZone(problems, `${field}.timeZone`, timeZone),
    checkInteger(problems, `${field}.keep`, keep, 1, 1000),
    checkInteger(problems, `${field}.retries`, retries, 0, 10),
  ].every(Boolean);
  const storage = checkStorage(problems, `${field}.storage`, props.storage, { defaultSize: defaults.storageSize });
  const durations = {
    timeoutSeconds: checkDuration(problems, `${field}.timeout`, props.timeout, { fallback: defaults.timeout, min: Duration.minutes(1), max: Duration.days(7) }),
    startingDeadlineSeconds: checkDuration(problems, `${field}.startingDeadline`, props.startingDeadline,
      { fallback: defaults.startingDeadline, min: Duration.seconds(10), max: Duration.days(1) }),
    keepFinishedSeconds: checkDuration(problems, `${field}.keepFinishedJobsFor`, props.keepFinishedJobsFor,
      { fallback: Duration.days(1), min: Duration.seconds(0), max: Duration.days(30) }),
  };
  if (!ok || schedule === undefined || storage === undefined) return undefined;
  return { schedule, timeZone, keep, storage, retries, ...durations };
}
