#!/usr/bin/env node
import * as fs from 'fs';
import * as path from 'path';
import { parse } from 'yaml';
import { compareManifests } from './compare';
import { parseAcknowledgements } from './acknowledge';
import { loadSource } from './load';
import { formatMarkdown, formatText } from './report';
import { Acknowledgement } from './types';

export const USAGE = `usage: safety <base> <head> [--markdown FILE] [--json FILE] [--acknowledgements FILE]

Compares two rendered manifest sets and reports changes that would lose data, cause an
outage or be rejected by the API server.
  <base>, <head>   a directory of YAML manifests, git:<ref> (the head directory at that
                   ref, e.g. git:HEAD~1) or git:<ref>:<dir>
  --markdown FILE  also write a Markdown report (for a pull-request comment)
  --json FILE      also write the report as JSON
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
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    if (a === '-h' || a === '--help') { io.stdout(USAGE + '\n'); return 0; }
    if (a.startsWith('--')) {
      const [name, inline] = a.slice(2).split('=', 2);
      if (!['markdown', 'json', 'acknowledgements'].includes(name)) { io.stderr(`unknown option --${name}\n${USAGE}\n`); return 2; }
      const value = inline ?? argv[++i];
      if (value === undefined) { io.stderr(`--${name} needs a file name\n`); return 2; }
      opts[name] = value;
    } else positional.push(a);
  }
  if (positional.length !== 2) { io.stderr(`expected <base> and <head>, got ${positional.length} argument(s)\n${USAGE}\n`); return 2; }
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
    io.stdout(formatText(report));
    if (opts.markdown) fs.writeFileSync(path.resolve(io.cwd, opts.markdown), formatMarkdown(report));
    if (opts.json) fs.writeFileSync(path.resolve(io.cwd, opts.json), JSON.stringify(report, null, 2) + '\n');
    return report.ok ? 0 : 1;
  } catch (e) {
    io.stderr(`safety: ${(e as Error).message}\n`);
    return 2;
  }
}

if (require.main === module) {
  process.exitCode = main(process.argv.slice(2));
}
