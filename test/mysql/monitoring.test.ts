import { Cron, Duration } from 'cdk8s';
import { Credentials, MySqlSingleNode, MySqlSingleNodeProps, MySqlWorkload } from '../../lib';
import { promqlErrors } from '../support/promql';
import { findObject, synthValid, testChart } from '../support/synth';

const monitoring = { exporterCredentials: Credentials.fromSecret('orders-exporter') };
const variants: Array<[string, Partial<MySqlSingleNodeProps>]> = [
  ['defaults', {}],
  ['StatefulSet', { workload: MySqlWorkload.STATEFUL_SET }],
  ['with dumps', { logicalBackup: {} }],
  ['weekly dumps, own max age, extra rule', {
    logicalBackup: { schedule: Cron.schedule({ minute: '0', hour: '3', weekDay: '0' }) },
    monitoring: { ...monitoring, backupMaxAge: Duration.days(8), extraAlertRules: [{ alert: 'OrdersSlowCheckout', expr: 'histogram_quantile(0.99, sum by (le) (rate(checkout_seconds_bucket[5m]))) > 2', summary: 'Checkout is slow' }] },
  }],
];

function rulesOf(props: Partial<MySqlSingleNodeProps>): any[] {
  const chart = testChart('shop');
  new MySqlSingleNode(chart, 'orders', { rootPassword: { secretName: 'orders-root', key: 'password' }, monitoring, ...props });
  return findObject(synthValid(chart), 'PrometheusRule').spec.groups[0].rules;
}

describe.each(variants)('MySqlSingleNode PrometheusRule (%s)', (_name, props) => {
  const rules = rulesOf(props);

  test('every expression parses as PromQL without error nodes', () => {
    expect(rules.length).toBeGreaterThanOrEqual(7);
    for (const rule of rules) {
      expect({ alert: rule.alert, errors: promqlErrors(rule.expr) }).toEqual({ alert: rule.alert, errors: [] });
    }
  });

  test('every alert has a summary, a description, a severity and a duration', () => {
    for (const rule of rules) {
      expect(rule.annotations.summary.length).toBeGreaterThan(10);
      expect(rule.annotations.description.length).toBeGreaterThan(10);
      expect(['warning', 'critical']).toContain(rule.labels.severity);
      expect(rule.for).toMatch(/^\d+m$/);
    }
    expect(new Set(rules.map(r => r.alert)).size).toBe(rules.length);
  });

  test('the exporter selectors are scoped to the namespace and the database pod', () => {
    const pod = props.workload === MySqlWorkload.STATEFUL_SET ? 'orders-0' : 'orders-[a-z0-9]+-[a-z0-9]+';
    for (const rule of rules.filter(r => r.expr.includes('mysql_'))) {
      expect(rule.expr).toContain(`namespace="shop", pod=~"${pod}"`);
    }
  });
});

describe('MySqlSingleNode alerts', () => {
  const byName = (rules: any[]) => Object.fromEntries(rules.map(r => [r.alert, r]));

  test('the alerts an on-call engineer needs, on the metric names mysqld-exporter serves', () => {
    const rules = byName(rulesOf({ logicalBackup: {} }));
    expect(Object.keys(rules).sort()).toEqual([
      'MySQLBackupFailed', 'MySQLBackupTooOld', 'MySQLConnectionsExhausted', 'MySQLConnectionsNearLimit', 'MySQLDown',
      'MySQLInnoDBBufferPoolMisses', 'MySQLInnoDBBufferPoolWaits', 'MySQLSlowQueries', 'MySQLVolumeFilling', 'MySQLVolumeFull',
    ]);
    expect(rules.MySQLDown.expr).toContain('mysql_up{');
    expect(rules.MySQLDown.labels.severity).toBe('critical');
    expect(rules.MySQLConnectionsNearLimit.expr).toMatch(/mysql_global_status_threads_connected\{.*\} \/ mysql_global_variables_max_connections\{.*\}\) \* 100 > 80$/);
    expect(rules.MySQLConnectionsExhausted.expr).toMatch(/ > 95$/);
    expect(rules.MySQLSlowQueries.expr).toContain('rate(mysql_global_status_slow_queries{');
    expect(rules.MySQLInnoDBBufferPoolMisses.expr).toContain('mysql_global_status_innodb_buffer_pool_reads{');
    expect(rules.MySQLInnoDBBufferPoolWaits.expr).toContain('mysql_global_status_innodb_buffer_pool_wait_free{');
    // Both claims: the data volume and the backup volume.
    expect(rules.MySQLVolumeFilling.expr).toContain('persistentvolumeclaim=~"orders-data|orders-backups"');
    expect(rules.MySQLVolumeFull.labels.severity).toBe('critical');
    expect(rules.MySQLBackupFailed.expr).toContain('kube_job_status_failed{namespace="shop", job_name=~"orders-backup-[0-9]+"}');
    // Daily at 03:00: a day plus two hours.
    expect(rules.MySQLBackupTooOld.expr).toBe('time() - max(kube_cronjob_status_last_successful_time{namespace="shop", cronjob="orders-backup"}) > 93600');
  });

  test('no dump alerts without dumps; the StatefulSet claim is watched', () => {
    const rules = byName(rulesOf({ workload: MySqlWorkload.STATEFUL_SET }));
    expect(rules.MySQLBackupFailed).toBeUndefined();
    expect(rules.MySQLVolumeFilling.expr).toContain('persistentvolumeclaim=~"data-orders-0"');
  });

  test('backupMaxAge overrides the schedule-derived age; alerts: false keeps only the extra rules', () => {
    expect(byName(rulesOf({ logicalBackup: {}, monitoring: { ...monitoring, backupMaxAge: Duration.hours(30) } })).MySQLBackupTooOld.expr).toMatch(/ > 108000$/);
    const only = rulesOf({ monitoring: { ...monitoring, alerts: false, extraAlertRules: [{ alert: 'Mine', expr: 'up == 0', summary: 'Something is down' }] } });
    expect(only.map(r => r.alert)).toEqual(['Mine']);
  });

  test('alertLabels go on every alert', () => {
    const rules = rulesOf({ monitoring: { ...monitoring, alertLabels: { team: 'shop' } } });
    for (const rule of rules) expect(rule.labels.team).toBe('shop');
  });

  test.each([
    [{ backupMaxAge: Duration.minutes(10) }, 'monitoring.backupMaxAge'],
  ])('bad monitoring props are refused: %j', (bad, field) => {
    const chart = testChart('shop');
    expect(() => new MySqlSingleNode(chart, 'orders', { rootPassword: { secretName: 'r', key: 'p' }, monitoring: { ...monitoring, ...bad } })).toThrow(field);
  });
});
