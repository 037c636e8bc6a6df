#!/usr/bin/env node
// Child process of the synth rows: renders N databases of one construct into one chart and
// reports the time from an empty App to the files written (module loading excluded): wall
// seconds and CPU seconds (user + system, steadier than wall time on a busy machine).
//   synth-child.js construct <lib> <Construct> <N> <outdir> [fixture.json]
//     builds the constructs; with fixture.json, also saves the rendered objects there
//   synth-child.js plain <fixture.json> <outdir>
//     the floor: the same objects as plain ApiObjects
const { writeFileSync, readFileSync } = require('fs');
const { performance } = require('perf_hooks');
const { ApiObject, App, Chart } = require('cdk8s');

const [mode, ...args] = process.argv.slice(2);
const NAMESPACE = 'bench';
let start;
let cpu;
const begin = () => {
  cpu = process.cpuUsage();
  start = performance.now();
};
const report = () => {
  const seconds = (performance.now() - start) / 1000;
  const used = process.cpuUsage(cpu);
  process.stdout.write(JSON.stringify({ seconds, cpuSeconds: (used.user + used.system) / 1e6 }) + '\n');
};
if (mode === 'construct') {
  const [libPath, construct, n, outdir, fixture] = args;
  const lib = require(libPath);
  const { CONSTRUCTS } = require('./workload');
  begin();
  const app = new App({ outdir });
  const chart = new Chart(app, 'bench', { namespace: NAMESPACE });
  for (let i = 0; i < Number(n); i++) CONSTRUCTS[construct](lib, chart, `db-${i}`);
  app.synth();
  report();
  if (fixture) writeFileSync(fixture, JSON.stringify(chart.toJson()));
} else if (mode === 'plain') {
  const [fixture, outdir] = args;
  const objects = JSON.parse(readFileSync(fixture, 'utf8'));
  begin();
  const app = new App({ outdir });
  const chart = new Chart(app, 'bench', { namespace: NAMESPACE });
  objects.forEach((object, i) => new ApiObject(chart, `o${i}`, object));
  app.synth();
  report();
} else {
  throw new Error(`unknown mode ${mode}`);
}
