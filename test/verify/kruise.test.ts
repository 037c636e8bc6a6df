/**
 * The Advanced StatefulSet CRD does not validate its pod template or claim templates; verify
 * checks them as a core StatefulSet's.
 */
import { verifyObjects } from '../../lib/verify';

function advanced(template: any, claims?: any[]): any {
  return {
    apiVersion: 'apps.kruise.io/v1beta1', kind: 'StatefulSet', metadata: { name: 'a', namespace: 'n' },
    spec: { replicas: 1, serviceName: 'a', selector: { matchLabels: { app: 'a' } }, template, ...(claims ? { volumeClaimTemplates: claims } : {}) },
  };
}

const schemaMessages = (obj: any): string[] => verifyObjects([obj], { schemaOnly: true }).findings.map(f => `${f.check}: ${f.message}`);
const goodTemplate = { metadata: { labels: { app: 'a' } }, spec: { containers: [{ name: 'c', image: 'x:1' }] } };
const goodClaim = { metadata: { name: 'data' }, spec: { accessModes: ['ReadWriteOnce'], resources: { requests: { storage: '1Gi' } } } };

test('a valid template and claim template give no finding', () => {
  expect(schemaMessages(advanced(goodTemplate, [goodClaim]))).toEqual([]);
});

test.each<[string, any, any[] | undefined, string]>([
  ['unknown container field', { ...goodTemplate, spec: { containers: [{ name: 'c', image: 'x:1', bogus: 1 }] } }, undefined, 'spec.template.spec.containers[0].bogus: unknown field'],
  ['wrong type in the pod spec', { ...goodTemplate, spec: { containers: [{ name: 'c', image: 'x:1', ports: [{ containerPort: 'http' }] }] } }, undefined, 'spec.template.spec.containers[0].ports[0].containerPort: must be integer'],
  ['missing container name', { ...goodTemplate, spec: { containers: [{ image: 'x:1' }] } }, undefined, 'spec.template.spec.containers[0]'],
  ['unknown claim template field', goodTemplate, [{ ...goodClaim, spec: { ...goodClaim.spec, size: '1Gi' } }], 'spec.volumeClaimTemplates[0].spec.size: unknown field'],
])('%s is a crd-schema error', (_what, template, claims, expected) => {
  const messages = schemaMessages(advanced(template, claims));
  expect(messages.some(m => m.startsWith('crd-schema: ') && m.includes(expected) && m.includes("as a core StatefulSet's"))).toBe(true);
});

test('a core StatefulSet is not checked twice', () => {
  const core = { ...advanced({ ...goodTemplate, spec: { containers: [{ name: 'c', image: 'x:1', bogus: 1 }] } }), apiVersion: 'apps/v1' };
  expect(schemaMessages(core).filter(m => m.includes("as a core StatefulSet's"))).toEqual([]);
});
