// Runs one command as a child process and measures it: wall time, peak resident memory, CPU time.
// GNU time (/usr/bin/time) reports the peak RSS of the command and of the children it waited for;
// without it, memory is left out (null) and only wall time is measured.
const { spawnSync } = require('child_process');
const { existsSync, mkdtempSync, readFileSync, rmSync } = require('fs');
const { tmpdir } = require('os');
const { join } = require('path');

const GNU_TIME = '/usr/bin/time';
const hasGnuTime = existsSync(GNU_TIME) && spawnSync(GNU_TIME, ['-f', '%M', 'true']).status === 0;

/**
 * Runs `command args` in `cwd` with `env`; returns { wallSeconds, peakMiB, cpuSeconds, status,
 * stdout, stderr }. A run that exits with an unexpected status keeps its output for the report.
 */
function measure(command, args, { cwd, env, output = 'pipe' } = {}) {
  const dir = mkdtempSync(join(tmpdir(), 'bench-measure-'));
  const timeFile = join(dir, 'time');
  const [cmd, argv] = hasGnuTime ? [GNU_TIME, ['-o', timeFile, '-f', '%M %U %S', command, ...args]] : [command, args];
  const start = process.hrtime.bigint();
  const result = spawnSync(cmd, argv, { cwd, env, encoding: 'utf8', stdio: ['ignore', output, output], maxBuffer: 256 * 1024 * 1024 });
  const wallSeconds = Number(process.hrtime.bigint() - start) / 1e9;
  let peakMiB = null;
  let cpuSeconds = null;
  if (hasGnuTime && existsSync(timeFile)) {
    // The last line: GNU time puts "Command exited with non-zero status" first when it fails.
    const [kb, user, sys] = readFileSync(timeFile, 'utf8').trim().split('\n').pop().split(' ').map(Number);
    peakMiB = kb / 1024;
    cpuSeconds = user + sys;
  }
  rmSync(dir, { recursive: true, force: true });
  return { wallSeconds, peakMiB, cpuSeconds, status: result.status ?? result.signal, stdout: result.stdout ?? '', stderr: result.stderr ?? '' };
}

function median(values) {
  const sorted = values.filter(v => v !== null && v !== undefined).sort((a, b) => a - b);
  if (sorted.length === 0) return null;
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
}

/** min, median and max of a list of numbers (nulls left out; all null when none is left). */
function summary(values) {
  const present = values.filter(v => v !== null && v !== undefined);
  if (present.length === 0) return { min: null, median: null, max: null, runs: 0 };
  return { min: Math.min(...present), median: median(present), max: Math.max(...present), runs: present.length };
}

module.exports = { measure, median, summary, hasGnuTime };
