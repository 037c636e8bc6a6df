/** Hand-written manifests for the verify tests: a fully hardened database set, and helpers to break it. */

export const NS = 'shop';

export function labels(component = 'database', instance = 'orders', name = 'mysql'): Record<string, string> {
  return {
    'app.kubernetes.io/name': name,
    'app.kubernetes.io/instance': instance,
    'app.kubernetes.io/component': component,
    'app.kubernetes.io/part-of': 'shop',
    'app.kubernetes.io/managed-by': 'cdk8s-data',
  };
}

export function selector(component = 'database', instance = 'orders', name = 'mysql'): Record<string, string> {
  return {
    'app.kubernetes.io/name': name,
    'app.kubernetes.io/instance': instance,
    'app.kubernetes.io/component': component,
  };
}

export function hardenedContainer(name: string, extra: Record<string, any> = {}): any {
  return {
    name,
    image: 'mysql:8.4.6',
    imagePullPolicy: 'IfNotPresent',
    securityContext: {
      allowPrivilegeEscalation: false,
      readOnlyRootFilesystem: true,
      runAsNonRoot: true,
      runAsUser: 999,
      runAsGroup: 999,
      capabilities: { drop: ['ALL'] },
      seccompProfile: { type: 'RuntimeDefault' },
    },
    resources: { requests: { cpu: '500m', memory: '1Gi' }, limits: { memory: '1Gi' } },
    ...extra,
  };
}

export function databaseContainer(): any {
  return hardenedContainer('mysql', {
    ports: [{ name: 'mysql', containerPort: 3306, protocol: 'TCP' }],
    env: [
      { name: 'MYSQL_DATABASE', value: 'orders' },
      { name: 'MYSQL_ROOT_PASSWORD_FILE', value: '/run/secrets/mysql/root-password' },
      { name: 'MYSQL_PASSWORD', valueFrom: { secretKeyRef: { name: 'orders-credentials', key: 'password' } } },
    ],
    volumeMounts: [
      { name: 'data', mountPath: '/var/lib/mysql', subPath: 'mysql' },
      { name: 'run', mountPath: '/var/run/mysqld' },
      { name: 'tmp', mountPath: '/tmp' },
      { name: 'secrets', mountPath: '/run/secrets/mysql', readOnly: true },
    ],
    startupProbe: { exec: { command: ['mysqladmin', 'ping'] }, periodSeconds: 10, failureThreshold: 60, timeoutSeconds: 5 },
    livenessProbe: { exec: { command: ['mysqladmin', 'ping'] }, periodSeconds: 20, failureThreshold: 3, timeoutSeconds: 5 },
    readinessProbe: { tcpSocket: { port: 'mysql' }, periodSeconds: 10, failureThreshold: 3, timeoutSeconds: 2 },
  });
}

/** A StatefulSet with 3 replicas and everything POLICY.md asks for. */
export function statefulSet(): any {
  return {
    apiVersion: 'apps/v1',
    kind: 'StatefulSet',
    metadata: { name: 'orders', namespace: NS, labels: labels() },
    spec: {
      replicas: 3,
      serviceName: 'orders-headless',
      selector: { matchLabels: selector() },
      podManagementPolicy: 'OrderedReady',
      persistentVolumeClaimRetentionPolicy: { whenDeleted: 'Retain', whenScaled: 'Retain' },
      template: {
        metadata: { labels: labels() },
        spec: {
          serviceAccountName: 'orders',
          automountServiceAccountToken: false,
          terminationGracePeriodSeconds: 60,
          securityContext: { runAsNonRoot: true, runAsUser: 999, runAsGroup: 999, fsGroup: 999, fsGroupChangePolicy: 'OnRootMismatch', seccompProfile: { type: 'RuntimeDefault' } },
          affinity: {
            podAntiAffinity: {
              requiredDuringSchedulingIgnoredDuringExecution: [{ topologyKey: 'kubernetes.io/hostname', labelSelector: { matchLabels: selector() } }],
            },
          },
          topologySpreadConstraints: [{ maxSkew: 1, topologyKey: 'topology.kubernetes.io/zone', whenUnsatisfiable: 'ScheduleAnyway', labelSelector: { matchLabels: selector() } }],
          containers: [databaseContainer()],
          volumes: [
            { name: 'run', emptyDir: {} },
            { name: 'tmp', emptyDir: {} },
            { name: 'secrets', secret: { secretName: 'orders-credentials', defaultMode: 0o400 } },
          ],
        },
      },
      volumeClaimTemplates: [{
        metadata: { name: 'data', labels: labels() },
        spec: { accessModes: ['ReadWriteOnce'], resources: { requests: { storage: '20Gi' } } },
      }],
    },
  };
}

