import { Acknowledgement, CompareOptions, SafetyFinding, SafetyReport } from './types';
import { Manifest, displayName, holdsData, objectKey } from './identity';
import { matchManifests } from './matching';
import { kubernetesObjects } from './documents';
import { AcknowledgementUse, acknowledgedIds, annotationOwner, findAcknowledgement } from './acknowledge';
import { RawFinding, RuleGroup } from './rule';
import { ACKNOWLEDGE_ANNOTATION } from '../core/annotations';
import { removalRules } from './rules-removal';
import { storageRules } from './rules-storage';
import { workloadRules } from './rules-workload';
import { postgresRules } from './rules-postgres';
import { versionRules } from './rules-version';
import { schemaRules } from './rules-schema';
import { duplicateRules } from './rules-duplicates';

/** Every rule group, in report order. */
export const RULE_GROUPS: readonly RuleGroup[] = [duplicateRules, removalRules, storageRules, workloadRules, postgresRules, versionRules, schemaRules];

/**
 * Compares two rendered manifest sets (base: what is deployed or merged; head: the change) and
 * reports each change that would lose data, cause an outage or be rejected by the API server.
 */
export function compareManifests(base: readonly any[], head: readonly any[], options: CompareOptions = {}): SafetyReport {
  const ctx = matchManifests(objectsOf(base, 'base'), objectsOf(head, 'head'));
  const external = options.acknowledgements ?? [];
  const acceptBase = options.acceptBaseAcknowledgements ?? true;
  const findings: SafetyFinding[] = [];
  const seen = new Set<string>();
  const used: AcknowledgementUse = { entries: new Set<Acknowledgement>(), annotations: new Set<string>() };
  for (const group of RULE_GROUPS) {
    for (const raw of group(ctx)) {
      const dedupe = `${raw.id}|${objectKey(raw.obj)}|${raw.change}`;
      if (seen.has(dedupe)) continue;
      seen.add(dedupe);
      // Notes are looked up too, so that an acknowledgement of a note does not count as stale.
      const found = findAcknowledgement(raw, external, acceptBase, used);
      const by = raw.severity === 'blocking' ? found : undefined;
      findings.push({
        id: raw.id,
        severity: by ? 'note' : raw.severity,
        ruleSeverity: raw.severity,
        object: displayName(raw.obj),
        key: objectKey(raw.obj),
        change: raw.change,
        why: raw.why,
        safely: raw.safely,
        acknowledged: by !== undefined,
        howToAcknowledge: howToAcknowledge(raw),
        ...(by ? { acknowledgedBy: by } : {}),
      });
    }
  }
  const rank = (f: SafetyFinding): number => (f.severity === 'blocking' ? 0 : f.acknowledged ? 1 : 2);
  findings.sort((a, b) => rank(a) - rank(b) || a.key.localeCompare(b.key) || a.id.localeCompare(b.id) || a.change.localeCompare(b.change));
  const blocking = findings.filter(f => f.severity === 'blocking');
  return {
    findings,
    blocking,
    notes: findings.filter(f => f.severity === 'note'),
    acknowledged: findings.filter(f => f.acknowledged),
    baseObjects: ctx.base.objects.length,
    headObjects: ctx.head.objects.length,
    unusedAcknowledgements: external.filter(a => !used.entries.has(a)),
    unusedAnnotations: unusedAnnotations(ctx.head.objects, used),
    ok: blocking.length === 0,
  };
}

/** Acknowledgement annotations in the head manifests that accepted nothing in this change. */
function unusedAnnotations(head: readonly Manifest[], used: AcknowledgementUse): Acknowledgement[] {
  const out: Acknowledgement[] = [];
  const reported = new Set<string>();
  for (const obj of head) {
    for (const id of acknowledgedIds(obj)) {
      const owner = annotationOwner(obj, id);
      if (used.annotations.has(owner) || reported.has(owner)) continue;
      reported.add(owner);
      out.push({ finding: id, object: patternOf(obj) });
    }
  }
  return out;
}

/** Tells the user where an acknowledgement of this finding is read from. */
function howToAcknowledge(raw: RawFinding): string {
  const heads = raw.ackOn.filter(s => s.side === 'head');
  const head = heads.find(s => holdsData(s.obj)) ?? heads[0];
  const fileEntry = `or list { finding: ${raw.id}, object: ${patternOf(raw.obj)} } in safety-acknowledgements.yaml`;
  if (head) {
    return `add "${raw.id}" to the construct's \`acknowledge\` prop (annotation ${ACKNOWLEDGE_ANNOTATION} on ${displayName(head.obj)}), ${fileEntry}`;
  }
  return `list { finding: ${raw.id}, object: ${patternOf(raw.obj)} } in safety-acknowledgements.yaml, or merge the annotation ${ACKNOWLEDGE_ANNOTATION}: ${raw.id} on the object in an earlier change`;
}

/** `Kind/namespace/name` (or `Kind/name`), the object pattern of an acknowledgement. */
export function patternOf(obj: Manifest): string {
  const ns = obj.metadata?.namespace;
  return `${obj.kind}/${ns ? `${ns}/` : ''}${obj.metadata?.name}`;
}

/**
 * Checks that every value is a Kubernetes object and expands `kind: List`; empty documents (null)
 * are skipped, as kubectl skips them.
 */
function objectsOf(values: readonly unknown[], side: string): Manifest[] {
  return values.flatMap((v, i) => (v === null || v === undefined ? [] : kubernetesObjects(v, `${side} object ${i + 1}`)));
}
