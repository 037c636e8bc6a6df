#!/usr/bin/env node
// Measures synthesis wall time: the median of N runs of each way to render dist/, plus peak memory
// of the synth script. Usage: node scripts/bench-synth.js [runs]
const { spawnSync } = require('child_process');
const { mkdtempSync, rmSync } = require('fs');
const { tmpdir } = require('os');
const { join } = require('path');

const runs = Number(process.argv[2] ?? 7);
const out = mkdtempSync(join(tmpdir(), 'bench-synth-'));
const env = { ...process.env, CDK8S_OUTDIR: out };

function median(values) {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
}

function time(label, cmd, args) {
  const samples = [];
  for (let i = 0; i < runs; i++) {
    const start = process.hrtime.bigint();
    const result = spawnSync(cmd, args, { env, stdio: 'ignore' });
    if (result.status !== 0) throw new Error(`${label} failed`);
    samples.push(Number(process.hrtime.bigint() - start) / 1e6);
  }
  return { label, median: median(samples), min: Math.min(...samples), max: Math.max(...samples) };
}

const results = [
  time('node (startup only)', 'node', ['-e', '0']),
  time('node scripts/synth.js (esbuild + render)', 'node', ['scripts/synth.js']),
  time('npm run synth', 'npm', ['run', '-s', 'synth']),
  time('cdk8s synth (cdk8s.yaml)', 'npx', ['cdk8s', 'synth', '--check-upgrade', 'false', '-o', out]),
];
const base = results[0].median;
for (const r of results) {
  console.log(`${r.label.padEnd(52)} median ${r.median.toFixed(0).padStart(6)} ms  (min ${r.min.toFixed(0)}, max ${r.max.toFixed(0)}; ${(r.median / base).toFixed(1)}x node startup)`);
}
const mem = spawnSync('/usr/bin/time', ['-f', '%M', 'node', 'scripts/synth.js'], { env, encoding: 'utf8' });
if (mem.status === 0) console.log(`peak RSS of node scripts/synth.js: ${(Number(mem.stderr.trim().split('\n').pop()) / 1024).toFixed(0)} MiB`);
rmSync(out, { recursive: true, force: true });
