/** A verification check: its id, origin and what it enforces (docs/checks.md explains each). */
export interface CheckInfo {
  readonly id: string;
  readonly origin: string;
  readonly rule: string;
  /** Severity of a plain violation (some checks also report warnings for deliberate opt-outs). */
  readonly severity: 'error' | 'warning';
}

/** Every check that verification runs. */
export const CHECKS: readonly CheckInfo[] = [
  { id: 'schema-strict', origin: 'kubeconform', severity: 'error', rule: 'valid against the Kubernetes 1.28 and 1.32 schemas, unknown fields rejected; unknown kinds rejected' },
  { id: 'crd-schema', origin: 'API', severity: 'error', rule: 'custom resources valid against their CRD schema (types, enums, patterns, required, list types, CEL rules)' },
  { id: 'missing-schema', origin: 'kubeconform', severity: 'error', rule: 'every custom resource has a CRD schema (bundled or given with --crds); a warning with --ignore-missing-schemas' },
  { id: 'skip-annotation', origin: 'cdk8s-data', severity: 'error', rule: 'skip-check.data.cdk8s.io/<id> annotations name a known check and give a reason' },
  { id: 'names', origin: 'API', severity: 'error', rule: 'DNS-1123 names (Services DNS-1035), name length limits, valid label and annotation keys and values, container and port names' },
  { id: 'namespace', origin: 'KL', severity: 'error', rule: 'namespaced objects carry metadata.namespace' },
  { id: 'labels', origin: 'PO', severity: 'error', rule: 'app.kubernetes.io/{name,instance,component,part-of,managed-by} on objects and pod templates, consistent with selectors' },
  { id: 'yaml', origin: 'yamllint', severity: 'error', rule: 'same data under YAML 1.1 and 1.2, no duplicate keys, no empty documents' },
  { id: 'no-privilege-escalation', origin: 'PSS', severity: 'error', rule: 'allowPrivilegeEscalation: false on every container' },
  { id: 'run-as-non-root', origin: 'PSS', severity: 'error', rule: 'runAsNonRoot in effect; no uid, gid or fsGroup 0' },
  { id: 'seccomp', origin: 'PSS', severity: 'error', rule: 'seccomp RuntimeDefault or Localhost in effect' },
  { id: 'capabilities', origin: 'PSS', severity: 'error', rule: 'drop ALL; add nothing but NET_BIND_SERVICE' },
  { id: 'host-isolation', origin: 'PSS', severity: 'error', rule: 'no privileged, host namespaces, hostPort, unsafe sysctls, custom SELinux user/role, Unconfined AppArmor' },
  { id: 'volume-types', origin: 'PSS', severity: 'error', rule: 'only configMap, csi, downwardAPI, emptyDir, ephemeral, persistentVolumeClaim, projected, secret volumes' },
  { id: 'read-only-root', origin: 'KL', severity: 'error', rule: 'readOnlyRootFilesystem: true' },
  { id: 'service-account', origin: 'KL', severity: 'error', rule: 'a dedicated ServiceAccount defined in the set; no token mounted unless the account is bound to a role' },
  { id: 'resources', origin: 'KS', severity: 'error', rule: 'CPU and memory requests and a memory limit; database containers: memory request == limit' },
  { id: 'image-pinned', origin: 'KS', severity: 'error', rule: 'image tag other than latest (or a digest); explicit imagePullPolicy' },
  { id: 'probes', origin: 'KS', severity: 'error', rule: 'database containers: readiness and liveness that differ, startup probe allowing >= 120 s (other long-running containers: warning without probes)' },
  { id: 'probe-ports', origin: 'KL', severity: 'error', rule: 'probes and Service target ports refer to declared container ports' },
  { id: 'no-plaintext-secrets', origin: 'KL', severity: 'error', rule: 'no credentials in env values, args, ConfigMaps, custom resources; no Secret with literal data' },
  { id: 'unique-env', origin: 'KL', severity: 'error', rule: 'no duplicate env names in a container, no duplicate container names in a pod' },
  { id: 'selector-match', origin: 'KL', severity: 'error', rule: 'workload selectors are not empty and match the pod template labels' },
  { id: 'pdb', origin: 'KS', severity: 'error', rule: 'a PodDisruptionBudget selects every multi-replica database (other multi-replica Deployments and StatefulSets: warning); no PDB blocks all evictions' },
  { id: 'anti-affinity', origin: 'KS', severity: 'error', rule: 'multi-replica databases repel their own pods on kubernetes.io/hostname (required for Cassandra; other multi-replica Deployments and StatefulSets: warning)' },
  { id: 'zone-spread', origin: 'PO', severity: 'warning', rule: 'multi-replica databases spread across topology.kubernetes.io/zone (or are pinned to one zone per rack)' },
  { id: 'network-policy', origin: 'KS', severity: 'error', rule: 'an ingress NetworkPolicy selects every pod template and every pod CloudNativePG creates; rules list ports the pods declare (rules without sources: warning); Job and CronJob pods admit nothing (warning)' },
  { id: 'headless-service', origin: 'KS', severity: 'error', rule: 'StatefulSet serviceName is a headless Service in the set selecting its pods; Services select pods in the set; databases not exposed as NodePort/LoadBalancer' },
  { id: 'pvc-retention', origin: 'DB', severity: 'error', rule: 'StatefulSets retain PVCs on delete and scale-down, explicitly' },
  { id: 'claim-templates', origin: 'DB', severity: 'error', rule: 'database data on PersistentVolumeClaims with a storage request and access modes, never emptyDir' },
  { id: 'single-writer', origin: 'DB', severity: 'error', rule: 'a database on a ReadWriteOnce claim runs one pod: one replica, Deployment strategy Recreate' },
  { id: 'grace-period', origin: 'DB', severity: 'error', rule: 'terminationGracePeriodSeconds set, >= 30 s (Cassandra >= 120 s)' },
  { id: 'cnpg-ha', origin: 'DB', severity: 'error', rule: 'instances >= 3 (warning below), enablePDB and pod anti-affinity not disabled' },
  { id: 'cnpg-image', origin: 'DB', severity: 'error', rule: 'imageName tag starts with the PostgreSQL major, or imageCatalogRef' },
  { id: 'cnpg-backup', origin: 'DB', severity: 'warning', rule: 'Barman Cloud plugin ObjectStore (in the set) or volume snapshots, with a ScheduledBackup; warning when absent' },
  { id: 'cnpg-cron', origin: 'DB', severity: 'error', rule: 'ScheduledBackup schedules have six valid fields, seconds first (warning when more often than hourly)' },
  { id: 'cnpg-superuser', origin: 'DB', severity: 'error', rule: 'enableSuperuserAccess is not true unless acknowledged' },
  { id: 'cnpg-resources', origin: 'DB', severity: 'error', rule: 'Cluster resources: requests and memory limit, memory request == limit' },
  { id: 'job-bounds', origin: 'KL', severity: 'error', rule: 'backoffLimit, activeDeadlineSeconds, ttlSecondsAfterFinished (Jobs); restartPolicy Never or OnFailure' },
  { id: 'cron-bounds', origin: 'KS', severity: 'error', rule: 'concurrencyPolicy Forbid, startingDeadlineSeconds, history limits, a valid five-field schedule' },
  { id: 'job-credentials', origin: 'KL', severity: 'error', rule: 'database URLs and passwords in Jobs and Atlas resources come from Secrets' },
  { id: 'rbac-least', origin: 'KL', severity: 'error', rule: 'no wildcards, no cluster-admin binding, Secret access only with resourceNames' },
];
