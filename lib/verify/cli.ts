#!/usr/bin/env node
import * as fs from 'fs';
import * as path from 'path';
import { packageVersion } from '../tools/package';
import { SKIPPED_CEL_RULES } from './cel';
import { CHECKS } from './checks';
import { ConfigError, CONFIG_FILES, readConfig } from './config';
import { MissingSchemasError, verifyDirectory } from './index';
import { SKIPPED_PATTERNS } from './regex';
import { formatMarkdownReport, formatReport, formatSarifReport } from './report';
import { VerifyOptions, VerifyReport } from './types';

export const USAGE = `usage: cdk8s-data-verify [options] [dir]      (dir defaults to dist)

Verifies every *.yaml/*.yml file under dir: strict Kubernetes 1.28 and 1.32 schemas, CRD
schemas, YAML, and the policy checks (docs/checks.md lists every check id). The schemas
and the CRDs of the operators cdk8s-data renders for ship with the package.
Installed commands: cdk8s-data-verify (this one) and cdk8s-data-safety (compares two
rendered manifest sets); run them with npx in a project that depends on cdk8s-data.

  --schema-only            schema, CRD and YAML checks only (no policy checks)
  --skip ID[,ID]           do not run these checks (repeatable)
  --ignore-missing-schemas a custom resource without a CRD schema is a warning, not an error
  --crds DIR               add the CustomResourceDefinition YAML files in DIR (repeatable;
                           default: env CDK8S_DATA_CRDS)
  --schemas DIR            use the Kubernetes JSON schemas in DIR instead of the bundled ones
                           (k8s-v1.28.0-_definitions.json, ...; default: env CDK8S_DATA_SCHEMAS)
  --config FILE            read options from FILE (default: ${CONFIG_FILES.join(', ')}
                           in the working directory, when present)
  --format FORMAT          text (default), json, markdown or sarif, on stdout
  --json, --markdown, --sarif
                           the same as --format json|markdown|sarif
  --json=FILE, --markdown=FILE, --sarif=FILE
                           also write the report to FILE in that format
  --verbose                also list the CRD validation rules and patterns not evaluated here
  -h, --help               this text
One object opts out of one check with the annotation
  skip-check.data.cdk8s.io/<check id>: "<reason>"     (the reason is required and reported)
Exit status: 0 no errors, 1 errors found, 2 bad options, unreadable directory or schemas.
With --format json the report is JSON on stdout in every case, failures included.
`;

const FORMATS = ['text', 'json', 'markdown', 'sarif'] as const;
type Format = typeof FORMATS[number];

/** How the CLI talks to the world (a test passes its own). */
export interface CliIo {
  readonly cwd: string;
  readonly stdout: (text: string) => void;
  readonly stderr: (text: string) => void;
}

interface Args {
  dir?: string;
  format: Format;
  files: Array<{ format: Exclude<Format, 'text'>; file: string }>;
  schemaDir?: string;
  crdDirs: string[];
  skip: string[];
  schemaOnly: boolean;
  ignoreMissingSchemas: boolean;
  config?: string;
  verbose: boolean;
  help: boolean;
}

function parseArgs(argv: readonly string[], args: Args): string | undefined {
  const known = new Set(CHECKS.map(c => c.id));
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    const eq = a.indexOf('=');
    const [name, inline] = a.startsWith('--') && eq > 0 ? [a.slice(0, eq), a.slice(eq + 1)] : [a, undefined];
    const value = (): string | undefined => inline ?? argv[++i];
    if (name === '--json' || name === '--markdown' || name === '--sarif') {
      const format = name.slice(2) as Exclude<Format, 'text'>;
      if (inline === undefined) args.format = format;
      else if (inline === '') return `${name}= needs a file name`;
      else args.files.push({ format, file: inline });
    } else if (name === '--format') {
      const f = value();
      if (!FORMATS.includes(f as Format)) return `--format takes ${FORMATS.join(', ')} (got ${f ?? 'nothing'})`;
      args.format = f as Format;
    } else if (name === '--schemas' || name === '--crds' || name === '--config' || name === '--skip') {
      const v = value();
      if (!v) return `${name} needs a value`;
      if (name === '--schemas') args.schemaDir = v;
      else if (name === '--crds') args.crdDirs.push(v);
      else if (name === '--config') args.config = v;
      else {
        for (const id of v.split(',').map(s => s.trim()).filter(Boolean)) {
          if (!known.has(id)) return `--skip: no check has the id "${id}" (see docs/checks.md)`;
          args.skip.push(id);
        }
      }
    } else if (name === '--schema-only') args.schemaOnly = true;
    else if (name === '--ignore-missing-schemas') args.ignoreMissingSchemas = true;
    else if (name === '--verbose' || name === '-v') args.verbose = true;
    else if (name === '--help' || name === '-h') args.help = true;
    else if (name.startsWith('-')) return `unknown option ${name}`;
    else if (args.dir === undefined) args.dir = a;
    else return `only one directory can be given (got ${args.dir} and ${a})`;
  }
  return undefined;
}

