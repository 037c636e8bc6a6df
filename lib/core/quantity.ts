import { Problems } from './errors';

const QUANTITY = /^([0-9]+(?:\.[0-9]+)?|\.[0-9]+)(Ki|Mi|Gi|Ti|Pi|Ei|m|k|M|G|T|P|E)?$/;
const FACTORS: Record<string, number> = {
  '': 1, 'm': 1e-3, 'k': 1e3, 'M': 1e6, 'G': 1e9, 'T': 1e12, 'P': 1e15, 'E': 1e18,
  'Ki': 2 ** 10, 'Mi': 2 ** 20, 'Gi': 2 ** 30, 'Ti': 2 ** 40, 'Pi': 2 ** 50, 'Ei': 2 ** 60,
};

/**
 * Parses a Kubernetes quantity (`512Mi`, `20Gi`, `500m`, `2`) into a number of base units.
 * Returns undefined for anything else, such as `10GB` or `-1Gi`.
 */
export function parseQuantity(value: unknown): number | undefined {
  if (typeof value !== 'string') return undefined;
  const match = QUANTITY.exec(value);
  if (!match) return undefined;
  return Number(match[1]) * FACTORS[match[2] ?? ''];
}

/**
 * Validates a positive quantity, at least `minimum` when given; returns its value in base units
 * when valid. `example` is shown in the fix.
 */
export function checkQuantity(problems: Problems, field: string, value: unknown, example: string,
  minimum?: { readonly size: string; readonly reason: string }): number | undefined {
  const parsed = parseQuantity(value);
  if (parsed === undefined) {
    problems.add(field, value, 'is not a Kubernetes quantity', `use a number with a unit such as "${example}" (binary units Ki, Mi, Gi, Ti; not "GB")`);
    return undefined;
  }
  if (!(parsed > 0)) {
    problems.add(field, value, 'must be greater than zero', `use a positive quantity such as "${example}"`);
    return undefined;
  }
  if (minimum && parsed < parseQuantity(minimum.size)!) {
    problems.add(field, value, `is smaller than ${minimum.size}, ${minimum.reason}`, `give at least "${minimum.size}"`);
    return undefined;
  }
  return parsed;
}

/** Validates an integer within [min, max]. */
export function checkInteger(problems: Problems, field: string, value: unknown, min: number, max = Number.MAX_SAFE_INTEGER): value is number {
  return problems.check(typeof value === 'number' && Number.isInteger(value) && value >= min && value <= max,
    field, value, `must be a whole number from ${min}${max === Number.MAX_SAFE_INTEGER ? ' up' : ` to ${max}`}`,
    `give a whole number ${max === Number.MAX_SAFE_INTEGER ? `of at least ${min}` : `between ${min} and ${max}`}`);
}
