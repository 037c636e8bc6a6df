import { CronExpressionParser } from 'cron-parser';
import * as fc from 'fast-check';
import { scheduleGapsSeconds, utcRuns } from '../../lib/core/schedule';

const FROM = Date.UTC(2025, 0, 1);

/** The first `count` runs after `from` by cron-parser's own walk: the reference. */
function referenceRuns(expression: string, from: number, count: number): number[] {
  const runs = CronExpressionParser.parse(expression, { currentDate: new Date(from), tz: 'UTC' });
  return Array.from({ length: count }, () => runs.next().getTime());
}

function quickRuns(expression: string, from: number, count: number): number[] {
  const runs = utcRuns(CronExpressionParser.parse(expression, { tz: 'UTC' }), from, 300);
  return Array.from({ length: count }, () => runs.next().value as number);
}

/** scheduleGapsSeconds as it was computed before: cron-parser's walk over 2025. */
function referenceGaps(expression: string, maxRuns = 400): { shortest: number; longest: number } {
  const runs = CronExpressionParser.parse(expression, { currentDate: new Date(FROM), tz: 'UTC' });
  const gaps: number[] = [];
  let previous = runs.next().getTime();
  let complete = false;
  while (gaps.length < maxRuns && !complete) {
    const next = runs.next().getTime();
    gaps.push(next - previous);
    previous = next;
    complete = next > Date.UTC(2026, 0, 1);
  }
  return { shortest: Math.round(Math.min(...gaps) / 1000), longest: Math.round(Math.max(0, ...gaps) / 1000) };
}

describe('schedule runs walked in UTC', () => {
  const expressions = [
    '0 2 * * *', '30 3 * * 0', '*/5 * * * *', '* * * * *', '0 0 1 * *', '0 0 29 2 *', '0 0 31 * *', '15 4 1,15 * 1',
    '0 */6 * * 1-5', '0 0 * 2 7', '0 0 13 * 5', '5 4 * JAN,JUL SUN', '0 12 1-7 * 1', '*/20 1-3 */2 */3 *', '0 0 */1 * 0', '59 23 31 12 *',
  ];

  it.each(expressions)('%s: the same first runs as cron-parser', expression => {
    expect(quickRuns(expression, FROM, 60)).toEqual(referenceRuns(expression, FROM, 60));
    const now = Date.UTC(2026, 5, 17, 8, 42, 13, 250);
    expect(quickRuns(expression, now, 10)).toEqual(referenceRuns(expression, now, 10));
  });

  it.each(expressions)('%s: the same gaps over a year as cron-parser', expression => {
    expect(scheduleGapsSeconds(expression)).toEqual(referenceGaps(expression));
    expect(scheduleGapsSeconds(expression, 50)).toEqual(referenceGaps(expression, 50));
  });

  it('agrees with cron-parser on the next runs of generated schedules', () => {
    const field = (min: number, max: number) =>
      fc.oneof(
        fc.constant('*'),
        fc.integer({ min, max }).map(String),
        fc.tuple(fc.integer({ min, max }), fc.integer({ min, max })).map(([a, b]) => `${Math.min(a, b)}-${Math.max(a, b)}`),
        fc.integer({ min: 1, max: Math.max(1, max - min) }).map(step => `*/${step}`),
        fc.uniqueArray(fc.integer({ min, max }), { minLength: 2, maxLength: 4 }).map(values => values.join(',')),
      );
    const expression = fc.tuple(field(0, 59), field(0, 23), field(1, 31), field(1, 12), field(0, 7)).map(parts => parts.join(' '));
    const from = fc.integer({ min: Date.UTC(2024, 0, 1), max: Date.UTC(2027, 0, 1) });
    fc.assert(
      fc.property(expression, from, (expr, start) => {
        let reference: number[];
        try {
          reference = referenceRuns(expr, start, 3);
        } catch {
          return; // never fires (30 February): checkSchedule's fallback names that
        }
        expect(quickRuns(expr, start, 3)).toEqual(reference);
      }),
      { numRuns: 1000 },
    );
  });
});
