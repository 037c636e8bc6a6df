import { ApiObject } from 'cdk8s';
import { Construct } from 'constructs';
import { ConnectionInfo, IDatabase } from '../core/connection';
import { Problems } from '../core/errors';
import { NAME_LIMITS, checkName } from '../core/names';
import { NetworkPeer } from '../core/network';
import { CassandraNodeProps } from './node';
import { CassandraWorkload } from './workload';
import { ResolvedNodeSettings, checkCassandraName, checkInstanceName, checkNodes, checkPartition, checkReplicationFactor, checkWorkload, checkZone, resolveNodeSettings } from './private/resolve';
import { seedList } from './private/seeds';
import { checkRestoreNodes } from './private/backup';
import { SharedResources, allowCql, createShared, sharedNames } from './private/shared';
import { ResolvedRack, renderRackStatefulSet } from './private/statefulset';
import { Warnings } from '../core/warnings';

/** One rack of a datacenter. */
export interface CassandraRackSpec {
  /** Rack name: `CASSANDRA_RACK`, and the StatefulSet is `<datacenter>-<rack>`. Never rename it: that is a new, empty rack. */
  readonly name: string;
  /** Zone of the rack (`topology.kubernetes.io/zone`). Required unless `zoneAffinity: false`. @default none */
  readonly zone?: string;
  /** RollingUpdate partition for canary updates of this rack. @default none */
  readonly partition?: number;
  /** The workload running the rack's nodes. Changing it replaces the rack's workload object (see the docs). @default CassandraWorkload.STATEFUL_SET */
  readonly workload?: CassandraWorkload;
  /** Advanced StatefulSet only: nodes of the rack updated at once. @default 1 */
  readonly maxUnavailable?: number;
}

/** A Cassandra datacenter: racks of equal size sharing Services, seeds, a disruption budget and a NetworkPolicy. */
export interface CassandraDatacenterProps extends CassandraNodeProps {
  /**
   * Name of the datacenter's objects (Services, PodDisruptionBudget, NetworkPolicy, prefix of the
   * StatefulSets). A DNS-1035 label of at most 49 characters.
   * @default the construct id
   */
  readonly name?: string;
  /** Datacenter name Cassandra sees (`CASSANDRA_DC`), used in keyspace replication. @default the name */
  readonly datacenterName?: string;
  /** The racks, in start order; usually one per zone. */
  readonly racks: CassandraRackSpec[];
  /**
   * Nodes in each rack. To remove nodes, run `nodetool decommission` on the highest ordinal of a
   * rack first, then lower this (PVCs are retained; delete them yourself once decommissioned).
   * @default 1
   */
  readonly nodesPerRack?: number;
}

/**
 * A Cassandra datacenter without an operator: one StatefulSet per rack, a shared headless Service
 * with `publishNotReadyAddresses` as every rack's `serviceName`, a headless client Service on 9042,
 * a deterministic seed list, a first-start order across racks, a disruption budget of one node
 * across the datacenter, a NetworkPolicy, and (by default) password authentication with a Job that
 * replaces the default superuser.
 *
 * ```ts
 * new CassandraDatacenter(chart, 'events', {
 *   racks: ['a', 'b', 'c'].map(z => ({ name: `zone-${z}`, zone: `eu-west-1${z}` })),
 *   nodesPerRack: 2,
 *   storage: { size: '100Gi' },
 * });
 * ```
 */
export class CassandraDatacenter extends Construct implements IDatabase {
  /** Name of the datacenter's objects. */
  public readonly name: string;
  /** The datacenter name Cassandra sees: keyspace replication and drivers' local datacenter. */
  public readonly datacenterName: string;
  /**
   * The racks' workload objects, in start order (each the child `Resource` of the construct named
   * after its rack): a `k8s.KubeStatefulSet`, or an OpenKruise Advanced StatefulSet.
   */
  public readonly statefulSets: ApiObject[];
  /** How drivers and SchemaMigration reach the datacenter; `adminSecret` is the superuser, `secret` is undefined. */
  public readonly connection: ConnectionInfo;
  /** Labels selecting every pod of the datacenter. */
  public readonly podSelector: { [key: string]: string };
  /** The seed list, identical on every node. */
  public readonly seeds: string[];
  /** Total number of nodes. */
  public readonly nodes: number;
  /** Warnings about unsafe choices made deliberately (authentication or disruption budget off); also printed at synth, see `Warnings`. */
  public readonly warnings: string[];
  private readonly shared: SharedResources;

  constructor(scope: Construct, id: string, props: CassandraDatacenterProps) {
    super(scope, id);
    const { settings, racks } = this.validate(props ?? ({} as CassandraDatacenterProps), id);

    this.name = racks[0].instance;
    this.datacenterName = racks[0].datacenterName;
    this.nodes = racks.length * racks[0].nodes;
    this.seeds = racks[0].seeds;
    this.shared = createShared(this, { instance: this.name, datacenterName: this.datacenterName, settings, totalNodes: this.nodes, clientId: 'Resource', statefulSets: racks.map(r => r.statefulSetName) });
    this.connection = this.shared.connection;
    this.podSelector = this.shared.podSelector;
    this.warnings = settings.warnings.map(w => w.message);
    for (const w of settings.warnings) Warnings.of(this).add(w.id, w.message);
    this.statefulSets = racks.map(rack => renderRackStatefulSet(new Construct(this, rack.rackName), settings, rack, this.shared));
  }

