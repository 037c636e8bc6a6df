import { App, Chart, Duration } from 'cdk8s';
import { ExternalCluster, ObjectStoreProvider, PostgresCluster, PostgresVersion } from '../lib';

/**
 * Disaster recovery for the "ledger" database: the primary cluster `ledger-db` archives to S3 in
 * region A; in region B (another Kubernetes cluster, here the chart `ledger-dr`), `ledger-db-dr`
 * is a replica cluster that bootstraps from that archive and keeps replaying its WAL, with a
 * one-hour delay as a guard against mistakes. It takes no writes until promoted
 * (`replica.enabled: false`; see docs/postgres-upgrades.md for the controlled switchover with a
 * promotion token). The region B ObjectStore points at the same bucket; it is declared there as
 * external to the replica (the primary's backup renders it in region A).
 *
 * Expected: Secret `ledger-db-s3` (`ACCESS_KEY_ID`, `ACCESS_SECRET_KEY`) in namespace `ledger` in
 * both regions, and in region B an ObjectStore `ledger-db-backup` for the same destination.
 */
export function addTo(app: App): void {
  const s3 = {
    accessKeyId: { secretName: 'ledger-db-s3', key: 'ACCESS_KEY_ID' },
    secretAccessKey: { secretName: 'ledger-db-s3', key: 'ACCESS_SECRET_KEY' },
  };

  const primary = new Chart(app, 'ledger', { namespace: 'ledger' });
  new PostgresCluster(primary, 'ledger-db', {
    version: PostgresVersion.V17,
    storage: { size: '100Gi' },
    backup: { objectStore: { provider: ObjectStoreProvider.S3, destinationPath: 's3://acme-ledger-backups/ledger', s3 } },
  });

  const dr = new Chart(app, 'ledger-dr', { namespace: 'ledger' });
  new PostgresCluster(dr, 'ledger-db-dr', {
    version: PostgresVersion.V17,
    storage: { size: '100Gi' },
    replica: {
      source: ExternalCluster.fromObjectStore({ name: 'ledger-db', objectStore: 'ledger-db-backup', serverName: 'ledger-db', external: true, majorVersion: '17' }),
      minApplyDelay: Duration.hours(1),
    },
    // its own archive (server name: its own cluster name), for when it is promoted
    backup: { objectStore: { provider: ObjectStoreProvider.S3, destinationPath: 's3://acme-ledger-backups-b/ledger', s3 } },
  });
}
