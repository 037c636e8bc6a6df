import { parseQuantity } from '../../core/quantity';
import { containersOf, list, map, PodTemplate, sameNamespace, selectorIsEmpty, selectorMatches, VerifyContext } from '../context';
import { Severity } from '../types';
import { dataVolumeNames, declaredPorts, isDataContainer } from './pod-config';

const HOSTNAME = 'kubernetes.io/hostname';
const ZONE = 'topology.kubernetes.io/zone';
/** Grace period a database needs to drain and flush; Cassandra's `nodetool drain` needs more. */
export const MIN_GRACE_SECONDS = 30;
export const MIN_GRACE_SECONDS_CASSANDRA = 120;
/** Paths where database images keep their data. */
const DATA_PATHS = ['/var/lib/mysql', '/var/lib/postgresql', '/var/lib/cassandra', '/var/lib/mongodb', '/data/db', '/bitnami', '/var/lib/pgsql', '/var/lib/redis'];

function isCassandra(pod: PodTemplate): boolean {
  const labels = { ...(map(pod.owner.metadata?.labels)), ...(map(pod.metadata?.labels)) };
  return labels['app.kubernetes.io/name'] === 'cassandra'
    || containersOf(pod.spec).some((c: any) => typeof c?.image === 'string' && /(^|\/)cassandra(:|@|$)/.test(c.image));
}

function podLabels(pod: PodTemplate): Record<string, string> {
  return map(pod.metadata?.labels);
}

/**
 * Checks for stateful workloads: pdb, anti-affinity, zone-spread, network-policy,
 * headless-service (and Services in general), pvc-retention, claim-templates, single-writer, grace-period.
 */
export function checkStateful(ctx: VerifyContext): void {
  const pdbs = ctx.ofKind('PodDisruptionBudget');
  const policies = ctx.ofKind('NetworkPolicy');
  const services = ctx.ofKind('Service');
  const pvcs = ctx.ofKind('PersistentVolumeClaim');
  for (const pod of ctx.pods) {
    if (pod.owner.kind === 'StatefulSet') {
      checkRetention(ctx, pod);
      checkHeadless(ctx, pod);
    }
    if (!pod.database || !pod.longRunning) {
      checkHelperPolicy(ctx, pod);
      // Stateless replicas (kube-score, kube-linter): the same two guards as databases, as warnings.
      if (pod.longRunning && (pod.owner.kind === 'Deployment' || pod.owner.kind === 'StatefulSet')) {
        checkPdb(ctx, pod);
        checkHostAntiAffinity(ctx, pod);
      }
      continue;
    }
    checkPdb(ctx, pod);
    checkAffinity(ctx, pod);
    checkNetworkPolicy(ctx, pod);
    checkClaims(ctx, pod, pvcs);
    checkGrace(ctx, pod);
  }
  for (const pdb of pdbs) {
    checkPdbNeverBlocks(ctx, pdb);
    warnIfSelectsNothing(ctx, pdb, pdb.spec?.selector, 'pdb');
  }
  for (const policy of policies) warnIfSelectsNothing(ctx, policy, policy.spec?.podSelector, 'network-policy');
  checkOperatorPods(ctx);
  for (const svc of services) checkService(ctx, svc);
}

/** What the messages call a workload's pods; database findings are errors, the others warnings. */
function podsOf(pod: PodTemplate): { what: string; own: string; severity: Severity } {
  return pod.database
    ? { what: 'database pods', own: "the database's own pods", severity: 'error' }
    : { what: 'pods', own: `the ${pod.owner.kind}'s own pods`, severity: 'warning' };
}

function checkPdb(ctx: VerifyContext, pod: PodTemplate): void {
  if (pod.replicas <= 1) return;
  const selecting = ctx.ofKindInNamespaceOf('PodDisruptionBudget', pod.owner).filter(p => !selectorIsEmpty(p.spec?.selector) && selectorMatches(p.spec?.selector, podLabels(pod)));
  if (selecting.length === 0) {
    const { what, severity } = podsOf(pod);
    ctx.add({ check: 'pdb', origin: 'KS', object: pod.owner, severity, message: `no PodDisruptionBudget selects the ${pod.replicas} ${what}; a node drain may evict them all at once` });
  }
}

