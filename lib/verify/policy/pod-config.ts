import { parseImage } from '../../core/image';
import { parseQuantity } from '../../core/quantity';
import { allContainers, containersOf, list, map, PodTemplate, selectorIsEmpty, selectorMatches, VerifyContext } from '../context';

/** Least time a database's startup probe must allow before liveness takes over (crash recovery, replay). */
export const MIN_STARTUP_BUDGET_SECONDS = 120;

/**
 * Pod configuration checks: service-account, resources, image-pinned, probes, probe-ports
 * (containers' own probes), unique-env, selector-match.
 */
export function checkPodConfig(ctx: VerifyContext): void {
  const accounts = ctx.ofKind('ServiceAccount');
  const bindings = [...ctx.ofKind('RoleBinding'), ...ctx.ofKind('ClusterRoleBinding')];
  for (const pod of ctx.pods) {
    checkServiceAccount(ctx, pod, accounts, bindings);
    checkSelector(ctx, pod);
    checkUniqueness(ctx, pod);
    const dataVolumes = dataVolumeNames(pod);
    const main = containersOf(pod.spec);
    for (const c of allContainers(pod.spec)) {
      const isDatabaseContainer = pod.database && main.includes(c) && isDataContainer(c, dataVolumes, main);
      checkResources(ctx, pod, c, isDatabaseContainer);
      checkImage(ctx, pod, c);
      checkProbePorts(ctx, pod, c);
      if (main.includes(c) && pod.longRunning) checkProbes(ctx, pod, c, isDatabaseContainer);
    }
  }
}

/** Names of the pod's volumes that hold data: volumeClaimTemplates and PVC volumes. */
export function dataVolumeNames(pod: PodTemplate): Set<string> {
  const names = new Set<string>();
  for (const t of pod.owner.kind === 'StatefulSet' ? list(pod.owner.spec?.volumeClaimTemplates) : []) names.add(t?.metadata?.name);
  for (const v of list(pod.spec.volumes)) if (v?.persistentVolumeClaim) names.add(v.name);
  return names;
}

/** A database pod's database container: the one mounting the data volume, else the first container. */
export function isDataContainer(c: any, dataVolumes: Set<string>, main: any[]): boolean {
  const mountsData = (x: any) => list(x.volumeMounts).some((m: any) => dataVolumes.has(m?.name));
  if (main.some(mountsData)) return mountsData(c);
  return main[0] === c;
}

function checkServiceAccount(ctx: VerifyContext, pod: PodTemplate, accounts: any[], bindings: any[]): void {
  const { owner, spec } = pod;
  const name = spec.serviceAccountName ?? spec.serviceAccount;
  if (!name || name === 'default') {
    ctx.add({ check: 'service-account', origin: 'KL', object: owner, message: 'pod uses the namespace\'s default ServiceAccount; give it a dedicated one (serviceAccountName)' });
    return;
  }
  const ns = owner.metadata?.namespace ?? '';
  const account = accounts.find(a => a.metadata?.name === name && (a.metadata?.namespace ?? '') === ns);
  if (!account) {
    ctx.add({ check: 'service-account', origin: 'KL', object: owner, message: `ServiceAccount "${name}" is not defined in the verified set` });
  }
  const bound = bindings.some(b => list(b.subjects).some((s: any) => s?.kind === 'ServiceAccount' && s.name === name && (s.namespace ?? b.metadata?.namespace ?? '') === ns));
  const automount = spec.automountServiceAccountToken ?? account?.automountServiceAccountToken;
  if (automount !== false && !bound) {
    ctx.add({ check: 'service-account', origin: 'PO', object: owner, message: 'the ServiceAccount token is mounted but the pod is not granted any API access; set automountServiceAccountToken: false on the pod spec' });
  }
}

function checkSelector(ctx: VerifyContext, pod: PodTemplate): void {
  const { owner } = pod;
  if (!['Deployment', 'StatefulSet', 'DaemonSet', 'ReplicaSet'].includes(owner.kind)) return;
  const selector = owner.spec?.selector;
  if (!selector || selectorIsEmpty(selector)) {
    ctx.add({ check: 'selector-match', origin: 'KL', object: owner, message: 'spec.selector is empty' });
  } else if (!selectorMatches(selector, pod.metadata?.labels)) {
    ctx.add({ check: 'selector-match', origin: 'KL', object: owner, message: `spec.selector ${JSON.stringify(selector)} does not match the pod template labels ${JSON.stringify(map(pod.metadata?.labels))}` });
  }
}

function checkUniqueness(ctx: VerifyContext, pod: PodTemplate): void {
  const { owner } = pod;
  const names = new Set<string>();
  for (const c of allContainers(pod.spec)) {
    if (names.has(c.name)) ctx.add({ check: 'unique-env', origin: 'KL', object: owner, container: c.name, message: `container name "${c.name}" is used twice in one pod` });
    names.add(c.name);
    const env = new Set<string>();
    for (const e of list(c.env)) {
      if (env.has(e?.name)) ctx.add({ check: 'unique-env', origin: 'KL', object: owner, container: c.name, message: `env ${e?.name} is set twice; only the last value counts` });
      env.add(e?.name);
    }
  }
}