export function headlessService(): any {
  return {
    apiVersion: 'v1',
    kind: 'Service',
    metadata: { name: 'orders-headless', namespace: NS, labels: labels() },
    spec: { clusterIP: 'None', publishNotReadyAddresses: true, selector: selector(), ports: [{ name: 'mysql', port: 3306, targetPort: 'mysql' }] },
  };
}

export function clientService(): any {
  return {
    apiVersion: 'v1',
    kind: 'Service',
    metadata: { name: 'orders', namespace: NS, labels: labels() },
    spec: { type: 'ClusterIP', selector: selector(), ports: [{ name: 'mysql', port: 3306, targetPort: 3306 }] },
  };
}

export function pdb(): any {
  return {
    apiVersion: 'policy/v1',
    kind: 'PodDisruptionBudget',
    metadata: { name: 'orders', namespace: NS, labels: labels() },
    spec: { maxUnavailable: 1, selector: { matchLabels: selector() } },
  };
}

export function networkPolicy(): any {
  return {
    apiVersion: 'networking.k8s.io/v1',
    kind: 'NetworkPolicy',
    metadata: { name: 'orders', namespace: NS, labels: labels() },
    spec: {
      podSelector: { matchLabels: selector() },
      policyTypes: ['Ingress'],
      ingress: [{ from: [{ podSelector: { matchLabels: selector('web', 'shop', 'wordpress') } }], ports: [{ protocol: 'TCP', port: 3306 }] }],
    },
  };
}

export function serviceAccount(name = 'orders', component = 'database'): any {
  return {
    apiVersion: 'v1',
    kind: 'ServiceAccount',
    metadata: { name, namespace: NS, labels: labels(component) },
    automountServiceAccountToken: false,
  };
}

/** The full good set: zero findings. */
export function goodSet(): any[] {
  return [statefulSet(), headlessService(), clientService(), pdb(), networkPolicy(), serviceAccount()];
}

/** A hardened client Deployment (no data): two replicas, kept on different nodes where possible. */
export function clientDeployment(): any {
  return {
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: { name: 'web', namespace: NS, labels: labels('web', 'shop', 'wordpress') },
    spec: {
      replicas: 2,
      selector: { matchLabels: selector('web', 'shop', 'wordpress') },
      template: {
        metadata: { labels: labels('web', 'shop', 'wordpress') },
        spec: {
          serviceAccountName: 'web',
          automountServiceAccountToken: false,
          securityContext: { runAsNonRoot: true, runAsUser: 33, runAsGroup: 33, seccompProfile: { type: 'RuntimeDefault' } },
          affinity: { podAntiAffinity: { preferredDuringSchedulingIgnoredDuringExecution: [
            { weight: 100, podAffinityTerm: { topologyKey: 'kubernetes.io/hostname', labelSelector: { matchLabels: selector('web', 'shop', 'wordpress') } } },
          ] } },
          containers: [hardenedContainer('wordpress', {
            image: 'wordpress:6.8.2-apache',
            ports: [{ name: 'http', containerPort: 8080 }],
            env: [
              { name: 'WORDPRESS_DB_HOST', value: 'orders.shop.svc' },
              { name: 'WORDPRESS_DB_PASSWORD', valueFrom: { secretKeyRef: { name: 'orders-credentials', key: 'password' } } },
            ],
            readinessProbe: { httpGet: { path: '/', port: 'http' } },
            livenessProbe: { tcpSocket: { port: 8080 } },
            volumeMounts: [{ name: 'tmp', mountPath: '/tmp' }],
          })],
          volumes: [{ name: 'tmp', emptyDir: {} }],
        },
      },
    },
  };
}