function checkPdbNeverBlocks(ctx: VerifyContext, pdb: any): void {
  const spec = map(pdb.spec);
  const selected = selectorIsEmpty(spec.selector) ? [] : ctx.podsSelectedBy(pdb, spec.selector);
  const replicas = selected.reduce((n, p) => n + p.replicas, 0);
  const max = spec.maxUnavailable;
  if (max === 0 || max === '0' || max === '0%') {
    ctx.add({ check: 'pdb', origin: 'KL', object: pdb, message: 'maxUnavailable 0 blocks every eviction, so node drains never finish' });
  }
  const min = spec.minAvailable;
  if (min === '100%' || (typeof min === 'number' && selected.length > 0 && min >= replicas)) {
    ctx.add({ check: 'pdb', origin: 'KL', object: pdb, message: `minAvailable ${min} with ${replicas} selected pod(s) blocks every eviction; use maxUnavailable: 1` });
  }
}

function antiAffinityTerms(spec: any): Array<{ term: any; required: boolean }> {
  const aa = map(spec.affinity?.podAntiAffinity);
  return [
    ...list(aa.requiredDuringSchedulingIgnoredDuringExecution).map((term: any) => ({ term, required: true })),
    ...list(aa.preferredDuringSchedulingIgnoredDuringExecution).map((w: any) => ({ term: w?.podAffinityTerm, required: false })),
  ].filter(t => t.term);
}

/** Anti-affinity terms whose selector matches the workload's own pods. */
function ownAntiAffinityTerms(pod: PodTemplate): Array<{ term: any; required: boolean }> {
  const labels = podLabels(pod);
  return antiAffinityTerms(pod.spec).filter(t => t.term.labelSelector && selectorMatches(t.term.labelSelector, labels));
}

/** Reports replicas that no anti-affinity term (required or preferred) keeps off one node; returns the host terms. */
function checkHostAntiAffinity(ctx: VerifyContext, pod: PodTemplate): Array<{ term: any; required: boolean }> {
  if (pod.replicas <= 1) return [];
  const host = ownAntiAffinityTerms(pod).filter(t => t.term.topologyKey === HOSTNAME);
  if (host.length === 0) {
    const { own, severity } = podsOf(pod);
    ctx.add({ check: 'anti-affinity', origin: 'KS', object: pod.owner, severity, message: `no pod anti-affinity on ${HOSTNAME} selecting ${own}; replicas may share a node` });
  }
  return host;
}

function checkAffinity(ctx: VerifyContext, pod: PodTemplate): void {
  if (pod.replicas <= 1) return;
  const terms = ownAntiAffinityTerms(pod);
  const host = checkHostAntiAffinity(ctx, pod);
  const quorum = isCassandra(pod);
  if (host.length > 0 && quorum && !host.some(t => t.required)) {
    ctx.add({ check: 'anti-affinity', origin: 'DB', object: pod.owner, message: `a quorum store needs requiredDuringScheduling anti-affinity on ${HOSTNAME}, not only preferred` });
  }
  const spread = list(pod.spec.topologySpreadConstraints).some((t: any) => t?.topologyKey === ZONE)
    || terms.some(t => t.term.topologyKey === ZONE);
  const pinned = nodeAffinityPinsZone(pod.spec);
  if (!spread && !pinned) {
    ctx.add({ check: 'zone-spread', origin: 'PO', object: pod.owner, severity: 'warning', message: `replicas are not spread across ${ZONE} (topologySpreadConstraints or anti-affinity)` });
  }
}

function nodeAffinityPinsZone(spec: any): boolean {
  const terms = list(spec.affinity?.nodeAffinity?.requiredDuringSchedulingIgnoredDuringExecution?.nodeSelectorTerms);
  return terms.some((t: any) => list(t?.matchExpressions).some((e: any) => e?.key === ZONE && e.operator === 'In'))
    || spec.nodeSelector?.[ZONE] !== undefined;
}

/** Policies of `owner`'s namespace that isolate pods with `labels` for ingress. */
function ingressPolicies(ctx: VerifyContext, owner: any, labels: Record<string, string>): any[] {
  return ctx.ofKindInNamespaceOf('NetworkPolicy', owner).filter(p => selectorMatches(map(p.spec?.podSelector), labels)
    && (list(p.spec?.policyTypes).includes('Ingress') || p.spec?.policyTypes === undefined));
}

/**
 * Every other pod (a Job's, a CronJob's, a client's) is selected by an ingress policy too; a
 * Job's or CronJob's pods accept nothing, since nothing connects to them (warning).
 */
