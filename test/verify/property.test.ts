import * as fc from 'fast-check';
import { verifyObjects } from '../../lib/verify';
import { cnpgSet, cronJobSet, goodSet, jobSet, mutate, rbacSet } from './fixtures';

const KINDS: Array<[string, string]> = [
  ['apps/v1', 'StatefulSet'], ['apps/v1', 'Deployment'], ['batch/v1', 'Job'], ['batch/v1', 'CronJob'], ['v1', 'Service'],
  ['v1', 'Pod'], ['policy/v1', 'PodDisruptionBudget'], ['networking.k8s.io/v1', 'NetworkPolicy'], ['v1', 'Secret'],
  ['v1', 'ConfigMap'], ['rbac.authorization.k8s.io/v1', 'Role'], ['postgresql.cnpg.io/v1', 'Cluster'],
  ['postgresql.cnpg.io/v1', 'ScheduledBackup'], ['barmancloud.cnpg.io/v1', 'ObjectStore'], ['example.com/v1', 'Widget'],
];

/** Arbitrary JSON shaped loosely like a pod-bearing object, to reach deep into the checks. */
const json = fc.letrec(tie => ({
  value: fc.oneof({ depthSize: 'small' },
    fc.constantFrom(null, true, false, 0, 1, -1, 999, '', 'ALL', 'None', 'Retain', 'RuntimeDefault', 'x:1', 'a/b'),
    fc.string(),
    fc.array(tie('value'), { maxLength: 3 }),
    fc.dictionary(fc.constantFrom('spec', 'template', 'containers', 'initContainers', 'securityContext', 'selector', 'matchLabels',
      'metadata', 'labels', 'volumes', 'ports', 'env', 'resources', 'requests', 'limits', 'replicas', 'rules', 'data', 'name',
      'podSelector', 'ingress', 'jobTemplate', 'affinity', 'volumeClaimTemplates', 'instances', 'plugins', 'schedule'), tie('value'), { maxKeys: 4, noNullPrototype: true })),
})).value;

