#!/usr/bin/env node
// `npm run bench`: measures every row of the performance table side by side with its floor, in
// fresh processes, floor and subject runs interleaved; prints medians and ratios and writes JSON.
// It is a measurement: the exit status is 0 even when a goal is missed, unless --check is given.
const { cpSync, mkdirSync, mkdtempSync, readdirSync, rmSync, statSync, writeFileSync } = require('fs');
const { cpus, loadavg, tmpdir } = require('os');
const { dirname, join, resolve } = require('path');
const { measure, summary, hasGnuTime } = require('./bench/measure');
const { CONSTRUCTS, LARGE_SET } = require('./bench/workload');

const USAGE = `usage: npm run bench -- [options]
  --runs N          runs of each floor and subject (default 5); medians are reported
  --tests-runs K    runs of npm test (default 1; it takes minutes)
  --skip-tests      leave out the npm test row
  --only A,B        only the rows whose id starts with one of these (verify, safety, tests,
                    synth, synth-PostgresCluster, apps ...)
  --sizes 1,10,..   the numbers of databases of the synth rows (default 1,10,100,1000)
  --out FILE        where the JSON result goes (default build/bench-result.json)
  --check           exit 1 when a goal is missed`;

const root = resolve(__dirname, '..');
const pkg = require(join(root, 'package.json'));

function parseArgs(argv) {
  const opts = { runs: 5, testsRuns: 1, skipTests: false, only: undefined, sizes: [1, 10, 100, 1000], out: join(root, 'build', 'bench-result.json'), check: false };
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    const next = () => {
      if (i + 1 >= argv.length) throw new Error(`${a} needs a value`);
      return argv[++i];
    };
    const count = () => {
      const n = Number(next());
      if (!Number.isInteger(n) || n < 1) throw new Error(`${a} needs a positive whole number`);
      return n;
    };
    if (a === '--runs') opts.runs = count();
    else if (a === '--tests-runs') opts.testsRuns = count();
    else if (a === '--skip-tests') opts.skipTests = true;
    else if (a === '--only') opts.only = next().split(',').filter(Boolean);
    else if (a === '--sizes') opts.sizes = next().split(',').map(Number);
    else if (a === '--out') opts.out = resolve(next());
    else if (a === '--check') opts.check = true;
    else if (a === '-h' || a === '--help') {
      console.log(USAGE);
      process.exit(0);
    } else throw new Error(`unknown option ${a}\n${USAGE}`);
  }
  if (opts.sizes.some(n => !Number.isInteger(n) || n < 1)) throw new Error('--sizes takes positive whole numbers');
  return opts;
}

const node = process.execPath;
const npm = process.platform === 'win32' ? 'npm.cmd' : 'npm';
const bin = name => join(root, pkg.bin[name]);
const fmt = (v, digits = 2) => (v === null || v === undefined ? '-' : v.toFixed(digits));

function log(text) {
  process.stderr.write(`${text}\n`);
}

function fail(what, run) {
  const tail = `${run.stdout}\n${run.stderr}`.trim().split('\n').slice(-15).join('\n');
  return new Error(`${what} exited with ${run.status}:\n${tail}`);
}

function directorySize(dir) {
  return readdirSync(dir).reduce((sum, name) => {
    const path = join(dir, name);
    return sum + (statSync(path).isDirectory() ? directorySize(path) : statSync(path).size);
  }, 0);
}

/**
 * One row: `runs` times, the floor then the subject (interleaved, so that a busy moment of the
 * machine hits both). `metric(run)` picks the number compared (wall seconds unless a child reports
 * its own time). `ok(run)` tells whether a subject run did its job.
 */
