/**
 * Object identity and indexing: objects are matched between base and head by the group of
 * their apiVersion, their kind, namespace and name (the version is left out, so moving from
 * `v1beta1` to `v1` is the same object).
 */

/** A manifest object, as parsed from YAML. */
export type Manifest = Record<string, any>;

/** Group of an apiVersion (`apps/v1` gives `apps`, `v1` gives the core group ''). */
export function apiGroup(apiVersion: unknown): string {
  if (typeof apiVersion !== 'string') return '';
  const slash = apiVersion.indexOf('/');
  return slash < 0 ? '' : apiVersion.slice(0, slash);
}

/** `group/Kind` (core kinds have an empty group: `/Service`). */
export function groupKind(obj: Manifest): string {
  return `${apiGroup(obj.apiVersion)}/${obj.kind}`;
}

/** Identity key: `group/Kind/namespace/name`. */
export function objectKey(obj: Manifest): string {
  return `${groupKind(obj)}/${obj.metadata?.namespace ?? ''}/${obj.metadata?.name ?? ''}`;
}

/** Human-readable identity: `Kind namespace/name`. */
export function displayName(obj: Manifest): string {
  const ns = obj.metadata?.namespace;
  return `${obj.kind} ${ns ? `${ns}/` : ''}${obj.metadata?.name ?? '(unnamed)'}`;
}

export function labelsOf(obj: Manifest | undefined): Record<string, string> {
  return (obj?.metadata?.labels ?? {}) as Record<string, string>;
}

export function annotationsOf(obj: Manifest | undefined): Record<string, string> {
  return (obj?.metadata?.annotations ?? {}) as Record<string, string>;
}

/** Is this object of the given kind (and group, when given)? */
export function isKind(obj: Manifest | undefined, kind: string, group?: string): boolean {
  return !!obj && obj.kind === kind && (group === undefined || apiGroup(obj.apiVersion) === group);
}

export const CNPG_GROUP = 'postgresql.cnpg.io';
/** OpenKruise: its Advanced StatefulSet (`apps.kruise.io` StatefulSet) keeps the StatefulSet's guarantees and risks. */
export const KRUISE_GROUP = 'apps.kruise.io';

/** A StatefulSet: the built-in one (`apps`) or OpenKruise's Advanced StatefulSet, judged the same way. */
export function isStatefulSet(obj: Manifest | undefined): boolean {
  return isKind(obj, 'StatefulSet', 'apps') || isKind(obj, 'StatefulSet', KRUISE_GROUP);
}

/**
 * The ordinals of the pods a StatefulSet runs: the first `replicas` ordinals that are not
 * reserved (an Advanced StatefulSet's `reserveOrdinals`, integers or "a-b" ranges, skips them).
 */
export function activeOrdinals(obj: Manifest): number[] {
  const reserved = new Set<number>();
  for (const r of (Array.isArray(obj.spec?.reserveOrdinals) ? obj.spec.reserveOrdinals : []) as unknown[]) {
    if (typeof r === 'number' && Number.isInteger(r)) reserved.add(r);
    const range = typeof r === 'string' ? /^(\d+)(?:-(\d+))?$/.exec(r.trim()) : null;
    if (range) for (let i = Number(range[1]); i <= Number(range[2] ?? range[1]) && i - Number(range[1]) < 100000; i++) reserved.add(i);
  }
  const replicas = typeof obj.spec?.replicas === 'number' ? obj.spec.replicas : 1;
  const out: number[] = [];
  for (let i = 0; out.length < replicas && i < replicas + reserved.size; i++) if (!reserved.has(i)) out.push(i);
  return out;
}
export const BARMAN_GROUP = 'barmancloud.cnpg.io';
export const ATLAS_GROUP = 'db.atlasgo.io';

/** Pod template of a workload (Deployment, StatefulSet, DaemonSet, Job, CronJob), if any. */
export function podTemplate(obj: Manifest): Manifest | undefined {
  if (obj.kind === 'CronJob') return obj.spec?.jobTemplate?.spec?.template;
  return obj.spec?.template;
}

/** Containers (init containers included) of a workload's pod template. */
export function containersOf(obj: Manifest): Manifest[] {
  const spec = podTemplate(obj)?.spec;
  if (!spec) return [];
  return [...(spec.initContainers ?? []), ...(spec.containers ?? [])];
}

/** Does the workload's pod template mount a PersistentVolumeClaim? */
export function mountsClaim(obj: Manifest): boolean {
  const volumes: Manifest[] = podTemplate(obj)?.spec?.volumes ?? [];
  return volumes.some(v => v.persistentVolumeClaim !== undefined);
}

/**
 * Objects whose loss loses data: StatefulSets with volume claim templates, PVCs, CloudNativePG
 * Clusters, Barman Cloud ObjectStores and Deployments that mount a PVC. (Services clients use are
 * judged with the whole manifest set: see `isClientService`.)
 */
export function holdsData(obj: Manifest): boolean {
  if (isStatefulSet(obj)) return (obj.spec?.volumeClaimTemplates ?? []).length > 0;
  if (isKind(obj, 'PersistentVolumeClaim', '')) return true;
  if (isKind(obj, 'Cluster', CNPG_GROUP)) return true;
  if (isKind(obj, 'ObjectStore', BARMAN_GROUP)) return true;
  if (isKind(obj, 'Deployment', 'apps')) return mountsClaim(obj);
  return false;
}

/** Labels the pods of a data-bearing object carry (for selector matching). */
export function podLabelsOf(obj: Manifest): Record<string, string> | undefined {
  // The labels CloudNativePG puts on every instance pod of a cluster.
  if (isKind(obj, 'Cluster', CNPG_GROUP)) return { 'cnpg.io/cluster': obj.metadata?.name, 'cnpg.io/podRole': 'instance' };
  const tpl = podTemplate(obj);
  return tpl ? (tpl.metadata?.labels ?? {}) : undefined;
}