function checkResources(ctx: VerifyContext, pod: PodTemplate, c: any, database: boolean): void {
  const { owner } = pod;
  const req = map(c.resources?.requests);
  const lim = map(c.resources?.limits);
  const missing = [
    req.cpu === undefined ? 'requests.cpu' : undefined,
    req.memory === undefined ? 'requests.memory' : undefined,
    lim.memory === undefined ? 'limits.memory' : undefined,
  ].filter(Boolean);
  if (missing.length > 0) {
    ctx.add({ check: 'resources', origin: 'KS', object: owner, container: c.name, message: `resources lack ${missing.join(', ')}` });
    return;
  }
  if (database && quantity(req.memory) !== quantity(lim.memory)) {
    ctx.add({ check: 'resources', origin: 'KS', object: owner, container: c.name, message: `database container memory request ${req.memory} differs from its limit ${lim.memory}; make them equal` });
  }
}

function quantity(value: unknown): number | undefined {
  return typeof value === 'number' ? value : parseQuantity(value);
}

function checkImage(ctx: VerifyContext, pod: PodTemplate, c: any): void {
  const { owner } = pod;
  if (typeof c.image !== 'string' || c.image === '') {
    ctx.add({ check: 'image-pinned', origin: 'KS', object: owner, container: c.name, message: 'container has no image' });
    return;
  }
  const ref = parseImage(c.image);
  if (!ref.digest && (!ref.tag || ref.tag === 'latest')) {
    ctx.add({ check: 'image-pinned', origin: 'KS', object: owner, container: c.name, message: `image ${c.image} is not pinned; give a version tag other than latest (a digest may be added)` });
  }
  if (c.imagePullPolicy === undefined) {
    ctx.add({ check: 'image-pinned', origin: 'KS', object: owner, container: c.name, message: 'imagePullPolicy is not set explicitly (IfNotPresent for pinned images)' });
  }
}

function probeBudget(p: any): number {
  return (p?.initialDelaySeconds ?? 0) + (p?.failureThreshold ?? 3) * (p?.periodSeconds ?? 10);
}

function checkProbes(ctx: VerifyContext, pod: PodTemplate, c: any, database: boolean): void {
  const { owner } = pod;
  if (!database) {
    if (!c.readinessProbe || !c.livenessProbe) {
      ctx.add({ check: 'probes', origin: 'KS', object: owner, container: c.name, severity: 'warning', message: `long-running container has no ${!c.readinessProbe ? 'readiness' : 'liveness'} probe` });
    }
    return;
  }
  const missing = ['readinessProbe', 'livenessProbe', 'startupProbe'].filter(p => !c[p]);
  if (missing.length > 0) {
    ctx.add({ check: 'probes', origin: 'KS', object: owner, container: c.name, message: `database container lacks ${missing.join(', ')}` });
    return;
  }
  if (JSON.stringify(c.readinessProbe) === JSON.stringify(c.livenessProbe)) {
    ctx.add({ check: 'probes', origin: 'KS', object: owner, container: c.name, message: 'readiness and liveness probes are identical; a failing dependency would restart the database instead of taking it out of service' });
  }
  const budget = probeBudget(c.startupProbe);
  if (budget < MIN_STARTUP_BUDGET_SECONDS) {
    ctx.add({ check: 'probes', origin: 'DB', object: owner, container: c.name, message: `startup probe allows ${budget}s before liveness takes over; allow at least ${MIN_STARTUP_BUDGET_SECONDS}s for crash recovery (failureThreshold x periodSeconds)` });
  }
}

/** Port numbers and names a container declares. */
export function declaredPorts(c: any): { numbers: Set<number>; names: Set<string> } {
  const numbers = new Set<number>();
  const names = new Set<string>();
  for (const p of list(c?.ports)) {
    if (typeof p?.containerPort === 'number') numbers.add(p.containerPort);
    if (typeof p?.name === 'string') names.add(p.name);
  }
  return { numbers, names };
}

function checkProbePorts(ctx: VerifyContext, pod: PodTemplate, c: any): void {
  const declared = declaredPorts(c);
  for (const kind of ['readinessProbe', 'livenessProbe', 'startupProbe'] as const) {
    const probe = c[kind];
    if (!probe) continue;
    const port = probe.httpGet?.port ?? probe.tcpSocket?.port ?? probe.grpc?.port;
    if (port === undefined) continue;
    const ok = typeof port === 'number' ? declared.numbers.has(port) : declared.names.has(port);
    if (!ok) {
      ctx.add({ check: 'probe-ports', origin: 'KL', object: pod.owner, container: c.name, message: `${kind} uses port ${JSON.stringify(port)}, which the container does not declare in ports` });
    }
  }
}

/** Pod templates in the set that a Service-like selector selects (same namespace). */
export function podsSelectedBy(ctx: VerifyContext, obj: any, selector: any): PodTemplate[] {
  return ctx.podsSelectedBy(obj, selector);
}
