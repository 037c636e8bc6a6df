import { Cron, Duration } from 'cdk8s';
import { Credentials } from '../core/credentials';

/**
 * Scheduled anti-entropy repair: a CronJob that repairs each node's primary token ranges
 * (`nodetool repair -full -pr`), one node after the other, over JMX. Runs never overlap
 * (`concurrencyPolicy: Forbid`, and a run that finds a repair still active on a node stops). A
 * down node does not stop the run: the live nodes are repaired among live replicas
 * (`--force`), and the run then fails so that `CassandraRepairFailed` fires and the down node's
 * ranges are repaired by the next complete run (`CassandraRepairOverdue` fires when none
 * completes in time).
 *
 * JMX must then be reachable from the Job's pod: it is switched to remote mode with password
 * authentication (`jmxCredentials`), and the NetworkPolicy opens 7199 to the repair pods only.
 * The probes, the drain hook and the exporter log in with the same account, read from files
 * inside the pod, never from a command line.
 */
export interface CassandraRepairProps {
  /**
   * The JMX account (username and password keys of a Secret) the nodes accept and the repair Job
   * uses. Neither may contain blank space.
   */
  readonly jmxCredentials: Credentials;
  /**
   * When a run starts, in `timeZone`. Every range must be repaired within `gc_grace_seconds`
   * (10 days by default), or deleted data can come back.
   * @default Sunday 01:00 every week
   */
  readonly schedule?: Cron;
  /** Time zone of the schedule (IANA name, CronJob `timeZone`). @default 'Etc/UTC' */
  readonly timeZone?: string;
  /** Longest a run may take before it is stopped (Job `activeDeadlineSeconds`). @default Duration.hours(24) */
  readonly timeout?: Duration;
  /** How late a missed run may still start (CronJob `startingDeadlineSeconds`). @default Duration.hours(2) */
  readonly startingDeadline?: Duration;
  /** How long finished Jobs and their pods stay for inspection (`ttlSecondsAfterFinished`). @default Duration.days(3) */
  readonly keepFinishedJobsFor?: Duration;
  /**
   * Keyspaces to repair.
   * @default every keyspace (`nodetool repair` without a keyspace)
   */
  readonly keyspaces?: string[];
}
