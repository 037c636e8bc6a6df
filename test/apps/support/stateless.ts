import { verifyObjects } from '../../../lib/verify';
import { findObject } from '../../support/synth';

const HOSTNAME = 'kubernetes.io/hostname';
const ZONE = 'topology.kubernetes.io/zone';

/** The ingress-nginx controller's pods, as the example apps admit them. */
export const INGRESS_CONTROLLER = {
  namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': 'ingress-nginx' } },
  podSelector: { matchLabels: { 'app.kubernetes.io/name': 'ingress-nginx' } },
};

/**
 * Field-level checks of a stateless Deployment of an example app and the objects that guard it:
 * two replicas, preferred anti-affinity on the hostname and a zone spread over its own pods, a
 * PodDisruptionBudget that lets one replica go at a time, a ClusterIP Service on the named port, and
 * a NetworkPolicy admitting only `clients` on that port. The whole set verifies with zero errors
 * and zero warnings.
 */
export function expectProductionShaped(manifests: any[], name: string, port: { name: string; number: number; containerPort: number }, clients: any[]): void {
  const report = verifyObjects(manifests);
  expect(report.errors).toEqual([]);
  expect(report.warnings).toEqual([]);

  const deployment = findObject(manifests, 'Deployment', name);
  const selector = deployment.spec.selector.matchLabels;
  const pod = deployment.spec.template.spec;
  expect(deployment.spec.replicas).toBe(2);
  expect(pod.affinity.podAntiAffinity.preferredDuringSchedulingIgnoredDuringExecution).toEqual([
    { weight: 100, podAffinityTerm: { topologyKey: HOSTNAME, labelSelector: { matchLabels: selector } } },
  ]);
  expect(pod.topologySpreadConstraints).toEqual([{ maxSkew: 1, topologyKey: ZONE, whenUnsatisfiable: 'ScheduleAnyway', labelSelector: { matchLabels: selector } }]);
  const container = pod.containers[0];
  expect(container.ports).toContainEqual(expect.objectContaining({ name: port.name, containerPort: port.containerPort }));
  expect(Object.keys(container.resources.requests).sort()).toEqual(['cpu', 'ephemeral-storage', 'memory']);
  expect(Object.keys(container.resources.limits).sort()).toEqual(['cpu', 'ephemeral-storage', 'memory']);

  const pdb = findObject(manifests, 'PodDisruptionBudget', name);
  expect(pdb.spec).toEqual({ maxUnavailable: 1, selector: { matchLabels: selector } });

  const service = findObject(manifests, 'Service', name);
  expect(service.spec).toEqual({ type: 'ClusterIP', selector, ports: [{ name: port.name, port: port.number, targetPort: port.name, protocol: 'TCP' }] });

  const policy = findObject(manifests, 'NetworkPolicy', name);
  expect(policy.spec).toEqual({
    podSelector: { matchLabels: selector },
    policyTypes: ['Ingress'],
    ingress: [{ from: clients, ports: [{ port: port.name, protocol: 'TCP' }] }],
  });
  // The pods the policy selects are exactly the Deployment's.
  for (const [key, value] of Object.entries(selector)) expect(deployment.spec.template.metadata.labels[key]).toBe(value);
}
