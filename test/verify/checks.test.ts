import { CHECKS, verifyObjects } from '../../lib/verify';
import { Severity } from '../../lib/verify/types';
import {
  clientDeployment, clientNetworkPolicy, clientPdb, clientService, cnpgSet, configMap, cronJobSet, goodSet, headlessService, jobSet, labels, mutate, networkPolicy,
  NS, pdb, rbacSet, selector, serviceAccount, statefulSet,
} from './fixtures';

/** One row: a check id, a set that fires it, and a related set where it stays quiet. */
interface Row {
  readonly id: string;
  readonly name: string;
  readonly bad: () => any[];
  readonly good: () => any[];
  readonly severity?: Severity;
}

/** The good database set with the StatefulSet changed. */
function withSts(change: (sts: any) => void): any[] {
  return [mutate(statefulSet(), change), headlessService(), clientService(), pdb(), networkPolicy(), serviceAccount()];
}
function podSpec(sts: any): any {
  return sts.spec.template.spec;
}
function container(sts: any): any {
  return sts.spec.template.spec.containers[0];
}
function clientSet(change: (d: any) => void = () => undefined): any[] {
  return [mutate(clientDeployment(), change), serviceAccount('web', 'web'), clientPdb(), clientNetworkPolicy()];
}
function cnpg(change: (cluster: any, store: any, backup: any) => void): any[] {
  const set = cnpgSet();
  change(set[0], set[1], set[2]);
  return set;
}
/** A cert-manager Certificate: a custom resource whose CRD is not bundled. */
function certificate(): any {
  return { apiVersion: 'cert-manager.io/v1', kind: 'Certificate', metadata: { name: 'web', namespace: NS, labels: labels() }, spec: { secretName: 'web-tls' } };
}
function annotateFirst(set: any[], annotations: Record<string, string>): any[] {
  set[0].metadata.annotations = { ...(set[0].metadata.annotations ?? {}), ...annotations };
  return set;
}
function job(change: (j: any) => void): any[] {
  const set = jobSet();
  change(set[0]);
  return set;
}
function cron(change: (c: any) => void): any[] {
  const set = cronJobSet();
  change(set[0]);
  return set;
}
function rbac(change: (role: any, binding: any) => void): any[] {
  const set = rbacSet();
  change(set[0], set[1]);
  return [...set, ...jobSet()];
}
/** A single-node database Deployment on a PVC (MySQL style), hardened. */
function singleNode(change: (d: any, pvc: any) => void = () => undefined): any[] {
  const sts = statefulSet();
  const deployment = {
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: { name: 'orders', namespace: NS, labels: labels() },
    spec: {
      replicas: 1,
      strategy: { type: 'Recreate' },
      selector: sts.spec.selector,
      template: mutate(sts.spec.template, t => {
        t.spec.affinity = undefined;
        t.spec.topologySpreadConstraints = undefined;
        t.spec.volumes.push({ name: 'data', persistentVolumeClaim: { claimName: 'orders-data' } });
        t.spec = JSON.parse(JSON.stringify(t.spec));
      }),
    },
  };
  const pvc = {
    apiVersion: 'v1',
    kind: 'PersistentVolumeClaim',
    metadata: { name: 'orders-data', namespace: NS, labels: labels() },
    spec: { accessModes: ['ReadWriteOnce'], resources: { requests: { storage: '10Gi' } } },
  };
  change(deployment, pvc);
  return [deployment, pvc, clientService(), networkPolicy(), serviceAccount()];
}