function checkHelperPolicy(ctx: VerifyContext, pod: PodTemplate): void {
  const selecting = ingressPolicies(ctx, pod.owner, podLabels(pod));
  if (selecting.length === 0) {
    ctx.add({ check: 'network-policy', origin: 'KS', object: pod.owner, message: 'no NetworkPolicy selects these pods; every pod in the cluster can connect to them (give them a policy, with no ingress rule for a Job)' });
    return;
  }
  if (pod.longRunning) return;
  for (const policy of selecting) {
    const rules = list(policy.spec?.ingress);
    if (rules.length > 0) {
      ctx.add({ check: 'network-policy', origin: 'DB', object: policy, severity: 'warning', message: `admits connections into the pods of ${objName(pod.owner)} (${rules.length} ingress rule(s)); nothing connects to a Job, so its pods need none` });
    }
  }
}

/** The pods CloudNativePG creates from a Cluster or Pooler in the set: instances by `cnpg.io/cluster`, poolers by `cnpg.io/poolerName`. */
function checkOperatorPods(ctx: VerifyContext): void {
  const owners: Array<[any, Record<string, string>]> = [
    ...ctx.ofKind('Cluster').filter(c => typeof c.apiVersion === 'string' && c.apiVersion.startsWith('postgresql.cnpg.io/'))
      .map((c): [any, Record<string, string>] => [c, { 'cnpg.io/cluster': c.metadata?.name, 'cnpg.io/podRole': 'instance' }]),
    ...ctx.ofKind('Pooler').filter(c => typeof c.apiVersion === 'string' && c.apiVersion.startsWith('postgresql.cnpg.io/'))
      .map((c): [any, Record<string, string>] => [c, { 'cnpg.io/poolerName': c.metadata?.name }]),
  ];
  for (const [owner, labels] of owners) {
    if (ingressPolicies(ctx, owner, labels).length === 0) {
      ctx.add({ check: 'network-policy', origin: 'KS', object: owner, message: `no NetworkPolicy with ingress rules selects the pods the operator creates (${Object.entries(labels).map(([k, v]) => `${k}=${v}`).join(', ')}); every pod in the cluster can connect` });
    }
  }
}

function checkNetworkPolicy(ctx: VerifyContext, pod: PodTemplate): void {
  const selecting = ingressPolicies(ctx, pod.owner, podLabels(pod));
  if (selecting.length === 0) {
    ctx.add({ check: 'network-policy', origin: 'KS', object: pod.owner, message: 'no NetworkPolicy with ingress rules selects the database pods; every pod in the cluster can connect' });
    return;
  }
  const ports = new Set<string | number>();
  for (const c of containersOf(pod.spec)) {
    const d = declaredPorts(c);
    d.numbers.forEach(n => ports.add(n));
    d.names.forEach(n => ports.add(n));
  }
  for (const policy of selecting) {
    list(policy.spec?.ingress).forEach((rule: any, i: number) => {
      if (list(rule?.ports).length === 0) {
        ctx.add({ check: 'network-policy', origin: 'KL', object: policy, message: `ingress rule ${i} opens every port; list the client or peer ports` });
      } else {
        for (const p of list(rule.ports)) {
          if (p?.port !== undefined && !ports.has(p.port)) {
            ctx.add({ check: 'network-policy', origin: 'KL', object: policy, message: `ingress rule ${i} opens port ${p.port}, which ${objName(pod.owner)} does not declare` });
          }
        }
      }
      if (list(rule?.from).length === 0) {
        ctx.add({ check: 'network-policy', origin: 'KL', object: policy, severity: 'warning', message: `ingress rule ${i} admits every source; list the clients with allowFrom` });
      }
    });
  }
}

function objName(obj: any): string {
  return `${obj.kind}/${obj.metadata?.name}`;
}

function checkRetention(ctx: VerifyContext, pod: PodTemplate): void {
  const policy = pod.owner.spec?.persistentVolumeClaimRetentionPolicy;
  if (policy?.whenDeleted !== 'Retain' || policy?.whenScaled !== 'Retain') {
    ctx.add({ check: 'pvc-retention', origin: 'DB', object: pod.owner, message: `persistentVolumeClaimRetentionPolicy must set whenDeleted: Retain and whenScaled: Retain explicitly (got ${JSON.stringify(policy ?? null)})` });
  }
}

