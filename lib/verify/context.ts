import { ACKNOWLEDGE_ANNOTATION } from '../core/annotations';
import { CHECKS } from './checks';
import { Finding, Severity, SkippedCheck } from './types';

/**
 * Prefix of the annotation through which one object opts out of one check:
 * `skip-check.data.cdk8s.io/<check id>: <reason>` (the kube-linter convention). The reason is required.
 */
export const SKIP_CHECK_PREFIX = 'skip-check.data.cdk8s.io/';

const KNOWN_CHECKS = new Set(CHECKS.map(c => c.id));

/** A pod template found in a workload, with what the checks need to know about it. */
export interface PodTemplate {
  /** The workload (Deployment, StatefulSet, Job, CronJob, DaemonSet, ReplicaSet, Pod). */
  readonly owner: any;
  /** `metadata` of the pod (template). */
  readonly metadata: any;
  /** The pod spec. */
  readonly spec: any;
  /** Replicas the workload asks for (1 when not set; 1 for Jobs and Pods). */
  readonly replicas: number;
  /** Whether the workload is a database (see `isDatabaseWorkload`). */
  readonly database: boolean;
  /** Whether the workload runs until stopped (not a Job or CronJob). */
  readonly longRunning: boolean;
}

/** What one check needs to add a finding. */
export interface FindingInput {
  readonly check: string;
  readonly origin: string;
  readonly object: any;
  readonly message: string;
  readonly container?: string;
  readonly severity?: Severity;
}

const WORKLOAD_KINDS = new Set(['Deployment', 'StatefulSet', 'DaemonSet', 'ReplicaSet', 'Job', 'CronJob', 'Pod']);

/** `namespace/Kind/name`, or `Kind/name` without a namespace. */
export function objectRef(obj: any): string {
  const name = text(obj?.metadata?.name, '(unnamed)');
  const ns = text(obj?.metadata?.namespace, '');
  return `${ns ? `${ns}/` : ''}${text(obj?.kind, '(no kind)')}/${name}`;
}

/** A value as text for messages, whatever it is (manifests may be malformed). */
export function text(value: unknown, fallback = ''): string {
  if (value === undefined || value === null) return fallback;
  if (typeof value === 'string') return value;
  try {
    return JSON.stringify(value) ?? fallback;
  } catch {
    return fallback;
  }
}

/** The containers of one list of a pod spec that are objects (the schema check reports the rest). */
export function containersOf(spec: any, field: 'containers' | 'initContainers' = 'containers'): any[] {
  return list(spec?.[field]).filter(c => c && typeof c === 'object');
}

/** All containers of a pod spec (init and ephemeral included). */
export function allContainers(spec: any): any[] {
  return [...list(spec?.initContainers), ...list(spec?.containers), ...list(spec?.ephemeralContainers)]
    .filter(c => c && typeof c === 'object');
}

/**
 * Whether a workload is a database: labelled `app.kubernetes.io/component: database` (on the
 * object or its pod template), a StatefulSet, or a Deployment that mounts a PersistentVolumeClaim.
 */
export function isDatabaseWorkload(owner: any, template: any): boolean {
  const component = 'app.kubernetes.io/component';
  if (owner?.metadata?.labels?.[component] === 'database' || template?.metadata?.labels?.[component] === 'database') return true;
  if (owner?.kind === 'StatefulSet') return true;
  if (owner?.kind === 'Deployment') {
    return list(template?.spec?.volumes).some((v: any) => v?.persistentVolumeClaim);
  }
  return false;
}

function podTemplateOf(obj: any): { metadata: any; spec: any } | undefined {
  switch (obj?.kind) {
    case 'Pod': return { metadata: map(obj.metadata), spec: obj.spec };
    case 'CronJob': return obj.spec?.jobTemplate?.spec?.template;
    case 'Deployment': case 'StatefulSet': case 'DaemonSet': case 'ReplicaSet': case 'Job':
      return obj.spec?.template;
    default: return undefined;
  }
}

/** The set of objects under verification, with indexes the cross-object checks share. */
export class VerifyContext {
  public readonly findings: Finding[] = [];
  public readonly pods: PodTemplate[] = [];
  private readonly acknowledged = new Map<any, Set<string>>();
  private readonly optOuts = new Map<any, Map<string, { reason: string; findings: number }>>();

