import { Duration } from 'cdk8s';
import { checkDuration } from '../../core/duration';
import { Problems } from '../../core/errors';
import { checkChoice, checkObjectName, isLabelKey } from '../../core/names';
import { PostgresClusterProps } from '../cluster-props';
import { ImagePullPolicy } from '../lifecycle';

/** Validated lifecycle settings, in the Cluster's units (seconds). */
export interface ResolvedLifecycle {
  readonly imagePullPolicy: ImagePullPolicy;
  readonly startDelay?: number;
  readonly stopDelay?: number;
  readonly smartShutdownTimeout?: number;
  readonly switchoverDelay?: number;
  readonly failoverDelay?: number;
}

const TIMEOUTS = [
  ['startupTimeout', 'startDelay', Duration.hours(1)],
  ['terminationGracePeriod', 'stopDelay', Duration.minutes(30)],
  ['smartShutdownTimeout', 'smartShutdownTimeout', Duration.minutes(3)],
  ['switchoverTimeout', 'switchoverDelay', Duration.hours(1)],
  ['failoverDelay', 'failoverDelay', Duration.seconds(0)],
] as const;

/** Validates pull policy, timeouts, maintenance window, slot sync, superuser Secret and the anti-affinity key. */
export function checkLifecycle(problems: Problems, props: PostgresClusterProps, majorVersion: string): ResolvedLifecycle {
  const imagePullPolicy = props.imagePullPolicy ?? ImagePullPolicy.IF_NOT_PRESENT;
  checkChoice(problems, 'imagePullPolicy', imagePullPolicy, ImagePullPolicy);
  const seconds: Record<string, number> = {};
  for (const [prop, field, fallback] of TIMEOUTS) {
    const value = props.timeouts?.[prop];
    if (value === undefined) continue;
    seconds[field] = checkDuration(problems, `timeouts.${prop}`, value, { fallback, min: Duration.seconds(prop === 'failoverDelay' ? 0 : 1), max: Duration.days(1) });
  }
  const stop = seconds.stopDelay ?? 1800;
  if (seconds.smartShutdownTimeout !== undefined) {
    problems.check(seconds.smartShutdownTimeout < stop, 'timeouts.smartShutdownTimeout', `${seconds.smartShutdownTimeout}s`,
      `must be shorter than terminationGracePeriod (${stop}s): the fast shutdown needs the rest`, 'lower it or raise terminationGracePeriod');
  }
  const maintenance = props.nodeMaintenance;
  if (maintenance !== undefined) {
    problems.check(typeof maintenance?.inProgress === 'boolean', 'nodeMaintenance.inProgress', maintenance?.inProgress, 'must be true or false', 'give inProgress: true while nodes drain');
    if (maintenance?.reuseVolumes !== undefined) problems.check(typeof maintenance.reuseVolumes === 'boolean', 'nodeMaintenance.reuseVolumes', maintenance.reuseVolumes, 'must be true or false', 'leave it out to reuse volumes');
    problems.check(maintenance?.reuseVolumes !== false || (props.instances ?? 3) > 1, 'nodeMaintenance.reuseVolumes', false,
      'would delete the only instance\'s volume: a single instance has no standby to copy from', 'keep reuseVolumes true, or add instances');
  }
  if (props.logicalSlotSync !== undefined) {
    problems.check(typeof props.logicalSlotSync === 'boolean', 'logicalSlotSync', props.logicalSlotSync, 'must be true or false', 'leave it out to keep it off');
    problems.check(props.logicalSlotSync !== true || Number(majorVersion) >= 17 || (props.sharedPreloadLibraries ?? []).includes('pg_failover_slots'), 'logicalSlotSync', true,
      `needs PostgreSQL 17 or later (this cluster is ${majorVersion}) or the pg_failover_slots extension`, 'upgrade, or add "pg_failover_slots" to sharedPreloadLibraries (the image must ship it)');
  }
  if (props.superuserSecret !== undefined) {
    checkObjectName(problems, 'superuserSecret', props.superuserSecret, 'Secret');
    problems.check(props.superuserAccess === true, 'superuserSecret', props.superuserSecret, 'is only used with superuserAccess: true', 'set superuserAccess: true, or leave superuserSecret out');
  }
  const key = props.scheduling?.antiAffinityTopologyKey;
  if (key !== undefined) problems.check(isLabelKey(key), 'scheduling.antiAffinityTopologyKey', key, 'is not a label key', 'give e.g. "topology.kubernetes.io/rack"');
  if (props.synchronous?.failoverQuorum !== undefined) {
    problems.check(typeof props.synchronous.failoverQuorum === 'boolean', 'synchronous.failoverQuorum', props.synchronous.failoverQuorum, 'must be true or false', 'leave it out to keep it off');
  }
  return { imagePullPolicy, ...seconds };
}
