import { Cron } from 'cdk8s';
import { CronExpressionParser } from 'cron-parser';
import { Problems } from './errors';

const MONTH_AND_DAY_NAMES = /JAN|FEB|MAR|APR|MAY|JUN|JUL|AUG|SEP|OCT|NOV|DEC|SUN|MON|TUE|WED|THU|FRI|SAT/gi;
const FIX = 'use a cdk8s Cron with five fields, e.g. Cron.schedule({ minute: "0", hour: "3" }) for 03:00 every day';

/**
 * Validates a schedule given as a cdk8s `Cron`: five fields (minute hour day-of-month month
 * day-of-week) that a Kubernetes CronJob understands, none of the non-standard `L`, `W`, `#`
 * extensions, and one that actually fires. Returns the expression, single-spaced, when valid.
 */
export function checkSchedule(problems: Problems, field: string, schedule: unknown): string | undefined {
  if (!(schedule instanceof Cron)) {
    problems.add(field, schedule, 'is not a cdk8s Cron', FIX);
    return undefined;
  }
  const expression = schedule.expressionString;
  const fields = String(expression).trim().split(/\s+/);
  if (fields.length !== 5) {
    problems.add(field, expression, `has ${fields.length} field(s); a schedule has five`, FIX);
    return undefined;
  }
  if (fields.some(f => /[^0-9*,/-]/.test(f.replace(MONTH_AND_DAY_NAMES, '')))) {
    problems.add(field, expression, 'uses characters a CronJob schedule does not support', FIX);
    return undefined;
  }
  try {
    CronExpressionParser.parse(fields.join(' '), { tz: 'UTC' }).next();
  } catch (err) {
    problems.add(field, expression, `is not a valid schedule (${(err as Error).message})`, FIX);
    return undefined;
  }
  return fields.join(' ');
}

/**
 * The shortest and the longest gap between two runs of a five-field schedule, in seconds, over
 * about a year of runs (at most `maxRuns`), in UTC. Fewer runs are enough to catch a schedule that
 * runs too often; the longest gap needs the year.
 */
export function scheduleGapsSeconds(expression: string, maxRuns = 400): { shortest: number; longest: number } {
  // Stepping through a year of runs costs cron-parser hundreds of milliseconds for a daily schedule; the answer never changes.
  const key = `${expression}|${maxRuns}`;
  const known = GAPS.get(key);
  if (known) return known;
  const gaps = Object.freeze(computeGaps(expression, maxRuns));
  GAPS.set(key, gaps);
  return gaps;
}

const GAPS = new Map<string, Readonly<{ shortest: number; longest: number }>>();

function computeGaps(expression: string, maxRuns: number): { shortest: number; longest: number } {
  const runs = CronExpressionParser.parse(expression, { currentDate: new Date(Date.UTC(2025, 0, 1)), tz: 'UTC' });
  let previous = runs.next().getTime();
  let shortest = Infinity;
  let longest = 0;
  for (let i = 0; i < maxRuns; i++) {
    const next = runs.next().getTime();
    shortest = Math.min(shortest, next - previous);
    longest = Math.max(longest, next - previous);
    previous = next;
    if (next > Date.UTC(2026, 0, 1)) break;
  }
  return { shortest: Math.round(shortest / 1000), longest: Math.round(longest / 1000) };
}

/** Validates an IANA time zone name such as `Europe/Berlin` against the runtime's zone data. */
export function checkTimeZone(problems: Problems, field: string, zone: unknown): boolean {
  let ok = typeof zone === 'string' && /^[A-Za-z][A-Za-z0-9_+-]*(\/[A-Za-z0-9_+-]+)*$/.test(zone);
  if (ok) {
    try {
      new Intl.DateTimeFormat('en', { timeZone: zone as string });
    } catch {
      ok = false;
    }
  }
  return problems.check(ok, field, zone, 'is not an IANA time zone', 'use a name such as "Etc/UTC" or "Europe/Berlin"');
}
