import { Cron } from 'cdk8s';
import { type CronExpression, CronExpressionParser } from 'cron-parser';
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
      const parsed = CronExpressionParser.parse(expression, { tz: 'UTC' });
      // cron-parser's own walk only when the quick one finds no run: it is what names the error.
      if (utcRuns(parsed, Date.now(), FIRING_YEARS).next().done !== false) parsed.next();
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
  const key = `${maxRuns} ${expression}`;
  let kept = GAPS.get(key);
  if (kept === undefined) {
    const gaps = gapsBetweenRuns(expression, maxRuns);
    kept = { shortest: Math.round(Math.min(...gaps) / 1000), longest: Math.round(Math.max(0, ...gaps) / 1000) };
    if (GAPS.size >= KEPT) GAPS.clear();
    GAPS.set(key, kept);
  }
  return { ...kept };
}

/** Results kept per expression and run count: apps repeat a few schedules many times. */
const GAPS = new Map<string, { shortest: number; longest: number }>();

/**
 * The gaps in milliseconds between the runs from 2025-01-01 on, up to the first run in 2026 or
 * `count` gaps, whichever comes first.
 */
function gapsBetweenRuns(expression: string, count: number): number[] {
  const from = Date.UTC(2025, 0, 1);
  const parsed = CronExpressionParser.parse(expression, { currentDate: new Date(from), tz: 'UTC' });
  const runs = utcRuns(parsed, from, FIRING_YEARS);
  const gaps: number[] = [];
  let previous = nextRun(runs);
  let complete = false;
  while (gaps.length < count && !complete) {
    const next = nextRun(runs);
    gaps.push(next - previous);
    previous = next;
    complete = next > Date.UTC(2026, 0, 1);
  }
  return gaps;
}

/** Every run of a five-field schedule fires again within this many years (29 February: four). */
const FIRING_YEARS = 8;
const DAY = 86_400_000;

function nextRun(runs: Iterator<number>): number {
  const run = runs.next();
  if (run.done) throw new Error('the schedule does not fire within the years walked');
  return run.value;
}

/**
 * The runs of a parsed schedule strictly after `from` (milliseconds) in UTC, for `years`, in order.
 * The fields are the ones cron-parser expanded and the day rule is its own (a day matches when
 * month and day-of-month match, or day-of-week, or both when both are restricted); walking whole
 * days in UTC, where no clock changes, is thousands of times quicker than its next(), whose
 * general time-zone walk costs about a millisecond a run. Expressions using `L` or `#` go to
 * cron-parser's walk.
 */
export function* utcRuns(parsed: CronExpression, from: number, years: number): Generator<number> {
  const { second, minute, hour, dayOfMonth, month, dayOfWeek } = parsed.fields;
  if (dayOfMonth.hasLastChar || dayOfWeek.hasLastChar || dayOfWeek.nthDay) {
    parsed.reset(new Date(from));
    for (;;) yield parsed.next().getTime();
  }
  const times: number[] = [];
  for (const h of hour.values) for (const m of minute.values) for (const s of second.values) times.push(((h * 60 + m) * 60 + s) * 1000);
  times.sort((a, b) => a - b);
  const start = Math.floor(from / DAY) * DAY;
  const end = start + years * 366 * DAY;
  for (let day = start; day < end; day += DAY) {
    const date = new Date(day);
    if (!month.values.includes((date.getUTCMonth() + 1) as never)) continue;
    const dom = dayOfMonth.values.includes(date.getUTCDate() as never);
    const dow = dayOfWeek.values.includes(date.getUTCDay() as never);
    const matches = !dayOfMonth.isWildcard && !dayOfWeek.isWildcard ? dom || dow : (dayOfWeek.isWildcard || dow) && (dayOfMonth.isWildcard || dom);
    if (!matches) continue;
    for (const time of times) if (day + time > from) yield day + time;
  }
}

/** Validates an IANA time zone name such as `Europe/Berlin` against the runtime's zone data. */
export function checkTimeZone(problems: Problems, field: string, zone: unknown): boolean {
  let ok = typeof zone === 'string' && /^[A-Za-z][A-Za-z0-9_+-]*(\/[A-Za-z0-9_+-]+)*$/.test(zone);
  if (ok) {
    if (!ZONES.has(zone as string)) {
      if (ZONES.size >= KEPT) ZONES.clear();
      ZONES.set(zone as string, knownZone(zone as string));
    }
    ok = ZONES.get(zone as string)!;
  }
  return problems.check(ok, field, zone, 'is not an IANA time zone', 'use a name such as "Etc/UTC" or "Europe/Berlin"');
}

/** Whether the runtime's zone data knows a zone; asked once per zone (building a format is slow). */
function knownZone(zone: string): boolean {
  try {
    new Intl.DateTimeFormat('en', { timeZone: zone });
    return true;
  } catch {
    return false;
  }
}

const ZONES = new Map<string, boolean>();
