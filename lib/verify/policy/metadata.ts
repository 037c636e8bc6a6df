import { NAME_LIMITS } from '../../core/names';
import { containersOf, list, map, text, VerifyContext } from '../context';

const DNS1123_LABEL = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;
const DNS1035_LABEL = /^[a-z]([-a-z0-9]*[a-z0-9])?$/;
const DNS1123_SUBDOMAIN = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/;
const QUALIFIED_NAME = /^([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]$/;
const IANA_SVC_NAME = /^[a-z0-9]([a-z0-9-]*[a-z0-9])?$/;
/** The recommended labels every object and pod template carries. */
export const RECOMMENDED_LABELS = ['app.kubernetes.io/name', 'app.kubernetes.io/instance', 'app.kubernetes.io/component', 'app.kubernetes.io/part-of', 'app.kubernetes.io/managed-by'];
const SELECTOR_LABELS = ['app.kubernetes.io/name', 'app.kubernetes.io/instance', 'app.kubernetes.io/component'];
const RBAC_KINDS = new Set(['Role', 'ClusterRole', 'RoleBinding', 'ClusterRoleBinding']);

/** Why a label or annotation key is invalid, or undefined. */
export function labelKeyProblem(key: string): string | undefined {
  const slash = key.indexOf('/');
  const prefix = slash >= 0 ? key.slice(0, slash) : undefined;
  const name = slash >= 0 ? key.slice(slash + 1) : key;
  if (prefix !== undefined && (prefix.length > 253 || !DNS1123_SUBDOMAIN.test(prefix))) return 'its prefix is not a DNS-1123 subdomain';
  if (name.length === 0 || name.length > 63 || !QUALIFIED_NAME.test(name)) return 'its name part must be 1-63 alphanumerics, "-", "_" or ".", starting and ending alphanumeric';
  return undefined;
}

/** Why a label value is invalid, or undefined. */
export function labelValueProblem(value: unknown): string | undefined {
  if (typeof value !== 'string') return 'it is not a string';
  if (value === '') return undefined;
  if (value.length > 63 || !QUALIFIED_NAME.test(value)) return 'it must be at most 63 alphanumerics, "-", "_" or ".", starting and ending alphanumeric';
  return undefined;
}

/** Why an object name is invalid for its kind, or undefined. */
export function nameProblem(kind: string, apiVersion: string, name: unknown): string | undefined {
  if (typeof name !== 'string' || name === '') return 'metadata.name is missing';
  if (RBAC_KINDS.has(kind)) return /[/%]/.test(name) || name === '.' || name === '..' ? 'RBAC names cannot contain "/" or "%"' : undefined;
  const limits: Record<string, number> = {
    StatefulSet: NAME_LIMITS.statefulSet, CronJob: NAME_LIMITS.cronJob, Service: NAME_LIMITS.service,
    Namespace: 63, Job: 63, Deployment: 63, DaemonSet: 63, ReplicaSet: 63,
  };
  if (kind === 'Cluster' && apiVersion.startsWith('postgresql.cnpg.io/')) limits.Cluster = NAME_LIMITS.cnpgCluster;
  if (kind === 'Service' && !DNS1035_LABEL.test(name)) return `Service name "${name}" is not a DNS-1035 label (lowercase letters, digits, "-", starting with a letter)`;
  const limit = limits[kind];
  if (limit !== undefined) {
    if (!DNS1123_LABEL.test(name)) return `"${name}" is not a DNS-1123 label`;
    if (name.length > limit) return `"${name}" is ${name.length} characters; a ${kind} name may have at most ${limit} so derived pod, job or PVC names stay valid`;
    return undefined;
  }
  if (name.length > 253 || !DNS1123_SUBDOMAIN.test(name)) return `"${name}" is not a DNS-1123 subdomain`;
  return undefined;
}

/** names, namespace, labels: metadata checks on every object and pod template. */
export function checkMetadata(ctx: VerifyContext, isNamespaced: (obj: any) => boolean): void {
  const seen = new Set<string>();
  for (const obj of ctx.objects) {
    if (!obj || typeof obj !== 'object') continue;
    const meta = map(obj.metadata);
    const identity = `${text(obj.apiVersion).split('/').slice(0, -1).join('/')}|${text(obj.kind)}|${text(meta.namespace)}|${text(meta.name)}`;
    if (seen.has(identity)) {
      ctx.add({ check: 'names', origin: 'API', object: obj, message: 'the same kind, namespace and name is defined twice; the second apply overwrites the first' });
    }
    seen.add(identity);
    const problem = nameProblem(text(obj.kind), text(obj.apiVersion), meta.name);
    if (problem) ctx.add({ check: 'names', origin: 'API', object: obj, message: problem });
    if (meta.namespace !== undefined && (typeof meta.namespace !== 'string' || !DNS1123_LABEL.test(meta.namespace) || meta.namespace.length > 63)) {
      ctx.add({ check: 'names', origin: 'API', object: obj, message: `namespace ${JSON.stringify(meta.namespace)} is not a DNS-1123 label` });
    }
    checkLabelMap(ctx, obj, meta.labels, 'metadata.labels');
    checkKeys(ctx, obj, meta.annotations, 'metadata.annotations');
    if (isNamespaced(obj) && !meta.namespace) {
      ctx.add({ check: 'namespace', origin: 'KL', object: obj, message: 'namespaced object has no metadata.namespace; it would land in whatever namespace kubectl or the GitOps tool defaults to' });
    } else if (!isNamespaced(obj) && meta.namespace) {
      ctx.add({ check: 'namespace', origin: 'API', object: obj, message: `cluster-scoped ${obj.kind} must not set metadata.namespace` });
    }
    checkRecommended(ctx, obj, meta.labels, 'metadata.labels');
  }
  for (const pod of ctx.pods) {
    const { owner } = pod;
    checkLabelMap(ctx, owner, pod.metadata?.labels, 'pod template labels');
    checkKeys(ctx, owner, pod.metadata?.annotations, 'pod template annotations');
    if (owner.kind !== 'Pod') checkRecommended(ctx, owner, pod.metadata?.labels, 'pod template labels');
    for (const key of SELECTOR_LABELS) {
      const own = owner.metadata?.labels?.[key];
      const tpl = pod.metadata?.labels?.[key];
      if (own !== undefined && tpl !== undefined && own !== tpl) {
        ctx.add({ check: 'labels', origin: 'PO', object: owner, message: `${key} is "${own}" on the object but "${tpl}" on its pods` });
      }
    }
    const selector = owner.spec?.selector?.matchLabels;
    for (const [key, value] of Object.entries(map(selector))) {
      if (key.startsWith('app.kubernetes.io/') && owner.metadata?.labels?.[key] !== undefined && owner.metadata.labels[key] !== value) {
        ctx.add({ check: 'labels', origin: 'PO', object: owner, message: `selector ${key}=${value} disagrees with the object's label ${owner.metadata.labels[key]}` });
      }
    }
    for (const v of list(pod.spec.volumes)) {
      if (typeof v?.name === 'string' && (!DNS1123_LABEL.test(v.name) || v.name.length > 63)) {
        ctx.add({ check: 'names', origin: 'API', object: owner, message: `volume name "${v.name}" is not a DNS-1123 label` });
      }
    }
    for (const c of [...containersOf(pod.spec, 'initContainers'), ...containersOf(pod.spec)]) {
      if (typeof c?.name === 'string' && (!DNS1123_LABEL.test(c.name) || c.name.length > 63)) {
        ctx.add({ check: 'names', origin: 'API', object: owner, container: c.name, message: `container name "${c.name}" is not a DNS-1123 label` });
      }
      for (const p of list(c?.ports)) {
        if (p?.name !== undefined && !(typeof p.name === 'string' && p.name.length <= 15 && IANA_SVC_NAME.test(p.name) && /[a-z]/.test(p.name) && !p.name.includes('--'))) {
          ctx.add({ check: 'names', origin: 'API', object: owner, container: c.name, message: `port name ${JSON.stringify(p.name)} must be at most 15 lowercase letters, digits and "-", with a letter, no "--"` });
        }
      }
    }
  }
}

function checkKeys(ctx: VerifyContext, obj: any, keyed: any, where: string): void {
  for (const key of Object.keys(map(keyed))) {
    const problem = labelKeyProblem(key);
    if (problem) ctx.add({ check: 'names', origin: 'API', object: obj, message: `${where} key "${key}" is invalid: ${problem}` });
  }
}

function checkLabelMap(ctx: VerifyContext, obj: any, labels: any, where: string): void {
  checkKeys(ctx, obj, labels, where);
  for (const [key, value] of Object.entries(map(labels))) {
    const problem = labelValueProblem(value);
    if (problem) ctx.add({ check: 'names', origin: 'API', object: obj, message: `${where} value ${JSON.stringify(value)} of "${key}" is invalid: ${problem}` });
  }
}

function checkRecommended(ctx: VerifyContext, obj: any, labels: any, where: string): void {
  const missing = RECOMMENDED_LABELS.filter(l => typeof labels?.[l] !== 'string' || labels[l] === '');
  if (missing.length > 0) {
    ctx.add({ check: 'labels', origin: 'PO', object: obj, message: `${where} lack ${missing.join(', ')}` });
  }
}
