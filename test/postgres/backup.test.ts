import { Chart, Cron, Testing } from 'cdk8s';
import { Problems } from '../../lib/core/errors';
import { PostgresVersion } from '../../lib/postgres';
import { checkRetention, toCnpgSchedule } from '../../lib/postgres/private/backup';
import { OPERATOR_MANAGED_PARAMETERS } from '../../lib/postgres/private/parameters';
import { isRfc3339 } from '../../lib/postgres/private/roles';

function problemsFor(): Problems {
  return new Problems(new Chart(Testing.app(), 'c'), 'Test');
}

describe('toCnpgSchedule', () => {
  test.each([
    [{ minute: '0', hour: '2' }, '0 0 2 * * *'],
    [{ minute: '30', hour: '1', weekDay: '0' }, '0 30 1 * * 0'],
    [{ minute: '0', hour: '*/6' }, '0 0 */6 * * *'],
    [{ minute: '15', hour: '3', day: '1' }, '0 15 3 1 * *'],
    [{ minute: '0', hour: '2', weekDay: 'MON-FRI' }, '0 0 2 * * MON-FRI'],
    [{ minute: '0' }, '0 0 * * * *'],
  ])('%j -> %s', (options, output) => {
    const problems = problemsFor();
    expect(toCnpgSchedule(problems, 'schedule', Cron.schedule(options))).toBe(output);
    expect(problems.empty).toBe(true);
  });

  test.each([
    ['every minute', Cron.everyMinute(), 'more often than once an hour'],
    ['every ten minutes', Cron.schedule({ minute: '*/10' }), 'more often than once an hour'],
    ['hour 25', Cron.schedule({ minute: '0', hour: '25' }), 'not a valid schedule'],
    ['shell in a field', Cron.schedule({ minute: '0', hour: '2', weekDay: '$(reboot)' }), 'characters'],
    ['a string', '0 2 * * *' as any, 'is not a cdk8s Cron'],
    ['a six-field string', '0 0 2 * * *' as any, 'is not a cdk8s Cron'],
  ])('%s is refused (%s)', (_name, input, message) => {
    const problems = problemsFor();
    expect(toCnpgSchedule(problems, 'schedule', input)).toBeUndefined();
    try {
      problems.throwIfAny();
      throw new Error('expected problems');
    } catch (e) {
      expect((e as Error).message).toContain(message);
    }
  });

  test('never returns five fields', () => {
    for (const cron of [Cron.daily(), Cron.weekly(), Cron.monthly(), Cron.hourly()]) {
      expect(toCnpgSchedule(problemsFor(), 's', cron)!.split(' ')).toHaveLength(6);
    }
  });
});

describe('checkRetention', () => {
  test.each(['30d', '4w', '12m', '1d', '365d'])('%s is valid', value => {
    const problems = problemsFor();
    expect(checkRetention(problems, 'r', value)).toBe(true);
  });
  test.each(['0d', '30', '30 days', '1y', '-1d', 'd', '30D', 30])('%s is refused', value => {
    const problems = problemsFor();
    expect(checkRetention(problems, 'r', value)).toBe(false);
  });
});

describe('isRfc3339', () => {
  test.each(['2026-03-01T12:00:00Z', '2026-03-01T12:00:00.123456Z', '2024-02-29T00:00:00+01:00', '2026-12-31t23:59:59-05:30'])('%s is valid', v => expect(isRfc3339(v)).toBe(true));
  test.each(['2026-03-01 12:00:00', '2026-03-01T12:00:00', '2025-02-29T00:00:00Z', '2026-13-01T00:00:00Z', '2026-03-01T24:00:00Z', 'now', 1700000000])('%s is refused', v => expect(isRfc3339(v)).toBe(false));
});

describe('PostgresVersion', () => {
  test('pinned images carry a tag starting with their major', () => {
    for (const v of [PostgresVersion.V14, PostgresVersion.V15, PostgresVersion.V16, PostgresVersion.V17, PostgresVersion.V18]) {
      expect(v.image).toMatch(new RegExp(`^ghcr\\.io/cloudnative-pg/postgresql:${v.major}\\.\\d+$`));
      const problems = problemsFor();
      v._validate(problems, 'version');
      expect(problems.empty).toBe(true);
    }
    expect(PostgresVersion.DEFAULT).toBe(PostgresVersion.V18);
  });

  test('fromImage reads the major from the tag', () => {
    expect(PostgresVersion.fromImage('ghcr.io/cloudnative-pg/postgresql:17.6-standard-trixie').major).toBe(17);
    expect(PostgresVersion.fromImage('registry:5000/pg:16.4@sha256:' + 'b'.repeat(64)).major).toBe(16);
    expect(PostgresVersion.fromImage('registry:5000/pg').major).toBeNaN();
    expect(PostgresVersion.V17.majorVersion).toBe('17');
    expect(PostgresVersion.fromImage('mirror.local/pg:17.6', '17').majorVersion).toBe('17');
    expect(PostgresVersion.fromImageCatalog(16, { name: 'pg' }).majorVersion).toBe('16');
  });
});

test('operator-managed parameters carry a reason', () => {
  expect(Object.keys(OPERATOR_MANAGED_PARAMETERS)).toEqual(expect.arrayContaining(['archive_mode', 'archive_command', 'listen_addresses', 'port', 'ssl', 'hot_standby', 'shared_preload_libraries']));
  for (const reason of Object.values(OPERATOR_MANAGED_PARAMETERS)) expect(reason).toMatch(/CloudNativePG/);
});