  constructor(
    public readonly objects: readonly any[],
    private readonly file?: string,
    private readonly files?: Map<any, string>,
    private readonly skip: ReadonlySet<string> = new Set(),
  ) {
    for (const obj of objects) this.readOptOuts(obj);
    for (const obj of objects) {
      const ack = obj?.metadata?.annotations?.[ACKNOWLEDGE_ANNOTATION];
      if (typeof ack === 'string') this.acknowledged.set(obj, new Set(ack.split(',').map(s => s.trim()).filter(Boolean)));
      if (!WORKLOAD_KINDS.has(obj?.kind) || obj.apiVersion === undefined) continue;
      const template = podTemplateOf(obj);
      if (!template || typeof template !== 'object' || !template.spec || typeof template.spec !== 'object') continue;
      const replicas = obj.kind === 'Deployment' || obj.kind === 'StatefulSet' || obj.kind === 'ReplicaSet'
        ? (typeof obj.spec?.replicas === 'number' ? obj.spec.replicas : 1)
        : obj.kind === 'DaemonSet' ? 2 : 1;
      this.pods.push({
        owner: obj,
        metadata: map(template.metadata),
        spec: template.spec,
        replicas,
        database: isDatabaseWorkload(obj, template),
        longRunning: obj.kind !== 'Job' && obj.kind !== 'CronJob',
      });
    }
  }

  private byKind?: Map<unknown, any[]>;
  private podsByNamespace?: Map<unknown, { all: PodTemplate[]; byLabel: Map<string, Map<unknown, PodTemplate[]>> }>;

  /** Objects of a kind (any apiVersion unless given), in set order. */
  public ofKind(kind: string, apiVersion?: string): any[] {
    if (!this.byKind) {
      this.byKind = new Map();
      for (const o of this.objects) {
        const k = o?.kind;
        let list = this.byKind.get(k);
        if (!list) this.byKind.set(k, list = []);
        list.push(o);
      }
    }
    const all = this.byKind.get(kind) ?? [];
    return apiVersion === undefined ? [...all] : all.filter(o => o.apiVersion === apiVersion);
  }

  private byKindAndNamespace?: Map<unknown, Map<unknown, any[]>>;

  /**
   * Objects of a kind in `obj`'s namespace, in set order: what sameNamespace would pick from
   * ofKind(kind), looked up instead of scanned (the checks ask this per pod).
   */
  public ofKindInNamespaceOf(kind: string, obj: any): any[] {
    if (!this.byKindAndNamespace) {
      this.byKindAndNamespace = new Map();
      for (const o of this.objects) {
        let byNamespace = this.byKindAndNamespace.get(o?.kind);
        if (!byNamespace) this.byKindAndNamespace.set(o?.kind, byNamespace = new Map());
        const ns = o?.metadata?.namespace ?? '';
        let list = byNamespace.get(ns);
        if (!list) byNamespace.set(ns, list = []);
        list.push(o);
      }
    }
    const ns = obj?.metadata?.namespace ?? '';
    // sameNamespace compares with ===, so a NaN namespace (`.nan` in YAML) matches nothing.
    return Number.isNaN(ns) ? [] : this.byKindAndNamespace.get(kind)?.get(ns) ?? [];
  }

  /**
   * Pod templates in `obj`'s namespace that `selector` selects, in set order. Looks pods up by
   * one of the selector's labels instead of testing every pod (the checks ask this per Service,
   * PodDisruptionBudget and NetworkPolicy).
   */
  public podsSelectedBy(obj: any, selector: any): PodTemplate[] {
    if (!this.podsByNamespace) {
      this.podsByNamespace = new Map();
      for (const pod of this.pods) {
        const ns = pod.owner?.metadata?.namespace ?? '';
        // sameNamespace compares with ===, so a NaN namespace (`.nan` in YAML) is in no namespace.
        if (Number.isNaN(ns)) continue;
        let entry = this.podsByNamespace.get(ns);
        if (!entry) this.podsByNamespace.set(ns, entry = { all: [], byLabel: new Map() });
        entry.all.push(pod);
        for (const [k, v] of Object.entries(map(pod.metadata?.labels))) {
          let values = entry.byLabel.get(k);
          if (!values) entry.byLabel.set(k, values = new Map());
          let pods = values.get(v);
          if (!pods) values.set(v, pods = []);
          pods.push(pod);
        }
      }
    }
    const ns = obj?.metadata?.namespace ?? '';
    const entry = Number.isNaN(ns) ? undefined : this.podsByNamespace.get(ns);
    if (!entry || !selector || typeof selector !== 'object') return [];
    const first = Object.entries(map(selector.matchLabels))[0];
    const candidates = first ? entry.byLabel.get(first[0])?.get(first[1]) ?? [] : entry.all;
    return candidates.filter(p => selectorMatches(selector, p.metadata?.labels));
  }

