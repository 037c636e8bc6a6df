import { Problems } from './errors';

const DNS1123_LABEL = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;
const DNS1035_LABEL = /^[a-z]([-a-z0-9]*[a-z0-9])?$/;
const DNS1123_SUBDOMAIN = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/;
const LABEL_KEY = /^([a-z0-9]([-a-z0-9.]*[a-z0-9])?\/)?[A-Za-z0-9]([-A-Za-z0-9_.]{0,61}[A-Za-z0-9])?$/;
const LABEL_VALUE = /^([A-Za-z0-9]([-A-Za-z0-9_.]{0,61}[A-Za-z0-9])?)?$/;
const FINDING_ID = /^[a-z0-9][a-z0-9-]{0,62}$/;

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
export function isDns1123Label(name: unknown): name is string {
  return typeof name === 'string' && name.length <= 63 && DNS1123_LABEL.test(name);
}

/** True when `name` is a DNS-1123 subdomain: the names of Secrets, ConfigMaps, StorageClasses, ... */
export function isDns1123Subdomain(name: unknown): name is string {
  return typeof name === 'string' && name.length <= 253 && DNS1123_SUBDOMAIN.test(name);
}

/**
 * Validates a reference to an existing object by name (a Secret, StorageClass, PriorityClass,
 * VolumeSnapshot, ...): a DNS-1123 subdomain. `what` names the kind in the message.
 */
export function checkObjectName(problems: Problems, field: string, name: unknown, what: string): boolean {
  return problems.check(isDns1123Subdomain(name), field, name, `is not a valid ${what} name`,
    `name an existing ${what} (lowercase letters, digits, "-" and ".", at most 253 characters)`);
}

/** True when `key` is a valid label or annotation key (`prefix/name`). */
export function isLabelKey(key: unknown): key is string {
  return typeof key === 'string' && LABEL_KEY.test(key);
}

/** True when `value` is a valid label value (at most 63 characters, may be empty). */
export function isLabelValue(value: unknown): value is string {
  return typeof value === 'string' && LABEL_VALUE.test(value);
}

/**
 * Validates a map of labels (keys and values checked) or annotations (keys checked, values any
 * string).
 */
export function checkLabels(problems: Problems, field: string, map: unknown, kind: 'labels' | 'annotations' = 'labels'): boolean {
  if (map === undefined) return true;
  const ok = typeof map === 'object' && map !== null && !Array.isArray(map)
    && Object.entries(map).every(([k, v]) => isLabelKey(k) && typeof v === 'string' && (kind === 'annotations' || isLabelValue(v)));
  return problems.check(ok, field, map, `is not a map of valid ${kind}`,
    kind === 'labels' ? 'use label keys (prefix/name) and values of at most 63 letters, digits, "-", "_" or "."' : 'use annotation keys (prefix/name) and string values');
}

/** Validates the ids of acknowledged safety findings. */
export function checkFindingIds(problems: Problems, field: string, ids: unknown): void {
  if (ids === undefined) return;
  if (!problems.check(Array.isArray(ids), field, ids, 'is not a list of finding ids', 'give e.g. ["pdb"]')) return;
  (ids as unknown[]).forEach((id, i) => problems.check(typeof id === 'string' && FINDING_ID.test(id), `${field}[${i}]`, id,
    'is not a finding id', 'use the id shown in the finding, e.g. "pdb"'));
}

/** Validates that `value` is one of `allowed` (the values of an enum). */
export function checkChoice<T>(problems: Problems, field: string, value: unknown, allowed: Readonly<Record<string, T>> | readonly T[]): value is T {
  const values = Array.isArray(allowed) ? allowed : Object.values(allowed);
  return problems.check(values.includes(value as T), field, value, 'is not one of the allowed values',
    `use one of ${values.map(v => JSON.stringify(v)).join(', ')}`);
}
