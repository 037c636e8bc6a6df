import { Duration } from 'cdk8s';
import { Problems } from './errors';

/** Bounds and default of a Duration prop. */
export interface DurationBounds {
  /** Used when the prop is not given. */
  readonly fallback: Duration;
  readonly min: Duration;
  readonly max: Duration;
}

function wholeSeconds(value: unknown): number {
  try {
    return value instanceof Duration ? value.toSeconds() : NaN;
  } catch {
    // a fraction of a second: cdk8s refuses to convert it
    return NaN;
  }
}

/**
 * Validates a Duration prop of whole seconds within bounds and returns its seconds; the fallback's
 * seconds when the prop is absent or invalid (the problem is recorded, so nothing renders).
 */
export function checkDuration(problems: Problems, field: string, value: Duration | undefined, bounds: DurationBounds): number {
  const fallback = bounds.fallback.toSeconds();
  if (value === undefined) return fallback;
  const seconds = wholeSeconds(value);
  const min = bounds.min.toSeconds();
  const max = bounds.max.toSeconds();
  const ok = Number.isInteger(seconds) && seconds >= min && seconds <= max;
  problems.check(ok, field, value instanceof Duration ? `${seconds}s` : value,
    `must be a Duration of whole seconds from ${min}s to ${max}s`, `use e.g. Duration.seconds(${Math.max(min, Math.min(fallback, max))})`);
  return ok ? seconds : fallback;
}
