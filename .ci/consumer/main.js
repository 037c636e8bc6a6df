// A user's cdk8s app, as it would be written after `npm install cdk8s-data`: one chart per
// construct of the library, synthesized to ./out (run by .ci/user-path.sh in a temporary project).
const { App, Chart } = require('cdk8s');
const {
  Bootstrap, CassandraDatacenter, CassandraRack, Credentials, MigrationMode, Migrations, MySqlSingleNode, MySqlVersion,
  PostgresCluster, PostgresVersion, Schema, SchemaMigration,
} = require('cdk8s-data');

const app = new App({ outdir: 'out' });

const shop = new Chart(app, 'shop', { namespace: 'shop' });
const orders = new PostgresCluster(shop, 'orders-db', {
  instances: 3,
  version: PostgresVersion.V17,
  storage: { size: '20Gi' },
  resources: { cpu: '1', memory: '2Gi' },
  bootstrap: Bootstrap.initdb({ database: 'orders', owner: 'orders' }),
});
new SchemaMigration(shop, 'orders-schema', {
  target: orders,
  schema: Schema.fromConfigMap('orders-schema-sql', 'schema.sql'),
});

const blog = new Chart(app, 'blog', { namespace: 'blog' });
const blogDb = new MySqlSingleNode(blog, 'blog-db', {
  version: MySqlVersion.V8_4,
  storage: { size: '10Gi' },
  rootPassword: { secretName: 'blog-db-root', key: 'password' },
  database: 'wordpress',
  user: Credentials.fromSecret('blog-db-app'),
});
new SchemaMigration(blog, 'blog-schema', {
  target: blogDb,
  mode: MigrationMode.JOB,
  migrations: Migrations.fromFiles([{ name: '0001_create_posts.sql', content: 'CREATE TABLE posts (id BIGINT PRIMARY KEY, title VARCHAR(200) NOT NULL);\n' }]),
});

const events = new Chart(app, 'events', { namespace: 'events' });
new CassandraDatacenter(events, 'events', {
  racks: ['a', 'b', 'c'].map(z => ({ name: `zone-${z}`, zone: `eu-west-1${z}` })),
  nodesPerRack: 1,
  storage: { size: '50Gi' },
});

const metrics = new Chart(app, 'metrics', { namespace: 'metrics' });
new CassandraRack(metrics, 'metrics', { zone: 'eu-west-1a', storage: { size: '50Gi' } });

app.synth();