const EMPTY: VerifyReport = { findings: [], errors: [], warnings: [], skipped: [] };

function render(format: Format, report: VerifyReport, summary: object, failure?: string): string {
  switch (format) {
    case 'json': return `${JSON.stringify({ ...summary, ...(failure ? { failure } : {}), findings: report.findings, skipped: report.skipped }, null, 2)}\n`;
    case 'sarif': return `${JSON.stringify(formatSarifReport(report, packageVersion(), failure), null, 2)}\n`;
    case 'markdown': return failure ? `### Manifest verification: could not run\n\n${failure}\n` : formatMarkdownReport(report);
    default: return failure ? '' : `${formatReport(report)}\n`;
  }
}

/**
 * `cdk8s-data-verify [dir]` (default `dist`): verifies every YAML file under the directory.
 * Exit status: 0 without errors, 1 with errors, 2 on bad options or unreadable input.
 */
export function main(argv: readonly string[], io: CliIo = { cwd: process.cwd(), stdout: t => process.stdout.write(t), stderr: t => process.stderr.write(t) }): number {
  const args: Args = { format: 'text', files: [], crdDirs: [], skip: [], schemaOnly: false, ignoreMissingSchemas: false, verbose: false, help: false };
  const bad = parseArgs(argv, args);
  const fail = (message: string, status: number): number => {
    io.stderr(`${message}\n`);
    if (args.format !== 'text') io.stdout(render(args.format, EMPTY, { status: 'failed' }, message));
    return status;
  };
  if (bad) return fail(`cdk8s-data verify: ${bad}\n${USAGE}`, 2);
  if (args.help) {
    io.stdout(USAGE);
    return 0;
  }
  const dir = path.resolve(io.cwd, args.dir ?? 'dist');
  try {
    const config = readConfig(io.cwd, args.config);
    const options: VerifyOptions = {
      ...config.options,
      ...(args.schemaDir ? { schemaDir: path.resolve(io.cwd, args.schemaDir) } : {}),
      crdDirs: [...(config.options.crdDirs ?? []), ...args.crdDirs.map(d => path.resolve(io.cwd, d))],
      skip: [...(config.options.skip ?? []), ...args.skip],
      schemaOnly: args.schemaOnly || config.options.schemaOnly === true,
      ignoreMissingSchemas: args.ignoreMissingSchemas || config.options.ignoreMissingSchemas === true,
    };
    if (options.crdDirs!.length === 0) delete (options as any).crdDirs;
    const started = Date.now();
    const result = withCwd(io.cwd, () => verifyDirectory(dir, options));
    const summary = {
      status: result.errors.length > 0 ? 'failed' : 'passed',
      directory: dir, files: result.files, objects: result.objects, errors: result.errors.length, warnings: result.warnings.length,
      ...(config.file ? { config: config.file } : {}),
      ...(args.verbose ? { celRulesNotEvaluated: [...SKIPPED_CEL_RULES], patternsNotEnforced: [...SKIPPED_PATTERNS] } : {}),
    };
    let out = render(args.format, result, summary);
    if (args.format === 'text') {
      out = `${formatReport(result)} in ${result.objects} object(s) from ${result.files} file(s) under ${path.relative(io.cwd, dir) || '.'} (${Date.now() - started} ms)\n`;
      if (args.verbose) {
        for (const rule of SKIPPED_CEL_RULES) out += `note: CEL rule not evaluated (transition rule or outside the supported subset): ${rule}\n`;
        for (const pattern of SKIPPED_PATTERNS) out += `note: pattern not enforced (not translatable to JavaScript): ${pattern}\n`;
      }
    }
    io.stdout(out);
    for (const f of args.files) fs.writeFileSync(path.resolve(io.cwd, f.file), render(f.format, result, summary));
    return result.errors.length > 0 ? 1 : 0;
  } catch (e) {
    const known = e instanceof MissingSchemasError || e instanceof ConfigError || /^cdk8s-data verify: /.test((e as Error).message);
    return fail(known ? (e as Error).message : `cdk8s-data verify failed: ${(e as Error).stack ?? e}`, 2);
  }
}

/** Finding file names are relative to the working directory the CLI was given. */
function withCwd<T>(cwd: string, run: () => T): T {
  const before = process.cwd();
  if (before === cwd) return run();
  process.chdir(cwd);
  try {
    return run();
  } finally {
    process.chdir(before);
  }
}

if (require.main === module) {
  process.exitCode = main(process.argv.slice(2));
}