describe('verification properties', () => {
  it('never throws on malformed objects: it reports them', () => {
    fc.assert(fc.property(fc.constantFrom(...KINDS), json, json, ([apiVersion, kind], spec, metadata) => {
      const obj = { apiVersion, kind, metadata, spec, rules: spec, data: spec };
      const report = verifyObjects([obj, { apiVersion, kind, metadata: { name: 'x', namespace: 'y' }, spec: { template: { spec } } }]);
      expect(Array.isArray(report.findings)).toBe(true);
    }), {
      numRuns: 1000,
      // Found by long runs: null containers in a StatefulSet.
      examples: [[['apps/v1', 'StatefulSet'], { containers: [null] }, ''], [['apps/v1', 'StatefulSet'], { containers: [null, []] }, []]],
    });
  });

  /** Every path into the good sets, to replace one subtree with arbitrary JSON. */
  function paths(value: unknown, prefix: Array<string | number> = []): Array<Array<string | number>> {
    if (value === null || typeof value !== 'object') return [prefix];
    const entries = Array.isArray(value) ? value.map((v, i) => [i, v] as const) : Object.entries(value);
    return [prefix, ...entries.flatMap(([k, v]) => paths(v, [...prefix, k]))];
  }
  const BASES = [goodSet, cnpgSet, jobSet, cronJobSet, rbacSet];
  const PATHS = BASES.map(b => paths(b()).filter(p => p.length > 1));

  it('never throws when any subtree of a good set is replaced with arbitrary JSON', () => {
    fc.assert(fc.property(fc.nat(BASES.length - 1).chain(i => fc.tuple(fc.constant(i), fc.constantFrom(...PATHS[i]))), json, ([i, path], replacement) => {
      const set = mutate(BASES[i](), s => {
        let at: any = s;
        for (const key of path.slice(0, -1)) at = at[key];
        at[path[path.length - 1]] = replacement;
      });
      const report = verifyObjects(set);
      expect(Array.isArray(report.findings)).toBe(true);
    }), {
      numRuns: 1000,
      // Found by long runs: two null entries in a CronJob container's env; a null StatefulSet container.
      examples: [
        [[3, [0, 'spec', 'jobTemplate', 'spec', 'template', 'spec', 'containers', 0, 'env']], ['', null]],
        [[0, [0, 'spec', 'template', 'spec', 'containers', 0]], null],
      ],
    });
  });

  /** Safety-relevant fields of the good sets: removing any one of them must give an error. */
  const REQUIRED: Array<[string, () => any[], (set: any[]) => void]> = [
    ['allowPrivilegeEscalation', goodSet, s => { delete s[0].spec.template.spec.containers[0].securityContext.allowPrivilegeEscalation; }],
    ['readOnlyRootFilesystem', goodSet, s => { delete s[0].spec.template.spec.containers[0].securityContext.readOnlyRootFilesystem; }],
    ['capabilities', goodSet, s => { delete s[0].spec.template.spec.containers[0].securityContext.capabilities; }],
    ['runAsNonRoot (both levels)', goodSet, s => { delete s[0].spec.template.spec.containers[0].securityContext.runAsNonRoot; delete s[0].spec.template.spec.securityContext.runAsNonRoot; }],
    ['seccomp (both levels)', goodSet, s => { delete s[0].spec.template.spec.containers[0].securityContext.seccompProfile; delete s[0].spec.template.spec.securityContext.seccompProfile; }],
    ['resources', goodSet, s => { delete s[0].spec.template.spec.containers[0].resources; }],
    ['imagePullPolicy', goodSet, s => { delete s[0].spec.template.spec.containers[0].imagePullPolicy; }],
    ['readinessProbe', goodSet, s => { delete s[0].spec.template.spec.containers[0].readinessProbe; }],
    ['livenessProbe', goodSet, s => { delete s[0].spec.template.spec.containers[0].livenessProbe; }],
    ['startupProbe', goodSet, s => { delete s[0].spec.template.spec.containers[0].startupProbe; }],
    ['serviceAccountName', goodSet, s => { delete s[0].spec.template.spec.serviceAccountName; }],
    ['terminationGracePeriodSeconds', goodSet, s => { delete s[0].spec.template.spec.terminationGracePeriodSeconds; }],
    ['affinity', goodSet, s => { delete s[0].spec.template.spec.affinity; }],
    ['retention policy', goodSet, s => { delete s[0].spec.persistentVolumeClaimRetentionPolicy; }],
    ['claim templates', goodSet, s => { delete s[0].spec.volumeClaimTemplates; }],
    ['serviceName', goodSet, s => { delete s[0].spec.serviceName; }],
    ['namespace', goodSet, s => { delete s[0].metadata.namespace; }],
    ['labels', goodSet, s => { delete s[0].metadata.labels; }],
    ['PDB', goodSet, s => { s.splice(3, 1); }],
    ['NetworkPolicy', goodSet, s => { s.splice(4, 1); }],
    ['ServiceAccount', goodSet, s => { s.splice(5, 1); }],
    ['cnpg imageName', cnpgSet, s => { delete s[0].spec.imageName; }],
    ['cnpg resources', cnpgSet, s => { delete s[0].spec.resources; }],
    ['cnpg schedule seconds', cnpgSet, s => { s[2].spec.schedule = '0 2 * * *'; }],
    ['job backoffLimit', jobSet, s => { delete s[0].spec.backoffLimit; }],
    ['job deadline', jobSet, s => { delete s[0].spec.activeDeadlineSeconds; }],
    ['cron concurrency', cronJobSet, s => { delete s[0].spec.concurrencyPolicy; }],
    ['role resourceNames', rbacSet, s => { delete s[0].rules[0].resourceNames; }],
  ];

  it('removing any combination of safety fields from a good set gives errors; none gives none', () => {
    fc.assert(fc.property(fc.subarray(REQUIRED, { minLength: 0, maxLength: 4 }), fc.constantFrom(goodSet, cnpgSet, jobSet, cronJobSet, rbacSet), (removals, base) => {
      const applicable = removals.filter(([, set]) => set === base);
      const set = mutate(base(), s => { for (const [, , remove] of applicable) remove(s); });
      const report = verifyObjects(set);
      if (applicable.length === 0) expect(report.errors).toEqual([]);
      else expect(report.errors.length).toBeGreaterThan(0);
    }), { numRuns: 1000 });
  });
});