  /** The local datacenter for drivers (`localDatacenter` / `local_dc`). */
  public get localDatacenter(): string {
    return this.datacenterName;
  }

  /** Opens CQL (9042) to `peer` through the datacenter's NetworkPolicy. */
  public allowFrom(peer: NetworkPeer): void {
    allowCql(this, 'CassandraDatacenter', this.shared, peer);
  }

  /** Validates every prop, then resolves the node settings and every rack with every default applied. */
  private validate(props: CassandraDatacenterProps, id: string): { settings: ResolvedNodeSettings; racks: ResolvedRack[] } {
    const problems = new Problems(this, 'CassandraDatacenter');
    const name = props.name ?? id;
    const nameOk = checkInstanceName(problems, name);
    const datacenterName = props.datacenterName ?? name;
    // Values derived from a bad name are not reported again.
    if (nameOk || props.datacenterName !== undefined) checkCassandraName(problems, 'datacenterName', datacenterName, 'datacenter');
    const nodesPerRack = props.nodesPerRack ?? 1;
    const nodesOk = checkNodes(problems, 'nodesPerRack', nodesPerRack);
    const settings = resolveNodeSettings(this, problems, props, name, nameOk);
    const specs = props.racks;
    const racksOk = problems.check(Array.isArray(specs) && specs.length >= 1 && specs.length <= 50, 'racks', specs,
      'must list 1 to 50 racks', 'give at least one rack, e.g. [{ name: "rack1", zone: "eu-west-1a" }]');
    if (racksOk) checkRackSpecs(problems, specs, name, nameOk, nodesPerRack, settings.zoneAffinity);
    checkReplicationFactor(problems, props.replicationFactor, racksOk && nodesOk ? specs.length * nodesPerRack : 0);
    if (racksOk && nodesOk) checkRestoreNodes(problems, settings.backup, specs.length * nodesPerRack);
    problems.throwIfAny();

    const statefulSets = specs.map(r => `${name}-${r.name}`);
    const seeds = seedList(statefulSets.map(s => ({ statefulSetName: s, nodes: nodesPerRack })), sharedNames(name).headless,
      settings.namespace, settings.clusterDomain, settings.additionalSeeds);
    const last = statefulSets[statefulSets.length - 1];
    const racks = specs.map((spec, i): ResolvedRack => ({
      instance: name, datacenterName, statefulSetName: statefulSets[i], rackName: spec.name, zone: spec.zone, nodes: nodesPerRack, partition: spec.partition, seeds,
      workload: spec.workload ?? CassandraWorkload.STATEFUL_SET, maxUnavailable: spec.maxUnavailable ?? 1,
      // Start order: ordinal 0 of each rack in turn, then ordinal 1 of each rack, ...
      waitSameOrdinalOf: i > 0 ? statefulSets[i - 1] : undefined,
      // A rack managed in parallel (Advanced StatefulSet) alone in its datacenter gates on itself.
      waitPreviousOrdinalOf: i === 0 && nodesPerRack > 1 && (statefulSets.length > 1 || spec.workload === CassandraWorkload.ADVANCED_STATEFUL_SET) ? last : undefined,
    }));
    return { settings, racks };
  }
}

/** Each rack: a unique name that keeps `<datacenter>-<rack>` within the StatefulSet limit, its zone and partition. */
function checkRackSpecs(problems: Problems, specs: CassandraRackSpec[], name: string, nameOk: boolean, nodesPerRack: number, zoneAffinity: boolean): void {
  const seen = new Set<string>();
  specs.forEach((rack, i) => {
    const f = `racks[${i}]`;
    if (!problems.check(typeof rack === 'object' && rack !== null, f, rack, 'is not a rack', 'give { name, zone }')) return;
    if (checkName(problems, `${f}.name`, rack.name, 'default')) {
      problems.check(!seen.has(rack.name), `${f}.name`, rack.name, 'is used by another rack', 'give every rack its own name');
      seen.add(rack.name);
      const sts = `${name}-${rack.name}`;
      problems.check(!nameOk || sts.length <= NAME_LIMITS.statefulSet, `${f}.name`, rack.name,
        `makes the StatefulSet name "${sts}" ${sts.length} characters long; the limit is ${NAME_LIMITS.statefulSet}`, 'shorten the rack or datacenter name');
    }
    checkZone(problems, `${f}.zone`, rack.zone, zoneAffinity);
    checkPartition(problems, `${f}.partition`, rack.partition, nodesPerRack);
    checkWorkload(problems, f, rack.workload, rack.maxUnavailable, nodesPerRack);
  });
}
