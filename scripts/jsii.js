#!/usr/bin/env node
// `npm run jsii`: compiles the constructs entry with jsii into the assembly (.jsii) and fails on any
// error or warning. The one warning accepted is `namespace` as a reserved word in C#: it is the
// Kubernetes name of the concept, cdk8s's own props use it, and jsii renames it in the C# binding.
const { spawnSync } = require('child_process');
const { resolve } = require('path');

const root = resolve(__dirname, '..');
const run = spawnSync(process.execPath, [require.resolve('jsii/bin/jsii', { paths: [root] })], { cwd: root, encoding: 'utf8' });
const output = `${run.stdout}${run.stderr}`;
const lines = output.split('\n');
const accepted = line => /warning JSII5018: "namespace" is a reserved word in C#\./.test(line);
const errors = lines.filter(line => /\berror JSII\d+|error TS\d+/.test(line));
const warnings = lines.filter(line => /\bwarning JSII\d+/.test(line) && !accepted(line));
const acceptedCount = lines.filter(accepted).length;

for (const line of [...errors, ...warnings]) console.error(line);
console.error(`jsii: ${errors.length} error(s), ${warnings.length} warning(s)` +
  (acceptedCount ? ` (${acceptedCount} accepted: "namespace" is reserved in C#)` : ''));
if (run.status !== 0 || errors.length > 0 || warnings.length > 0) {
  if (run.status !== 0 && errors.length === 0) console.error(output);
  process.exit(1);
}
