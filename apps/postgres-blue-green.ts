import { App, Chart } from 'cdk8s';
import { k8s } from 'cdk8s-plus-28';
import { NetworkPeer, ObjectStoreProvider, PostgresCluster, PostgresMajorUpgrade, PostgresVersion, UpgradePhase } from '../lib';

const BILLING_IMAGE = 'ghcr.io/acme-shop/billing:4.2.0';
const APP_UID = 10001;

/**
 * A zero-downtime move of the "billing" database from PostgreSQL 17 to 18, in phase REPLICATE:
 * `billing-db-pg18` has imported the schema and subscribes to `billing-db`; the client Service
 * `billing-db-primary` still points at the PostgreSQL 17 primary. The next steps are one-line
 * changes of `phase` (CUTOVER, then RETIRE); see docs/postgres-upgrades.md.
 *
 * Expected in namespace `billing`: Secret `billing-db-s3` (`ACCESS_KEY_ID`, `ACCESS_SECRET_KEY`).
 */
export function addTo(app: App): void {
  const chart = new Chart(app, 'billing', { namespace: 'billing' });
  const storeCredentials = {
    accessKeyId: { secretName: 'billing-db-s3', key: 'ACCESS_KEY_ID' },
    secretAccessKey: { secretName: 'billing-db-s3', key: 'ACCESS_SECRET_KEY' },
  };

  const db = new PostgresCluster(chart, 'billing-db', {
    version: PostgresVersion.V17,
    storage: { size: '50Gi' },
    // the subscription connects as the owner: it needs the REPLICATION attribute
    roles: [{ name: 'app', replication: true }],
    backup: { objectStore: { provider: ObjectStoreProvider.S3, destinationPath: 's3://acme-shop-backups/billing', s3: storeCredentials } },
  });

  const upgrade = new PostgresMajorUpgrade(chart, 'upgrade', {
    source: db,
    phase: UpgradePhase.REPLICATE,
    cluster: {
      version: PostgresVersion.V18,
      storage: { size: '50Gi' },
      roles: [{ name: 'app', replication: true }],
      backup: {
        objectStore: { provider: ObjectStoreProvider.S3, destinationPath: 's3://acme-shop-backups/billing-pg18', s3: storeCredentials },
      },
    },
  });

  const labels = {
    'app.kubernetes.io/name': 'billing', 'app.kubernetes.io/instance': 'billing', 'app.kubernetes.io/component': 'api',
    'app.kubernetes.io/part-of': 'billing', 'app.kubernetes.io/managed-by': 'cdk8s-data',
  };
  new k8s.KubeServiceAccount(chart, 'BillingServiceAccount', { metadata: { name: 'billing', namespace: 'billing', labels }, automountServiceAccountToken: false });
  const http = { port: k8s.IntOrString.fromString('http') };
  const secret = upgrade.connection.secret!.name;
  const billing = new k8s.KubeDeployment(chart, 'Billing', {
    metadata: { name: 'billing', namespace: 'billing', labels },
    spec: {
      replicas: 2,
      selector: { matchLabels: { 'app.kubernetes.io/name': 'billing', 'app.kubernetes.io/instance': 'billing' } },
      template: {
        metadata: { labels },
        spec: {
          serviceAccountName: 'billing',
          automountServiceAccountToken: false,
          securityContext: { runAsNonRoot: true, runAsUser: APP_UID, runAsGroup: APP_UID, fsGroup: APP_UID, seccompProfile: { type: 'RuntimeDefault' } },
          containers: [{
            name: 'billing',
            image: BILLING_IMAGE,
            imagePullPolicy: 'IfNotPresent',
            ports: [{ name: 'http', containerPort: 8080 }],
            env: [
              // the client Service follows the phase; both clusters share the owner's Secret
              { name: 'PGHOST', value: upgrade.connection.host },
              { name: 'PGDATABASE', value: upgrade.connection.database },
              { name: 'PGSSLMODE', value: 'require' },
              { name: 'PGUSER', valueFrom: { secretKeyRef: { name: secret, key: 'username' } } },
              { name: 'PGPASSWORD', valueFrom: { secretKeyRef: { name: secret, key: 'password' } } },
            ],
            resources: {
              requests: { cpu: k8s.Quantity.fromString('100m'), memory: k8s.Quantity.fromString('256Mi') },
              limits: { memory: k8s.Quantity.fromString('256Mi') },
            },
            readinessProbe: { httpGet: { path: '/readyz', ...http }, periodSeconds: 5, failureThreshold: 3 },
            livenessProbe: { httpGet: { path: '/healthz', ...http }, periodSeconds: 10, failureThreshold: 6 },
            startupProbe: { httpGet: { path: '/healthz', ...http }, periodSeconds: 5, failureThreshold: 60 },
            securityContext: {
              allowPrivilegeEscalation: false, readOnlyRootFilesystem: true, runAsNonRoot: true,
              runAsUser: APP_UID, runAsGroup: APP_UID, capabilities: { drop: ['ALL'] }, seccompProfile: { type: 'RuntimeDefault' },
            },
          }],
        },
      },
    },
  });
  upgrade.allowFrom(NetworkPeer.fromWorkload(billing));
  // Minimal: the pods answer the ingress controller only, on their own port.
  new k8s.KubeNetworkPolicy(chart, 'BillingNetwork', {
    metadata: { name: 'billing', namespace: 'billing', labels },
    spec: {
      podSelector: { matchLabels: { 'app.kubernetes.io/name': 'billing', 'app.kubernetes.io/instance': 'billing' } },
      policyTypes: ['Ingress'],
      ingress: [{ from: [{ namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': 'ingress-nginx' } } }], ports: [{ protocol: 'TCP', port: k8s.IntOrString.fromNumber(8080) }] }],
    },
  });
}
