#!/usr/bin/env node
import * as fs from 'fs';
import * as path from 'path';
import { parse } from 'yaml';
import { compareManifests } from './compare';
import { parseAcknowledgements } from './acknowledge';
import { packageVersion } from '../tools/package';
import { loadSource } from './load';
import { formatMarkdown, formatSarif, formatText } from './report';
import { Acknowledgement, SafetyReport } from './types';

export const USAGE = `usage: cdk8s-data-safety <base> <head> [--format FORMAT] [--markdown FILE] [--json FILE]
                         [--sarif FILE] [--acknowledgements FILE]

Compares two rendered manifest sets and reports changes that would lose data, cause an
outage or be rejected by the API server (docs/checks.md lists every finding id).
Installed commands: cdk8s-data-safety (this one) and cdk8s-data-verify (checks one
rendered set); run them with npx in a project that depends on cdk8s-data.
  <base>, <head>   a directory of YAML manifests, git:<ref> (the head directory at that
                   ref, e.g. git:HEAD~1) or git:<ref>:<dir>
  --format FORMAT  text (default), json, markdown or sarif, on stdout; with json the
                   output is JSON in every case, failures included
  --markdown FILE  also write a Markdown report (for a pull-request comment)
  --json FILE      also write the report as JSON
  --sarif FILE     also write the report as SARIF 2.1.0 (code scanning)
  --acknowledgements FILE
                   acknowledgements for findings whose object is gone from <head>
                   (default: ./safety-acknowledgements.yaml when it exists)
Exit status: 0 when no blocking finding is left unacknowledged, 1 when one is, 2 on bad
arguments or unreadable input.`;

export interface CliIo {
  readonly cwd: string;
  readonly stdout: (text: string) => void;
  readonly stderr: (text: string) => void;
}

/** Runs the safety check; returns the exit status. */
export function main(argv: readonly string[], io: CliIo = { cwd: process.cwd(), stdout: t => process.stdout.write(t), stderr: t => process.stderr.write(t) }): number {
  const positional: string[] = [];
  const opts: Record<string, string> = {};
  let format = 'text';
  const fail = (message: string): number => {
    io.stderr(message);
    if (format !== 'text') io.stdout(render(format, undefined, message.trim()));
    return 2;
  };
  const formatAt = argv.findIndex(a => a === '--format' || a.startsWith('--format='));
  if (formatAt >= 0) format = argv[formatAt].includes('=') ? argv[formatAt].slice(9) : argv[formatAt + 1] ?? '';
  if (!FORMATS.includes(format)) { format = 'text'; return fail(`--format takes ${FORMATS.join(', ')}\n`); }
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    if (a === '-h' || a === '--help') { io.stdout(USAGE + '\n'); return 0; }
    if (a.startsWith('--')) {
      const [name, inline] = a.slice(2).split('=', 2);
      if (!['markdown', 'json', 'sarif', 'acknowledgements', 'format'].includes(name)) return fail(`unknown option --${name}\n${USAGE}\n`);
      const value = inline ?? argv[++i];
      if (value === undefined) return fail(`--${name} needs a file name\n`);
      opts[name] = value;
    } else positional.push(a);
  }
  if (positional.length !== 2) return fail(`expected <base> and <head>, got ${positional.length} argument(s)\n${USAGE}\n`);
  const [baseSpec, headSpec] = positional;
  const dirOf = (spec: string, other: string): string => {
    if (!spec.startsWith('git:')) return spec;
    const rest = spec.slice(4); const colon = rest.indexOf(':');
    if (colon >= 0) return rest.slice(colon + 1);
    return other.startsWith('git:') ? 'dist' : other;
  };
  try {
    const base = loadSource(baseSpec, dirOf(baseSpec, headSpec), io.cwd);
    const head = loadSource(headSpec, dirOf(headSpec, baseSpec), io.cwd);
    let acknowledgements: Acknowledgement[] = [];
    const ackFile = opts.acknowledgements ?? (fs.existsSync(path.join(io.cwd, 'safety-acknowledgements.yaml')) ? 'safety-acknowledgements.yaml' : undefined);
    if (ackFile) {
      const file = path.resolve(io.cwd, ackFile);
      acknowledgements = parseAcknowledgements(parse(fs.readFileSync(file, 'utf8')), ackFile);
    }
    const report = compareManifests(base, head, { acknowledgements });
    io.stdout(render(format, report));
    for (const f of ['markdown', 'json', 'sarif']) {
      if (opts[f]) fs.writeFileSync(path.resolve(io.cwd, opts[f]), render(f, report));
    }
    return report.ok ? 0 : 1;
  } catch (e) {
    return fail(`safety: ${(e as Error).message}\n`);
  }
}

const FORMATS = ['text', 'json', 'markdown', 'sarif'];

/** The report (or, without one, the failure) in one output format. */
function render(format: string, report: SafetyReport | undefined, failure?: string): string {
  if (!report) {
    if (format === 'json') return JSON.stringify({ ok: false, failure }, null, 2) + '\n';
    if (format === 'sarif') return JSON.stringify(formatSarif(EMPTY, packageVersion(), failure), null, 2) + '\n';
    if (format === 'markdown') return `### Data-safety check: could not run\n\n${failure}\n`;
    return '';
  }
  if (format === 'json') return JSON.stringify(report, null, 2) + '\n';
  if (format === 'sarif') return JSON.stringify(formatSarif(report, packageVersion()), null, 2) + '\n';
  if (format === 'markdown') return formatMarkdown(report);
  return formatText(report);
}

const EMPTY: SafetyReport = {
  findings: [], blocking: [], notes: [], acknowledged: [], baseObjects: 0, headObjects: 0,
  unusedAcknowledgements: [], unusedAnnotations: [], ok: false,
};

if (require.main === module) {
  process.exitCode = main(process.argv.slice(2));
}