function timeRow({ id, title, floor, subject, runs, warmUp = false, goal, metric = r => r.wallSeconds, ok = r => r.status === 0 }) {
  log(`${id}: ${title}`);
  const samples = { floor: [], subject: [] };
  const failures = [];
  if (warmUp) {
    if (floor) measure(floor.command, floor.args, floor.options);
    measure(subject.command, subject.args, subject.options);
  }
  for (let i = 0; i < runs; i++) {
    if (floor) {
      const run = measure(floor.command, floor.args, floor.options);
      if (run.status !== 0) throw fail(`${id} floor (${floor.label})`, run);
      samples.floor.push(run);
    }
    const run = measure(subject.command, subject.args, subject.options);
    if (!ok(run)) failures.push({ status: run.status, output: `${run.stdout}\n${run.stderr}`.trim().split('\n').slice(-15).join('\n') });
    samples.subject.push(run);
    log(`  run ${i + 1}/${runs}: ${floor ? `floor ${fmt(metric(samples.floor[i]))} s, ` : ''}subject ${fmt(metric(run))} s${run.peakMiB ? `, ${run.peakMiB.toFixed(0)} MiB` : ''}${ok(run) ? '' : ` (exit ${run.status})`}`);
  }
  const side = (list, label) => list.length === 0 ? null : {
    label,
    seconds: summary(list.map(metric)),
    wallSeconds: summary(list.map(r => r.wallSeconds)),
    cpuSeconds: summary(list.map(r => r.cpuSeconds)),
    peakMiB: summary(list.map(r => r.peakMiB)),
  };
  const row = { id, title, floor: side(samples.floor, floor?.label), subject: side(samples.subject, subject.label), failures, goal };
  row.ratio = row.floor && row.subject.seconds.median !== null ? row.subject.seconds.median / row.floor.seconds.median : null;
  // CPU time is steadier than wall time on a shared machine; printed beside the ratio it is judged by.
  row.cpuRatio = row.floor && row.floor.cpuSeconds.median && row.subject.cpuSeconds.median !== null
    ? row.subject.cpuSeconds.median / row.floor.cpuSeconds.median : null;
  row.pass = judge(row);
  return row;
}

/** A goal holds when every bound it states holds and no subject run failed; no goal: null. */
function judge(row) {
  const goal = row.goal;
  if (!goal) return null;
  if (row.failures.length > 0 || row.subject.seconds.median === null) return false;
  const checks = [];
  if (goal.ratio !== undefined) checks.push(row.ratio <= goal.ratio);
  if (goal.seconds !== undefined) checks.push(row.subject.seconds.median <= goal.seconds);
  if (goal.peakMiB !== undefined) checks.push(row.subject.peakMiB.median === null || row.subject.peakMiB.median <= goal.peakMiB);
  return checks.every(Boolean);
}

function goalText(goal) {
  if (!goal) return '-';
  return [
    goal.ratio !== undefined && `<= ${goal.ratio}x`,
    goal.seconds !== undefined && `<= ${goal.seconds} s`,
    goal.peakMiB !== undefined && `<= ${goal.peakMiB} MiB`,
  ].filter(Boolean).join(', ');
}

function printTable(rows) {
  const header = ['row', 'floor median s', 'subject min / median / max s', 'ratio', 'CPU s (ratio)', 'peak MiB', 'goal', 'result'];
  const lines = rows.map(r => [
    r.id,
    r.floor ? fmt(r.floor.seconds.median) : '-',
    `${fmt(r.subject.seconds.min)} / ${fmt(r.subject.seconds.median)} / ${fmt(r.subject.seconds.max)}`,
    r.ratio === null ? '-' : `${r.ratio.toFixed(2)}x`,
    `${fmt(r.subject.cpuSeconds.median)}${r.cpuRatio === null ? '' : ` (${r.cpuRatio.toFixed(2)}x)`}`,
    fmt(r.subject.peakMiB.median, 0),
    goalText(r.goal),
    r.pass === null ? '' : r.pass ? 'pass' : r.failures.length ? `FAILED (exit ${r.failures[0].status})` : 'MISSED',
  ]);
  const widths = header.map((h, i) => Math.max(h.length, ...lines.map(l => l[i].length)));
  const line = cells => cells.map((c, i) => c.padEnd(widths[i])).join('  ').trimEnd();
  console.log(line(header));
  console.log(widths.map(w => '-'.repeat(w)).join('  '));
  for (const l of lines) console.log(line(l));
}

