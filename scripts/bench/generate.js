#!/usr/bin/env node
// Child process: renders the large set (scripts/bench/workload.js) with the compiled library into
// the directory given as argv[3]; argv[2] is the library's entry point (build/lib/index.js).
const { ApiObject, App, Chart } = require('cdk8s');
const { CONSTRUCTS, LARGE_SET } = require('./workload');

const [lib, outdir] = [require(process.argv[2]), process.argv[3]];
const app = new App({ outdir });
const charts = Array.from({ length: LARGE_SET.charts }, (_, i) => new Chart(app, `bench-${i}`, { namespace: `bench-${i}` }));
for (const [construct, count] of Object.entries(LARGE_SET.databases)) {
  for (let i = 0; i < count; i++) {
    CONSTRUCTS[construct](lib, charts[i % charts.length], `${construct.toLowerCase().slice(0, 5)}-${i}`);
  }
}
app.synth();
const objects = app.node.findAll().filter(c => c instanceof ApiObject).length;
process.stdout.write(JSON.stringify({ objects }) + '\n');
