import { ClusterSpecAffinity, ClusterSpecTopologySpreadConstraints } from '../../../imports/cnpg-clusters-postgresql.cnpg.io';
import { Problems } from '../../core/errors';
import { checkChoice, checkLabels, checkObjectName } from '../../core/names';
import { AntiAffinity, SchedulingProps, ZoneSpread } from '../cluster-props';
import { plain } from './constants';

const TOLERATION_OPERATORS = ['Exists', 'Equal'];
const TOLERATION_EFFECTS = ['NoSchedule', 'PreferNoSchedule', 'NoExecute'];

/** Validated placement, every default applied. */
export interface ResolvedScheduling {
  readonly props: SchedulingProps;
  readonly antiAffinity: AntiAffinity;
  readonly zoneSpread: ZoneSpread;
}

/** Validates the scheduling props. */
export function checkScheduling(problems: Problems, field: string, props: SchedulingProps = {}): ResolvedScheduling {
  const antiAffinity = props.antiAffinity ?? AntiAffinity.REQUIRED;
  checkChoice(problems, `${field}.antiAffinity`, antiAffinity, AntiAffinity);
  const zoneSpread = props.zoneSpread ?? ZoneSpread.PREFERRED;
  checkChoice(problems, `${field}.zoneSpread`, zoneSpread, ZoneSpread);
  checkLabels(problems, `${field}.nodeSelector`, props.nodeSelector);
  if (props.priorityClassName !== undefined) checkObjectName(problems, `${field}.priorityClassName`, props.priorityClassName, 'PriorityClass');
  if (props.tolerations !== undefined) {
    problems.check(Array.isArray(props.tolerations) && props.tolerations.every(t => typeof t === 'object' && t !== null
      && (t.operator === undefined || TOLERATION_OPERATORS.includes(t.operator))
      && (t.effect === undefined || TOLERATION_EFFECTS.includes(t.effect))),
    `${field}.tolerations`, props.tolerations, 'are not valid tolerations', 'give e.g. [{ key: "dedicated", operator: "Equal", value: "db", effect: "NoSchedule" }]');
  }
  return { props, antiAffinity, zoneSpread };
}

/** The Cluster's `affinity`: anti-affinity across nodes, node selector and tolerations. */
export function renderAffinity(s: ResolvedScheduling): ClusterSpecAffinity {
  return {
    enablePodAntiAffinity: true,
    podAntiAffinityType: s.antiAffinity,
    topologyKey: s.props.antiAffinityTopologyKey ?? 'kubernetes.io/hostname',
    nodeSelector: plain(s.props.nodeSelector),
    tolerations: s.props.tolerations?.map(t => ({ key: t.key, operator: t.operator, value: t.value, effect: t.effect, tolerationSeconds: t.tolerationSeconds })),
  };
}

/** The zone spread constraint, unless turned off. */
export function renderZoneSpread(s: ResolvedScheduling, cluster: string): ClusterSpecTopologySpreadConstraints[] | undefined {
  if (s.zoneSpread === ZoneSpread.NONE) return undefined;
  return [{
    maxSkew: 1,
    topologyKey: 'topology.kubernetes.io/zone',
    whenUnsatisfiable: s.zoneSpread === ZoneSpread.REQUIRED ? 'DoNotSchedule' : 'ScheduleAnyway',
    labelSelector: { matchLabels: { 'cnpg.io/cluster': cluster } },
  }];
}
