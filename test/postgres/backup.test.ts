import { Chart, Testing } from 'cdk8s';
import { Problems } from '../../lib/core/errors';
import { OPERATOR_MANAGED_PARAMETERS, PostgresVersion, checkRetention, isRfc3339, toCnpgSchedule } from '../../lib/postgres';

function problemsFor(): Problems {
  return new Problems(new Chart(Testing.app(), 'c'), 'Test');
}

describe('toCnpgSchedule', () => {
  test.each([
    ['0 2 * * *', '0 0 2 * * *'],
    ['30 1 * * 0', '0 30 1 * * 0'],
    ['0 */6 * * *', '0 0 */6 * * *'],
    ['15 3 1 * *', '0 15 3 1 * *'],
    ['0 0 3 * * *', '0 0 3 * * *'],
    ['  0 2 * * MON-FRI ', '0 0 2 * * MON-FRI'],
    ['0 * * * *', '0 0 * * * *'],
  ])('%s -> %s', (input, output) => {
    const problems = problemsFor();
    expect(toCnpgSchedule(problems, 'schedule', input)).toBe(output);
    expect(problems.empty).toBe(true);
  });

  test.each([
    ['* * * * *', 'more often than once an hour'],
    ['*/10 * * * *', 'more often than once an hour'],
    ['* 0 2 * * *', 'seconds field'],
    ['*/30 0 2 * * *', 'seconds field'],
    ['0 2 * *', 'has 4 fields'],
    ['0 0 2 * * * 2026', 'has 7 fields'],
    ['0 25 * * *', 'not a valid cron expression'],
    ['0 2 * * $(reboot)', 'characters'],
    ['', 'has 1 fields'],
  ])('%s is refused (%s)', (input, message) => {
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
    for (const expr of ['0 2 * * *', '5 4 * * 1', '0 0 1 1 *']) {
      expect(toCnpgSchedule(problemsFor(), 's', expr)!.split(' ')).toHaveLength(6);
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
      v.validate(problems, 'version');
      expect(problems.empty).toBe(true);
    }
    expect(PostgresVersion.DEFAULT).toBe(PostgresVersion.V18);
  });

  test('fromImage reads the major from the tag', () => {
    expect(PostgresVersion.fromImage('ghcr.io/cloudnative-pg/postgresql:17.6-standard-trixie').major).toBe(17);
    expect(PostgresVersion.fromImage('registry:5000/pg:16.4@sha256:' + 'b'.repeat(64)).major).toBe(16);
    expect(PostgresVersion.fromImage('registry:5000/pg').major).toBeNaN();
  });
});

test('operator-managed parameters carry a reason', () => {
  expect(Object.keys(OPERATOR_MANAGED_PARAMETERS)).toEqual(expect.arrayContaining(['archive_mode', 'archive_command', 'listen_addresses', 'port', 'ssl', 'hot_standby', 'shared_preload_libraries']));
  for (const reason of Object.values(OPERATOR_MANAGED_PARAMETERS)) expect(reason).toMatch(/CloudNativePG/);
});
