// Fuzzes every construct with generated props: each set must either render manifests that the
// verification finds no error in, or be refused with a ValidationError. Anything else (another
// exception, a verification error) stops the run with the seed and the props to reproduce it.
import { App, Chart } from 'cdk8s';
import fc from 'fast-check';
import { Validation } from '../../lib/core/validation';
import { NetworkPeer } from '../../lib/core/network';
import { CassandraDatacenter, CassandraDatacenterProps, CassandraRack, CassandraRackProps } from '../../lib/cassandra';
import { MySqlSingleNode, MySqlSingleNodeProps } from '../../lib/mysql';
import { PostgresCluster, PostgresClusterProps } from '../../lib/postgres';
import { SchemaMigration, SchemaMigrationProps } from '../../lib/migration';
import { verifyObjects } from '../../lib/verify';
import { cassandraDatacenterProps } from '../../test/support/arbitraries/cassandra-datacenter';
import { cassandraRackProps } from '../../test/support/arbitraries/cassandra-rack';
import { mySqlSingleNodeProps } from '../../test/support/arbitraries/mysql-single-node';
import { postgresClusterProps } from '../../test/support/arbitraries/postgres-cluster';
import { schemaMigrationCase } from '../../test/support/arbitraries/schema-migration';
import { FakeDatabase } from '../../test/migration/support/fake-db';

/** One construct to fuzz: its props and how to build it in a chart. */
interface Target {
  readonly name: string;
  readonly props: fc.Arbitrary<any>;
  build(chart: Chart, props: any): void;
  /** Checks whose errors the props ask for on purpose (e.g. no disruption budget), so they do not fail the run. */
  readonly deliberate?: (props: any) => string[];
}

const TARGETS: Target[] = [
  {
    name: 'PostgresCluster',
    props: postgresClusterProps,
    build: (chart, p) => {
      const db = new PostgresCluster(chart, 'db', { acknowledge: p.superuserAccess ? ['cnpg-superuser'] : undefined, ...p } as PostgresClusterProps);
      db.allowFrom(NetworkPeer.fromPodLabels({ app: 'client' }));
    },
  },
  {
    name: 'MySqlSingleNode',
    props: mySqlSingleNodeProps,
    build: (chart, p) => {
      const db = new MySqlSingleNode(chart, 'db', { rootPassword: { secretName: 'mysql-root', key: 'password' }, ...p } as MySqlSingleNodeProps);
      db.allowFrom(NetworkPeer.fromPodLabels({ app: 'client' }));
      if (p.logicalBackup) db.addRestoreJob();
    },
  },
  { name: 'CassandraDatacenter', props: cassandraDatacenterProps, build: (chart, p) => { new CassandraDatacenter(chart, 'dc', p as CassandraDatacenterProps); } },
  {
    name: 'CassandraRack',
    props: cassandraRackProps,
    build: (chart, p) => { new CassandraRack(chart, 'rack', p as CassandraRackProps); },
    deliberate: p => (p.disruptionBudget === false ? ['pdb'] : []),
  },
  {
    name: 'SchemaMigration',
    props: schemaMigrationCase,
    build: (chart, c) => {
      // The target stands in for a database construct: only its connection is read.
      const db = new FakeDatabase(chart, 'db', c.engine, {}, chart.namespace);
      new SchemaMigration(chart, 'migrate', { target: db, ...c.props } as SchemaMigrationProps);
    },
  },
];

const seed = Number(process.env.FUZZ_SEED ?? 20261201);
const runs = Number(process.env.FUZZ_RUNS ?? 10_000);
console.log(`fuzz: seed ${seed}, ${runs} prop sets per construct (reproduce with FUZZ_SEED=${seed})`);

// Constructs print their warnings (deliberate unsafe choices such as authentication off) when a
// chart renders; thousands of them would bury the figures, so they are counted instead.
let warnings = 0;
const write = process.stderr.write.bind(process.stderr);
process.stderr.write = ((chunk: any, ...rest: any[]) => {
  if (typeof chunk === 'string' && chunk.startsWith('[cdk8s-data warning]')) {
    warnings++;
    return true;
  }
  return (write as any)(chunk, ...rest);
}) as typeof process.stderr.write;

let failed = false;
// One App for every run: a fresh App per run costs more than the synthesis itself. Each run gets
// its own chart and namespace, so names claimed by one run never collide with another's.
const app = new App({ outdir: 'build/fuzz/out' });
let counter = 0;
for (const target of TARGETS) {
  const started = Date.now();
  const tally = { sets: 0, rendered: 0, refused: 0, crashes: 0 };
  try {
    fc.assert(fc.property(target.props, props => {
      tally.sets++;
      const chart = new Chart(app, `c${counter++}`, { namespace: 'fuzz' + counter });
      try {
        target.build(chart, props);
      } catch (e) {
        if (Validation.isValidationError(e)) {
          tally.refused++;
          return;
        }
        tally.crashes++;
        throw e;
      }
      const deliberate = target.deliberate?.(props) ?? [];
      const errors = verifyObjects(chart.toJson()).errors.filter(f => !deliberate.includes(f.check));
      if (errors.length > 0) {
        tally.crashes++;
        throw new Error(`rendered manifests with ${errors.length} verification error(s): ${errors.slice(0, 5).map(f => `[${f.check}] ${f.object}: ${f.message}`).join('; ')}`);
      }
      tally.rendered++;
    }).afterEach(() => {
      // Drop the run's chart so the shared App does not grow with every run.
      app.node.tryRemoveChild(`c${counter - 1}`);
    }), { seed, numRuns: runs, endOnFailure: true });
  } catch (e) {
    failed = true;
    console.error(`fuzz: ${target.name} failed (seed ${seed}):\n${(e as Error).message}`);
  }
  const seconds = ((Date.now() - started) / 1000).toFixed(1);
  console.log(`fuzz: ${target.name}: ${tally.sets} prop sets, ${tally.rendered} rendered, ${tally.refused} refused, ${tally.crashes} crashes, ${seconds}s`);
}
console.log(`fuzz: ${warnings} construct warning(s) printed by rendered sets (not shown)`);
process.exitCode = failed ? 1 : 0;
