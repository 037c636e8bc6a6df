#!/usr/bin/env node
// Bundles each command (`bin` in package.json) into one file with esbuild, after `tsc` has compiled
// build/lib: a command starts in a fresh process every time, and loading some hundred small modules
// (the `yaml` package alone has 72) cost a warm `cdk8s-data-verify dist` about 40 ms of its 0.5 s.
// The library itself (build/lib) is not bundled.
//
// Left out of the bundles, and loaded from the package's own dependencies at run time:
// - ajv and ajv-formats: loaded only to compile a schema, and required by the cached validators'
//   code, which must get the same copy;
// - the peer and optional dependencies, which the user installs.
const { buildSync } = require('esbuild');
const { readFileSync, writeFileSync } = require('fs');
const { join } = require('path');

const root = join(__dirname, '..');
const pkg = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8'));
const external = ['ajv', 'ajv-formats', ...Object.keys(pkg.peerDependencies ?? {}), ...Object.keys(pkg.optionalDependencies ?? {})];

/** `<command>` (built as build/bin/<command>.js) -> the compiled entry it bundles. */
const ENTRIES = {
  'cdk8s-data-verify': 'build/lib/verify/command.js',
  'cdk8s-data-safety': 'build/lib/safety/cli.js',
};

for (const [command, entry] of Object.entries(ENTRIES)) {
  const outfile = pkg.bin[command];
  if (outfile !== `build/bin/${command}.js`) throw new Error(`package.json bin.${command} should be build/bin/${command}.js, not ${outfile}`);
  const result = buildSync({
    entryPoints: [entry], outfile, absWorkingDir: root, bundle: true, platform: 'node', target: 'node20',
    format: 'cjs', external: external.flatMap(name => [name, `${name}/*`]), metafile: true, logLevel: 'warning',
  });
  // The third-party packages the file carries, each from one directory: the verify command
  // configures luxon, which must be the copy cron-parser uses.
  const copies = new Map();
  for (const input of Object.keys(result.metafile.inputs)) {
    const match = /^(.*node_modules\/((?:@[^/]+\/)?[^/]+))\//.exec(input);
    if (match) copies.set(match[2], new Set([...(copies.get(match[2]) ?? []), match[1]]));
  }
  const notice = [...copies.keys()].sort().map(name => {
    const dirs = [...copies.get(name)];
    if (dirs.length > 1) throw new Error(`${command} would bundle ${dirs.length} copies of ${name}: ${dirs.join(', ')}`);
    const dep = JSON.parse(readFileSync(join(root, dirs[0], 'package.json'), 'utf8'));
    return `${name}@${dep.version} (${dep.license})`;
  });
  // Named in the file's header; their license texts ship with them, in the package's node_modules.
  const file = join(root, outfile);
  const text = readFileSync(file, 'utf8');
  const shebang = text.startsWith('#!') ? text.slice(0, text.indexOf('\n') + 1) : '';
  const header = `// ${command}: ${entry} bundled with ${notice.join(', ')}; their license texts are in this package's node_modules.\n`;
  writeFileSync(file, shebang + header + text.slice(shebang.length), { mode: 0o755 });
}
