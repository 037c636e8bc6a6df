import { ACKNOWLEDGE_ANNOTATION } from '../core/annotations';
import { Acknowledgement } from './types';
import { Manifest, annotationsOf, apiGroup, displayName, labelsOf, objectKey } from './identity';
import { RawFinding } from './rule';

/** Finding ids listed in an object's acknowledgement annotation (comma- or space-separated). */
export function acknowledgedIds(obj: Manifest | undefined): string[] {
  const value = annotationsOf(obj)[ACKNOWLEDGE_ANNOTATION];
  if (typeof value !== 'string') return [];
  return value.split(/[\s,]+/).map(s => s.trim()).filter(s => s.length > 0);
}

/**
 * Does an acknowledgement's object pattern name this object? Patterns: `Kind/name` (any
 * namespace) or `Kind/namespace/name`; the kind may carry its group (`Cluster.postgresql.cnpg.io`);
 * `*` matches any namespace or name.
 */
export function patternMatches(pattern: string, obj: Manifest): boolean {
  const parts = pattern.split('/');
  if (parts.length < 2 || parts.length > 3) return false;
  const [kindPart, ns, name] = parts.length === 3 ? parts : [parts[0], '*', parts[1]];
  const dot = kindPart.indexOf('.');
  const kind = dot < 0 ? kindPart : kindPart.slice(0, dot);
  const group = dot < 0 ? undefined : kindPart.slice(dot + 1);
  if (kind !== obj.kind) return false;
  if (group !== undefined && group !== apiGroup(obj.apiVersion)) return false;
  if (ns !== '*' && ns !== (obj.metadata?.namespace ?? '')) return false;
  return name === '*' || name === obj.metadata?.name;
}

/**
 * The owner of an acknowledgement annotation: a construct annotates several of its objects
 * (workload and claim), so usage is tracked per namespace and `app.kubernetes.io/instance`.
 */
export function annotationOwner(obj: Manifest, id: string): string {
  const instance = labelsOf(obj)['app.kubernetes.io/instance'];
  return `${obj.metadata?.namespace ?? ''}|${instance ? `instance=${instance}` : objectKey(obj)}|${id}`;
}

/** Which acknowledgements were used: file entries, and annotation owners (see `annotationOwner`). */
export interface AcknowledgementUse {
  readonly entries: Set<Acknowledgement>;
  readonly annotations: Set<string>;
}

/** Decides whether a raw finding is acknowledged, and by what. */
export function findAcknowledgement(raw: RawFinding, external: readonly Acknowledgement[], acceptBase: boolean, used?: AcknowledgementUse): string | undefined {
  for (const src of raw.ackOn) {
    if (src.side === 'base' && !acceptBase) continue;
    if (acknowledgedIds(src.obj).includes(raw.id)) {
      if (src.side === 'head') used?.annotations.add(annotationOwner(src.obj, raw.id));
      return `${ACKNOWLEDGE_ANNOTATION} on ${displayName(src.obj)}${src.side === 'base' ? ' (already merged before this change)' : ''}`;
    }
  }
  const candidates = [raw.obj, ...raw.ackOn.map(s => s.obj)];
  for (const ack of external) {
    if (ack.finding !== raw.id) continue;
    if (candidates.some(o => patternMatches(ack.object, o))) {
      used?.entries.add(ack);
      return `acknowledgements file: ${ack.finding} ${ack.object}${ack.reason ? ` (${ack.reason})` : ''}`;
    }
  }
  return undefined;
}

/**
 * Reads acknowledgements from parsed YAML: `{ acknowledge: [{ finding, object, reason }] }`
 * (a bare list works too). Throws with a clear message on anything else.
 */
export function parseAcknowledgements(doc: unknown, source = 'acknowledgements'): Acknowledgement[] {
  if (doc === null || doc === undefined) return [];
  const list = Array.isArray(doc) ? doc : (doc as any).acknowledge;
  if (!Array.isArray(list)) throw new Error(`${source}: expected a top-level "acknowledge:" list of { finding, object, reason }`);
  return list.map((entry: any, i: number) => {
    if (!entry || typeof entry.finding !== 'string' || typeof entry.object !== 'string') {
      throw new Error(`${source}: entry ${i + 1} needs "finding" (a finding id) and "object" (Kind/namespace/name)`);
    }
    if (entry.object.split('/').length < 2 || entry.object.split('/').length > 3) {
      throw new Error(`${source}: entry ${i + 1}: object "${entry.object}" must be Kind/name or Kind/namespace/name`);
    }
    return { finding: entry.finding, object: entry.object, reason: typeof entry.reason === 'string' ? entry.reason : undefined };
  });
}
