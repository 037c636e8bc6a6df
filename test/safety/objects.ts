/** Small hand-written manifests for the engine's unit tests. */

export const clone = <T>(v: T): T => JSON.parse(JSON.stringify(v));

export function labels(name: string, instance: string, component = 'database'): Record<string, string> {
  return {
    'app.kubernetes.io/name': name,
    'app.kubernetes.io/instance': instance,
    'app.kubernetes.io/component': component,
  };
}

export function statefulSet(name: string, opts: { ns?: string; app?: string; replicas?: number; size?: string; image?: string; storageClass?: string } = {}): any {
  const l = labels(opts.app ?? 'cassandra', name);
  return {
    apiVersion: 'apps/v1', kind: 'StatefulSet',
    metadata: { name, namespace: opts.ns ?? 'data', labels: l },
    spec: {
      replicas: opts.replicas ?? 3, serviceName: `${name}-hl`, podManagementPolicy: 'OrderedReady',
      selector: { matchLabels: l },
      persistentVolumeClaimRetentionPolicy: { whenDeleted: 'Retain', whenScaled: 'Retain' },
      template: {
        metadata: { labels: l },
        spec: { containers: [{ name: 'db', image: opts.image ?? 'cassandra:5.0.4' }] },
      },
      volumeClaimTemplates: [{
        metadata: { name: 'data' },
        spec: { accessModes: ['ReadWriteOnce'], ...(opts.storageClass ? { storageClassName: opts.storageClass } : {}), resources: { requests: { storage: opts.size ?? '10Gi' } } },
      }],
    },
  };
}

export function pvc(name: string, size = '20Gi', ns = 'data', instance = 'shop'): any {
  return {
    apiVersion: 'v1', kind: 'PersistentVolumeClaim',
    metadata: { name, namespace: ns, labels: labels('mysql', instance), annotations: { 'helm.sh/resource-policy': 'keep' } },
    spec: { accessModes: ['ReadWriteOnce'], resources: { requests: { storage: size } } },
  };
}

export function mysqlDeployment(name: string, claim: string, image = 'mysql:8.4.6', ns = 'data'): any {
  const l = labels('mysql', name);
  return {
    apiVersion: 'apps/v1', kind: 'Deployment',
    metadata: { name, namespace: ns, labels: l },
    spec: {
      replicas: 1, strategy: { type: 'Recreate' }, selector: { matchLabels: l },
      template: {
        metadata: { labels: l },
        spec: {
          containers: [{ name: 'mysql', image }],
          volumes: [{ name: 'data', persistentVolumeClaim: { claimName: claim } }],
        },
      },
    },
  };
}

export function service(name: string, selector: Record<string, string>, ns = 'data'): any {
  return { apiVersion: 'v1', kind: 'Service', metadata: { name, namespace: ns }, spec: { selector, ports: [{ port: 3306 }] } };
}

export function cnpgCluster(name: string, opts: { ns?: string; instances?: number; image?: string; size?: string; plugin?: boolean } = {}): any {
  return {
    apiVersion: 'postgresql.cnpg.io/v1', kind: 'Cluster',
    metadata: { name, namespace: opts.ns ?? 'data', labels: labels('postgresql', name) },
    spec: {
      instances: opts.instances ?? 3,
      imageName: opts.image ?? 'ghcr.io/cloudnative-pg/postgresql:17.6-system-trixie',
      storage: { size: opts.size ?? '20Gi' },
      walStorage: { size: '5Gi' },
      ...(opts.plugin === false ? {} : { plugins: [{ name: 'barman-cloud.cloudnative-pg.io', isWALArchiver: true, parameters: { barmanObjectName: `${name}-store` } }] }),
    },
  };
}

export function objectStore(name: string, ns = 'data'): any {
  return { apiVersion: 'barmancloud.cnpg.io/v1', kind: 'ObjectStore', metadata: { name, namespace: ns }, spec: { configuration: { destinationPath: 's3://b/x' } } };
}

export function scheduledBackup(name: string, cluster: string, ns = 'data'): any {
  return { apiVersion: 'postgresql.cnpg.io/v1', kind: 'ScheduledBackup', metadata: { name, namespace: ns, labels: labels('postgresql', cluster, 'backup') }, spec: { schedule: '0 0 2 * * *', cluster: { name: cluster }, method: 'plugin' } };
}

export function networkPolicy(name: string, podSelector: Record<string, string>, ns = 'data'): any {
  return { apiVersion: 'networking.k8s.io/v1', kind: 'NetworkPolicy', metadata: { name, namespace: ns }, spec: { podSelector: { matchLabels: podSelector }, policyTypes: ['Ingress'] } };
}

export function atlasSchema(name: string, guarded = true, ns = 'data'): any {
  return {
    apiVersion: 'db.atlasgo.io/v1alpha1', kind: 'AtlasSchema', metadata: { name, namespace: ns },
    spec: {
      schema: { sql: 'create table t (id int);' },
      policy: guarded ? { lint: { destructive: { error: true } }, diff: { skip: { drop_table: true, drop_column: true, drop_schema: true } } } : {},
    },
  };
}

export function runnerJob(name: string, allow: boolean, instance = 'orders-schema', ns = 'data'): any {
  return {
    apiVersion: 'batch/v1', kind: 'Job',
    metadata: { name, namespace: ns, labels: labels('schema-migration', instance, 'migration') },
    spec: { template: { spec: { restartPolicy: 'Never', containers: [{ name: 'migrate', image: 'postgres:17.6', env: [{ name: 'ALLOW_DESTRUCTIVE', value: String(allow) }] }] } } },
  };
}
