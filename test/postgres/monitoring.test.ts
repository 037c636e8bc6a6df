import { parser } from '@prometheus-io/lezer-promql';
import { Cron, Duration } from 'cdk8s';
import { ObjectStoreProvider, PostgresCluster, PostgresClusterProps } from '../../lib/postgres';
import { alertRules } from '../../lib/postgres/private/monitoring';
import { RenderedAlertRule } from '../../lib/core/monitoring';
import { findObject, synthValid, testChart } from '../support/synth';

/** Parses PromQL and returns the text around every error node (none for a valid expression). */
function promqlErrors(expr: string): string[] {
  const errors: string[] = [];
  parser.parse(expr).iterate({
    enter: node => {
      if (node.type.isError || node.name === '⚠') errors.push(`at ${node.from}: "${expr.slice(Math.max(0, node.from - 10), node.to + 10)}"`);
    },
  });
  return errors;
}

const S3 = { provider: ObjectStoreProvider.S3, destinationPath: 's3://backups/orders', s3: { inheritFromIamRole: true } };
const variants: Array<[string, Partial<PostgresClusterProps>]> = [
  ['defaults', {}],
  ['single instance', { instances: 1 }],
  ['two instances', { instances: 2 }],
  ['backups, logical backup, pooler', { instances: 5, backup: { objectStore: S3, schedule: Cron.schedule({ minute: '0', hour: '*/6' }) }, logicalBackup: { storage: { size: '5Gi' } }, pooler: { readOnly: true } }],
  ['weekly backups and custom thresholds', { backup: { objectStore: S3, schedule: Cron.schedule({ minute: '0', hour: '3', weekDay: '0' }) }, monitoring: { replicationLag: Duration.seconds(5), backupMaxAge: Duration.hours(200) } }],
  ['extra alert rules', { monitoring: { extraAlertRules: [{ alert: 'OrdersQueueLong', expr: 'sum(orders_queue_length) > 100', summary: 'The order queue is long', description: 'More than 100 orders wait; check the workers.' }] } }],
];

function rulesOf(props: Partial<PostgresClusterProps>): any[] {
  const chart = testChart('shop');
  new PostgresCluster(chart, 'orders', { storage: { size: '20Gi' }, ...props });
  return findObject(synthValid(chart), 'PrometheusRule').spec.groups[0].rules;
}

describe.each(variants)('PrometheusRule (%s)', (_name, props) => {
  const rules = rulesOf(props);

  test('every expression parses as PromQL without error nodes', () => {
    expect(rules.length).toBeGreaterThan(5);
    for (const rule of rules) {
      expect({ alert: rule.alert, errors: promqlErrors(rule.expr) }).toEqual({ alert: rule.alert, errors: [] });
    }
  });

  test('every alert has a summary, a description, a severity and a duration', () => {
    for (const rule of rules) {
      expect(rule.annotations.summary.length).toBeGreaterThan(10);
      expect(rule.annotations.description.length).toBeGreaterThan(30);
      expect(['warning', 'critical']).toContain(rule.labels.severity);
      expect(rule.for).toMatch(/^\d+m$/);
    }
    expect(new Set(rules.map(r => `${r.alert} ${r.expr}`)).size).toBe(rules.length);
  });

  test('instance selectors are scoped to the namespace and the cluster pods', () => {
    for (const rule of rules.filter(r => r.expr.includes('pod=~'))) {
      expect(rule.expr).toContain('namespace="shop", pod=~"orders-[1-9][0-9]*"');
    }
  });
});

test('the parser does flag broken PromQL (the check is not vacuous)', () => {
  expect(promqlErrors('sum(rate(x[5m])) >')).not.toEqual([]);
  expect(promqlErrors('max by (pod) (x{a="b"')).not.toEqual([]);
  expect(promqlErrors('up == 0')).toEqual([]);
});

test('backup age threshold follows the schedule or the override', () => {
  const sixHourly = rulesOf(variants[3][1]).find(r => r.alert === 'CNPGLastBackupTooOld');
  expect(sixHourly.expr).toMatch(/> 28800$/); // 6 h + 2 h
  const weekly = rulesOf(variants[4][1]).find(r => r.alert === 'CNPGLastBackupTooOld');
  expect(weekly.expr).toMatch(/> 720000$/); // 200 h
});

test('alertRules covers the on-call list', () => {
  const rules: RenderedAlertRule[] = alertRules({ cluster: 'db', namespace: 'ns', instances: 3, replicationLagSeconds: 30, backupMaxAgeSeconds: 93600, poolers: ['db-pooler-rw'], logicalBackup: { cronJob: 'db-dump', maxAgeSeconds: 93600 } });
  const names = rules.map(r => r.alert);
  expect(names).toEqual(expect.arrayContaining([
    'CNPGClusterOffline', 'CNPGClusterHACritical', 'CNPGClusterHADegraded', 'CNPGReplicationLagHigh', 'CNPGConnectionsHigh', 'CNPGConnectionsCritical',
    'CNPGDiskFilling', 'CNPGDiskAlmostFull', 'CNPGLastBackupTooOld', 'CNPGBackupFailing', 'CNPGInstancesOnSameNode', 'CNPGZoneSpreadLow',
    'CNPGLogicalBackupFailed', 'CNPGLogicalBackupTooOld', 'CNPGPoolerUnavailable',
  ]));
  for (const r of rules) expect(promqlErrors(r.expr)).toEqual([]);
  expect(rules.find(r => r.alert === 'CNPGBackupFailing')!.expr).toContain('barman_cloud_cloudnative_pg_io_last_failed_backup_timestamp');
  expect(rules.find(r => r.alert === 'CNPGConnectionsHigh')!.expr).toMatch(/\* 100 > 80$/);
  expect(rules.find(r => r.alert === 'CNPGDiskAlmostFull')!.expr).toMatch(/\* 100 > 90$/);
});