/** The client Deployment's PodDisruptionBudget. */
export function clientPdb(): any {
  return {
    apiVersion: 'policy/v1',
    kind: 'PodDisruptionBudget',
    metadata: { name: 'web', namespace: NS, labels: labels('web', 'shop', 'wordpress') },
    spec: { maxUnavailable: 1, selector: { matchLabels: selector('web', 'shop', 'wordpress') } },
  };
}

/** The client Deployment with what it needs to verify clean: its ServiceAccount, PodDisruptionBudget and NetworkPolicy. */
export function clientWorkload(): any[] {
  return [clientDeployment(), serviceAccount('web', 'web'), clientPdb(), clientNetworkPolicy()];
}

/** The client's policy: HTTP from the ingress controller only. */
export function clientNetworkPolicy(): any {
  return {
    apiVersion: 'networking.k8s.io/v1',
    kind: 'NetworkPolicy',
    metadata: { name: 'web', namespace: NS, labels: labels('web', 'shop', 'wordpress') },
    spec: {
      podSelector: { matchLabels: selector('web', 'shop', 'wordpress') },
      policyTypes: ['Ingress'],
      ingress: [{ from: [{ namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': 'ingress-nginx' } } }], ports: [{ protocol: 'TCP', port: 8080 }] }],
    },
  };
}

/** A helper pod's policy: selects pods with `matchLabels`, admits nothing. */
export function denyIngressPolicy(name: string, matchLabels: Record<string, string>, objectLabels: Record<string, string> = labels()): any {
  return {
    apiVersion: 'networking.k8s.io/v1',
    kind: 'NetworkPolicy',
    metadata: { name, namespace: NS, labels: objectLabels },
    spec: { podSelector: { matchLabels }, policyTypes: ['Ingress'], ingress: [] },
  };
}

/** Deep copy, then mutate. */
export function mutate<T>(value: T, change: (copy: any) => void): T {
  const copy = structuredClone(value);
  change(copy);
  return copy;
}

function pgLabels(component = 'database'): Record<string, string> {
  return labels(component, 'pg', 'postgresql');
}

/** A CloudNativePG cluster with backups through the Barman Cloud plugin: zero findings. */
export function cnpgSet(): any[] {
  return [
    {
      apiVersion: 'postgresql.cnpg.io/v1',
      kind: 'Cluster',
      metadata: { name: 'pg', namespace: NS, labels: pgLabels() },
      spec: {
        instances: 3,
        imageName: 'ghcr.io/cloudnative-pg/postgresql:17.6-standard-bookworm',
        enableSuperuserAccess: false,
        enablePDB: true,
        affinity: { enablePodAntiAffinity: true, podAntiAffinityType: 'required', topologyKey: 'kubernetes.io/hostname' },
        storage: { size: '20Gi' },
        resources: { requests: { cpu: '1', memory: '2Gi' }, limits: { memory: '2Gi' } },
        bootstrap: { initdb: { database: 'app', owner: 'app' } },
        plugins: [{ name: 'barman-cloud.cloudnative-pg.io', isWALArchiver: true, parameters: { barmanObjectName: 'pg-backups' } }],
      },
    },
    {
      apiVersion: 'barmancloud.cnpg.io/v1',
      kind: 'ObjectStore',
      metadata: { name: 'pg-backups', namespace: NS, labels: pgLabels('backup') },
      spec: {
        configuration: {
          destinationPath: 's3://backups/pg',
          s3Credentials: {
            accessKeyId: { name: 'backup-creds', key: 'ACCESS_KEY_ID' },
            secretAccessKey: { name: 'backup-creds', key: 'ACCESS_SECRET_KEY' },
          },
          wal: { compression: 'gzip' },
        },
        retentionPolicy: '30d',
      },
    },
    {
      apiVersion: 'postgresql.cnpg.io/v1',
      kind: 'ScheduledBackup',
      metadata: { name: 'pg-daily', namespace: NS, labels: pgLabels('backup') },
      spec: {
        schedule: '0 0 2 * * *',
        cluster: { name: 'pg' },
        method: 'plugin',
        pluginConfiguration: { name: 'barman-cloud.cloudnative-pg.io' },
      },
    },
    {
      apiVersion: 'networking.k8s.io/v1',
      kind: 'NetworkPolicy',
      metadata: { name: 'pg', namespace: NS, labels: pgLabels() },
      spec: {
        podSelector: { matchLabels: { 'cnpg.io/cluster': 'pg', 'cnpg.io/podRole': 'instance' } },
        policyTypes: ['Ingress'],
        ingress: [{ from: [{ podSelector: { matchLabels: { 'cnpg.io/cluster': 'pg' } } }], ports: [{ protocol: 'TCP', port: 5432 }, { protocol: 'TCP', port: 8000 }] }],
      },
    },
  ];
}

function jobPodSpec(): any {
  return {
    serviceAccountName: 'migrate',
    automountServiceAccountToken: false,
    restartPolicy: 'Never',
    securityContext: { runAsNonRoot: true, runAsUser: 1000, runAsGroup: 1000, seccompProfile: { type: 'RuntimeDefault' } },
    containers: [hardenedContainer('migrate', {
      image: 'arigaio/atlas:0.36.0',
      args: ['migrate', 'apply', '--url', '$(DATABASE_URL)'],
      env: [{ name: 'DATABASE_URL', valueFrom: { secretKeyRef: { name: 'pg-app', key: 'uri' } } }],
      resources: { requests: { cpu: '100m', memory: '128Mi' }, limits: { memory: '128Mi' } },
    })],
  };
}

/** A bounded migration Job with its ServiceAccount: zero findings. */
export function jobSet(): any[] {
  return [
    {
      apiVersion: 'batch/v1',
      kind: 'Job',
      metadata: { name: 'migrate', namespace: NS, labels: labels('migration') },
      spec: {
        backoffLimit: 2,
        activeDeadlineSeconds: 600,
        ttlSecondsAfterFinished: 86400,
        template: { metadata: { labels: labels('migration') }, spec: jobPodSpec() },
      },
    },
    serviceAccount('migrate', 'migration'),
    denyIngressPolicy('migrate', selector('migration'), labels('migration')),
  ];
}

/** A bounded CronJob with its ServiceAccount: zero findings. */
export function cronJobSet(): any[] {
  return [
    {
      apiVersion: 'batch/v1',
      kind: 'CronJob',
      metadata: { name: 'dump', namespace: NS, labels: labels('backup') },
      spec: {
        schedule: '0 3 * * *',
        concurrencyPolicy: 'Forbid',
        startingDeadlineSeconds: 300,
        successfulJobsHistoryLimit: 3,
        failedJobsHistoryLimit: 3,
        jobTemplate: {
          spec: {
            backoffLimit: 1,
            activeDeadlineSeconds: 3600,
            template: { metadata: { labels: labels('backup') }, spec: jobPodSpec() },
          },
        },
      },
    },
    serviceAccount('migrate', 'backup'),
    denyIngressPolicy('dump', selector('backup'), labels('backup')),
  ];
}

/** A Role limited to one named Secret, bound to a ServiceAccount: zero findings. */
export function rbacSet(): any[] {
  return [
    {
      apiVersion: 'rbac.authorization.k8s.io/v1',
      kind: 'Role',
      metadata: { name: 'reader', namespace: NS, labels: labels('migration') },
      rules: [
        { apiGroups: [''], resources: ['secrets'], resourceNames: ['pg-app'], verbs: ['get'] },
        { apiGroups: ['apps'], resources: ['statefulsets'], verbs: ['list', 'watch'] },
      ],
    },
    {
      apiVersion: 'rbac.authorization.k8s.io/v1',
      kind: 'RoleBinding',
      metadata: { name: 'reader', namespace: NS, labels: labels('migration') },
      roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'Role', name: 'reader' },
      subjects: [{ kind: 'ServiceAccount', name: 'migrate', namespace: NS }],
    },
  ];
}

/** A ConfigMap without credentials. */
export function configMap(data: Record<string, string> = { 'my.cnf': '[mysqld]\nmax_connections=200\n' }): any {
  return { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'orders-config', namespace: NS, labels: labels() }, data };
}
