import { ApiObject } from 'cdk8s';
import { Construct } from 'constructs';
import { ConnectionInfo, IDatabase } from '../core/connection';
import { Problems } from '../core/errors';
import { checkName } from '../core/names';
import { NetworkPeer } from '../core/network';
import { CassandraNodeProps } from './node';
import { CassandraWorkload } from './workload';
import { ResolvedNodeSettings, checkCassandraName, checkInstanceName, checkNodes, checkPartition, checkReplicationFactor, checkWorkload, checkZone, resolveNodeSettings } from './private/resolve';
import { seedList } from './private/seeds';
import { checkRestoreNodes } from './private/backup';
import { SharedResources, allowCql, createShared, sharedNames } from './private/shared';
import { ResolvedRack, renderRackStatefulSet } from './private/statefulset';
import { Warnings } from '../core/warnings';

/** A rack used on its own: one StatefulSet of Cassandra nodes with the objects a datacenter would share. */
export interface CassandraRackProps extends CassandraNodeProps {
  /**
   * Name of the StatefulSet (pods `<name>-0`, `<name>-1`, ...) and of the objects it creates
   * (Services, ServiceAccount, PodDisruptionBudget, NetworkPolicy, superuser Job): a DNS-1035
   * label of at most 49 characters. Renaming it creates a new, empty rack.
   * @default the construct id
   */
  readonly name?: string;
  /** Rack name Cassandra sees (`CASSANDRA_RACK`). @default the name */
  readonly rackName?: string;
  /** Zone the rack's nodes run in (`topology.kubernetes.io/zone`). Required unless `zoneAffinity: false`. @default none */
  readonly zone?: string;
  /**
   * Number of nodes. To remove nodes, run `nodetool decommission` on the highest ordinals first,
   * then lower this: scaling down without it loses those nodes' replicas.
   * @default 3
   */
  readonly nodes?: number;
  /**
   * RollingUpdate partition: only pods with an ordinal at or above it get a changed template
   * (canary). @default none (all pods update, highest ordinal first, one at a time)
   */
  readonly partition?: number;
  /** Datacenter name Cassandra sees (`CASSANDRA_DC`). @default 'dc1' */
  readonly datacenterName?: string;
  /** The workload running the nodes. @default CassandraWorkload.STATEFUL_SET */
  readonly workload?: CassandraWorkload;
  /** Advanced StatefulSet only: nodes updated at once. @default 1 */
  readonly maxUnavailable?: number;
}

/**
 * A single Cassandra rack as one StatefulSet: ordered start, stable names, a volume per node
 * retained on delete and on scale-down, pinned to its zone, one node per Kubernetes node, hardened
 * pods with the configuration copied into a writable emptyDir, probes that ask only the local
 * node, and `nodetool drain` before shutdown.
 *
 * It also creates what a datacenter shares (Services, ServiceAccount, disruption budget,
 * NetworkPolicy, superuser Job), named after itself. For several racks, use `CassandraDatacenter`.
 */
export class CassandraRack extends Construct implements IDatabase {
  /** The workload object: a `k8s.KubeStatefulSet`, or an OpenKruise Advanced StatefulSet. */
  public readonly resource: ApiObject;
  /** StatefulSet name. */
  public readonly name: string;
  /** Number of nodes. */
  public readonly nodes: number;
  /** How drivers and SchemaMigration reach the rack; `adminSecret` is the superuser, `secret` is undefined. */
  public readonly connection: ConnectionInfo;
  /** Labels selecting the rack's pods. */
  public readonly podSelector: { [key: string]: string };
  /** Seeds every node of this rack uses. */
  public readonly seeds: string[];
  /** Warnings about unsafe choices made deliberately (authentication or disruption budget off); also printed at synth, see `Warnings`. */
  public readonly warnings: string[];
  private readonly shared: SharedResources;

  constructor(scope: Construct, id: string, props: CassandraRackProps = {}) {
    super(scope, id);
    const { settings, rack } = this.validate(props ?? {}, id);

    this.name = rack.statefulSetName;
    this.nodes = rack.nodes;
    this.seeds = rack.seeds;
    this.shared = createShared(this, { instance: rack.instance, datacenterName: rack.datacenterName, settings, totalNodes: rack.nodes, clientId: 'Client', statefulSets: [rack.statefulSetName] });
    this.connection = this.shared.connection;
    this.podSelector = this.shared.podSelector;
    this.warnings = settings.warnings.map(w => w.message);
    for (const w of settings.warnings) Warnings.of(this).add(w.id, w.message);
    this.resource = renderRackStatefulSet(this, settings, rack, this.shared);
  }

  /** Opens CQL (9042) to `peer` through the rack's NetworkPolicy. */
  public allowFrom(peer: NetworkPeer): void {
    allowCql(this, 'CassandraRack', this.shared, peer);
  }

  /** Validates every prop, then resolves the node settings and the rack with every default applied. */
  private validate(props: CassandraRackProps, id: string): { settings: ResolvedNodeSettings; rack: ResolvedRack } {
    const problems = new Problems(this, 'CassandraRack');
    const name = props.name ?? id;
    // The rack names the shared objects after itself.
    const nameOk = checkName(problems, 'name', name, 'statefulSet') && checkInstanceName(problems, name);
    const rackName = props.rackName ?? name;
    if (nameOk || props.rackName !== undefined) checkCassandraName(problems, 'rackName', rackName, 'rack');
    const nodes = props.nodes ?? 3;
    const nodesOk = checkNodes(problems, 'nodes', nodes);
    checkPartition(problems, 'partition', props.partition, nodes);
    checkWorkload(problems, '', props.workload, props.maxUnavailable, nodes);
    const datacenterName = props.datacenterName ?? 'dc1';
    checkCassandraName(problems, 'datacenterName', datacenterName, 'datacenter');
    const settings = resolveNodeSettings(this, problems, props, name, nameOk);
    checkZone(problems, 'zone', props.zone, settings.zoneAffinity);
    checkReplicationFactor(problems, props.replicationFactor, nodesOk ? nodes : 0);
    if (nodesOk) checkRestoreNodes(problems, settings.backup, nodes);
    problems.throwIfAny();

    const seeds = seedList([{ statefulSetName: name, nodes }], sharedNames(name).headless, settings.namespace, settings.clusterDomain, settings.additionalSeeds);
    return {
      settings,
      rack: {
        instance: name, datacenterName, statefulSetName: name, rackName, zone: props.zone, nodes, partition: props.partition, seeds,
        workload: props.workload ?? CassandraWorkload.STATEFUL_SET, maxUnavailable: props.maxUnavailable ?? 1,
        // Managed in parallel, first starts gate on the previous ordinal of the rack itself.
        waitPreviousOrdinalOf: props.workload === CassandraWorkload.ADVANCED_STATEFUL_SET && nodes > 1 ? name : undefined,
      },
    };
  }
}
