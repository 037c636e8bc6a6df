import { Problems } from './errors';

const DNS1123_LABEL = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;
const DNS1035_LABEL = /^[a-z]([-a-z0-9]*[a-z0-9])?$/;

/**
 * Longest allowed name per kind of object. StatefulSets leave room for the pod name
 * `<name>-<ordinal>` and the `controller-revision-hash` label `<name>-<10 chars>`, which must stay
 * within 63 characters; CronJobs leave room for the Job name suffix the controller adds.
 */
export const NAME_LIMITS = {
  statefulSet: 52,
  cronJob: 52,
  service: 63,
  label: 63,
  cnpgCluster: 50,
  default: 63,
} as const;

export type NameKind = keyof typeof NAME_LIMITS;

/**
 * Validates a name for an object of the given kind: a DNS-1123 label (DNS-1035 for Services)
 * within the kind's length limit. Returns true when valid.
 */
export function checkName(problems: Problems, field: string, name: unknown, kind: NameKind = 'default'): boolean {
  if (typeof name !== 'string' || name.length === 0) {
    return problems.check(false, field, name, 'a name is required', 'give a lowercase DNS-1123 name such as "orders"');
  }
  const limit = NAME_LIMITS[kind];
  const pattern = kind === 'service' ? DNS1035_LABEL : DNS1123_LABEL;
  const okPattern = problems.check(pattern.test(name), field, name,
    kind === 'service' ? 'is not a DNS-1035 label' : 'is not a DNS-1123 label',
    'use lowercase letters, digits and "-", starting with a letter and ending with a letter or digit');
  const okLength = problems.check(name.length <= limit, field, name,
    `is ${name.length} characters long; the limit for this object is ${limit}`,
    `shorten it to at most ${limit} characters`);
  return okPattern && okLength;
}

/** True when `name` is a valid DNS-1123 label (no length check beyond 63). */
export function isDns1123Label(name: string): boolean {
  return name.length <= 63 && DNS1123_LABEL.test(name);
}
