import { Chart, Testing } from 'cdk8s';
import { addTo } from '../../apps/postgres-dr-replica';
import { findObject, synthValid } from '../support/synth';

describe('example app: disaster-recovery replica cluster', () => {
  const app = Testing.app();
  addTo(app);
  const dr = synthValid(app.node.findChild('ledger-dr') as Chart);
  const primary = synthValid(app.node.findChild('ledger') as Chart);

  test('the replica follows the primary\'s archive with a delay and bootstraps from it', () => {
    const cluster = findObject(dr, 'Cluster', 'ledger-db-dr');
    expect(cluster.spec.replica).toEqual({ source: 'ledger-db', enabled: true, minApplyDelay: '3600s' });
    expect(cluster.spec.bootstrap.recovery.source).toBe('ledger-db');
    expect(cluster.spec.externalClusters).toEqual([{ name: 'ledger-db', plugin: { name: 'barman-cloud.cloudnative-pg.io', parameters: { barmanObjectName: 'ledger-db-backup', serverName: 'ledger-db' } } }]);
  });

  test('the replica archives under its own server name, not over the primary\'s backups', () => {
    // no serverName: the cluster's own name, ledger-db-dr
    expect(findObject(dr, 'Cluster', 'ledger-db-dr').spec.plugins[0].parameters).toEqual({ barmanObjectName: 'ledger-db-dr-backup' });
    expect(findObject(dr, 'ObjectStore', 'ledger-db-dr-backup').spec.configuration.destinationPath).toBe('s3://acme-ledger-backups-b/ledger');
    expect(findObject(primary, 'Cluster', 'ledger-db').spec.plugins[0].parameters).toEqual({ barmanObjectName: 'ledger-db-backup' });
  });
});
