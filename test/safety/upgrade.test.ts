import { Chart, Testing } from 'cdk8s';
import { PostgresCluster, PostgresMajorUpgrade, PostgresVersion, UpgradePhase } from '../../lib';
import { compareManifests } from '../../lib/safety';

/** The app at each step of an upgrade: before it, in each phase, and after the old cluster is removed. */
function app(step: UpgradePhase | 'before' | 'removed-old' | 'removed-old-early'): any[] {
  const chart = new Chart(Testing.app(), 'shop', { namespace: 'shop' });
  if (step === 'removed-old') {
    new PostgresCluster(chart, 'orders-pg18', { storage: { size: '30Gi' }, version: PostgresVersion.V18 });
    return Testing.synth(chart);
  }
  const old = new PostgresCluster(chart, 'orders', { storage: { size: '20Gi' }, version: PostgresVersion.V17, roles: [{ name: 'app', replication: true }] });
  if (step === 'before') return Testing.synth(chart);
  const phase = step === 'removed-old-early' ? UpgradePhase.REPLICATE : step;
  new PostgresMajorUpgrade(chart, 'upgrade', { source: old, phase, cluster: { storage: { size: '30Gi' }, version: PostgresVersion.V18 } });
  const manifests = Testing.synth(chart);
  // the old cluster (and what only it renders) deleted by hand while the subscription still reads from it
  return step === 'removed-old-early' ? manifests.filter(m => !(m.metadata.name === 'orders' && ['Cluster', 'NetworkPolicy', 'PodMonitor', 'PrometheusRule'].includes(m.kind))) : manifests;
}

const upgradeFindings = (base: any[], head: any[]) => compareManifests(base, head).findings
  .filter(f => f.id.startsWith('upgrade') || f.id === 'subscription-source-removed')
  .map(f => `${f.ruleSeverity}:${f.id}`).sort();

describe('blue/green upgrade transitions in the safety gate', () => {
  test.each<[string, Parameters<typeof app>[0], Parameters<typeof app>[0], string[]]>([
    ['start replicating', 'before', UpgradePhase.REPLICATE, []],
    ['start at cutover', 'before', UpgradePhase.CUTOVER, ['blocking:upgrade-starts-at-cutover']],
    ['replicate → cutover', UpgradePhase.REPLICATE, UpgradePhase.CUTOVER, ['note:upgrade-cutover']],
    ['cutover → retire', UpgradePhase.CUTOVER, UpgradePhase.RETIRE, ['note:upgrade-retire']],
    ['replicate → retire', UpgradePhase.REPLICATE, UpgradePhase.RETIRE, ['blocking:upgrade-retire-before-cutover']],
    ['cutover → replicate', UpgradePhase.CUTOVER, UpgradePhase.REPLICATE, ['blocking:upgrade-phase-reversed']],
    ['retire → cutover', UpgradePhase.RETIRE, UpgradePhase.CUTOVER, ['blocking:upgrade-phase-reversed']],
    ['old cluster removed while subscribed', UpgradePhase.REPLICATE, 'removed-old-early', ['blocking:subscription-source-removed']],
    ['no change', UpgradePhase.CUTOVER, UpgradePhase.CUTOVER, []],
  ])('%s', (_name, base, head, expected) => {
    expect(upgradeFindings(app(base), app(head))).toEqual(expected);
  });

  test('cutover with the subscription deleted from the manifests is blocking', () => {
    const head = app(UpgradePhase.CUTOVER).filter(m => m.kind !== 'Subscription');
    expect(upgradeFindings(app(UpgradePhase.REPLICATE), head)).toEqual(['blocking:upgrade-cutover-without-subscription']);
  });

  test('every finding of each step, as the gate reports it', () => {
    const steps: Parameters<typeof app>[0][] = ['before', UpgradePhase.REPLICATE, UpgradePhase.CUTOVER, UpgradePhase.RETIRE];
    const report = steps.slice(1).map((step, i) => `${steps[i]} → ${step}: ${compareManifests(app(steps[i]), app(step)).findings.map(f => `${f.ruleSeverity}:${f.id}`).sort().join(', ')}`);
    expect(report).toMatchSnapshot();
  });
});
