import { ApiObject } from 'cdk8s';
import { k8s } from 'cdk8s-plus-28';
import { StatefulSetV1Beta1, StatefulSetV1Beta1SpecUpdateStrategyRollingUpdateMaxUnavailable } from '../../../imports/kruise-statefulsets-apps.kruise.io';
import { CassandraWorkload } from '../workload';
import { Construct } from 'constructs';
import { KEEP_ON_PRUNE, acknowledgeAnnotation } from '../../core/annotations';
import { Credentials } from '../../core/credentials';
import { helperResources } from '../../core/resources';
import { hardenedContainerSecurityContext, hardenedPodSecurityContext } from '../../core/security';
import { CASSANDRA_IDS } from './auth';
import { MedusaPodContext, medusaContainer, medusaInitContainers, medusaVolumes } from './backup';
import { configInitScript } from './config';
import { exporterContainer } from './monitoring';
import { ResolvedNodeSettings } from './resolve';
import { JMX_PORT } from './repair';
import { JMX_FILES_SCRIPT, LIVENESS_SCRIPT, PRESTOP_SCRIPT, READINESS_SCRIPT, STARTUP_SCRIPT, WAIT_FOR_PREVIOUS_SCRIPT } from './scripts';
import { CQL_PORT, RACK_LABEL, SharedResources, cassandraLabels, cassandraSelector } from './shared';

/** One rack, validated: its place in the datacenter and its shape. */
export interface ResolvedRack {
  /** Name of the datacenter's objects (labels, shared Services). */
  readonly instance: string;
  /** `CASSANDRA_DC`. */
  readonly datacenterName: string;
  readonly statefulSetName: string;
  /** `CASSANDRA_RACK`. */
  readonly rackName: string;
  readonly zone?: string;
  readonly nodes: number;
  readonly partition?: number;
  readonly seeds: string[];
  readonly workload: CassandraWorkload;
  /** Advanced StatefulSet: nodes updated at once. */
  readonly maxUnavailable: number;
  /** StatefulSet whose pod with the same ordinal must be up before a first start. */
  readonly waitSameOrdinalOf?: string;
  /** StatefulSet whose pod with the previous ordinal must be up before a first start (first rack). */
  readonly waitPreviousOrdinalOf?: string;
}

const STARTUP_PERIOD_SECONDS = 15;

/**
 * Renders a rack's StatefulSet as the child `Resource` of `scope`: ordered start, stable names, a
 * volume per node retained on delete and on scale-down, pinned to its zone, one node per
 * Kubernetes node, hardened pods with the configuration copied into a writable emptyDir, probes
 * that ask only the local node, and `nodetool drain` before shutdown.
 */
export function renderRackStatefulSet(scope: Construct, s: ResolvedNodeSettings, rack: ResolvedRack, shared: SharedResources): ApiObject {
  const labels = { ...cassandraLabels(rack.instance), [RACK_LABEL]: rack.statefulSetName };
  const selector = { ...cassandraSelector(rack.instance), [RACK_LABEL]: rack.statefulSetName };
  const props: k8s.KubeStatefulSetProps = {
    metadata: {
      name: rack.statefulSetName,
      namespace: s.namespace,
      labels,
      annotations: { ...KEEP_ON_PRUNE, ...acknowledgeAnnotation(s.acknowledge) },
    },
    spec: {
      serviceName: shared.headlessServiceName,
      replicas: rack.nodes,
      podManagementPolicy: 'OrderedReady',
      updateStrategy: { type: 'RollingUpdate', ...(rack.partition !== undefined ? { rollingUpdate: { partition: rack.partition } } : {}) },
      persistentVolumeClaimRetentionPolicy: { whenDeleted: 'Retain', whenScaled: 'Retain' },
      selector: { matchLabels: selector },
      template: {
        metadata: { labels },
        spec: {
          serviceAccountName: shared.serviceAccountName,
          automountServiceAccountToken: false,
          enableServiceLinks: false,
          terminationGracePeriodSeconds: s.terminationGracePeriodSeconds,
          securityContext: hardenedPodSecurityContext(CASSANDRA_IDS),
          affinity: affinity(s, rack),
          initContainers: initContainers(s, rack, shared),
          containers: [
            cassandraContainer(s, rack),
            ...(s.monitoring.enabled ? [exporterContainer(s.monitoring, 'exporter-config', s.repairs?.jmxCredentials)] : []),
            ...(s.backup ? [medusaContainer(s.backup, medusaContext(s, shared))] : []),
          ],
          volumes: [
            { name: 'config', emptyDir: { sizeLimit: k8s.Quantity.fromString('64Mi') } },
            { name: 'logs', emptyDir: { sizeLimit: k8s.Quantity.fromString('4Gi') } },
            { name: 'tmp', emptyDir: { sizeLimit: k8s.Quantity.fromString('1Gi') } },
            ...(s.monitoring.enabled ? [
              { name: 'exporter-config', configMap: { name: shared.exporterConfigMapName } },
              { name: 'exporter-tmp', emptyDir: { sizeLimit: k8s.Quantity.fromString('64Mi') } },
            ] : []),
            ...(s.backup ? medusaVolumes(s.backup, medusaContext(s, shared)) : []),
          ],
        },
      },
      volumeClaimTemplates: [{
        metadata: { name: 'data', labels, annotations: { ...KEEP_ON_PRUNE } },
        spec: {
          accessModes: ['ReadWriteOnce'],
          ...(s.storage.storageClass ? { storageClassName: s.storage.storageClass } : {}),
          resources: { requests: { storage: k8s.Quantity.fromString(s.storage.size) } },
        },
      }],
    },
  };
  if (rack.workload === CassandraWorkload.ADVANCED_STATEFUL_SET) return renderAdvancedStatefulSet(scope, props, rack);
  return new k8s.KubeStatefulSet(scope, 'Resource', props);
}