function main() {
  const opts = parseArgs(process.argv.slice(2));
  const wanted = id => !opts.only || opts.only.some(prefix => id.startsWith(prefix));
  const work = mkdtempSync(join(tmpdir(), 'cdk8s-data-bench-'));
  const quiet = { cwd: work, env: process.env };
  const rows = [];
  const started = new Date();
  const load = [loadavg()];
  try {
    log('building (npm run build)');
    const build = measure(npm, ['run', 'build'], { cwd: root, env: process.env });
    if (build.status !== 0) throw fail('npm run build', build);
    const library = join(root, pkg.main);

    let largeSet;
    if (wanted('verify-large') || wanted('safety')) {
      const large = join(work, 'large');
      log(`rendering the large set into ${large}`);
      const gen = measure(node, [join(__dirname, 'bench', 'generate.js'), library, large], quiet);
      if (gen.status !== 0) throw fail('generating the large set', gen);
      cpSync(large, join(work, 'large-copy'), { recursive: true });
      largeSet = { ...LARGE_SET, objects: JSON.parse(gen.stdout).objects, bytes: directorySize(large), renderSeconds: gen.wallSeconds };
      log(`  ${largeSet.objects} objects, ${(largeSet.bytes / 1e6).toFixed(1)} MB of YAML`);
    }
    const parseFloor = parser => ({ label: `${parser} parse`, command: node, args: [join(__dirname, 'bench', 'parse.js'), parser, join(work, 'large')], options: quiet });
    const nodeFloor = { label: 'node -e 0', command: node, args: ['-e', '0'], options: quiet };

    if (wanted('verify-large')) {
      rows.push(timeRow({
        id: 'verify-large', title: `verify on the large set (${largeSet.objects} objects)`, runs: opts.runs,
        floor: parseFloor('js-yaml'), subject: { label: 'verify', command: node, args: [bin('cdk8s-data-verify'), join(work, 'large')], options: quiet },
        goal: { ratio: 2, peakMiB: 300 },
      }));
      // The other parser's time, for reference: the row's goal is against js-yaml.
      rows.push(timeRow({
        id: 'verify-large-yaml-floor', title: 'parse of the large set with the yaml package (reference)', runs: opts.runs,
        floor: parseFloor('js-yaml'), subject: parseFloor('yaml'),
      }));
    }
    if (wanted('safety')) {
      rows.push(timeRow({
        id: 'safety-large', title: 'safety comparing the large set with a copy of itself', runs: opts.runs,
        floor: parseFloor('js-yaml'), subject: { label: 'safety', command: node, args: [bin('cdk8s-data-safety'), join(work, 'large'), join(work, 'large-copy')], options: quiet },
        goal: { ratio: 2.5, peakMiB: 400 },
      }));
    }
    if (wanted('verify-dist')) {
      rows.push(timeRow({
        id: 'verify-dist', title: 'verify on dist/, warm cache (one untimed run first)', runs: opts.runs, warmUp: true,
        floor: nodeFloor, subject: { label: 'verify dist', command: node, args: [bin('cdk8s-data-verify'), join(root, 'dist')], options: quiet },
        goal: { seconds: 0.5 },
      }));
    }
    if (wanted('apps-synth')) {
      const env = { ...process.env, CDK8S_OUTDIR: join(work, 'apps') };
      rows.push(timeRow({
        id: 'apps-synth', title: 'npm run synth of the example apps (fresh process; one untimed run first)', runs: opts.runs, warmUp: true,
        floor: nodeFloor, subject: { label: 'npm run synth', command: npm, args: ['run', '-s', 'synth'], options: { cwd: root, env } },
        goal: { seconds: 1.2 },
      }));
    }
    for (const construct of Object.keys(CONSTRUCTS)) {
      if (!wanted(`synth-${construct}`)) continue;
      for (const n of opts.sizes) {
        const fixture = join(work, `${construct}-${n}.json`);
        const out = join(work, 'synth');
        // Render once to get the objects of the floor.
        const first = measure(node, [join(__dirname, 'bench', 'synth-child.js'), 'construct', library, construct, String(n), out, fixture], quiet);
        if (first.status !== 0) throw fail(`synth ${construct} x ${n}`, first);
        const inner = run => (run.status === 0 ? JSON.parse(run.stdout).cpuSeconds : null);
        rows.push(timeRow({
          id: `synth-${construct}-${n}`, title: `synth of ${n} ${construct} vs the same objects as plain ApiObjects (CPU seconds from an empty App to the files written)`, runs: opts.runs,
          floor: { label: 'plain ApiObjects', command: node, args: [join(__dirname, 'bench', 'synth-child.js'), 'plain', fixture, out], options: quiet },
          subject: { label: construct, command: node, args: [join(__dirname, 'bench', 'synth-child.js'), 'construct', library, construct, String(n), out], options: quiet },
          metric: inner, goal: n >= 100 ? { ratio: 1.2 } : undefined,
        }));
        rmSync(fixture, { force: true });
      }
      addLinearity(rows, construct, opts.sizes);
    }
    if (wanted('tests') && !opts.skipTests) {
      rows.push(timeRow({
        id: 'tests', title: 'npm test, every suite (REQUIRE_DB_SERVERS=1)', runs: opts.testsRuns,
        subject: { label: 'npm test', command: npm, args: ['test'], options: { cwd: root, env: { ...process.env, REQUIRE_DB_SERVERS: '1' } } },
        goal: { seconds: 90 },
      }));
    }
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
  load.push(loadavg());

  console.log(`\ncdk8s-data bench, ${started.toISOString()}: ${cpus().length} CPU(s), load average ${load[0][0].toFixed(1)} at the start, ${load[1][0].toFixed(1)} at the end; ${opts.runs} run(s) per row${hasGnuTime ? '' : ' (no /usr/bin/time: peak memory not measured)'}\n`);
  printTable(rows);
  const linear = rows.filter(r => r.linearity);
  for (const r of linear) console.log(`${r.id}: time per database at ${r.linearity.large} vs ${r.linearity.small}: ${fmt(r.linearity.subject)}x (plain ApiObjects ${fmt(r.linearity.floor)}x)`);
  const failed = rows.filter(r => r.failures.length);
  for (const r of failed) console.log(`\n${r.id}: ${r.failures.length} run(s) failed; the last lines of the first:\n${r.failures[0].output}`);
  const missed = rows.filter(r => r.pass === false);
  console.log(missed.length ? `\n${missed.length} goal(s) missed: ${missed.map(r => r.id).join(', ')}` : '\nevery goal met');

  mkdirSync(dirname(opts.out), { recursive: true });
  const result = { started: started.toISOString(), node: process.version, cpus: cpus().length, loadAverage: load, gnuTime: hasGnuTime, options: opts, rows };
  writeFileSync(opts.out, JSON.stringify(result, null, 2) + '\n');
  console.log(`result written to ${opts.out}`);
  if (opts.check && missed.length) process.exitCode = 1;
}

/**
 * "Still linear": the time per database at the largest size over the time per database at the
 * next size down, for the construct and for its floor; the construct may grow at most 1.2 times
 * as fast as the plain objects.
 */
function addLinearity(rows, construct, sizes) {
  const sorted = [...sizes].sort((a, b) => a - b);
  if (sorted.length < 2) return;
  const [small, large] = sorted.slice(-2);
  const find = n => rows.find(r => r.id === `synth-${construct}-${n}`);
  const [a, b] = [find(small), find(large)];
  const growth = side => (b[side].seconds.median / large) / (a[side].seconds.median / small);
  b.linearity = { small, large, subject: growth('subject'), floor: growth('floor') };
  b.linearity.pass = b.linearity.subject <= 1.2 * b.linearity.floor;
  if (b.pass !== null) b.pass = b.pass && b.linearity.pass;
}

try {
  main();
} catch (err) {
  console.error(`bench: ${err.message}`);
  process.exitCode = 2;
}
