import { k8s } from 'cdk8s-plus-28';
import { Construct } from 'constructs';
import { KEEP_ON_PRUNE, acknowledgeAnnotation } from '../core/annotations';
import { ConnectionInfo, IDatabase } from '../core/connection';
import { Problems } from '../core/errors';
import { checkName } from '../core/names';
import { NetworkClient, toNetworkPolicyPeer } from '../core/network';
import { helperResources } from '../core/resources';
import { hardenedContainerSecurityContext, hardenedPodSecurityContext } from '../core/security';
import { CASSANDRA_IDS } from './auth';
import { CassandraNodeProps, ResolvedNodeSettings, isCassandraName, isZone, resolveNodeSettings } from './common';
import { configInitScript } from './config';
import { LIVENESS_SCRIPT, PRESTOP_SCRIPT, READINESS_SCRIPT, STARTUP_SCRIPT, WAIT_FOR_PREVIOUS_SCRIPT } from './private/scripts';
import { CQL_PORT, RACK_LABEL, SharedResources, cassandraLabels, cassandraSelector, createShared, sharedNames } from './private/shared';
import { seedList } from './seeds';

/** A rack: one StatefulSet of Cassandra nodes, usually one per zone. */
export interface CassandraRackProps extends CassandraNodeProps {
  /**
   * Name of the StatefulSet (pods `<name>-0`, `<name>-1`, ...) and, used alone, of the objects it
   * creates. Renaming it creates a new, empty rack.
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
  /** Datacenter name Cassandra sees (`CASSANDRA_DC`), when the rack is used on its own. @default 'dc1' */
  readonly datacenterName?: string;
}

/**
 * What a datacenter passes to each of its racks: validated settings and the shared objects.
 * Not for direct use.
 */
export interface CassandraRackContext {
  readonly settings: ResolvedNodeSettings;
  readonly instance: string;
  readonly datacenterName: string;
  readonly shared: SharedResources;
  readonly seeds: readonly string[];
  /** StatefulSet whose pod with the same ordinal must be up before a first start. */
  readonly waitSameOrdinalOf?: string;
  /** StatefulSet whose pod with the previous ordinal must be up before a first start (first rack). */
  readonly waitPreviousOrdinalOf?: string;
}

/**
 * A Cassandra rack as one StatefulSet: ordered start, stable names, a volume per node retained on
 * delete and on scale-down, pinned to its zone, one node per Kubernetes node, hardened pods with
 * the configuration copied into a writable emptyDir, probes that ask only the local node, and
 * `nodetool drain` before shutdown.
 *
 * Used on its own, it also creates what a datacenter shares (Services, ServiceAccount,
 * disruption budget, NetworkPolicy, superuser Job); inside a `CassandraDatacenter` it uses the
 * datacenter's.
 */
export class CassandraRack extends Construct implements IDatabase {
  /** The StatefulSet. */
  public readonly resource: k8s.KubeStatefulSet;
  /** StatefulSet name. */
  public readonly name: string;
  /** Number of nodes. */
  public readonly nodes: number;
  public readonly connection: ConnectionInfo;
  public readonly podSelector: Readonly<Record<string, string>>;
  /** Seeds every node of this rack uses. */
  public readonly seeds: readonly string[];
  /** Warnings about unsafe choices made deliberately (e.g. authentication off). */
  public readonly warnings: readonly string[];
  private readonly shared: SharedResources;
  private readonly namespace: string;

