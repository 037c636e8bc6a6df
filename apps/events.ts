import { App, Chart } from 'cdk8s';
import { k8s } from 'cdk8s-plus-28';
import { CassandraDatacenter, Credentials, Migrations, NetworkPeer, ObjectStoreProvider, SchemaMigration } from '../lib';
import { addServiceGuards, INGRESS_CONTROLLER, spreadReplicas } from './support/stateless-service';

/**
 * An event store on Cassandra: one datacenter of three racks (one per zone) with two nodes each,
 * and the API that writes and reads events, the only workload allowed to reach CQL: two replicas
 * on different nodes and zones, behind a Service that only the ingress controller (namespace
 * `ingress-nginx`) may reach, with a PodDisruptionBudget.
 *
 * Secrets expected in namespace `events` (never part of the manifests):
 * `events-superuser` (`username`, `password`): the superuser the setup Job creates;
 * `events-jmx` (`username`, `password`, no blank space): the JMX account of the weekly repairs;
 * `events-medusa` (`credentials`): an AWS credentials file for the backup bucket, read by Medusa;
 * `events-api-cassandra` (`username`, `password`): the API's own role, created by an operator
 * with cqlsh (clients never use the superuser; a migration file would put its password in a
 * ConfigMap).
 */
export function addTo(app: App): void {
  const chart = new Chart(app, 'events', { namespace: 'events' });

  const dc = new CassandraDatacenter(chart, 'events', {
    racks: ['a', 'b', 'c'].map(z => ({ name: `zone-${z}`, zone: `eu-west-1${z}` })),
    nodesPerRack: 2,
    replicationFactor: 3,
    resources: { cpu: '2', memory: '8Gi' },
    storage: { size: '100Gi' },
    // Metrics and alerts are on by default (exporter sidecar, PodMonitor, PrometheusRule); the
    // team label routes the alerts.
    monitoring: { alertLabels: { team: 'events' } },
    // Weekly repair of every node's primary ranges, one node at a time, within gc_grace_seconds.
    repairs: { jmxCredentials: Credentials.fromSecret('events-jmx') },
    // Nightly Medusa backups of every node to S3, fourteen kept per node; CassandraBackupFailed
    // and CassandraBackupTooOld join the alerts.
    backup: {
      provider: ObjectStoreProvider.S3,
      bucket: 'example-events-backups',
      region: 'eu-west-1',
      credentials: { secretName: 'events-medusa', key: 'credentials' },
      keep: 14,
    },
  });

  // The keyspace (NetworkTopologyStrategy in this datacenter) and tables, applied by a Job with
  // cqlsh: one statement at a time, schema agreement after each, a lightweight-transaction lock.
  new SchemaMigration(chart, 'events-schema', {
    target: dc,
    migrations: Migrations.fromDirectory('apps/schema/events'),
  });

  const apiCredentials = Credentials.fromSecret('events-api-cassandra');
  // The recommended labels; the selector leaves out the ones that may change (selectors are immutable).
  const selector = { 'app.kubernetes.io/name': 'events-api', 'app.kubernetes.io/instance': 'events', 'app.kubernetes.io/component': 'api' };
  const labels = { ...selector, 'app.kubernetes.io/part-of': 'events', 'app.kubernetes.io/managed-by': 'cdk8s-data' };
  new k8s.KubeServiceAccount(chart, 'ApiServiceAccount', {
    metadata: { name: 'events-api', namespace: 'events', labels },
    automountServiceAccountToken: false,
  });
  const api = new k8s.KubeDeployment(chart, 'Api', {
    metadata: { name: 'events-api', namespace: 'events', labels },
    spec: {
      replicas: 2,
      selector: { matchLabels: selector },
      template: {
        metadata: { labels },
        spec: {
          serviceAccountName: 'events-api',
          automountServiceAccountToken: false,
          enableServiceLinks: false,
          ...spreadReplicas(selector),
          securityContext: { runAsNonRoot: true, runAsUser: 10001, runAsGroup: 10001, fsGroup: 10001, seccompProfile: { type: 'RuntimeDefault' } },
          containers: [{
            name: 'api',
            image: 'ghcr.io/example/events-api:1.4.2',
            imagePullPolicy: 'IfNotPresent',
            ports: [{ name: 'http', containerPort: 8080, protocol: 'TCP' }],
            env: [
              // The driver resolves the headless client Service to every ready node.
              { name: 'CASSANDRA_CONTACT_POINTS', value: dc.connection.contactPoints!.map(h => `${h}:${dc.connection.port}`).join(',') },
              { name: 'CASSANDRA_LOCAL_DATACENTER', value: dc.connection.datacenter! },
              { name: 'CASSANDRA_KEYSPACE', value: 'events' },
              { name: 'CASSANDRA_USERNAME', valueFrom: { secretKeyRef: { name: apiCredentials.secretName, key: apiCredentials.usernameKey } } },
              { name: 'CASSANDRA_PASSWORD', valueFrom: { secretKeyRef: { name: apiCredentials.secretName, key: apiCredentials.passwordKey } } },
            ],
            resources: {
              requests: { 'cpu': k8s.Quantity.fromString('250m'), 'memory': k8s.Quantity.fromString('512Mi'), 'ephemeral-storage': k8s.Quantity.fromString('64Mi') },
              limits: { 'cpu': k8s.Quantity.fromString('1'), 'memory': k8s.Quantity.fromString('512Mi'), 'ephemeral-storage': k8s.Quantity.fromString('256Mi') },
            },
            securityContext: {
              allowPrivilegeEscalation: false,
              readOnlyRootFilesystem: true,
              runAsNonRoot: true,
              runAsUser: 10001,
              runAsGroup: 10001,
              capabilities: { drop: ['ALL'] },
              seccompProfile: { type: 'RuntimeDefault' },
            },
            volumeMounts: [{ name: 'tmp', mountPath: '/tmp' }],
            startupProbe: { httpGet: { path: '/healthz', port: k8s.IntOrString.fromString('http') }, periodSeconds: 5, failureThreshold: 24 },
            livenessProbe: { httpGet: { path: '/healthz', port: k8s.IntOrString.fromString('http') }, periodSeconds: 20, timeoutSeconds: 5, failureThreshold: 3 },
            readinessProbe: { httpGet: { path: '/readyz', port: k8s.IntOrString.fromString('http') }, periodSeconds: 10, timeoutSeconds: 5, failureThreshold: 3 },
          }],
          volumes: [{ name: 'tmp', emptyDir: { sizeLimit: k8s.Quantity.fromString('64Mi') } }],
        },
      },
    },
  });

  // The only client of the datacenter.
  dc.allowFrom(NetworkPeer.fromWorkload(api));
  addServiceGuards(chart, 'Api', { name: 'events-api', namespace: 'events', labels, selector, port: { name: 'http', number: 80 }, clients: [INGRESS_CONTROLLER] });
}
