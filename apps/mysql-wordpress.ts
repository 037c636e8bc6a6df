import { App, Chart, Cron } from 'cdk8s';
import { k8s } from 'cdk8s-plus-28';
import { Credentials, Migrations, MigrationMode, MySqlSingleNode, MySqlVersion, NetworkPeer, SchemaMigration } from '../lib';

/** The WordPress image: PHP-FPM variant, which runs as www-data (uid 33) on port 9000. */
const WORDPRESS_IMAGE = 'wordpress:6.8.3-php8.3-fpm';
const WWW_DATA = 33;

/**
 * The seed example: a blog's MySQL server with nightly dumps shipped off-site, point-in-time
 * recovery from archived binary logs, metrics and alerts, and a WordPress
 * (PHP-FPM) Deployment that takes the host, database and credentials from the database's
 * connection info and is the only workload allowed to reach it.
 *
 * Secrets expected in namespace `blog` (never part of the manifests):
 * `blog-db-root` (key `password`), `blog-db-app` (`username`, `password`) and
 * `blog-db-exporter` (`username`, `password`; the account is created by hand, see
 * MySqlMonitoringProps.exporterCredentials) and `blog-db-backup-s3` (`access-key-id`,
 * `secret-access-key`, `region`) for the backup bucket.
 */
export function addTo(app: App): void {
  const chart = new Chart(app, 'mysql-wordpress', { namespace: 'blog' });

  const db = new MySqlSingleNode(chart, 'blog-db', {
    version: MySqlVersion.V8_4,
    storage: { size: '20Gi' },
    rootPassword: { secretName: 'blog-db-root', key: 'password' },
    database: 'wordpress',
    user: Credentials.fromSecret('blog-db-app'),
    resources: { cpu: '500m', memory: '1Gi' },
    config: { maxConnections: 200 },
    monitoring: { exporterCredentials: Credentials.fromSecret('blog-db-exporter') },
    logicalBackup: {
      schedule: Cron.schedule({ minute: '30', hour: '2' }),
      keep: 14,
      storage: { size: '30Gi' },
      // Every dump also goes to a bucket off the cluster (30 kept there), and the binary logs are
      // streamed to it continuously: addRestoreJob({ pointInTime }) restores any second since
      // the oldest dump in the bucket.
      objectStore: {
        destinationPath: 's3://example-blog-backups/blog-db',
        s3: {
          accessKeyId: { secretName: 'blog-db-backup-s3', key: 'access-key-id' },
          secretAccessKey: { secretName: 'blog-db-backup-s3', key: 'secret-access-key' },
          region: { secretName: 'blog-db-backup-s3', key: 'region' },
        },
        keep: 30,
      },
      pointInTimeRecovery: true,
    },
  });

  // Versioned migrations for the blog's own tables (beside WordPress's wp_* tables), applied by a
  // Job: tracking table with checksums, GET_LOCK, destructive statements refused.
  new SchemaMigration(chart, 'blog-schema', {
    target: db,
    mode: MigrationMode.JOB,
    migrations: Migrations.fromDirectory('apps/schema/blog'),
  });

  const secret = db.connection.secret!;
  // The recommended labels; the selector leaves out the ones that may change (selectors are immutable).
  const selector = { 'app.kubernetes.io/name': 'wordpress', 'app.kubernetes.io/instance': 'blog', 'app.kubernetes.io/component': 'web' };
  const labels = { ...selector, 'app.kubernetes.io/part-of': 'blog', 'app.kubernetes.io/managed-by': 'cdk8s-data' };
  new k8s.KubeServiceAccount(chart, 'WordPressServiceAccount', {
    metadata: { name: 'wordpress', namespace: 'blog', labels },
    automountServiceAccountToken: false,
  });
  const readOnly = {
    allowPrivilegeEscalation: false,
    readOnlyRootFilesystem: true,
    runAsNonRoot: true,
    runAsUser: WWW_DATA,
    runAsGroup: WWW_DATA,
    capabilities: { drop: ['ALL'] },
    seccompProfile: { type: 'RuntimeDefault' },
  };
  const wordpress = new k8s.KubeDeployment(chart, 'WordPress', {
    metadata: { name: 'wordpress', namespace: 'blog', labels },
    spec: {
      replicas: 1,
      selector: { matchLabels: selector },
      template: {
        metadata: { labels },
        spec: {
          serviceAccountName: 'wordpress',
          automountServiceAccountToken: false,
          enableServiceLinks: false,
          securityContext: {
            runAsNonRoot: true,
            runAsUser: WWW_DATA,
            runAsGroup: WWW_DATA,
            fsGroup: WWW_DATA,
            seccompProfile: { type: 'RuntimeDefault' },
          },
          containers: [{
            name: 'wordpress',
            image: WORDPRESS_IMAGE,
            imagePullPolicy: 'IfNotPresent',
            ports: [{ name: 'fastcgi', containerPort: 9000, protocol: 'TCP' }],
            env: [
              { name: 'WORDPRESS_DB_HOST', value: `${db.connection.host}:${db.connection.port}` },
              { name: 'WORDPRESS_DB_NAME', value: db.connection.database! },
              { name: 'WORDPRESS_DB_USER', valueFrom: { secretKeyRef: { name: secret.name, key: secret.usernameKey } } },
              { name: 'WORDPRESS_DB_PASSWORD', valueFrom: { secretKeyRef: { name: secret.name, key: secret.passwordKey } } },
            ],
            resources: {
              requests: { cpu: k8s.Quantity.fromString('250m'), memory: k8s.Quantity.fromString('256Mi') },
              limits: { memory: k8s.Quantity.fromString('512Mi') },
            },
            securityContext: readOnly,
            // The entrypoint copies WordPress into /var/www/html on start; a real site keeps
            // wp-content on a volume of its own.
            volumeMounts: [
              { name: 'html', mountPath: '/var/www/html' },
              { name: 'tmp', mountPath: '/tmp' },
            ],
            startupProbe: { tcpSocket: { port: k8s.IntOrString.fromString('fastcgi') }, periodSeconds: 5, failureThreshold: 24 },
            livenessProbe: { tcpSocket: { port: k8s.IntOrString.fromString('fastcgi') }, periodSeconds: 20, timeoutSeconds: 5, failureThreshold: 3 },
            readinessProbe: { tcpSocket: { port: k8s.IntOrString.fromString('fastcgi') }, periodSeconds: 10, timeoutSeconds: 3, failureThreshold: 2 },
          }],
          volumes: [
            { name: 'html', emptyDir: { sizeLimit: k8s.Quantity.fromString('512Mi') } },
            { name: 'tmp', emptyDir: { sizeLimit: k8s.Quantity.fromString('256Mi') } },
          ],
        },
      },
    },
  });

  // The only client of the database.
  db.allowFrom(NetworkPeer.fromWorkload(wordpress));
  // Minimal: the pods answer the ingress controller only, on their own port.
  new k8s.KubeNetworkPolicy(chart, 'WordPressNetwork', {
    metadata: { name: 'wordpress', namespace: 'blog', labels },
    spec: {
      podSelector: { matchLabels: selector },
      policyTypes: ['Ingress'],
      ingress: [{ from: [{ namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': 'ingress-nginx' } } }], ports: [{ protocol: 'TCP', port: k8s.IntOrString.fromNumber(9000) }] }],
    },
  });
}
