import { Cron, Duration } from 'cdk8s';
import { Construct } from 'constructs';
import { Credentials } from '../../core/credentials';
import { checkDuration } from '../../core/duration';
import { Problems } from '../../core/errors';
import { NAME_LIMITS } from '../../core/names';
import { ResolvedEgress } from '../../core/egress';
import { helperResources } from '../../core/resources';
import { checkSchedule, checkTimeZone, scheduleGapsSeconds } from '../../core/schedule';
import { CassandraRepairProps } from '../repairs';
import { renderHelperCronJob } from './cronjob';
import { REPAIR_SCRIPT } from './scripts';

/** The JMX port; reachable from outside the pod only when repairs are scheduled, and then authenticated. */
export const JMX_PORT = 7199;

/** Scheduled repairs, validated, every default applied. */
export interface ResolvedRepairs {
  readonly jmxCredentials: Credentials;
  readonly schedule: string;
  readonly timeZone: string;
  readonly timeoutSeconds: number;
  readonly startingDeadlineSeconds: number;
  readonly keepFinishedSeconds: number;
  readonly keyspaces: string[];
  /** A run must succeed at least this often, or `CassandraRepairOverdue` fires. */
  readonly maxAgeSeconds: number;
}

/** Keyspace names as Cassandra accepts them (unquoted identifiers). */
const KEYSPACE = /^[A-Za-z0-9_]{1,48}$/;

/** Validates `repairs` (off unless given); `name` is the datacenter's, which names the CronJob. */
export function resolveRepairs(problems: Problems, props: CassandraRepairProps | undefined, name: string, nameOk: boolean): ResolvedRepairs | undefined {
  if (props === undefined) return undefined;
  const f = 'repairs';
  const credentialsOk = problems.check(props.jmxCredentials instanceof Credentials, `${f}.jmxCredentials`, props.jmxCredentials,
    'is required and must be a Credentials reference', 'use Credentials.fromSecret("events-jmx") with a username and a password without blank space');
  if (credentialsOk) props.jmxCredentials._validate(problems, `${f}.jmxCredentials`);
  const schedule = checkSchedule(problems, `${f}.schedule`, props.schedule ?? Cron.schedule({ minute: '0', hour: '1', weekDay: '0' }));
  const timeZone = props.timeZone ?? 'Etc/UTC';
  checkTimeZone(problems, `${f}.timeZone`, timeZone);
  const timeoutSeconds = checkDuration(problems, `${f}.timeout`, props.timeout, { fallback: Duration.hours(24), min: Duration.minutes(10), max: Duration.days(7) });
  const startingDeadlineSeconds = checkDuration(problems, `${f}.startingDeadline`, props.startingDeadline, { fallback: Duration.hours(2), min: Duration.seconds(10), max: Duration.days(1) });
  const keepFinishedSeconds = checkDuration(problems, `${f}.keepFinishedJobsFor`, props.keepFinishedJobsFor, { fallback: Duration.days(3), min: Duration.seconds(0), max: Duration.days(30) });
  const keyspaces = props.keyspaces ?? [];
  if (problems.check(Array.isArray(keyspaces), `${f}.keyspaces`, keyspaces, 'is not a list', 'give keyspace names, e.g. ["events"]')) {
    keyspaces.forEach((ks, i) => problems.check(typeof ks === 'string' && KEYSPACE.test(ks), `${f}.keyspaces[${i}]`, ks,
      'is not a keyspace name', 'use 1-48 letters, digits or "_"'));
    problems.check(new Set(keyspaces).size === keyspaces.length, `${f}.keyspaces`, keyspaces, 'lists a keyspace twice', 'list each keyspace once');
  }
  const cronJob = `${name}-repair`;
  problems.check(!nameOk || cronJob.length <= NAME_LIMITS.cronJob, 'name', name,
    `makes the repair CronJob name "${cronJob}" ${cronJob.length} characters long; the limit is ${NAME_LIMITS.cronJob}`, 'shorten the name to at most 45 characters');
  if (schedule === undefined) return undefined;
  const { longest } = scheduleGapsSeconds(schedule);
  problems.check(longest + timeoutSeconds <= Duration.days(10).toSeconds(), `${f}.schedule`, schedule,
    `leaves up to ${Math.round((longest + timeoutSeconds) / 3600)} hours between the start of one run and the end of the next; every range must be repaired within gc_grace_seconds (10 days)`,
    'run at least weekly, e.g. Cron.schedule({ minute: "0", hour: "1", weekDay: "0" })');
  return {
    jmxCredentials: props.jmxCredentials, schedule, timeZone, timeoutSeconds, startingDeadlineSeconds, keepFinishedSeconds, keyspaces,
    // One missed run is tolerated; two in a row are not.
    maxAgeSeconds: 2 * longest + timeoutSeconds,
  };
}

/** What the repair CronJob needs from the datacenter. */
export interface RepairTarget {
  readonly instance: string;
  readonly namespace: string;
  readonly image: string;
  readonly serviceAccountName: string;
  readonly labels: Record<string, string>;
  readonly selector: Record<string, string>;
  /** Every node's stable DNS name, in start order. */
  readonly nodes: string[];
  /** Labels of the nodes, which the repair pods reach on JMX. */
  readonly nodeSelector: Record<string, string>;
  readonly egress?: ResolvedEgress;
}

/** The repair CronJob's name. */
export function repairCronJobName(instance: string): string {
  return `${instance}-repair`;
}

/**
 * The repair CronJob (see REPAIR_SCRIPT) and a NetworkPolicy admitting nothing into its pods.
 * The caller opens JMX on the nodes to `target.selector`.
 */
export function renderRepairCronJob(scope: Construct, r: ResolvedRepairs, t: RepairTarget): void {
  renderHelperCronJob(scope, 'Repair', {
    name: repairCronJobName(t.instance), namespace: t.namespace, labels: t.labels, selector: t.selector, serviceAccountName: t.serviceAccountName,
    schedule: r.schedule, timeZone: r.timeZone, startingDeadlineSeconds: r.startingDeadlineSeconds, timeoutSeconds: r.timeoutSeconds, keepFinishedSeconds: r.keepFinishedSeconds,
    container: {
      name: 'repair',
      image: t.image,
      command: ['bash', '-c', REPAIR_SCRIPT],
      env: [
        { name: 'NODES', value: t.nodes.join(' ') },
        { name: 'JMX_PORT', value: String(JMX_PORT) },
        { name: 'KEYSPACES', value: r.keyspaces.join(' ') },
        { name: 'JMX_USERNAME', valueFrom: { secretKeyRef: { name: r.jmxCredentials.secretName, key: r.jmxCredentials.usernameKey } } },
        { name: 'JMX_PASSWORD', valueFrom: { secretKeyRef: { name: r.jmxCredentials.secretName, key: r.jmxCredentials.passwordKey } } },
        { name: 'HOME', value: '/tmp' },
      ],
      resources: helperResources('100m', '512Mi'),
    },
    // The repair pods accept no connection; with restricted egress they reach the nodes' JMX only.
    egress: t.egress,
    databases: [{ podSelector: t.nodeSelector, ports: [JMX_PORT] }],
  });
}
