import { Construct } from 'constructs';
import { ConnectionInfo, IDatabase } from '../core/connection';
import { Problems } from '../core/errors';
import { checkName, NAME_LIMITS } from '../core/names';
import { NetworkClient } from '../core/network';
import { CassandraNodeProps, isCassandraName, isZone, resolveNodeSettings } from './common';
import { SharedResources, createShared, sharedNames } from './private/shared';
import { CassandraRack } from './rack';
import { seedList } from './seeds';

/** One rack of a datacenter. */
export interface CassandraRackSpec {
  /** Rack name: `CASSANDRA_RACK`, and the StatefulSet is `<datacenter>-<rack>`. Never rename it: that is a new, empty rack. */
  readonly name: string;
  /** Zone of the rack (`topology.kubernetes.io/zone`). Required unless `zoneAffinity: false`. @default none */
  readonly zone?: string;
  /** RollingUpdate partition for canary updates of this rack. @default none */
  readonly partition?: number;
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
 * A Cassandra datacenter without an operator: one StatefulSet per rack (`CassandraRack`), a shared
 * headless Service with `publishNotReadyAddresses` as every rack's `serviceName`, a headless client
 * Service on 9042, a deterministic seed list, a first-start order across racks, a disruption budget
 * of one node across the datacenter, a NetworkPolicy, and (by default) password authentication with
 * a Job that replaces the default superuser.
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
  public readonly racks: readonly CassandraRack[];
  public readonly connection: ConnectionInfo;
  public readonly podSelector: Readonly<Record<string, string>>;
  /** The seed list, identical on every node. */
  public readonly seeds: readonly string[];
  /** Total number of nodes. */
  public readonly nodes: number;
  /** Warnings about unsafe choices made deliberately (e.g. authentication off). */
  public readonly warnings: readonly string[];
  private readonly shared: SharedResources;

  constructor(scope: Construct, id: string, props: CassandraDatacenterProps) {
    super(scope, id);
    const problems = new Problems(this, 'CassandraDatacenter');
    const name = props.name ?? id;
    const nameOk = checkName(problems, 'name', name, 'service') &&
      problems.check(name.length <= 49, 'name', name, `is ${name.length} characters long; the Job and Services named after it need it at most 49`, 'shorten it to at most 49 characters');
    const datacenterName = props.datacenterName ?? name;
    // Values derived from a bad name are not reported again.
    if (nameOk || props.datacenterName !== undefined) {
      problems.check(isCassandraName(datacenterName), 'datacenterName', datacenterName, 'is not a valid datacenter name', 'use letters, digits, ".", "_" or "-"');
    }
    const nodesPerRack = props.nodesPerRack ?? 1;
    problems.check(typeof nodesPerRack === 'number' && Number.isInteger(nodesPerRack) && nodesPerRack >= 1 && nodesPerRack <= 1000, 'nodesPerRack', nodesPerRack,
      'must be a whole number from 1 to 1000', 'give the number of nodes in each rack');
    const settings = resolveNodeSettings(this, problems, props, name, nameOk);
    const racks = props.racks;
    const rackOk = problems.check(Array.isArray(racks) && racks.length >= 1 && racks.length <= 50, 'racks', racks,
      'must list 1 to 50 racks', 'give at least one rack, e.g. [{ name: "rack1", zone: "eu-west-1a" }]');
    const seen = new Set<string>();
    if (rackOk) {
      racks.forEach((rack, i) => {
        const f = `racks[${i}]`;
        if (!problems.check(typeof rack === 'object' && rack !== null, f, rack, 'is not a rack', 'give { name, zone }')) return;
        if (checkName(problems, `${f}.name`, rack.name, 'default')) {
          problems.check(!seen.has(rack.name), `${f}.name`, rack.name, 'is used by another rack', 'give every rack its own name');
          seen.add(rack.name);
          const sts = `${name}-${rack.name}`;
          problems.check(!nameOk || sts.length <= NAME_LIMITS.statefulSet, `${f}.name`, rack.name,
            `makes the StatefulSet name "${sts}" ${sts.length} characters long; the limit is ${NAME_LIMITS.statefulSet}`, 'shorten the rack or datacenter name');
        }
        if (settings.zoneAffinity) {
          problems.check(isZone(rack.zone), `${f}.zone`, rack.zone, 'is required when zoneAffinity is on, and must be a label value',
            'give the zone of the rack, e.g. "eu-west-1a", or set zoneAffinity: false');
        } else if (rack.zone !== undefined) {
          problems.check(isZone(rack.zone), `${f}.zone`, rack.zone, 'is not a valid zone label value', 'give e.g. "eu-west-1a"');
        }
        if (rack.partition !== undefined) {
          problems.check(typeof rack.partition === 'number' && Number.isInteger(rack.partition) && rack.partition >= 0 && rack.partition <= nodesPerRack,
            `${f}.partition`, rack.partition, 'must be a whole number from 0 to nodesPerRack', 'give the lowest ordinal that gets the new template');
        }
      });
    }
    const total = rackOk && Number.isInteger(nodesPerRack) ? racks.length * nodesPerRack : 0;
    if (props.replicationFactor !== undefined) {
      const rf = props.replicationFactor;
      if (problems.check(typeof rf === 'number' && Number.isInteger(rf) && rf >= 1, 'replicationFactor', rf, 'must be a whole number of at least 1', 'give the replication factor of this datacenter, e.g. 3')) {
        problems.check(total === 0 || rf <= total, 'replicationFactor', rf,
          `is more than the ${total} nodes of the datacenter; it cannot place every replica`, `raise nodesPerRack or add racks to at least ${rf} nodes, or lower the replication factor`);
      }
    }
    problems.throwIfAny();

    this.name = name;
    this.datacenterName = datacenterName;
    this.nodes = total;
    this.shared = createShared(this, { instance: name, datacenterName, settings, totalNodes: total, clientId: 'Resource' });
    const statefulSets = racks.map(r => `${name}-${r.name}`);
    this.seeds = seedList(statefulSets.map(s => ({ statefulSetName: s, nodes: nodesPerRack })), sharedNames(name).headless, settings.namespace, settings.clusterDomain, settings.additionalSeeds);
    this.connection = this.shared.connection;
    this.podSelector = this.shared.podSelector;
    const last = statefulSets[statefulSets.length - 1];
    this.racks = racks.map((rack, i) => new CassandraRack(this, rack.name, {
      name: statefulSets[i], rackName: rack.name, zone: rack.zone, nodes: nodesPerRack, partition: rack.partition,
    }, {
      settings, instance: name, datacenterName, shared: this.shared, seeds: this.seeds,
      // Start order: ordinal 0 of each rack in turn, then ordinal 1 of each rack, ...
      waitSameOrdinalOf: i > 0 ? statefulSets[i - 1] : undefined,
      waitPreviousOrdinalOf: i === 0 && statefulSets.length > 1 && nodesPerRack > 1 ? last : undefined,
    }));
    this.warnings = this.racks[0].warnings;
    for (const w of this.warnings) this.node.addMetadata('warning', w);
  }

  /** The local datacenter for drivers (`localDatacenter` / `local_dc`). */
  public get localDatacenter(): string {
    return this.datacenterName;
  }

  /** Opens CQL (9042) to `client` through the datacenter's NetworkPolicy. */
  public allowFrom(client: NetworkClient): void {
    this.racks[0].allowFrom(client);
  }
}
