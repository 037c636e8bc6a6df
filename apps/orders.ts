import { App, Chart, Cron } from 'cdk8s';
import { k8s } from 'cdk8s-plus-28';
import { Bootstrap, NetworkPeer, ObjectStoreProvider, PoolMode, PostgresCluster, PostgresSecretKey, PostgresVersion, Schema, SchemaMigration } from '../lib';

/** The orders service image (pinned; it runs as uid 10001 and serves HTTP on 8080). */
const ORDERS_IMAGE = 'ghcr.io/acme-shop/orders:2.7.1';
const APP_UID = 10001;

/**
 * An "orders" service on a three-instance CloudNativePG cluster: base backups and WAL to S3
 * through the Barman Cloud plugin, a PgBouncer pooler, PodMonitor and alerts, and a Deployment that
 * reads the connection URI from the operator-generated Secret `orders-db-app` and is the only
 * client the NetworkPolicies admit.
 *
 * Expected in namespace `orders` (never part of the manifests): Secret `orders-db-s3` with keys
 * `ACCESS_KEY_ID`, `ACCESS_SECRET_KEY` and `REGION`. The CloudNativePG operator (namespace
 * `cnpg-system`), the Barman Cloud plugin, the Prometheus Operator and the Atlas Operator
 * (namespace `atlas-operator`) are installed.
 */
export function addTo(app: App): void {
  const chart = new Chart(app, 'orders', { namespace: 'orders' });

  const db = new PostgresCluster(chart, 'orders-db', {
    instances: 3,
    version: PostgresVersion.V17,
    storage: { size: '50Gi' },
    walStorage: { size: '10Gi' },
    resources: { cpu: '1', memory: '4Gi' },
    bootstrap: Bootstrap.initdb({ database: 'orders', owner: 'orders' }),
    parameters: { max_connections: '200', shared_buffers: '1GB', 'pg_stat_statements.track': 'top' },
    backup: {
      objectStore: {
        provider: ObjectStoreProvider.S3,
        destinationPath: 's3://acme-shop-backups/orders',
        s3: {
          accessKeyId: { secretName: 'orders-db-s3', key: 'ACCESS_KEY_ID' },
          secretAccessKey: { secretName: 'orders-db-s3', key: 'ACCESS_SECRET_KEY' },
          region: { secretName: 'orders-db-s3', key: 'REGION' },
        },
        retention: '30d',
      },
      schedule: Cron.schedule({ minute: '0', hour: '2' }),
    },
    pooler: { instances: 2, poolMode: PoolMode.TRANSACTION, parameters: { max_client_conn: '500', default_pool_size: '20' } },
    monitoring: { alertLabels: { team: 'orders' } },
  });

  // The desired schema, converged by the Atlas Operator: drops are lint errors and skipped unless
  // allowDestructiveChanges is set. Host, credentials and sslmode come from the cluster.
  new SchemaMigration(chart, 'orders-schema', {
    target: db,
    schema: Schema.fromFile('apps/schema/orders.sql'),
    argoSyncWave: 1, // Argo CD applies it after the database (wave 0)
  });

  // The recommended labels; the selector leaves out the ones that may change (selectors are immutable).
  const selector = { 'app.kubernetes.io/name': 'orders', 'app.kubernetes.io/instance': 'orders', 'app.kubernetes.io/component': 'api' };
  const labels = { ...selector, 'app.kubernetes.io/part-of': 'shop', 'app.kubernetes.io/managed-by': 'cdk8s-data' };
  new k8s.KubeServiceAccount(chart, 'OrdersServiceAccount', {
    metadata: { name: 'orders', namespace: 'orders', labels },
    automountServiceAccountToken: false,
  });
  const http = { port: k8s.IntOrString.fromString('http') };
  const orders = new k8s.KubeDeployment(chart, 'Orders', {
    metadata: { name: 'orders', namespace: 'orders', labels },
    spec: {
      replicas: 2,
      selector: { matchLabels: selector },
      template: {
        metadata: { labels },
        spec: {
          serviceAccountName: 'orders',
          automountServiceAccountToken: false,
          securityContext: {
            runAsNonRoot: true, runAsUser: APP_UID, runAsGroup: APP_UID, fsGroup: APP_UID,
            seccompProfile: { type: 'RuntimeDefault' },
          },
          containers: [{
            name: 'orders',
            image: ORDERS_IMAGE,
            imagePullPolicy: 'IfNotPresent',
            ports: [{ name: 'http', containerPort: 8080 }],
            env: [
              // postgresql://orders:...@orders-db-rw.orders.svc:5432/orders, read from the Secret.
              db.secretEnv('DATABASE_URL', PostgresSecretKey.URI),
              { name: 'DATABASE_POOLER_HOST', value: db.poolerConnection!.host },
            ],
            resources: {
              requests: { cpu: k8s.Quantity.fromString('200m'), memory: k8s.Quantity.fromString('256Mi') },
              limits: { memory: k8s.Quantity.fromString('256Mi') },
            },
            readinessProbe: { httpGet: { path: '/readyz', ...http }, periodSeconds: 5, failureThreshold: 3 },
            livenessProbe: { httpGet: { path: '/healthz', ...http }, periodSeconds: 10, failureThreshold: 6 },
            startupProbe: { httpGet: { path: '/healthz', ...http }, periodSeconds: 5, failureThreshold: 60 },
            securityContext: {
              allowPrivilegeEscalation: false, readOnlyRootFilesystem: true, runAsNonRoot: true,
              runAsUser: APP_UID, runAsGroup: APP_UID, capabilities: { drop: ['ALL'] }, seccompProfile: { type: 'RuntimeDefault' },
            },
            volumeMounts: [{ name: 'tmp', mountPath: '/tmp' }],
          }],
          volumes: [{ name: 'tmp', emptyDir: { sizeLimit: k8s.Quantity.fromString('64Mi') } }],
        },
      },
    },
  });
  db.allowFrom(NetworkPeer.fromWorkload(orders));
  // Minimal: the pods answer the ingress controller only, on their own port.
  new k8s.KubeNetworkPolicy(chart, 'OrdersNetwork', {
    metadata: { name: 'orders', namespace: 'orders', labels },
    spec: {
      podSelector: { matchLabels: selector },
      policyTypes: ['Ingress'],
      ingress: [{ from: [{ namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': 'ingress-nginx' } } }], ports: [{ protocol: 'TCP', port: k8s.IntOrString.fromNumber(8080) }] }],
    },
  });
}