/** Does a label selector (matchLabels / matchExpressions, or a Service's plain map) match labels? */
export function selectorMatches(selector: Manifest | undefined, labels: Record<string, string>, plainMap = false): boolean {
  if (!selector) return false;
  const matchLabels: Record<string, string> = plainMap ? selector : (selector.matchLabels ?? {});
  const exprs: Manifest[] = plainMap ? [] : (selector.matchExpressions ?? []);
  if (Object.keys(matchLabels).length === 0 && exprs.length === 0) return !plainMap; // {} selects all pods
  for (const [k, v] of Object.entries(matchLabels)) if (labels[k] !== v) return false;
  for (const e of exprs) {
    const has = Object.prototype.hasOwnProperty.call(labels, e.key);
    const values: string[] = e.values ?? [];
    if (e.operator === 'In' && !(has && values.includes(labels[e.key]))) return false;
    if (e.operator === 'NotIn' && has && values.includes(labels[e.key])) return false;
    if (e.operator === 'Exists' && !has) return false;
    if (e.operator === 'DoesNotExist' && has) return false;
  }
  return true;
}

/** An index of a manifest set by identity key, with helpers to find related objects. */
export class ManifestIndex {
  /** The last copy of each object (the one `kubectl apply` leaves in place). */
  public readonly byKey = new Map<string, Manifest>();
  /** Every copy of each object, in file order: `kubectl apply` applies each of them in turn. */
  public readonly copies = new Map<string, Manifest[]>();
  public readonly objects: readonly Manifest[];

  constructor(objects: readonly Manifest[]) {
    this.objects = objects.filter(o => o && typeof o === 'object' && typeof o.kind === 'string');
    for (const o of this.objects) {
      const key = objectKey(o);
      this.byKey.set(key, o);
      const list = this.copies.get(key);
      if (list) list.push(o); else this.copies.set(key, [o]);
    }
  }

  /** Objects that appear more than once, each as the list of its copies. */
  duplicates(): Manifest[][] {
    return [...this.copies.values()].filter(list => list.length > 1);
  }

  get(key: string): Manifest | undefined {
    return this.byKey.get(key);
  }

  /** Data-bearing objects in a namespace whose pods a selector picks. */
  selectedDataObjects(namespace: string | undefined, selector: Manifest | undefined, plainMap = false): Manifest[] {
    return this.objects.filter(o => {
      if ((o.metadata?.namespace ?? '') !== (namespace ?? '') || !holdsData(o)) return false;
      const labels = podLabelsOf(o);
      return labels !== undefined && selectorMatches(selector, labels, plainMap);
    });
  }

  /** Data-bearing objects in the same namespace with the same `app.kubernetes.io/instance` label. */
  sameInstanceDataObjects(obj: Manifest): Manifest[] {
    const instance = labelsOf(obj)['app.kubernetes.io/instance'];
    if (!instance) return [];
    return this.objects.filter(o => holdsData(o)
      && (o.metadata?.namespace ?? '') === (obj.metadata?.namespace ?? '')
      && labelsOf(o)['app.kubernetes.io/instance'] === instance);
  }
}

/**
 * A Service that clients use to reach a data-bearing workload: it selects the pods of a
 * StatefulSet or Deployment that holds data (headless governing Services included: the pods'
 * DNS names hang off them).
 */
export function isClientService(obj: Manifest, index: ManifestIndex): boolean {
  if (!isKind(obj, 'Service', '')) return false;
  if (obj.spec?.type === 'ExternalName') return false;
  return index.selectedDataObjects(obj.metadata?.namespace, obj.spec?.selector, true).length > 0;
}

/**
 * The "shape" of a spec: the sorted set of its key paths, values left out. Two objects rendered
 * by the same construct with different names have the same shape.
 */
export function specShape(obj: Manifest): string {
  const paths: string[] = [];
  const walk = (v: unknown, path: string): void => {
    if (Array.isArray(v)) { v.forEach(item => walk(item, `${path}[]`)); return; }
    if (v && typeof v === 'object') {
      for (const [k, child] of Object.entries(v)) walk(child, `${path}.${k}`);
      return;
    }
    paths.push(path);
  };
  walk(obj.spec, 'spec');
  return [...new Set(paths)].sort().join('\n');
}

/** Deep equality of JSON values (key order ignored). */
export function deepEqual(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (typeof a !== typeof b || a === null || b === null || typeof a !== 'object') return false;
  if (Array.isArray(a) !== Array.isArray(b)) return false;
  if (Array.isArray(a)) {
    const bb = b as unknown[];
    return a.length === bb.length && a.every((x, i) => deepEqual(x, bb[i]));
  }
  const ka = Object.keys(a as object).filter(k => (a as any)[k] !== undefined);
  const kb = Object.keys(b as object).filter(k => (b as any)[k] !== undefined);
  return ka.length === kb.length && ka.every(k => deepEqual((a as any)[k], (b as any)[k]));
}

/** Dotted paths (up to `depth` levels) at which two JSON values differ, e.g. `metadata.annotations`. */
export function differingPaths(a: unknown, b: unknown, depth = 3, prefix = ''): string[] {
  if (deepEqual(a, b)) return [];
  const isObj = (v: unknown): v is Record<string, unknown> => !!v && typeof v === 'object' && !Array.isArray(v);
  if (depth === 0 || !isObj(a) || !isObj(b)) return [prefix || '(root)'];
  const keys = [...new Set([...Object.keys(a), ...Object.keys(b)])].sort();
  return keys.flatMap(k => differingPaths(a[k], b[k], depth - 1, prefix ? `${prefix}.${k}` : k));
}