const rows: Row[] = [
  // Any object
  { id: 'schema-strict', name: 'unknown field in a container', bad: () => withSts(s => { container(s).bogus = true; }), good: goodSet },
  { id: 'schema-strict', name: 'wrong type (port as string)', bad: () => withSts(s => { container(s).ports[0].containerPort = '3306'; }), good: goodSet },
  { id: 'schema-strict', name: 'missing required field (selector)', bad: () => withSts(s => { delete s.spec.selector; }), good: goodSet },
  { id: 'schema-strict', name: 'unknown kind of a Kubernetes API group', bad: () => [{ apiVersion: 'apps/v1', kind: 'Widget', metadata: { name: 'w', namespace: NS, labels: labels() } }], good: () => [configMap()] },
  { id: 'schema-strict', name: 'null where a quantity belongs', bad: () => withSts(s => { s.spec.volumeClaimTemplates[0].spec.resources.requests.storage = null; }), good: goodSet },
  { id: 'crd-schema', name: 'unknown field in a CNPG Cluster', bad: () => cnpg(c => { c.spec.bogus = 1; }), good: cnpgSet },
  { id: 'crd-schema', name: 'enum violation', bad: () => cnpg((_c, _s, b) => { b.spec.method = 'tape'; }), good: cnpgSet },
  { id: 'crd-schema', name: 'CEL rule (imageName and imageCatalogRef together)', bad: () => cnpg(c => { c.spec.imageCatalogRef = { apiGroup: 'postgresql.cnpg.io', kind: 'ImageCatalog', name: 'pg', major: 17 }; }), good: cnpgSet },
  { id: 'crd-schema', name: 'CEL rule (ObjectStore serverName)', bad: () => cnpg((_c, s) => { s.spec.configuration.serverName = 'x'; }), good: cnpgSet },
  { id: 'crd-schema', name: 'bad metadata (ObjectMeta)', bad: () => cnpg(c => { c.metadata.bogus = 1; }), good: cnpgSet },
  { id: 'crd-schema', name: 'unserved version', bad: () => cnpg(c => { c.apiVersion = 'postgresql.cnpg.io/v2'; }), good: cnpgSet },
  { id: 'names', name: 'uppercase name', bad: () => [mutate(configMap(), c => { c.metadata.name = 'Orders_Config'; })], good: () => [configMap()] },
  { id: 'names', name: 'Service name starting with a digit', bad: () => withSts(s => s).map(o => (o.kind === 'Service' && o.metadata.name === 'orders' ? mutate(o, x => { x.metadata.name = '1orders'; }) : o)), good: goodSet },
  { id: 'names', name: 'StatefulSet name too long for pod names', bad: () => withSts(s => { s.metadata.name = 'a'.repeat(53); }), good: goodSet },
  { id: 'names', name: 'label value too long', bad: () => [mutate(configMap(), c => { c.metadata.labels.extra = 'x'.repeat(64); })], good: () => [configMap()] },
  { id: 'names', name: 'port name too long', bad: () => withSts(s => { container(s).ports[0].name = 'mysql-client-port'; podSpec(s).containers[0].readinessProbe.tcpSocket.port = 'mysql-client-port'; }), good: goodSet },
  { id: 'names', name: 'volume name with an underscore', bad: () => withSts(s => { podSpec(s).volumes[0].name = 'run_dir'; container(s).volumeMounts[1].name = 'run_dir'; }), good: goodSet },
  { id: 'names', name: 'object defined twice', bad: () => [...goodSet(), pdb()], good: goodSet },
  { id: 'yaml', name: 'string that YAML 1.2 reads as a number after cdk8s writes it (see yaml.test.ts for text)', bad: () => [configMap({ mode: '0o17' })], good: () => [configMap()] },
  { id: 'namespace', name: 'no namespace', bad: () => [mutate(configMap(), c => { delete c.metadata.namespace; })], good: () => [configMap()] },
  { id: 'labels', name: 'missing recommended labels', bad: () => [mutate(configMap(), c => { delete c.metadata.labels['app.kubernetes.io/part-of']; })], good: () => [configMap()] },
  { id: 'labels', name: 'pod labels disagree with object labels', bad: () => withSts(s => { s.metadata.labels['app.kubernetes.io/instance'] = 'other'; }), good: goodSet },
  // Pod templates
  { id: 'no-privilege-escalation', name: 'allowPrivilegeEscalation unset', bad: () => withSts(s => { delete container(s).securityContext.allowPrivilegeEscalation; }), good: goodSet },
  { id: 'no-privilege-escalation', name: 'init container may escalate', bad: () => withSts(s => { podSpec(s).initContainers = [mutate(container(s), c => { c.name = 'init'; c.securityContext.allowPrivilegeEscalation = true; delete c.startupProbe; delete c.livenessProbe; delete c.readinessProbe; })]; }), good: goodSet },
  { id: 'run-as-non-root', name: 'runAsNonRoot not in effect', bad: () => withSts(s => { delete podSpec(s).securityContext.runAsNonRoot; delete container(s).securityContext.runAsNonRoot; }), good: goodSet },
  { id: 'run-as-non-root', name: 'fsGroup 0', bad: () => withSts(s => { podSpec(s).securityContext.fsGroup = 0; }), good: goodSet },
  { id: 'seccomp', name: 'Unconfined seccomp', bad: () => withSts(s => { container(s).securityContext.seccompProfile = { type: 'Unconfined' }; }), good: goodSet },
  { id: 'capabilities', name: 'ALL not dropped', bad: () => withSts(s => { container(s).securityContext.capabilities = { drop: ['NET_RAW'] }; }), good: goodSet },
  { id: 'capabilities', name: 'SYS_ADMIN added', bad: () => withSts(s => { container(s).securityContext.capabilities.add = ['SYS_ADMIN']; }), good: goodSet },
  { id: 'host-isolation', name: 'hostNetwork', bad: () => withSts(s => { podSpec(s).hostNetwork = true; }), good: goodSet },
  { id: 'host-isolation', name: 'privileged', bad: () => withSts(s => { container(s).securityContext.privileged = true; }), good: goodSet },
  { id: 'host-isolation', name: 'hostPort', bad: () => withSts(s => { container(s).ports[0].hostPort = 3306; }), good: goodSet },
  { id: 'host-isolation', name: 'unsafe sysctl', bad: () => withSts(s => { podSpec(s).securityContext.sysctls = [{ name: 'kernel.msgmax', value: '65536' }]; }), good: goodSet },
  { id: 'volume-types', name: 'hostPath volume', bad: () => withSts(s => { podSpec(s).volumes.push({ name: 'host', hostPath: { path: '/var/run' } }); }), good: goodSet },
  { id: 'read-only-root', name: 'writable root filesystem', bad: () => withSts(s => { container(s).securityContext.readOnlyRootFilesystem = false; }), good: goodSet },
  { id: 'service-account', name: 'default ServiceAccount', bad: () => withSts(s => { delete podSpec(s).serviceAccountName; }), good: goodSet },
  { id: 'service-account', name: 'ServiceAccount not in the set', bad: () => goodSet().filter(o => o.kind !== 'ServiceAccount'), good: goodSet },
  { id: 'service-account', name: 'token mounted without API access', bad: () => withSts(s => { podSpec(s).automountServiceAccountToken = true; }), good: goodSet },
  { id: 'resources', name: 'no memory limit', bad: () => withSts(s => { delete container(s).resources.limits; }), good: goodSet },
  { id: 'resources', name: 'database memory request below limit', bad: () => withSts(s => { container(s).resources.requests.memory = '512Mi'; }), good: goodSet },
  { id: 'image-pinned', name: 'latest tag', bad: () => withSts(s => { container(s).image = 'mysql:latest'; }), good: goodSet },
  { id: 'image-pinned', name: 'untagged image', bad: () => clientSet(d => { d.spec.template.spec.containers[0].image = 'wordpress'; }), good: () => clientSet() },
  { id: 'image-pinned', name: 'no imagePullPolicy', bad: () => withSts(s => { delete container(s).imagePullPolicy; }), good: goodSet },
  { id: 'probes', name: 'database without startup probe', bad: () => withSts(s => { delete container(s).startupProbe; }), good: goodSet },
  { id: 'probes', name: 'identical readiness and liveness', bad: () => withSts(s => { container(s).readinessProbe = container(s).livenessProbe; }), good: goodSet },
  { id: 'probes', name: 'startup probe with no room for recovery', bad: () => withSts(s => { container(s).startupProbe.failureThreshold = 3; }), good: goodSet },
  { id: 'probes', name: 'client without probes (warning)', severity: 'warning', bad: () => clientSet(d => { delete d.spec.template.spec.containers[0].readinessProbe; }), good: () => clientSet() },
  { id: 'probe-ports', name: 'probe on an undeclared port', bad: () => withSts(s => { container(s).readinessProbe = { tcpSocket: { port: 3307 } }; }), good: goodSet },
  { id: 'probe-ports', name: 'Service targets an undeclared port', bad: () => goodSet().map(o => (o.kind === 'Service' && o.metadata.name === 'orders' ? mutate(o, x => { x.spec.ports[0].targetPort = 3307; }) : o)), good: goodSet },
  { id: 'no-plaintext-secrets', name: 'password in env', bad: () => withSts(s => { container(s).env.push({ name: 'MYSQL_ROOT_PASSWORD', value: 'hunter2' }); }), good: goodSet },
  { id: 'no-plaintext-secrets', name: 'token-named setting with a literal', bad: () => withSts(s => { container(s).env.push({ name: 'CASSANDRA_NUM_TOKENS', value: 'abc123' }); }), good: () => withSts(s => { container(s).env.push({ name: 'CASSANDRA_NUM_TOKENS', value: '16' }); }) },
  { id: 'no-plaintext-secrets', name: 'URL with a password in env', bad: () => clientSet(d => { d.spec.template.spec.containers[0].env.push({ name: 'DB', value: 'mysql://app:s3cret@orders:3306/shop' }); }), good: () => clientSet() },
  { id: 'no-plaintext-secrets', name: 'Secret with literal data', bad: () => [{ apiVersion: 'v1', kind: 'Secret', metadata: { name: 'x', namespace: NS, labels: labels() }, stringData: { password: 'x' } }], good: () => [configMap()] },
  { id: 'no-plaintext-secrets', name: 'credential in a ConfigMap', bad: () => [configMap({ 'db.password': 'hunter2' })], good: () => [configMap()] },
  { id: 'no-plaintext-secrets', name: 'private key in a ConfigMap', bad: () => [configMap({ 'tls.pem': '-----BEGIN RSA PRIVATE KEY-----\nMIIB\n-----END RSA PRIVATE KEY-----\n' })], good: () => [configMap()] },
  { id: 'unique-env', name: 'duplicate env name', bad: () => withSts(s => { container(s).env.push({ name: 'MYSQL_DATABASE', value: 'other' }); }), good: goodSet },
  { id: 'unique-env', name: 'duplicate container name', bad: () => clientSet(d => { d.spec.template.spec.initContainers = [d.spec.template.spec.containers[0]]; }), good: () => clientSet() },
  { id: 'selector-match', name: 'selector does not match template', bad: () => withSts(s => { s.spec.selector.matchLabels['app.kubernetes.io/instance'] = 'other'; }), good: goodSet },
  // Stateful workloads
  { id: 'pdb', name: 'no PDB for 3 replicas', bad: () => goodSet().filter(o => o.kind !== 'PodDisruptionBudget'), good: goodSet },
  { id: 'pdb', name: 'PDB blocks all evictions (maxUnavailable 0)', bad: () => goodSet().map(o => (o.kind === 'PodDisruptionBudget' ? mutate(o, p => { p.spec.maxUnavailable = 0; }) : o)), good: goodSet },
  { id: 'pdb', name: 'PDB blocks all evictions (minAvailable = replicas)', bad: () => goodSet().map(o => (o.kind === 'PodDisruptionBudget' ? mutate(o, p => { delete p.spec.maxUnavailable; p.spec.minAvailable = 3; }) : o)), good: goodSet },
  { id: 'pdb', name: 'PDB selecting nothing (warning)', severity: 'warning', bad: () => goodSet().map(o => (o.kind === 'PodDisruptionBudget' ? mutate(o, p => { p.metadata.name = 'stale'; p.spec.selector.matchLabels['app.kubernetes.io/instance'] = 'gone'; }) : o)).concat([pdb()]), good: goodSet },
  { id: 'network-policy', name: 'NetworkPolicy selecting nothing (warning)', severity: 'warning', bad: () => [...goodSet(), mutate(networkPolicy(), p => { p.metadata.name = 'stale'; p.spec.podSelector.matchLabels['app.kubernetes.io/instance'] = 'gone'; })], good: goodSet },
  { id: 'anti-affinity', name: 'no anti-affinity', bad: () => withSts(s => { delete podSpec(s).affinity; }), good: goodSet },
  { id: 'pdb', name: 'stateless Deployment of 2 replicas without a PDB (warning)', severity: 'warning', bad: () => clientSet().filter(o => o.kind !== 'PodDisruptionBudget'), good: () => clientSet() },
  { id: 'anti-affinity', name: 'stateless Deployment of 2 replicas without anti-affinity (warning)', severity: 'warning', bad: () => clientSet(d => { delete d.spec.template.spec.affinity; }), good: () => clientSet() },
  { id: 'anti-affinity', name: 'Cassandra with preferred anti-affinity only', bad: () => withSts(s => {
    container(s).image = 'cassandra:5.0.5';
    podSpec(s).terminationGracePeriodSeconds = 180;
    const term = podSpec(s).affinity.podAntiAffinity.requiredDuringSchedulingIgnoredDuringExecution[0];
    podSpec(s).affinity.podAntiAffinity = { preferredDuringSchedulingIgnoredDuringExecution: [{ weight: 100, podAffinityTerm: term }] };
  }), good: goodSet },
  { id: 'zone-spread', name: 'no zone spread', severity: 'warning', bad: () => withSts(s => { delete podSpec(s).topologySpreadConstraints; }), good: goodSet },
  { id: 'network-policy', name: 'no NetworkPolicy', bad: () => goodSet().filter(o => o.kind !== 'NetworkPolicy'), good: goodSet },
  { id: 'network-policy', name: 'client Deployment selected by no policy', bad: () => clientSet().filter(o => o.kind !== 'NetworkPolicy'), good: () => clientSet() },
  { id: 'network-policy', name: 'Job selected by no policy', bad: () => jobSet().filter(o => o.kind !== 'NetworkPolicy'), good: jobSet },
  { id: 'network-policy', name: 'CronJob selected by no policy', bad: () => cronJobSet().filter(o => o.kind !== 'NetworkPolicy'), good: cronJobSet },
  { id: 'network-policy', name: 'Job selected by an egress-only policy', bad: () => jobSet().map(o => (o.kind === 'NetworkPolicy' ? mutate(o, p => { p.spec.policyTypes = ['Egress']; delete p.spec.ingress; p.spec.egress = []; }) : o)), good: jobSet },
  { id: 'network-policy', name: 'Job policy in another namespace', bad: () => jobSet().map(o => (o.kind === 'NetworkPolicy' ? mutate(o, p => { p.metadata.namespace = 'other'; }) : o)), good: jobSet },
  { id: 'network-policy', name: 'Job pods admit connections (warning)', severity: 'warning', bad: () => jobSet().map(o => (o.kind === 'NetworkPolicy' ? mutate(o, p => { p.spec.ingress = [{ from: [{ podSelector: {} }], ports: [{ protocol: 'TCP', port: 8080 }] }]; }) : o)), good: jobSet },
  { id: 'network-policy', name: 'CronJob pods admit connections (warning)', severity: 'warning', bad: () => cronJobSet().map(o => (o.kind === 'NetworkPolicy' ? mutate(o, p => { p.spec.ingress = [{}]; }) : o)), good: cronJobSet },
  { id: 'network-policy', name: 'CloudNativePG instances selected by no policy', bad: () => cnpgSet().filter(o => o.kind !== 'NetworkPolicy'), good: cnpgSet },
  { id: 'network-policy', name: 'CloudNativePG policy selecting another cluster', bad: () => cnpgSet().map(o => (o.kind === 'NetworkPolicy' ? mutate(o, p => { p.spec.podSelector.matchLabels['cnpg.io/cluster'] = 'other'; }) : o)), good: cnpgSet },
  { id: 'network-policy', name: 'rule opens every port', bad: () => goodSet().map(o => (o.kind === 'NetworkPolicy' ? mutate(o, p => { delete p.spec.ingress[0].ports; }) : o)), good: goodSet },
  { id: 'network-policy', name: 'rule opens an undeclared port', bad: () => goodSet().map(o => (o.kind === 'NetworkPolicy' ? mutate(o, p => { p.spec.ingress[0].ports[0].port = 22; }) : o)), good: goodSet },
  { id: 'headless-service', name: 'serviceName not in the set', bad: () => goodSet().filter(o => !(o.kind === 'Service' && o.metadata.name === 'orders-headless')), good: goodSet },
  { id: 'headless-service', name: 'serviceName is not headless', bad: () => goodSet().map(o => (o.metadata.name === 'orders-headless' ? mutate(o, x => { delete x.spec.clusterIP; }) : o)), good: goodSet },
  { id: 'headless-service', name: 'database exposed as LoadBalancer', bad: () => goodSet().map(o => (o.kind === 'Service' && o.metadata.name === 'orders' ? mutate(o, x => { x.spec.type = 'LoadBalancer'; }) : o)), good: goodSet },
  { id: 'headless-service', name: 'Service selects no pods', bad: () => goodSet().map(o => (o.kind === 'Service' && o.metadata.name === 'orders' ? mutate(o, x => { x.spec.selector['app.kubernetes.io/instance'] = 'nothing'; }) : o)), good: goodSet },
  { id: 'pvc-retention', name: 'retention policy not set', bad: () => withSts(s => { delete s.spec.persistentVolumeClaimRetentionPolicy; }), good: goodSet },
  { id: 'pvc-retention', name: 'claims deleted on scale-down', bad: () => withSts(s => { s.spec.persistentVolumeClaimRetentionPolicy.whenScaled = 'Delete'; }), good: goodSet },
  { id: 'claim-templates', name: 'StatefulSet without claim templates', bad: () => withSts(s => { delete s.spec.volumeClaimTemplates; podSpec(s).volumes.push({ name: 'data', emptyDir: {} }); }), good: goodSet },
  { id: 'claim-templates', name: 'claim template without storage request', bad: () => withSts(s => { delete s.spec.volumeClaimTemplates[0].spec.resources; }), good: goodSet },
  { id: 'claim-templates', name: 'database Deployment without a PVC', bad: () => singleNode(d => { d.spec.template.spec.volumes = d.spec.template.spec.volumes.map((v: any) => (v.name === 'data' ? { name: 'data', emptyDir: {} } : v)); }), good: () => singleNode() },
  { id: 'single-writer', name: 'RollingUpdate on a ReadWriteOnce volume', bad: () => singleNode(d => { d.spec.strategy = { type: 'RollingUpdate' }; }), good: () => singleNode() },
  { id: 'single-writer', name: 'two replicas on one ReadWriteOnce claim', bad: () => singleNode(d => { d.spec.replicas = 2; }), good: () => singleNode() },
  { id: 'grace-period', name: 'grace period not set', bad: () => withSts(s => { delete podSpec(s).terminationGracePeriodSeconds; }), good: goodSet },
  { id: 'grace-period', name: 'grace period too short', bad: () => withSts(s => { podSpec(s).terminationGracePeriodSeconds = 5; }), good: goodSet },
  // CloudNativePG
  { id: 'cnpg-ha', name: 'one instance (warning)', severity: 'warning', bad: () => cnpg(c => { c.spec.instances = 1; }), good: cnpgSet },
  { id: 'cnpg-ha', name: 'PDB disabled', bad: () => cnpg(c => { c.spec.enablePDB = false; }), good: cnpgSet },
  { id: 'cnpg-ha', name: 'anti-affinity disabled', bad: () => cnpg(c => { c.spec.affinity.enablePodAntiAffinity = false; }), good: cnpgSet },
  { id: 'cnpg-image', name: 'latest image', bad: () => cnpg(c => { c.spec.imageName = 'ghcr.io/cloudnative-pg/postgresql:latest'; }), good: cnpgSet },
  { id: 'cnpg-image', name: 'no image at all', bad: () => cnpg(c => { delete c.spec.imageName; }), good: cnpgSet },
  { id: 'cnpg-backup', name: 'no backup (warning)', severity: 'warning', bad: () => cnpg(c => { delete c.spec.plugins; }).filter(o => o.kind === 'Cluster'), good: cnpgSet },
  { id: 'cnpg-backup', name: 'plugin names a missing ObjectStore', bad: () => cnpg(c => { c.spec.plugins[0].parameters.barmanObjectName = 'elsewhere'; }), good: cnpgSet },
  { id: 'cnpg-cron', name: 'five-field schedule', bad: () => cnpg((_c, _s, b) => { b.spec.schedule = '0 2 * * *'; }), good: cnpgSet },
  { id: 'cnpg-cron', name: 'invalid schedule', bad: () => cnpg((_c, _s, b) => { b.spec.schedule = '0 0 25 * * *'; }), good: cnpgSet },
  { id: 'cnpg-superuser', name: 'superuser access on', bad: () => cnpg(c => { c.spec.enableSuperuserAccess = true; }), good: cnpgSet },
  { id: 'cnpg-resources', name: 'no resources', bad: () => cnpg(c => { delete c.spec.resources; }), good: cnpgSet },
  { id: 'cnpg-resources', name: 'memory request below limit', bad: () => cnpg(c => { c.spec.resources.requests.memory = '1Gi'; }), good: cnpgSet },
  // Jobs
  { id: 'job-bounds', name: 'no deadline', bad: () => job(j => { delete j.spec.activeDeadlineSeconds; }), good: jobSet },
  { id: 'job-bounds', name: 'no ttl', bad: () => job(j => { delete j.spec.ttlSecondsAfterFinished; }), good: jobSet },
  { id: 'job-bounds', name: 'CronJob template without backoffLimit', bad: () => cron(c => { delete c.spec.jobTemplate.spec.backoffLimit; }), good: cronJobSet },
  { id: 'cron-bounds', name: 'concurrency allowed', bad: () => cron(c => { c.spec.concurrencyPolicy = 'Allow'; }), good: cronJobSet },
  { id: 'cron-bounds', name: 'no starting deadline', bad: () => cron(c => { delete c.spec.startingDeadlineSeconds; }), good: cronJobSet },
  { id: 'cron-bounds', name: 'six-field schedule on a CronJob', bad: () => cron(c => { c.spec.schedule = '0 0 3 * * *'; }), good: cronJobSet },
  { id: 'job-credentials', name: 'inline database URL in a Job', bad: () => job(j => { j.spec.template.spec.containers[0].env = [{ name: 'DATABASE_URL', value: 'postgres://pg-rw:5432/app' }]; }), good: jobSet },
  { id: 'job-credentials', name: 'inline password in a Job', bad: () => job(j => { j.spec.template.spec.containers[0].env.push({ name: 'PGPASSWORD', value: 'hunter2' }); }), good: jobSet },
  { id: 'job-credentials', name: 'URL with password in Job args', bad: () => job(j => { j.spec.template.spec.containers[0].args = ['migrate', '--url', 'postgres://app:pw@pg-rw/app']; }), good: jobSet },
  // Schemas and opt-outs
  { id: 'missing-schema', name: 'custom resource without a CRD', bad: () => [...goodSet(), certificate()], good: goodSet },
  { id: 'skip-annotation', name: 'skip annotation without a reason', bad: () => annotateFirst(goodSet(), { 'skip-check.data.cdk8s.io/pdb': ' ' }), good: goodSet },
  { id: 'skip-annotation', name: 'skip annotation naming no check', bad: () => annotateFirst(goodSet(), { 'skip-check.data.cdk8s.io/no-such-check': 'why' }), good: goodSet },
  // RBAC
  { id: 'rbac-least', name: 'wildcard verbs', bad: () => rbac(r => { r.rules[1].verbs = ['*']; }), good: () => [...rbacSet(), ...jobSet()] },
  { id: 'rbac-least', name: 'every Secret readable', bad: () => rbac(r => { delete r.rules[0].resourceNames; }), good: () => [...rbacSet(), ...jobSet()] },
  { id: 'rbac-least', name: 'cluster-admin binding', bad: () => rbac((_r, b) => { b.roleRef = { apiGroup: 'rbac.authorization.k8s.io', kind: 'ClusterRole', name: 'cluster-admin' }; }), good: () => [...rbacSet(), ...jobSet()] },
];

