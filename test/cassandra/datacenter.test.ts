import { ApiObject, Chart, Duration, Testing } from 'cdk8s';
import { k8s } from 'cdk8s-plus-28';
import { Construct } from 'constructs';
import * as fc from 'fast-check';
import { CassandraDatacenter, CassandraDatacenterProps, CassandraVersion } from '../../lib/cassandra';
import { KEEP_ON_PRUNE, NetworkPeer, ValidationError } from '../../lib/core';
import { cassandraDatacenterProps } from '../support/arbitraries/cassandra-datacenter';
import { findObject, synthValid, testChart } from '../support/synth';

/** Fixed, so the runs (and the count of valid prop sets the test asserts on) are the same on every run and machine. */
const PROPERTY_SEED = 5001;

const RACKS = ['a', 'b', 'c'].map(z => ({ name: `zone-${z}`, zone: `eu-west-1${z}` }));

function synth(props: Partial<CassandraDatacenterProps> = {}, namespace = 'events'): { manifests: any[]; dc: CassandraDatacenter } {
  const chart = testChart(namespace);
  const dc = new CassandraDatacenter(chart, 'events', { racks: RACKS, nodesPerRack: 2, storage: { size: '100Gi' }, ...props });
  return { manifests: synthValid(chart), dc };
}

const statefulSets = (m: any[]) => m.filter(o => o.kind === 'StatefulSet');
const mainContainer = (sts: any) => sts.spec.template.spec.containers.find((c: any) => c.name === 'cassandra');
const env = (c: any, name: string) => c.env.find((e: any) => e.name === name);