/**
 * The same rack as an OpenKruise Advanced StatefulSet: pods managed in parallel (first starts
 * stay ordered by the first-start gate), `maxUnavailable` nodes updated at once, an image-only
 * change applied in place (the `InPlaceUpdateReady` readiness gate lets the controller take the
 * pod out of the Services first), claims retained on delete and on scale-down.
 */
function renderAdvancedStatefulSet(scope: Construct, props: k8s.KubeStatefulSetProps, rack: ResolvedRack): ApiObject {
  const spec = props.spec!;
  // The CRD types the template and claims as free-form: render them with the core types' own JSON.
  const template = k8s.toJson_PodTemplateSpec(spec.template)!;
  template.spec.readinessGates = [{ conditionType: 'InPlaceUpdateReady' }];
  const claims = (spec.volumeClaimTemplates ?? []).map(c => k8s.toJson_KubePersistentVolumeClaimProps(c));
  return new StatefulSetV1Beta1(scope, 'Resource', {
    metadata: props.metadata,
    spec: {
      serviceName: spec.serviceName,
      replicas: spec.replicas,
      podManagementPolicy: 'Parallel',
      updateStrategy: {
        type: 'RollingUpdate',
        rollingUpdate: {
          podUpdatePolicy: 'InPlaceIfPossible',
          maxUnavailable: StatefulSetV1Beta1SpecUpdateStrategyRollingUpdateMaxUnavailable.fromNumber(rack.maxUnavailable),
          // Time out of the Services before the container restarts in place.
          inPlaceUpdateStrategy: { gracePeriodSeconds: 10 },
          ...(rack.partition !== undefined ? { partition: rack.partition } : {}),
        },
      },
      persistentVolumeClaimRetentionPolicy: { whenDeleted: 'Retain', whenScaled: 'Retain' },
      selector: spec.selector,
      template,
      volumeClaimTemplates: claims,
    },
  });
}

/** The config copy, and the first-start gate when another node precedes this rack's in the start order. */
function initContainers(s: ResolvedNodeSettings, rack: ResolvedRack, shared: SharedResources): k8s.Container[] {
  const image = s.version.image;
  const securityContext = hardenedContainerSecurityContext(CASSANDRA_IDS);
  const containers: k8s.Container[] = [{
    name: 'config',
    image,
    imagePullPolicy: 'IfNotPresent',
    command: ['bash', '-c', s.repairs ? `${configInitScript(s.settings.yaml)}\n${JMX_FILES_SCRIPT}` : configInitScript(s.settings.yaml)],
    env: [
      { name: 'CONFIG_SOURCE', value: '/etc/cassandra' },
      { name: 'CONFIG_TARGET', value: '/config' },
      ...(s.repairs ? jmxCredentialEnv(s.repairs.jmxCredentials, true) : []),
    ],
    resources: helperResources(),
    securityContext,
    volumeMounts: [{ name: 'config', mountPath: '/config' }],
  }];
  // The restore, when asked for, runs before the first-start gate: a restored node has started before.
  if (s.backup) containers.push(...medusaInitContainers(s.backup, medusaContext(s, shared)));
  if (!rack.waitSameOrdinalOf && !rack.waitPreviousOrdinalOf) return containers;
  containers.push({
    name: 'wait-for-previous',
    image,
    imagePullPolicy: 'IfNotPresent',
    command: ['bash', '-c', WAIT_FOR_PREVIOUS_SCRIPT],
    env: [
      { name: 'POD_NAME', valueFrom: { fieldRef: { fieldPath: 'metadata.name' } } },
      { name: 'WAIT_SAME_ORDINAL_OF', value: rack.waitSameOrdinalOf ?? '' },
      { name: 'WAIT_PREVIOUS_ORDINAL_OF', value: rack.waitPreviousOrdinalOf ?? '' },
      { name: 'PEER_DOMAIN', value: `${shared.headlessServiceName}.${s.namespace}.svc.${s.clusterDomain}` },
      { name: 'PEER_CQL_PORT', value: String(CQL_PORT) },
      { name: 'CASSANDRA_DATA_DIR', value: '/var/lib/cassandra' },
      { name: 'WAIT_TIMEOUT_SECONDS', value: String(s.waitTimeoutSeconds) },
      { name: 'WAIT_INTERVAL_SECONDS', value: '5' },
    ],
    resources: helperResources(),
    securityContext,
    volumeMounts: [{ name: 'data', mountPath: '/var/lib/cassandra', readOnly: true }],
  });
  return containers;
}