describe('every check fires on a bad object and stays quiet on a good set', () => {
  it.each(rows.map(r => [r.id, r.name, r] as const))('%s: %s', (id, _name, row) => {
    const bad = verifyObjects(row.bad());
    const fired = bad.findings.filter(f => f.check === id);
    expect(fired.map(f => f.severity)).toContain(row.severity ?? 'error');
    for (const f of fired) {
      expect(f.origin).toBeTruthy();
      expect(f.object).toMatch(/\//);
      expect(f.message.length).toBeGreaterThan(10);
    }
    const good = verifyObjects(row.good());
    expect(good.findings.filter(f => f.check === id)).toEqual([]);
  });

  it('covers every check id', () => {
    const covered = new Set(rows.map(r => r.id));
    expect(CHECKS.map(c => c.id).filter(id => !covered.has(id))).toEqual([]);
    expect([...covered].filter(id => !CHECKS.some(c => c.id === id))).toEqual([]);
  });

  it('reports the container a pod finding applies to', () => {
    const report = verifyObjects(withSts(s => { delete container(s).securityContext.allowPrivilegeEscalation; }));
    expect(report.errors).toEqual([expect.objectContaining({
      check: 'no-privilege-escalation', object: `${NS}/StatefulSet/orders`, container: 'mysql', origin: 'PSS', severity: 'error',
    })]);
  });

  it('downgrades an acknowledged error to a warning, and only for the listed check', () => {
    const report = verifyObjects(cnpg(c => {
      c.spec.enableSuperuserAccess = true;
      c.metadata.annotations = { 'data.cdk8s.io/acknowledge': 'cnpg-superuser' };
    }));
    expect(report.errors).toEqual([]);
    expect(report.warnings).toEqual([expect.objectContaining({ check: 'cnpg-superuser', message: expect.stringMatching(/acknowledged/) })]);
  });

  it('a single-replica database needs no PDB, anti-affinity or zone spread', () => {
    const report = verifyObjects(withSts(s => {
      s.spec.replicas = 1;
      delete podSpec(s).affinity;
      delete podSpec(s).topologySpreadConstraints;
    }).filter(o => o.kind !== 'PodDisruptionBudget'));
    expect(report.findings).toEqual([]);
  });

  it('a single-node MySQL-style Deployment on a PVC passes', () => {
    expect(verifyObjects(singleNode()).findings).toEqual([]);
  });

  it('the client app passes alongside the database', () => {
    expect(verifyObjects([...goodSet(), ...clientSet()]).findings).toEqual([]);
  });

  it('checks across namespaces: a PDB in another namespace does not count', () => {
    const report = verifyObjects(goodSet().map(o => (o.kind === 'PodDisruptionBudget' ? mutate(o, p => { p.metadata.namespace = 'other'; }) : o)));
    expect(report.errors.map(f => f.check)).toContain('pdb');
  });

  it('names the types of an int-or-string union, and only when every branch failed on its type', () => {
    const crdMessages = (set: any[]) => verifyObjects(set).findings.filter(f => f.check === 'crd-schema').map(f => f.message);
    expect(crdMessages(cnpg(c => { c.spec.resources = { limits: { cpu: ['1'] } }; })))
      .toEqual([expect.stringMatching(/spec\.resources\.limits\.cpu: must be integer or string/)]);
    expect(crdMessages(cnpg(c => { c.spec.resources = { limits: { cpu: 'lots' } }; })))
      .toEqual([expect.stringMatching(/spec\.resources\.limits\.cpu: must match pattern/)]);
  });

  it('selector helper sanity: selector() is a subset of labels()', () => {
    expect(labels()).toEqual(expect.objectContaining(selector()));
  });
});

describe('pdb and anti-affinity for stateless replicas: warnings, as kube-score and kube-linter give them', () => {
  const hostTerm = (selectorLabels: Record<string, string>, topologyKey = 'kubernetes.io/hostname') =>
    ({ topologyKey, labelSelector: { matchLabels: selectorLabels } });
  const web = selector('web', 'shop', 'wordpress');
  const noGuards = (d: any) => { delete d.spec.template.spec.affinity; };
  const findingsOn = (objects: any[], object: string) => verifyObjects(objects).findings
    .filter(f => f.object === object && (f.check === 'pdb' || f.check === 'anti-affinity'))
    .map(f => `${f.check} ${f.severity}`).sort();
  const deployment = `${NS}/Deployment/web`;
  const rows: Array<[string, () => any[], string[]]> = [
    ['2 replicas, no PDB, no anti-affinity', () => clientSet(noGuards).filter(o => o.kind !== 'PodDisruptionBudget'), ['anti-affinity warning', 'pdb warning']],
    ['2 replicas, PDB and preferred anti-affinity on the hostname', () => clientSet(), []],
    ['2 replicas, required anti-affinity on the hostname', () => clientSet(d => {
      d.spec.template.spec.affinity = { podAntiAffinity: { requiredDuringSchedulingIgnoredDuringExecution: [hostTerm(web)] } };
    }), []],
    ['anti-affinity on the zone only', () => clientSet(d => {
      d.spec.template.spec.affinity.podAntiAffinity.preferredDuringSchedulingIgnoredDuringExecution[0].podAffinityTerm = hostTerm(web, 'topology.kubernetes.io/zone');
    }), ['anti-affinity warning']],
    ['anti-affinity selecting other pods', () => clientSet(d => {
      d.spec.template.spec.affinity.podAntiAffinity.preferredDuringSchedulingIgnoredDuringExecution[0].podAffinityTerm = hostTerm({ app: 'other' });
    }), ['anti-affinity warning']],
    ['a PDB in another namespace', () => clientSet().map(o => (o.kind === 'PodDisruptionBudget' ? mutate(o, p => { p.metadata.namespace = 'elsewhere'; }) : o)), ['pdb warning']],
    ['a PDB selecting other pods', () => clientSet().map(o => (o.kind === 'PodDisruptionBudget' ? mutate(o, p => { p.spec.selector.matchLabels = { app: 'other' }; }) : o)), ['pdb warning']],
    ['1 replica needs neither', () => clientSet(d => { d.spec.replicas = 1; noGuards(d); }).filter(o => o.kind !== 'PodDisruptionBudget'), []],
    ['replicas unset (1) needs neither', () => clientSet(d => { delete d.spec.replicas; noGuards(d); }).filter(o => o.kind !== 'PodDisruptionBudget'), []],
    ['a Deployment labelled as a database keeps the database rules (errors)', () => clientSet(d => {
      noGuards(d);
      d.metadata.labels['app.kubernetes.io/component'] = 'database';
    }).filter(o => o.kind !== 'PodDisruptionBudget'), ['anti-affinity error', 'pdb error']],
  ];
  it.each(rows)('%s', (_name, objects, expected) => {
    expect(findingsOn(objects(), deployment)).toEqual(expected);
  });

  it('a DaemonSet needs neither (one pod per node by design)', () => {
    const ds = mutate(clientDeployment(), d => {
      d.kind = 'DaemonSet';
      delete d.spec.replicas;
      noGuards(d);
    });
    expect(findingsOn([ds, serviceAccount('web', 'web')], `${NS}/DaemonSet/web`)).toEqual([]);
  });

  it('the database rules stay errors', () => {
    expect(findingsOn(goodSet().filter(o => o.kind !== 'PodDisruptionBudget'), `${NS}/StatefulSet/orders`)).toEqual(['pdb error']);
    expect(findingsOn(withSts(s => { delete podSpec(s).affinity; }), `${NS}/StatefulSet/orders`)).toEqual(['anti-affinity error']);
  });
});
