/**
 * Annotations that keep a data-bearing object when its owner disappears from the manifests:
 * Argo CD and Flux skip it when pruning, Helm keeps it on uninstall.
 */
export const KEEP_ON_PRUNE: Readonly<Record<string, string>> = {
  'argocd.argoproj.io/sync-options': 'Prune=false,Delete=false',
  'kustomize.toolkit.fluxcd.io/prune': 'disabled',
  'helm.sh/resource-policy': 'keep',
};

/** Argo CD sync wave, for ordering the database before its migrations and clients. */
export function syncWave(wave: number): Record<string, string> {
  return { 'argocd.argoproj.io/sync-wave': String(wave) };
}

/**
 * The annotation through which a user acknowledges a data-safety finding on an object
 * (see `npm run safety`). Its value lists the finding ids accepted, comma-separated.
 */
export const ACKNOWLEDGE_ANNOTATION = 'data.cdk8s.io/acknowledge';

/** Renders the acknowledgement annotation for the given finding ids (none: no annotation). */
export function acknowledgeAnnotation(findingIds: readonly string[] | undefined): Record<string, string> {
  return findingIds && findingIds.length > 0 ? { [ACKNOWLEDGE_ANNOTATION]: [...findingIds].sort().join(',') } : {};
}