function cassandraContainer(s: ResolvedNodeSettings, rack: ResolvedRack): k8s.Container {
  const probe = (script: string) => ({ exec: { command: ['bash', '-c', script] } });
  return {
    name: 'cassandra',
    image: s.version.image,
    imagePullPolicy: 'IfNotPresent',
    ports: [
      { name: 'intra-node', containerPort: 7000, protocol: 'TCP' },
      { name: 'tls-intra-node', containerPort: 7001, protocol: 'TCP' },
      { name: 'cql', containerPort: CQL_PORT, protocol: 'TCP' },
      ...(s.repairs ? [{ name: 'jmx', containerPort: JMX_PORT, protocol: 'TCP' }] : []),
    ],
    env: [
      { name: 'CASSANDRA_CLUSTER_NAME', value: s.clusterName },
      { name: 'CASSANDRA_DC', value: rack.datacenterName },
      { name: 'CASSANDRA_RACK', value: rack.rackName },
      // Without this snitch Cassandra ignores CASSANDRA_DC and CASSANDRA_RACK.
      { name: 'CASSANDRA_ENDPOINT_SNITCH', value: 'GossipingPropertyFileSnitch' },
      { name: 'CASSANDRA_SEEDS', value: rack.seeds.join(',') },
      { name: 'CASSANDRA_LISTEN_ADDRESS', valueFrom: { fieldRef: { fieldPath: 'status.podIP' } } },
      { name: 'CASSANDRA_BROADCAST_ADDRESS', valueFrom: { fieldRef: { fieldPath: 'status.podIP' } } },
      { name: 'CASSANDRA_RPC_ADDRESS', value: '0.0.0.0' },
      // Set together, from the memory limit: otherwise the JVM sizes itself from the host's RAM.
      { name: 'MAX_HEAP_SIZE', value: s.heap.maxHeapSize },
      { name: 'HEAP_NEWSIZE', value: s.heap.newSize },
      ...(s.repairs ? remoteJmxEnv(s.repairs.jmxCredentials) : []),
    ],
    resources: s.resources.requirements,
    securityContext: hardenedContainerSecurityContext(CASSANDRA_IDS),
    startupProbe: { ...probe(STARTUP_SCRIPT), periodSeconds: STARTUP_PERIOD_SECONDS, timeoutSeconds: 15, failureThreshold: Math.ceil(s.startupTimeoutSeconds / STARTUP_PERIOD_SECONDS) },
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
}

function affinity(s: ResolvedNodeSettings, rack: ResolvedRack): k8s.Affinity {
  return {
    podAntiAffinity: {
      // One node per Kubernetes node across the whole datacenter, not only this rack.
      requiredDuringSchedulingIgnoredDuringExecution: [{ topologyKey: 'kubernetes.io/hostname', labelSelector: { matchLabels: { ...cassandraSelector(rack.instance) } } }],
    },
    ...(s.zoneAffinity && rack.zone ? {
      nodeAffinity: {
        requiredDuringSchedulingIgnoredDuringExecution: {
          nodeSelectorTerms: [{ matchExpressions: [{ key: 'topology.kubernetes.io/zone', operator: 'In', values: [rack.zone] }] }],
        },
      },
    } : {}),
  };
}

/** The JMX account from its Secret: the username, and the password where a file must be written from it. */
export function jmxCredentialEnv(c: Credentials, withPassword: boolean): k8s.EnvVar[] {
  return [
    { name: 'JMX_USERNAME', valueFrom: { secretKeyRef: { name: c.secretName, key: c.usernameKey } } },
    ...(withPassword ? [{ name: 'JMX_PASSWORD', valueFrom: { secretKeyRef: { name: c.secretName, key: c.passwordKey } } }] : []),
  ];
}

/**
 * Remote JMX with password authentication (`LOCAL_JMX=no` in the image's cassandra-env.sh, which
 * then reads /etc/cassandra/jmxremote.password), the access file granting the account read-write,
 * and the pod IP as the RMI host so that a client outside the pod is sent back to this pod.
 * Probes and the drain hook log in as JMX_USERNAME with the password file.
 */
function remoteJmxEnv(c: Credentials): k8s.EnvVar[] {
  return [
    { name: 'LOCAL_JMX', value: 'no' },
    { name: 'POD_IP', valueFrom: { fieldRef: { fieldPath: 'status.podIP' } } },
    { name: 'JVM_EXTRA_OPTS', value: '-Dcom.sun.management.jmxremote.access.file=/etc/cassandra/jmxremote.access -Djava.rmi.server.hostname=$(POD_IP)' },
    ...jmxCredentialEnv(c, false),
  ];
}

function medusaContext(s: ResolvedNodeSettings, shared: SharedResources): MedusaPodContext {
  return {
    configMap: shared.medusaConfigMapName,
    superuser: s.authentication ? s.superuser : undefined,
    jmxCredentials: s.repairs?.jmxCredentials,
    cassandraImage: s.version.image,
    podNames: shared.podNames,
  };
}