function checkHeadless(ctx: VerifyContext, pod: PodTemplate): void {
  const name = pod.owner.spec?.serviceName;
  if (!name) {
    ctx.add({ check: 'headless-service', origin: 'KS', object: pod.owner, message: 'StatefulSet has no serviceName; pods get no stable DNS names' });
    return;
  }
  const svc = ctx.ofKindInNamespaceOf('Service', pod.owner).find(s => s.metadata?.name === name);
  if (!svc) {
    ctx.add({ check: 'headless-service', origin: 'KS', object: pod.owner, message: `serviceName "${name}" is not a Service in the verified set` });
  } else if (svc.spec?.clusterIP !== 'None') {
    ctx.add({ check: 'headless-service', origin: 'KS', object: pod.owner, message: `Service "${name}" is not headless (clusterIP: None)` });
  } else if (!svc.spec?.selector || !selectorMatches({ matchLabels: svc.spec.selector }, podLabels(pod))) {
    ctx.add({ check: 'headless-service', origin: 'KS', object: pod.owner, message: `headless Service "${name}" does not select the StatefulSet's pods` });
  }
}

function checkService(ctx: VerifyContext, svc: any): void {
  const selector = svc.spec?.selector;
  if (!selector || Object.keys(selector).length === 0 || svc.spec?.type === 'ExternalName') return;
  const selected = ctx.podsSelectedBy(svc, { matchLabels: selector });
  if (selected.length === 0) {
    if (selectsOperatorPods(ctx, svc, selector)) return;
    ctx.add({ check: 'headless-service', origin: 'KL', object: svc, message: `selector ${JSON.stringify(selector)} matches no pod template in the verified set` });
    return;
  }
  if ((svc.spec?.type === 'NodePort' || svc.spec?.type === 'LoadBalancer') && selected.some(p => p.database)) {
    ctx.add({ check: 'headless-service', origin: 'KS', object: svc, message: `database exposed outside the cluster as ${svc.spec.type}` });
  }
  for (const port of list(svc.spec?.ports)) {
    const target = port?.targetPort ?? port?.port;
    const served = selected.some(p => containersOf(p.spec).some((c: any) => {
      const d = declaredPorts(c);
      return typeof target === 'number' ? d.numbers.has(target) : d.names.has(target);
    }));
    if (!served) {
      ctx.add({ check: 'probe-ports', origin: 'KL', object: svc, message: `port ${port?.port} targets ${JSON.stringify(target)}, which no selected container declares` });
    }
  }
}

/** A PDB or NetworkPolicy whose selector matches no pod in the set protects nothing (warning). */
function warnIfSelectsNothing(ctx: VerifyContext, obj: any, selector: any, check: string): void {
  if (!selector) return;
  if (ctx.podsSelectedBy(obj, selector).length > 0) return;
  if (!selector.matchExpressions && selectsOperatorPods(ctx, obj, map(selector.matchLabels))) return;
  ctx.add({ check, origin: 'KL', object: obj, severity: 'warning', message: `selector ${JSON.stringify(selector)} matches no pod template in the verified set` });
}

/** Selectors of pods that an operator creates from a resource in the set (CloudNativePG). */
function selectsOperatorPods(ctx: VerifyContext, svc: any, selector: Record<string, string>): boolean {
  const cluster = selector['cnpg.io/cluster'];
  if (cluster !== undefined) {
    return ctx.ofKind('Cluster').some(c => typeof c.apiVersion === 'string' && c.apiVersion.startsWith('postgresql.cnpg.io/') && c.metadata?.name === cluster && sameNamespace(c, svc));
  }
  const pooler = selector['cnpg.io/poolerName'];
  if (pooler !== undefined) {
    return ctx.ofKind('Pooler').some(c => c.metadata?.name === pooler && sameNamespace(c, svc));
  }
  return false;
}

