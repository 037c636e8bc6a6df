import { KubernetesSchemas } from './schemas';

/** OpenKruise's API group. */
const KRUISE_GROUP = 'apps.kruise.io';

/** Is this an OpenKruise Advanced StatefulSet? */
export function isAdvancedStatefulSet(obj: any): boolean {
  return obj?.kind === 'StatefulSet' && typeof obj.apiVersion === 'string' && obj.apiVersion.startsWith(`${KRUISE_GROUP}/`);
}

/**
 * The Advanced StatefulSet CRD leaves its pod template and volume claim templates unvalidated
 * (`x-kubernetes-preserve-unknown-fields`), yet the controller creates core Pods and PVCs from
 * them. They are checked here as a core `apps/v1` StatefulSet's would be, strictly: the object is
 * validated as a StatefulSet holding only the shared fields, and the problems under
 * `spec.template` and `spec.volumeClaimTemplates` are returned with the versions that report them.
 */
export function advancedStatefulSetTemplateProblems(obj: any, versions: readonly KubernetesSchemas[]): Map<string, string[]> {
  const spec = obj.spec ?? {};
  const asCore = {
    apiVersion: 'apps/v1',
    kind: 'StatefulSet',
    metadata: { name: obj.metadata?.name ?? 'x' },
    spec: {
      selector: spec.selector ?? {},
      serviceName: spec.serviceName,
      template: spec.template,
      ...(spec.volumeClaimTemplates !== undefined ? { volumeClaimTemplates: spec.volumeClaimTemplates } : {}),
    },
  };
  const byMessage = new Map<string, string[]>();
  for (const v of versions) {
    for (const m of v.validate(asCore)) {
      if (!/^spec\.(template|volumeClaimTemplates)\b/.test(m)) continue;
      byMessage.set(m, [...(byMessage.get(m) ?? []), v.version]);
    }
  }
  return byMessage;
}