  /** Checks objects opted out of, with their reasons and how many findings each left out. */
  public get skipped(): SkippedCheck[] {
    const out: SkippedCheck[] = [];
    for (const [obj, checks] of this.optOuts) {
      const file = this.files?.get(obj) ?? this.file;
      for (const [check, { reason, findings }] of checks) {
        out.push({ check, object: objectRef(obj), reason, findings, ...(file !== undefined ? { file } : {}) });
      }
    }
    return out;
  }

  private readOptOuts(obj: any): void {
    for (const [key, value] of Object.entries(map(obj?.metadata?.annotations))) {
      if (!key.startsWith(SKIP_CHECK_PREFIX)) continue;
      const check = key.slice(SKIP_CHECK_PREFIX.length);
      const reason = typeof value === 'string' ? value.trim() : '';
      if (!KNOWN_CHECKS.has(check)) {
        this.add({ check: 'skip-annotation', origin: 'cdk8s-data', object: obj, message: `annotation ${key}: no check has the id "${check}" (see docs/checks.md for the ids)` });
      } else if (reason === '') {
        this.add({ check: 'skip-annotation', origin: 'cdk8s-data', object: obj, message: `annotation ${key} has no reason: give why this object does not need the check as the annotation's value` });
      } else {
        let checks = this.optOuts.get(obj);
        if (!checks) this.optOuts.set(obj, checks = new Map());
        checks.set(check, { reason, findings: 0 });
      }
    }
  }

  /**
   * Records a finding. Checks skipped by option are dropped; an object's skip annotation drops the
   * finding and counts it in `skipped`; errors on an object that acknowledges the check id become warnings.
   */
  public add(input: FindingInput): void {
    if (this.skip.has(input.check)) return;
    const optOut = this.optOuts.get(input.object)?.get(input.check);
    if (optOut) {
      optOut.findings++;
      return;
    }
    let severity: Severity = input.severity ?? 'error';
    let message = input.message;
    if (severity === 'error' && this.acknowledged.get(input.object)?.has(input.check)) {
      severity = 'warning';
      message = `${message} (acknowledged through ${ACKNOWLEDGE_ANNOTATION})`;
    }
    const file = this.files?.get(input.object) ?? this.file;
    this.findings.push({
      check: input.check,
      severity,
      object: objectRef(input.object),
      ...(input.container !== undefined ? { container: text(input.container) } : {}),
      origin: input.origin,
      message,
      ...(file !== undefined ? { file } : {}),
    });
  }
}

/** Whether a label selector (`matchLabels` / `matchExpressions`) selects the given labels. Empty selects all. */
export function selectorMatches(selector: any, labels: Record<string, string> | undefined): boolean {
  if (!selector || typeof selector !== 'object') return false;
  const have = map(labels);
  for (const [k, v] of Object.entries(map(selector.matchLabels))) {
    if (have[k] !== v) return false;
  }
  for (const e of list(selector.matchExpressions)) {
    const value = have[e?.key];
    const values: string[] = list(e?.values);
    switch (e?.operator) {
      case 'In': if (value === undefined || !values.includes(value)) return false; break;
      case 'NotIn': if (value !== undefined && values.includes(value)) return false; break;
      case 'Exists': if (value === undefined) return false; break;
      case 'DoesNotExist': if (value !== undefined) return false; break;
      default: return false;
    }
  }
  return true;
}

/** Whether a selector has any condition at all. */
export function selectorIsEmpty(selector: any): boolean {
  return Object.keys(map(selector?.matchLabels)).length === 0 && list(selector?.matchExpressions).length === 0;
}

/** Same namespace (both unset counts as the same). */
export function sameNamespace(a: any, b: any): boolean {
  return (a?.metadata?.namespace ?? '') === (b?.metadata?.namespace ?? '');
}

/** `value` when it is an array, else an empty array (manifests may be malformed). */
export function list(value: unknown): any[] {
  return Array.isArray(value) ? value : [];
}

/** `value` when it is a plain object, else an empty object (manifests may be malformed). */
export function map(value: unknown): Record<string, any> {
  return value !== null && typeof value === 'object' && !Array.isArray(value) ? value as Record<string, any> : {};
}