function checkClaims(ctx: VerifyContext, pod: PodTemplate, pvcs: any[]): void {
  const { owner, spec } = pod;
  const emptyDirs = new Set(list(spec.volumes).filter((v: any) => v?.emptyDir).map((v: any) => v.name));
  for (const c of containersOf(spec)) {
    for (const m of list(c?.volumeMounts)) {
      if (emptyDirs.has(m?.name) && DATA_PATHS.some(p => m.mountPath === p || (typeof m.mountPath === 'string' && m.mountPath.startsWith(`${p}/`)))) {
        ctx.add({ check: 'claim-templates', origin: 'DB', object: owner, container: c.name, message: `data path ${m.mountPath} is on emptyDir "${m.name}"; data is lost when the pod goes` });
      }
    }
  }
  const templates: any[] = owner.kind === 'StatefulSet' ? list(owner.spec?.volumeClaimTemplates) : [];
  const claimVolumes = list(spec.volumes).filter((v: any) => v?.persistentVolumeClaim);
  if (owner.kind === 'StatefulSet' && templates.length === 0) {
    ctx.add({ check: 'claim-templates', origin: 'DB', object: owner, message: 'StatefulSet has no volumeClaimTemplates; each replica needs its own PersistentVolumeClaim' });
  } else if (owner.kind !== 'StatefulSet' && claimVolumes.length === 0) {
    ctx.add({ check: 'claim-templates', origin: 'DB', object: owner, message: 'database workload mounts no PersistentVolumeClaim' });
  }
  for (const t of templates) checkClaimSpec(ctx, owner, t?.spec, `volumeClaimTemplate "${t?.metadata?.name}"`);
  for (const v of claimVolumes) {
    const claim = pvcs.find(p => p.metadata?.name === v.persistentVolumeClaim.claimName && sameNamespace(p, owner));
    if (claim) checkClaimSpec(ctx, claim, claim.spec, 'PersistentVolumeClaim');
  }
  const main = containersOf(spec);
  const dataVolumes = dataVolumeNames(pod);
  if (dataVolumes.size > 0 && !main.some((c: any) => isDataContainer(c, dataVolumes, main) && list(c.volumeMounts).some((m: any) => dataVolumes.has(m?.name)))) {
    ctx.add({ check: 'claim-templates', origin: 'DB', object: owner, message: 'no container mounts the data volume' });
  }
  checkSingleWriter(ctx, pod, claimVolumes, pvcs);
}

function checkClaimSpec(ctx: VerifyContext, obj: any, spec: any, what: string): void {
  const storage = spec?.resources?.requests?.storage;
  if (storage === undefined || !((typeof storage === 'number' ? storage : parseQuantity(storage) ?? 0) > 0)) {
    ctx.add({ check: 'claim-templates', origin: 'DB', object: obj, message: `${what} has no positive storage request (resources.requests.storage)` });
  }
  if (!spec?.accessModes || spec.accessModes.length === 0) {
    ctx.add({ check: 'claim-templates', origin: 'DB', object: obj, message: `${what} has no accessModes` });
  }
}

function checkSingleWriter(ctx: VerifyContext, pod: PodTemplate, claimVolumes: any[], pvcs: any[]): void {
  if (claimVolumes.length === 0) return;
  const rwo = claimVolumes.some((v: any) => {
    const claim = pvcs.find(p => p.metadata?.name === v.persistentVolumeClaim.claimName && sameNamespace(p, pod.owner));
    const modes: string[] = claim?.spec?.accessModes ?? ['ReadWriteOnce'];
    return !modes.includes('ReadWriteMany');
  });
  if (!rwo) return;
  const { owner } = pod;
  if (pod.replicas > 1) {
    ctx.add({ check: 'single-writer', origin: 'DB', object: owner, message: `${pod.replicas} replicas share one ReadWriteOnce claim; run one replica` });
  }
  if (owner.kind === 'Deployment' && owner.spec?.strategy?.type !== 'Recreate') {
    ctx.add({ check: 'single-writer', origin: 'DB', object: owner, message: 'a Deployment on a ReadWriteOnce volume needs strategy.type Recreate, or a rollout runs two database pods on one volume' });
  }
  if (owner.kind === 'DaemonSet' || owner.kind === 'ReplicaSet') {
    ctx.add({ check: 'single-writer', origin: 'DB', object: owner, message: `a ${owner.kind} cannot guarantee a single writer on a ReadWriteOnce volume` });
  }
}

function checkGrace(ctx: VerifyContext, pod: PodTemplate): void {
  const grace = pod.spec.terminationGracePeriodSeconds;
  const min = isCassandra(pod) ? MIN_GRACE_SECONDS_CASSANDRA : MIN_GRACE_SECONDS;
  if (typeof grace !== 'number') {
    ctx.add({ check: 'grace-period', origin: 'DB', object: pod.owner, message: `terminationGracePeriodSeconds is not set; set at least ${min}s so the database drains and flushes` });
  } else if (grace < min) {
    ctx.add({ check: 'grace-period', origin: 'DB', object: pod.owner, message: `terminationGracePeriodSeconds ${grace} is shorter than the ${min}s the database needs to drain and flush` });
  }
}