describe('CassandraDatacenter defaults', () => {
  const { manifests, dc } = synth();

  test('snapshot', () => {
    expect(manifests).toMatchSnapshot();
  });

  test('one StatefulSet per rack with stable names, OrderedReady, RollingUpdate, the shared headless Service', () => {
    const sets = statefulSets(manifests);
    expect(sets.map(s => s.metadata.name)).toEqual(['events-zone-a', 'events-zone-b', 'events-zone-c']);
    for (const s of sets) {
      expect(s.metadata.namespace).toBe('events');
      expect(s.spec.replicas).toBe(2);
      expect(s.spec.podManagementPolicy).toBe('OrderedReady');
      expect(s.spec.updateStrategy).toEqual({ type: 'RollingUpdate' });
      expect(s.spec.serviceName).toBe('events-headless');
    }
  });

  test('headless Service publishes not-ready addresses; client Service on 9042; JMX nowhere', () => {
    const headless = findObject(manifests, 'Service', 'events-headless');
    expect(headless.spec.clusterIP).toBe('None');
    expect(headless.spec.publishNotReadyAddresses).toBe(true);
    const client = findObject(manifests, 'Service', 'events');
    expect(client.spec.ports).toEqual([{ name: 'cql', port: 9042, targetPort: 'cql' }]);
    expect(client.spec.publishNotReadyAddresses).toBeUndefined();
    // JMX stays on loopback: the only mention of 7199 is the exporter's own `host: localhost:7199`.
    const withoutExporterConfig = manifests.filter(m => !(m.kind === 'ConfigMap' && m.metadata.name === 'events-exporter'));
    expect(JSON.stringify(withoutExporterConfig)).not.toContain('7199');
    expect(findObject(manifests, 'ConfigMap', 'events-exporter').data['config.yml']).toMatch(/^host: localhost:7199$/m);
  });

  test('GossipingPropertyFileSnitch, datacenter, rack and cluster name on every node', () => {
    for (const s of statefulSets(manifests)) {
      const c = mainContainer(s);
      expect(env(c, 'CASSANDRA_ENDPOINT_SNITCH').value).toBe('GossipingPropertyFileSnitch');
      expect(env(c, 'CASSANDRA_DC').value).toBe('events');
      expect(env(c, 'CASSANDRA_RACK').value).toBe(s.metadata.name.replace('events-', ''));
      expect(env(c, 'CASSANDRA_CLUSTER_NAME').value).toBe('events');
      expect(env(c, 'CASSANDRA_NUM_TOKENS')).toBeUndefined();
      expect(s.spec.template.spec.initContainers[0].command[2]).toContain('num_tokens: 16');
    }
  });

  test('heap from the memory limit: both variables, half of 4Gi, 100M new generation per core', () => {
    const c = mainContainer(statefulSets(manifests)[0]);
    expect(env(c, 'MAX_HEAP_SIZE').value).toBe('2048M');
    expect(env(c, 'HEAP_NEWSIZE').value).toBe('100M');
    expect(c.resources).toEqual({ requests: { cpu: '1', memory: '4Gi' }, limits: { memory: '4Gi' } });
  });

  test('seeds: ordinal 0 of each rack, stable DNS names, identical on every node', () => {
    const expected = ['a', 'b', 'c'].map(z => `events-zone-${z}-0.events-headless.events.svc.cluster.local`);
    expect(dc.seeds).toEqual(expected);
    for (const s of statefulSets(manifests)) expect(env(mainContainer(s), 'CASSANDRA_SEEDS').value).toBe(expected.join(','));
  });

  test('first-start order: every rack gates its first start on the previous one', () => {
    const [a, b, c] = statefulSets(manifests).map(s => s.spec.template.spec.initContainers.map((i: any) => i.name));
    expect(a).toEqual(['config', 'wait-for-previous']);
    expect(b).toEqual(['config', 'wait-for-previous']);
    expect(c).toEqual(['config', 'wait-for-previous']);
  });

  test('probes ask only the local node; startup has a long budget; liveness is generous', () => {
    const c = mainContainer(statefulSets(manifests)[0]);
    for (const p of [c.startupProbe, c.readinessProbe, c.livenessProbe]) {
      expect(p.exec.command[0]).toBe('bash');
      expect(p.exec.command[2]).not.toMatch(/-h |--host|svc/);
    }
    expect(c.readinessProbe.exec.command[2]).toContain('Native Transport active');
    expect(c.startupProbe.periodSeconds * c.startupProbe.failureThreshold).toBe(1800);
    expect(c.livenessProbe.periodSeconds * c.livenessProbe.failureThreshold).toBeGreaterThanOrEqual(300);
    expect(c.livenessProbe.timeoutSeconds).toBeGreaterThanOrEqual(30);
  });

  test('preStop nodetool drain with a grace period of at least 120 s', () => {
    const s = statefulSets(manifests)[0];
    const [shell, flag, script] = mainContainer(s).lifecycle.preStop.exec.command;
    expect([shell, flag]).toEqual(['bash', '-c']);
    expect(script).toMatch(/^export MAX_HEAP_SIZE=128M HEAP_NEWSIZE=32M\n/);
    expect(script).toMatch(/\nnodetool "\$\{jmx\[@\]\}" drain$/);
    expect(s.spec.template.spec.terminationGracePeriodSeconds).toBe(180);
  });

  test('security: uid/gid/fsGroup 999, read-only root, config copied into an emptyDir, logs and /tmp writable, no token', () => {
    const pod = statefulSets(manifests)[0].spec.template.spec;
    expect(pod.securityContext).toMatchObject({ runAsNonRoot: true, runAsUser: 999, runAsGroup: 999, fsGroup: 999, seccompProfile: { type: 'RuntimeDefault' } });
    for (const c of [...pod.initContainers, ...pod.containers]) {
      expect(c.securityContext).toMatchObject({ allowPrivilegeEscalation: false, readOnlyRootFilesystem: true, runAsNonRoot: true, capabilities: { drop: ['ALL'] } });
      expect(c.imagePullPolicy).toBe('IfNotPresent');
      expect(c.image).toBe(c.name === 'exporter' ? 'criteord/cassandra_exporter:2.3.8' : 'cassandra:5.0.5');
    }
    expect(pod.automountServiceAccountToken).toBe(false);
    expect(pod.serviceAccountName).toBe('events');
    expect(findObject(manifests, 'ServiceAccount', 'events').automountServiceAccountToken).toBe(false);
    const mounts = Object.fromEntries(pod.containers[0].volumeMounts.map((m: any) => [m.mountPath, m.name]));
    expect(mounts).toEqual({ '/var/lib/cassandra': 'data', '/etc/cassandra': 'config', '/var/log/cassandra': 'logs', '/tmp': 'tmp' });
    expect(pod.initContainers[0].volumeMounts).toEqual([{ name: 'config', mountPath: '/config' }]);
    expect(pod.volumes.map((v: any) => [v.name, Object.keys(v).filter(k => k !== 'name')[0]])).toEqual([
      ['config', 'emptyDir'], ['logs', 'emptyDir'], ['tmp', 'emptyDir'], ['exporter-config', 'configMap'], ['exporter-tmp', 'emptyDir']]);
  });

  test('authentication on: the config sets PasswordAuthenticator and CassandraAuthorizer; a bounded Job replaces the superuser', () => {
    const script = statefulSets(manifests)[0].spec.template.spec.initContainers[0].command[2];
    expect(script).toContain('authenticator:\n  class_name: "org.apache.cassandra.auth.PasswordAuthenticator"\n');
    expect(script).toContain('authorizer: "org.apache.cassandra.auth.CassandraAuthorizer"');
    const job = findObject(manifests, 'Job');
    expect(job.metadata.name).toMatch(/^events-auth-[0-9a-f]{8}$/);
    expect(job.spec).toMatchObject({ backoffLimit: 6, activeDeadlineSeconds: 3600 + 6 * 600, ttlSecondsAfterFinished: 86400 });
    expect(job.spec.template.spec.containers[0].env.find((e: any) => e.name === 'SETUP_TIMEOUT_SECONDS').value).toBe(String(3600 + 6 * 600 - 300));
    expect(job.spec.template.spec.restartPolicy).toBe('Never');
    expect(dc.warnings).toEqual([]);
  });

  test('disruption budget: one node down at a time across the datacenter', () => {
    const pdb = findObject(manifests, 'PodDisruptionBudget', 'events');
    expect(pdb.spec.maxUnavailable).toBe(1);
    for (const s of statefulSets(manifests)) {
      for (const [k, v] of Object.entries(pdb.spec.selector.matchLabels)) expect(s.spec.template.metadata.labels[k]).toBe(v);
    }
  });

  test('volumes: claim template with the size, retained on delete and scale-down, kept on prune', () => {
    for (const s of statefulSets(manifests)) {
      expect(s.spec.persistentVolumeClaimRetentionPolicy).toEqual({ whenDeleted: 'Retain', whenScaled: 'Retain' });
      const [t] = s.spec.volumeClaimTemplates;
      expect(t.metadata.name).toBe('data');
      expect(t.spec).toEqual({ accessModes: ['ReadWriteOnce'], resources: { requests: { storage: '100Gi' } } });
      expect(t.metadata.annotations).toMatchObject(KEEP_ON_PRUNE);
    }
  });

  test('scheduling: required zone affinity per rack, required anti-affinity on hostname across the datacenter', () => {
    for (const [i, s] of statefulSets(manifests).entries()) {
      const a = s.spec.template.spec.affinity;
      expect(a.nodeAffinity.requiredDuringSchedulingIgnoredDuringExecution.nodeSelectorTerms).toEqual([
        { matchExpressions: [{ key: 'topology.kubernetes.io/zone', operator: 'In', values: [RACKS[i].zone] }] }]);
      const [term] = a.podAntiAffinity.requiredDuringSchedulingIgnoredDuringExecution;
      expect(term.topologyKey).toBe('kubernetes.io/hostname');
      expect(term.labelSelector.matchLabels).toEqual(findObject(manifests, 'PodDisruptionBudget').spec.selector.matchLabels);
    }
  });

  test('NetworkPolicy: inter-node ports only between the datacenter\'s pods, CQL for the superuser Job', () => {
    const np = findObject(manifests, 'NetworkPolicy', 'events');
    const selector = findObject(manifests, 'PodDisruptionBudget').spec.selector.matchLabels;
    expect(np.spec.podSelector.matchLabels).toEqual(selector);
    expect(np.spec.ingress[0]).toEqual({ from: [{ podSelector: { matchLabels: selector } }], ports: [7000, 7001, 9042].map(port => ({ protocol: 'TCP', port })) });
    // The scraper reaches the exporter's port only.
    expect(np.spec.ingress[1]).toEqual({
      from: [{ podSelector: { matchLabels: { 'app.kubernetes.io/name': 'prometheus' } }, namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': 'monitoring' } } }],
      ports: [{ protocol: 'TCP', port: 8080 }],
    });
    expect(np.spec.ingress[2].ports).toEqual([{ protocol: 'TCP', port: 9042 }]);
    expect(np.spec.ingress[2].from[0].podSelector.matchLabels['app.kubernetes.io/component']).toBe('superuser-setup');
    expect(np.spec.ingress).toHaveLength(3);
  });

  test('connection info for drivers and SchemaMigration', () => {
    expect(dc.connection).toEqual({
      engine: 'cassandra', namespace: 'events', host: 'events.events.svc.cluster.local', port: 9042, tls: false, majorVersion: '5.0',
      contactPoints: ['events.events.svc.cluster.local'], datacenter: 'events',
      adminSecret: { name: 'events-superuser', usernameKey: 'username', passwordKey: 'password' },
    });
    // No application user of its own: connection.secret stays undefined.
    expect(dc.connection.secret).toBeUndefined();
    expect(dc.localDatacenter).toBe('events');
    expect(dc.nodes).toBe(6);
  });
});

describe('CassandraDatacenter options', () => {
  test('allowFrom opens CQL only, resolved at synth time', () => {
    const chart = testChart('events');
    const dc = new CassandraDatacenter(chart, 'events', { racks: RACKS });
    const app = new k8s.KubeDeployment(chart, 'app', { metadata: { name: 'app' }, spec: { selector: { matchLabels: { app: 'x' } }, template: { metadata: { labels: { app: 'x' } }, spec: { containers: [] } } } });
    dc.allowFrom(NetworkPeer.fromWorkload(app));
    dc.allowFrom(NetworkPeer.fromPodLabels({ team: 'etl' }, 'etl'));
    const np = findObject(Testing.synth(chart), 'NetworkPolicy', 'events');
    expect(np.spec.ingress.slice(3)).toEqual([
      { from: [{ podSelector: { matchLabels: { app: 'x' } } }], ports: [{ protocol: 'TCP', port: 9042 }] },
      { from: [{ podSelector: { matchLabels: { team: 'etl' } }, namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': 'etl' } } }], ports: [{ protocol: 'TCP', port: 9042 }] },
    ]);
  });

  test('explicit heap, big nodes: capped at 31 GiB by default, 100M per core', () => {
    const big = synth({ resources: { cpu: '8', memory: '80Gi' } }).manifests;
    const c = mainContainer(statefulSets(big)[0]);
    expect(env(c, 'MAX_HEAP_SIZE').value).toBe('31744M');
    expect(env(c, 'HEAP_NEWSIZE').value).toBe('800M');
    const explicit = synth({ resources: { cpu: '2', memory: '16Gi' }, heap: { maxHeapSize: '8Gi', newSize: '1Gi' } }).manifests;
    expect(env(mainContainer(statefulSets(explicit)[0]), 'MAX_HEAP_SIZE').value).toBe('8192M');
    expect(env(mainContainer(statefulSets(explicit)[0]), 'HEAP_NEWSIZE').value).toBe('1024M');
  });

  test('a one-node rack and one-rack datacenters: seeds up to ordinal 1, no gate where nothing precedes', () => {
    const one = synth({ racks: [RACKS[0]], nodesPerRack: 3 });
    expect(one.dc.seeds).toEqual(['events-zone-a-0', 'events-zone-a-1'].map(p => `${p}.events-headless.events.svc.cluster.local`));
    expect(statefulSets(one.manifests)[0].spec.template.spec.initContainers.map((c: any) => c.name)).toEqual(['config']);
    const two = synth({ racks: RACKS.slice(0, 2), nodesPerRack: 2 });
    expect(two.dc.seeds.map(s => s.split('.')[0])).toEqual(['events-zone-a-0', 'events-zone-b-0', 'events-zone-a-1']);
  });

  test('multi-datacenter: additional seeds appended, peers on inter-node ports, system_auth replication left to the operator', () => {
    const { manifests, dc } = synth({ additionalSeeds: ['dc1-r1-0.dc1-headless.other.svc.cluster.local'], peers: [NetworkPeer.fromPodLabels({ 'app.kubernetes.io/instance': 'dc1' }, 'other')], datacenterName: 'eu-west' });
    expect(dc.seeds[3]).toBe('dc1-r1-0.dc1-headless.other.svc.cluster.local');
    expect(env(mainContainer(statefulSets(manifests)[0]), 'CASSANDRA_DC').value).toBe('eu-west');
    const np = findObject(manifests, 'NetworkPolicy', 'events');
    expect(np.spec.ingress[1].ports.map((p: any) => p.port)).toEqual([7000, 7001]);
    expect(np.spec.ingress[1].from[0].namespaceSelector.matchLabels).toEqual({ 'kubernetes.io/metadata.name': 'other' });
    const job = findObject(manifests, 'Job').spec.template.spec.containers[0];
    expect(job.env.find((e: any) => e.name === 'AUTH_REPLICATION').value).toBe('');
  });

  test('authentication: false for development: AllowAll, no Job, a warning', () => {
    const { manifests, dc } = synth({ authentication: false });
    expect(manifests.filter(m => m.kind === 'Job')).toEqual([]);
    expect(statefulSets(manifests)[0].spec.template.spec.initContainers[0].command[2]).toContain('class_name: "org.apache.cassandra.auth.AllowAllAuthenticator"');
    expect(dc.warnings[0]).toContain('authentication is off');
    expect(dc.connection.secret).toBeUndefined();
    expect(dc.connection.adminSecret).toBeUndefined();
    expect(dc.node.metadata.find(m => m.type === 'warning')?.data).toContain('authentication is off');
  });

  test('version, storage class, partition, zone affinity off, acknowledgements', () => {
    const { manifests } = synth({
      version: CassandraVersion.V4_1, storage: { size: '20Gi', storageClass: 'fast-ssd' }, zoneAffinity: false,
      racks: [{ name: 'r1', partition: 1 }, { name: 'r2' }], acknowledge: ['pvc-retention'],
      terminationGracePeriod: Duration.seconds(300), startupTimeout: Duration.hours(1),
    });
    const [s] = statefulSets(manifests);
    expect(mainContainer(s).image).toBe('cassandra:4.1.10');
    // 4.1 takes the authenticator as a plain class name
    expect(s.spec.template.spec.initContainers[0].command[2]).toContain('authenticator: "org.apache.cassandra.auth.PasswordAuthenticator"\n');
    expect(s.spec.volumeClaimTemplates[0].spec.storageClassName).toBe('fast-ssd');
    expect(s.spec.updateStrategy).toEqual({ type: 'RollingUpdate', rollingUpdate: { partition: 1 } });
    expect(s.spec.template.spec.affinity.nodeAffinity).toBeUndefined();
    expect(s.metadata.annotations['data.cdk8s.io/acknowledge']).toBe('pvc-retention');
    expect(s.spec.template.spec.terminationGracePeriodSeconds).toBe(300);
    expect(mainContainer(s).startupProbe.failureThreshold * mainContainer(s).startupProbe.periodSeconds).toBe(3600);
  });

  test('disruptionBudget: false renders no PodDisruptionBudget, changes nothing else, and records a warning', () => {
    const chart = testChart('events');
    const dc = new CassandraDatacenter(chart, 'events', { racks: RACKS, nodesPerRack: 2, storage: { size: '100Gi' }, disruptionBudget: false });
    const manifests = Testing.synth(chart);
    expect(manifests.filter(m => m.kind === 'PodDisruptionBudget')).toEqual([]);
    const withBudget = synth().manifests.filter(m => m.kind !== 'PodDisruptionBudget');
    expect(manifests).toEqual(withBudget);
    expect(dc.warnings).toEqual([expect.stringContaining('disruptionBudget is off')]);
    expect(dc.node.metadata.filter(m => m.type === 'warning').map(m => m.data)).toEqual(dc.warnings);
  });

  test.each([
    ['registry.example.com/cassandra:4.1.10-custom', undefined, '4.1'],
    ['registry.example.com:5000/cassandra:5.0.5@sha256:' + 'a'.repeat(64), undefined, '5.0'],
    ['cassandra:5.0', undefined, '5.0'],
    ['registry.example.com/cassandra:build-42', '4.1', '4.1'],
    ['registry.example.com/cassandra:build-42', undefined, ''],
  ])('CassandraVersion.fromImage(%s, %s) has majorVersion %j', (image, major, expected) => {
    const v = CassandraVersion.fromImage(image, major);
    expect([v.image, v.majorVersion]).toEqual([image, expected]);
  });

  test('names do not depend on the construct path', () => {
    const chart = testChart('events');
    const wrapper = new Construct(chart, 'wrapper');
    new CassandraDatacenter(wrapper, 'events', { racks: RACKS, nodesPerRack: 2, storage: { size: '100Gi' } });
    const wrapped = synthValid(chart).map(m => `${m.kind}/${m.metadata.name}`);
    expect(wrapped).toEqual(synth().manifests.map(m => `${m.kind}/${m.metadata.name}`));
  });

  test('the primary object is the client Service (ApiObject.of)', () => {
    const chart = testChart('events');
    const dc = new CassandraDatacenter(chart, 'events', { racks: RACKS });
    expect(ApiObject.of(dc).kind).toBe('Service');
    expect(dc.statefulSets.map(s => s.name)).toEqual(['events-zone-a', 'events-zone-b', 'events-zone-c']);
    // Each rack is a construct named after it, its StatefulSet the child `Resource`.
    expect(ApiObject.of(dc.node.findChild('zone-a'))).toBe(dc.statefulSets[0]);
  });
});

describe('CassandraDatacenter bad input', () => {
  const base: CassandraDatacenterProps = { racks: RACKS, nodesPerRack: 1 };
  test.each<[string, Partial<CassandraDatacenterProps>, string[]]>([
    ['name longer than 49', { name: 'a'.repeat(50) }, ['name']],
    ['name longer than 63', { name: 'a'.repeat(64) }, ['name']],
    ['name with capitals', { name: 'Events' }, ['name']],
    ['no racks', { racks: [] }, ['racks']],
    ['duplicate rack names', { racks: [RACKS[0], { ...RACKS[1], name: 'zone-a' }] }, ['racks[1].name']],
    ['rack without zone', { racks: [{ name: 'r1' }] }, ['racks[0].zone']],
    ['StatefulSet name over 52', { racks: [{ name: 'r'.repeat(50), zone: 'z' }] }, ['racks[0].name']],
    ['zero nodes', { nodesPerRack: 0 }, ['nodesPerRack']],
    ['fractional nodes', { nodesPerRack: 1.5 }, ['nodesPerRack']],
    ['heap equal to the memory limit', { heap: { maxHeapSize: '4Gi' } }, ['heap.maxHeapSize']],
    ['heap without off-heap headroom', { resources: { memory: '8Gi' }, heap: { maxHeapSize: '7Gi' } }, ['heap.maxHeapSize']],
    ['new generation not below heap', { heap: { maxHeapSize: '1Gi', newSize: '2Gi' } }, ['heap.newSize']],
    ['memory too small for a heap', { resources: { memory: '512Mi' } }, ['resources.memory']],
    ['memory not a quantity', { resources: { memory: '4GB' } }, ['resources.memory']],
    ['replication factor above the nodes', { replicationFactor: 4 }, ['replicationFactor']],
    ['storage size not a quantity', { storage: { size: '100GB' } }, ['storage.size']],
    ['latest image', { version: CassandraVersion.fromImage('cassandra:latest', '5.0') }, ['version.image']],
    ['reserved cassandra.yaml key', { settings: { extra: { cluster_name: 'x' } } }, ['settings.extra.cluster_name']],
    ['zero tokens', { settings: { numTokens: 0 } }, ['settings.numTokens']],
    ['short grace period', { terminationGracePeriod: Duration.seconds(30) }, ['terminationGracePeriod']],
    ['cluster name with a slash', { clusterName: 'a/b' }, ['clusterName']],
    ['bad seed', { additionalSeeds: ['not a host'] }, ['additionalSeeds[0]']],
    ['partition above the nodes', { racks: [{ ...RACKS[0], partition: 5 }] }, ['racks[0].partition']],
    ['bad superuser secret', { superuser: undefined, name: 'ok', settings: { compactionThroughput: 'fast' } }, ['settings.compactionThroughput']],
    ['bad storage class', { storage: { size: '100Gi', storageClass: 'fast_ssd' } }, ['storage.storageClass']],
    ['rack name not a label', { racks: [{ name: 'Zone A', zone: 'z' }] }, ['racks[0].name']],
    ['empty zone', { racks: [{ name: 'r1', zone: '' }] }, ['racks[0].zone']],
    ['bad zone with zone affinity off', { zoneAffinity: false, racks: [{ name: 'r1', zone: 'bad zone!' }] }, ['racks[0].zone']],
    ['negative partition', { racks: [{ ...RACKS[0], partition: -1 }] }, ['racks[0].partition']],
    ['replication factor zero', { replicationFactor: 0 }, ['replicationFactor']],
    ['disruptionBudget not a boolean', { disruptionBudget: 'yes' as any }, ['disruptionBudget']],
    ['startup timeout over a day', { startupTimeout: Duration.hours(25) }, ['startupTimeout']],
    ['wait timeout of a fraction of a second', { firstStartWaitTimeout: Duration.millis(30500) }, ['firstStartWaitTimeout']],
    ['peers not a list', { peers: NetworkPeer.fromPodLabels({ app: 'x' }) as any }, ['peers']],
    ['peer with bad labels', { peers: [NetworkPeer.fromPodLabels({ 'bad key!': 'x' })] }, ['peers[0].labels']],
    ['seed listed twice', { additionalSeeds: ['10.0.0.1', '10.0.0.1'] }, ['additionalSeeds']],
    ['bad cluster domain', { clusterDomain: 'Cluster.Local' }, ['clusterDomain']],
    ['unsupported release line', { version: CassandraVersion.fromImage('registry.example.com/cassandra:5.0.5', '6.0') }, ['version.majorVersion']],
    ['reserved key in extra settings', { settings: { extra: { authenticator: 'x', concurrent_counter_writes: [1] } } }, ['settings.extra.authenticator', 'settings.extra.concurrent_counter_writes']],
    ['several problems at once', { name: 'a'.repeat(64), nodesPerRack: 0 }, ['name', 'nodesPerRack']],
  ])('%s', (_label, props, fields) => {
    const chart = testChart('events');
    let err: unknown;
    try {
      new CassandraDatacenter(chart, 'events', { ...base, ...props });
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(ValidationError);
    expect((err as ValidationError).fields).toEqual(fields);
    expect((err as ValidationError).message).toContain('events');
    expect(chart.node.findAll().filter(c => c instanceof ApiObject)).toEqual([]);
  });

  test('a chart without a namespace', () => {
    const chart = new Chart(Testing.app(), 'c');
    expect(() => new CassandraDatacenter(chart, 'events', base)).toThrow(ValidationError);
  });
});

describe('CassandraDatacenter property', () => {
  test('generated props either throw ValidationError or synthesize to verified manifests', () => {
    const props = cassandraDatacenterProps;
    let valid = 0;
    fc.assert(fc.property(props, p => {
      const chart = testChart('events');
      try {
        new CassandraDatacenter(chart, 'dc', p as CassandraDatacenterProps);
      } catch (e) {
        if (e instanceof ValidationError) return;
        throw e;
      }
      synthValid(chart);
      valid++;
    }), { numRuns: 1000, seed: PROPERTY_SEED });
    // the generators are biased so that a good share of runs reach synthesis and verification
    expect(valid).toBeGreaterThan(250);
  });
});
