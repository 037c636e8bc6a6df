import { CronExpressionParser } from 'cron-parser';
import { Problems } from '../../core/errors';

const NAMES = /JAN|FEB|MAR|APR|MAY|JUN|JUL|AUG|SEP|OCT|NOV|DEC|SUN|MON|TUE|WED|THU|FRI|SAT/gi;

/**
 * Validates a Kubernetes CronJob schedule: exactly five fields (minute hour day-of-month month
 * day-of-week), no seconds field and none of the non-standard `L`, `W`, `#` extensions, and a
 * schedule that actually fires.
 */
export function checkCronSchedule(problems: Problems, field: string, schedule: unknown): boolean {
  const fix = 'give five fields "minute hour day-of-month month day-of-week", e.g. "0 3 * * *" for 03:00 every day';
  if (typeof schedule !== 'string') {
    return problems.check(false, field, schedule, 'is not a cron expression', fix);
  }
  const fields = schedule.trim().split(/\s+/);
  if (fields.length !== 5) {
    return problems.check(false, field, schedule, `has ${fields.length} field(s); a CronJob schedule has five`, fix);
  }
  if (fields.some(f => /[^0-9*,/-]/.test(f.replace(NAMES, '')))) {
    return problems.check(false, field, schedule, 'uses characters a CronJob schedule does not support', fix);
  }
  try {
    CronExpressionParser.parse(fields.join(' '), { tz: 'UTC' }).next();
    return true;
  } catch (err) {
    return problems.check(false, field, schedule, `is not a valid schedule (${(err as Error).message})`, fix);
  }
}

/** Validates an IANA time zone name such as `Europe/Berlin`. */
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
