// The objects the benchmark renders: one database of each construct, built from the compiled
// library (build/lib), with production-shaped props (backups, three Cassandra racks).
const { Cron } = require('cdk8s');

const DAILY = Cron.schedule({ minute: '0', hour: '2' });
const secret = (secretName, key) => ({ secretName, key });

/** Adds one database named `name` of `construct` to `scope`. */
const CONSTRUCTS = {
  PostgresCluster: (lib, scope, name) => new lib.PostgresCluster(scope, name, {
    instances: 3,
    version: lib.PostgresVersion.V17,
    storage: { size: '20Gi' },
    walStorage: { size: '5Gi' },
    resources: { cpu: '1', memory: '2Gi' },
    backup: {
      objectStore: {
        provider: lib.ObjectStoreProvider.S3,
        destinationPath: `s3://bench-backups/${name}`,
        retention: '30d',
        s3: { accessKeyId: secret(`${name}-s3`, 'ACCESS_KEY_ID'), secretAccessKey: secret(`${name}-s3`, 'ACCESS_SECRET_KEY') },
      },
      schedule: DAILY,
    },
  }),
  MySqlSingleNode: (lib, scope, name) => new lib.MySqlSingleNode(scope, name, {
    version: lib.MySqlVersion.V8_4,
    storage: { size: '20Gi' },
    rootPassword: secret(`${name}-root`, 'password'),
    resources: { cpu: '500m', memory: '1Gi' },
    logicalBackup: { schedule: DAILY, keep: 7, storage: { size: '30Gi' } },
  }),
  CassandraDatacenter: (lib, scope, name) => new lib.CassandraDatacenter(scope, name, {
    racks: ['a', 'b', 'c'].map(zone => ({ name: `zone-${zone}`, zone: `eu-west-1${zone}` })),
    nodesPerRack: 2,
    version: lib.CassandraVersion.V5_0,
    storage: { size: '100Gi' },
    resources: { cpu: '2', memory: '8Gi' },
  }),
};

/** The large set of the verify and safety rows: databases per construct, spread over charts. */
const LARGE_SET = { charts: 10, databases: { PostgresCluster: 1000, MySqlSingleNode: 500, CassandraDatacenter: 300 } };

module.exports = { CONSTRUCTS, LARGE_SET };
