import { SafetySeverity } from './types';
import { Manifest, ManifestIndex } from './identity';

/** Where an acknowledgement for a finding may be read from. */
export interface AckSource {
  /** The object whose `data.cdk8s.io/acknowledge` annotation counts. */
  readonly obj: Manifest;
  /** `head`: the object as it will be applied; `base`: the object as already merged. */
  readonly side: 'head' | 'base';
}

/** A finding as a rule raises it, before acknowledgements are applied. */
export interface RawFinding {
  readonly id: string;
  readonly severity: SafetySeverity;
  /** The object the finding is about (head object when there is one, else the base object). */
  readonly obj: Manifest;
  readonly change: string;
  readonly why: string;
  readonly safely: string;
  /** Objects whose acknowledgement annotation can accept this finding. */
  readonly ackOn: readonly AckSource[];
}

/** A base object and its head counterpart. */
export interface Pair {
  readonly base: Manifest;
  readonly head: Manifest;
}

/** Everything a rule group needs: both sides indexed and the matching between them. */
export interface CompareContext {
  readonly base: ManifestIndex;
  readonly head: ManifestIndex;
  /** Objects with the same identity on both sides. */
  readonly pairs: readonly Pair[];
  /** Base objects with no head counterpart (moves and renames left out). */
  readonly removed: readonly Manifest[];
  /** Head objects with no base counterpart (moves and renames left out). */
  readonly added: readonly Manifest[];
  /** Data-bearing objects that moved to another namespace under the same name. */
  readonly namespaceMoves: readonly Pair[];
  /** Data-bearing objects that were renamed (same kind and namespace, new name). */
  readonly renames: readonly (Pair & { readonly evidence: string })[];
}

/** A group of rules: looks at the context and raises findings. */
export type RuleGroup = (ctx: CompareContext) => RawFinding[];

/** Acknowledgement from the head object (the usual case: the construct's `acknowledge` prop). */
export function onHead(obj: Manifest): AckSource[] {
  return [{ obj, side: 'head' }];
}

/** Reads a nested field by a dotted path (`spec.storage.size`). */
export function field(obj: Manifest | undefined, path: string): any {
  let v: any = obj;
  for (const part of path.split('.')) {
    if (v === undefined || v === null) return undefined;
    v = v[part];
  }
  return v;
}

/** Renders a value for a report line. */
export function show(v: unknown): string {
  if (v === undefined) return '(unset)';
  if (typeof v === 'string') return v;
  return JSON.stringify(v);
}
