// A consumer's jest-style use of verification: verifyObjects(Testing.synth(chart)) twice in one
// process; prints the time of each call in milliseconds as JSON.
const { Chart, Testing } = require('cdk8s');
const { PostgresCluster } = require('cdk8s-data');
const { verifyObjects } = require('cdk8s-data/verify');

const chart = new Chart(Testing.app(), 'shop', { namespace: 'shop' });
new PostgresCluster(chart, 'orders-db', { instances: 3, storage: { size: '20Gi' } });
const times = [];
for (let i = 0; i < 2; i++) {
  const started = process.hrtime.bigint();
  const report = verifyObjects(Testing.synth(chart));
  times.push(Number(process.hrtime.bigint() - started) / 1e6);
  if (report.errors.length > 0) throw new Error(JSON.stringify(report.errors, null, 2));
}
console.log(JSON.stringify({ firstMs: Math.round(times[0]), secondMs: Math.round(times[1] * 10) / 10 }));
