import { Chart } from 'cdk8s';
import { IConstruct } from 'constructs';
import { Problems } from './errors';
import { isDns1123Label } from './names';

/**
 * The namespace of a construct's objects: the `namespace` prop, else the chart's. Every
 * namespaced object carries it explicitly, so `kubectl apply` never lands in the wrong one.
 */
export function resolveNamespace(scope: IConstruct, problems: Problems, explicit?: string): string {
  const namespace = explicit ?? Chart.of(scope).namespace;
  if (namespace === undefined) {
    problems.add('namespace', namespace, 'no namespace is set', 'set `namespace` on the Chart (new Chart(app, id, { namespace: "shop" })) or the construct');
    return '';
  }
  problems.check(isDns1123Label(namespace), 'namespace', namespace, 'is not a DNS-1123 label', 'use a lowercase namespace name');
  return namespace;
}
