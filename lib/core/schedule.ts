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
  const single = fields.join(' ');
  const error = parseError(single);
  if (error !== undefined) {
    problems.add(field, expression, `is not a valid schedule (${error})`, FIX);
    return undefined;
  }
  return single;
}

/** cron-parser's complaint about a five-field expression, if any (remembered: parsing is slow). */
function parseError(expression: string): string | undefined {
  if (!PARSED.has(expression)) {
    if (PARSED.size >= KEPT) PARSED.clear();
    try {
      CronExpressionParser.parse(expression, { tz: 'UTC' }).next();
      PARSED.set(expression, undefined);
    } catch (err) {
      PARSED.set(expression, (err as Error).message);
    }
  }
  return PARSED.get(expression);
}

/** Results kept per expression; apps use a handful of schedules, fuzzing many (hence a bound). */
const KEPT = 1000;
const PARSED = new Map<string, string | undefined>();

/**
 * The shortest and the longest gap between two runs of a five-field schedule, in seconds, over
 * about a year of runs (at most `maxRuns`), in UTC. Fewer runs are enough to catch a schedule that
 * runs too often; the longest gap needs the year.
 */
export function scheduleGapsSeconds(expression: string, maxRuns = 400): { shortest: number; longest: number } {
  const gaps = gapsBetweenRuns(expression, maxRuns).slice(0, maxRuns);
  return { shortest: Math.round(Math.min(...gaps) / 1000), longest: Math.round(Math.max(0, ...gaps) / 1000) };
}

/**
 * The gaps in milliseconds between the runs from 2025-01-01 on, up to the first run in 2026 and
 * at least `atLeast` gaps long unless the year ends first. Walking a year of runs costs tens of
 * milliseconds and apps repeat a few schedules many times, so the list is kept per expression
 * (long enough for both the fifty-run check and the year).
 */
function gapsBetweenRuns(expression: string, atLeast: number): number[] {
  const kept = GAPS.get(expression);
  if (kept && (kept.length >= atLeast || kept.complete)) return kept.gaps;
  if (GAPS.size >= KEPT) GAPS.clear();
  const wanted = Math.max(atLeast, 400);
  const runs = CronExpressionParser.parse(expression, { currentDate: new Date(Date.UTC(2025, 0, 1)), tz: 'UTC' });
  const gaps: number[] = [];
  let previous = runs.next().getTime();
  let complete = false;
  while (gaps.length < wanted && !complete) {
    const next = runs.next().getTime();
    gaps.push(next - previous);
    previous = next;
    complete = next > Date.UTC(2026, 0, 1);
  }
  GAPS.set(expression, { gaps, length: gaps.length, complete });
  return gaps;
}

const GAPS = new Map<string, { gaps: number[]; length: number; complete: boolean }>();

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
