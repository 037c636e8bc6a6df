import { CronExpressionParser } from 'cron-parser';

/**
 * The installed verify command (lib/verify/command.ts) fixes luxon's default locale to spare an
 * ICU lookup. cron-parser is luxon's only user there: its runs must not depend on the locale.
 */
describe('the verify command fixes the locale of its luxon', () => {
  const { Settings } = require('luxon');
  const saved = Settings.defaultLocale;
  afterAll(() => { Settings.defaultLocale = saved; });

  const runs = (expression: string): number[] => {
    const parsed = CronExpressionParser.parse(expression, { currentDate: new Date('2030-01-01T00:00:00Z'), tz: 'UTC' });
    return Array.from({ length: 8 }, () => parsed.next().getTime());
  };

  it('gives the same runs of six-field and five-field schedules under any locale', () => {
    const expressions = ['0 0 2 * * *', '0 30 4 * * 0', '0 0 12 * * 1-5', '0 0 0 1 * *', '0 0 3 * * 6#2', '0 0 1 L * *', '15 3 * * 1', '0 */6 * * 0,6'];
    const byLocale = ['en-US', 'de-DE', 'ar-EG', 'ja-JP'].map(locale => {
      Settings.defaultLocale = locale;
      return expressions.map(runs);
    });
    for (const other of byLocale.slice(1)) expect(other).toEqual(byLocale[0]);
    // Sanity: the first schedule runs daily at 02:00 UTC.
    expect(byLocale[0][0].slice(0, 2)).toEqual([Date.UTC(2030, 0, 1, 2), Date.UTC(2030, 0, 2, 2)]);
  });
});