  constructor(scope: Construct, id: string, props: CassandraRackProps = {}, context?: CassandraRackContext) {
    super(scope, id);
    const problems = new Problems(this, 'CassandraRack');
    const name = props.name ?? id;
    let nameOk = checkName(problems, 'name', name, 'statefulSet');
    if (!context && nameOk) {
      // Used alone: the rack names the shared objects after itself.
      nameOk = problems.check(name.length + '-headless'.length <= 63 && name.length + '-auth-12345678'.length <= 63 && /^[a-z]/.test(name), 'name', name,
        'is too long or does not start with a letter for the Services and Job named after it', 'use at most 49 characters, starting with a letter');
    }
    const rackName = props.rackName ?? name;
    if (nameOk || props.rackName !== undefined) problems.check(isCassandraName(rackName), 'rackName', rackName, 'is not a valid rack name', 'use letters, digits, ".", "_" or "-"');
    const nodes = props.nodes ?? 3;
    problems.check(typeof nodes === 'number' && Number.isInteger(nodes) && nodes >= 1 && nodes <= 1000, 'nodes', nodes,
      'must be a whole number from 1 to 1000', 'give the number of nodes; to remove a rack, decommission its nodes first');
    if (props.partition !== undefined) {
      problems.check(typeof props.partition === 'number' && Number.isInteger(props.partition) && props.partition >= 0 && props.partition <= nodes, 'partition', props.partition,
        'must be a whole number from 0 to the number of nodes', 'give the lowest ordinal that gets the new template');
    }
    const datacenterName = context?.datacenterName ?? props.datacenterName ?? 'dc1';
    problems.check(isCassandraName(datacenterName), 'datacenterName', datacenterName, 'is not a valid datacenter name', 'use letters, digits, ".", "_" or "-"');
    const settings = context?.settings ?? resolveNodeSettings(this, problems, props, name, nameOk);
    if (settings.zoneAffinity) {
      problems.check(isZone(props.zone), 'zone', props.zone, 'is required when zoneAffinity is on, and must be a label value',
        'give the zone of the rack, e.g. "eu-west-1a", or set zoneAffinity: false');
    } else if (props.zone !== undefined) {
      problems.check(isZone(props.zone), 'zone', props.zone, 'is not a valid zone label value', 'give e.g. "eu-west-1a"');
    }
    if (!context && props.replicationFactor !== undefined) {
      const rf = props.replicationFactor;
      problems.check(typeof rf === 'number' && Number.isInteger(rf) && rf >= 1 && rf <= nodes, 'replicationFactor', rf,
        `must be a whole number from 1 to the number of nodes (${nodes})`, 'add nodes or lower the replication factor');
    }
    problems.throwIfAny();

    this.name = name;
    this.nodes = nodes;
    this.namespace = settings.namespace;
    const instance = context?.instance ?? name;
    this.shared = context?.shared ?? createShared(this, { instance, datacenterName, settings, totalNodes: nodes, clientId: 'Client' });
    this.seeds = context?.seeds ?? seedList([{ statefulSetName: name, nodes }], sharedNames(instance).headless, settings.namespace, settings.clusterDomain, settings.additionalSeeds);
    this.connection = this.shared.connection;
    this.podSelector = this.shared.podSelector;
    this.warnings = settings.authentication ? [] : ['authentication is off (AllowAllAuthenticator): any pod allowed by the NetworkPolicy can read and change all data; use it for development only'];
    for (const w of this.warnings) this.node.addMetadata('warning', w);

    const labels = { ...cassandraLabels(instance), [RACK_LABEL]: name };
    const selector = { ...cassandraSelector(instance), [RACK_LABEL]: name };
    const peerDomain = `${this.shared.headlessServiceName}.${settings.namespace}.svc.${settings.clusterDomain}`;
    const image = settings.version.image;
    const containerSecurity = hardenedContainerSecurityContext(CASSANDRA_IDS);

    const initContainers: k8s.Container[] = [{
      name: 'config',
      image,
      imagePullPolicy: 'IfNotPresent',
      command: ['bash', '-c', configInitScript(settings.settings.yaml)],
      env: [{ name: 'CONFIG_SOURCE', value: '/etc/cassandra' }, { name: 'CONFIG_TARGET', value: '/config' }],
      resources: helperResources(),
      securityContext: containerSecurity,
      volumeMounts: [{ name: 'config', mountPath: '/config' }],
    }];
    if (context?.waitSameOrdinalOf || context?.waitPreviousOrdinalOf) {
      initContainers.push({
        name: 'wait-for-previous',
        image,
        imagePullPolicy: 'IfNotPresent',
        command: ['bash', '-c', WAIT_FOR_PREVIOUS_SCRIPT],
        env: [
          { name: 'POD_NAME', valueFrom: { fieldRef: { fieldPath: 'metadata.name' } } },
          { name: 'WAIT_SAME_ORDINAL_OF', value: context.waitSameOrdinalOf ?? '' },
          { name: 'WAIT_PREVIOUS_ORDINAL_OF', value: context.waitPreviousOrdinalOf ?? '' },
          { name: 'PEER_DOMAIN', value: peerDomain },
          { name: 'PEER_CQL_PORT', value: String(CQL_PORT) },
          { name: 'CASSANDRA_DATA_DIR', value: '/var/lib/cassandra' },
          { name: 'WAIT_TIMEOUT_SECONDS', value: String(settings.waitTimeoutSeconds) },
          { name: 'WAIT_INTERVAL_SECONDS', value: '5' },
        ],
        resources: helperResources(),
        securityContext: containerSecurity,
        volumeMounts: [{ name: 'data', mountPath: '/var/lib/cassandra', readOnly: true }],
      });
    }

    const probe = (script: string) => ({ exec: { command: ['bash', '-c', script] } });
    const startupPeriod = 15;
    const container: k8s.Container = {
      name: 'cassandra',
      image,
      imagePullPolicy: 'IfNotPresent',
      ports: [
        { name: 'intra-node', containerPort: 7000, protocol: 'TCP' },
        { name: 'tls-intra-node', containerPort: 7001, protocol: 'TCP' },
        { name: 'cql', containerPort: CQL_PORT, protocol: 'TCP' },
      ],
      env: [
        { name: 'CASSANDRA_CLUSTER_NAME', value: settings.clusterName },
        { name: 'CASSANDRA_DC', value: datacenterName },
        { name: 'CASSANDRA_RACK', value: rackName },
        // Without this snitch Cassandra ignores CASSANDRA_DC and CASSANDRA_RACK.
        { name: 'CASSANDRA_ENDPOINT_SNITCH', value: 'GossipingPropertyFileSnitch' },
        { name: 'CASSANDRA_SEEDS', value: this.seeds.join(',') },
        { name: 'CASSANDRA_LISTEN_ADDRESS', valueFrom: { fieldRef: { fieldPath: 'status.podIP' } } },
        { name: 'CASSANDRA_BROADCAST_ADDRESS', valueFrom: { fieldRef: { fieldPath: 'status.podIP' } } },
        { name: 'CASSANDRA_RPC_ADDRESS', value: '0.0.0.0' },
        // Set together, from the memory limit: otherwise the JVM sizes itself from the host's RAM.
        { name: 'MAX_HEAP_SIZE', value: settings.heap.maxHeapSize },
        { name: 'HEAP_NEWSIZE', value: settings.heap.newSize },
      ],
      resources: settings.resources.requirements,
      securityContext: containerSecurity,
      startupProbe: { ...probe(STARTUP_SCRIPT), periodSeconds: startupPeriod, timeoutSeconds: 15, failureThreshold: Math.ceil(settings.startupTimeoutSeconds / startupPeriod) },
      readinessProbe: { ...probe(READINESS_SCRIPT), periodSeconds: 20, timeoutSeconds: 15, failureThreshold: 3, successThreshold: 1 },
      livenessProbe: { ...probe(LIVENESS_SCRIPT), periodSeconds: 60, timeoutSeconds: 30, failureThreshold: 5 },
      lifecycle: { preStop: { exec: { command: ['bash', '-c', PRESTOP_SCRIPT] } } },
      volumeMounts: [
        { name: 'data', mountPath: '/var/lib/cassandra' },
        { name: 'config', mountPath: '/etc/cassandra' },
        { name: 'logs', mountPath: '/var/log/cassandra' },
        { name: 'tmp', mountPath: '/tmp' },
      ],
    };

    const affinity: k8s.Affinity = {
      podAntiAffinity: {
        // One node per Kubernetes node across the whole datacenter, not only this rack.
        requiredDuringSchedulingIgnoredDuringExecution: [{ topologyKey: 'kubernetes.io/hostname', labelSelector: { matchLabels: { ...cassandraSelector(instance) } } }],
      },
      ...(settings.zoneAffinity && props.zone ? {
        nodeAffinity: {
          requiredDuringSchedulingIgnoredDuringExecution: {
            nodeSelectorTerms: [{ matchExpressions: [{ key: 'topology.kubernetes.io/zone', operator: 'In', values: [props.zone] }] }],
          },
        },
      } : {}),
    };

    this.resource = new k8s.KubeStatefulSet(this, 'Resource', {
      metadata: {
        name,
        namespace: settings.namespace,
        labels,
        annotations: { ...KEEP_ON_PRUNE, ...acknowledgeAnnotation(settings.acknowledge) },
      },
      spec: {
        serviceName: this.shared.headlessServiceName,
        replicas: nodes,
        podManagementPolicy: 'OrderedReady',
        updateStrategy: { type: 'RollingUpdate', ...(props.partition !== undefined ? { rollingUpdate: { partition: props.partition } } : {}) },
        persistentVolumeClaimRetentionPolicy: { whenDeleted: 'Retain', whenScaled: 'Retain' },
        selector: { matchLabels: selector },
        template: {
          metadata: { labels },
          spec: {
            serviceAccountName: this.shared.serviceAccountName,
            automountServiceAccountToken: false,
            enableServiceLinks: false,
            terminationGracePeriodSeconds: settings.terminationGracePeriodSeconds,
            securityContext: hardenedPodSecurityContext(CASSANDRA_IDS),
            affinity,
            initContainers,
            containers: [container],
            volumes: [
              { name: 'config', emptyDir: { sizeLimit: k8s.Quantity.fromString('64Mi') } },
              { name: 'logs', emptyDir: { sizeLimit: k8s.Quantity.fromString('4Gi') } },
              { name: 'tmp', emptyDir: { sizeLimit: k8s.Quantity.fromString('1Gi') } },
            ],
          },
        },
        volumeClaimTemplates: [{
          metadata: { name: 'data', labels, annotations: { ...KEEP_ON_PRUNE } },
          spec: {
            accessModes: ['ReadWriteOnce'],
            ...(settings.storageClassName ? { storageClassName: settings.storageClassName } : {}),
            resources: { requests: { storage: k8s.Quantity.fromString(settings.storageSize) } },
          },
        }],
      },
    });
  }

  /** Opens CQL (9042) to `client`. */
  public allowFrom(client: NetworkClient): void {
    const ns = this.namespace;
    this.shared.policy.allow([() => toNetworkPolicyPeer(client, ns)], [CQL_PORT]);
  }
}
