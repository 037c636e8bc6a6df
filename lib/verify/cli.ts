#!/usr/bin/env node
import * as path from 'path';
import { SKIPPED_CEL_RULES } from './cel';
import { formatReport, MissingSchemasError, verifyDirectory } from './index';
import { SKIPPED_PATTERNS } from './regex';

const USAGE = `usage: cdk8s-data-verify [options] [dir]      (dir defaults to dist)
  --schemas DIR  Kubernetes JSON schemas (default: env CDK8S_DATA_SCHEMAS, else ../shared/schemas)
  --crds DIR     CustomResourceDefinition files (default: env CDK8S_DATA_CRDS, else ../shared/crds)
  --json         print the report as JSON instead of text
  --verbose      also list the CRD validation rules and patterns that could not be evaluated here
exit status: 0 no errors, 1 errors found, 2 schemas missing or directory unreadable
`;

interface Args {
  readonly dir: string;
  readonly schemaDir?: string;
  readonly crdDir?: string;
  readonly json: boolean;
  readonly verbose: boolean;
  readonly help: boolean;
}

function parseArgs(argv: string[]): Args | string {
  let dir: string | undefined;
  let schemaDir: string | undefined;
  let crdDir: string | undefined;
  let json = false;
  let verbose = false;
  let help = false;
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    if (a === '--schemas' || a === '--crds') {
      const value = argv[++i];
      if (!value) return `${a} needs a directory`;
      if (a === '--schemas') schemaDir = value;
      else crdDir = value;
    } else if (a === '--json') json = true;
    else if (a === '--verbose' || a === '-v') verbose = true;
    else if (a === '--help' || a === '-h') help = true;
    else if (a.startsWith('-')) return `unknown option ${a}`;
    else if (dir === undefined) dir = a;
    else return `only one directory can be given (got ${dir} and ${a})`;
  }
  return { dir: path.resolve(dir ?? 'dist'), schemaDir, crdDir, json, verbose, help };
}

/**
 * `cdk8s-data-verify [dir]` (default `dist`): verifies every YAML file under the directory.
 * Exit status: 0 without errors, 1 with errors, 2 when the schemas are missing or the directory is unreadable.
 */
function main(argv: string[]): number {
  const args = parseArgs(argv);
  if (typeof args === 'string') {
    process.stderr.write(`cdk8s-data verify: ${args}\n${USAGE}`);
    return 2;
  }
  if (args.help) {
    process.stdout.write(USAGE);
    return 0;
  }
  try {
    const started = Date.now();
    const result = verifyDirectory(args.dir, { schemaDir: args.schemaDir, crdDir: args.crdDir });
    if (args.json) {
      process.stdout.write(`${JSON.stringify({
        directory: args.dir, files: result.files, objects: result.objects, errors: result.errors.length, warnings: result.warnings.length,
        findings: result.findings,
        ...(args.verbose ? { celRulesNotEvaluated: [...SKIPPED_CEL_RULES], patternsNotEnforced: [...SKIPPED_PATTERNS] } : {}),
      }, null, 2)}\n`);
    } else {
      process.stdout.write(`${formatReport(result)} in ${result.objects} object(s) from ${result.files} file(s) under ${path.relative(process.cwd(), args.dir) || '.'} (${Date.now() - started} ms)\n`);
      if (args.verbose) {
        for (const rule of SKIPPED_CEL_RULES) process.stdout.write(`note: CEL rule not evaluated (transition rule or outside the supported subset): ${rule}\n`);
        for (const pattern of SKIPPED_PATTERNS) process.stdout.write(`note: pattern not enforced (not translatable to JavaScript): ${pattern}\n`);
      }
    }
    return result.errors.length > 0 ? 1 : 0;
  } catch (e) {
    if (e instanceof MissingSchemasError || /^cdk8s-data verify: /.test((e as Error).message)) {
      process.stderr.write(`${(e as Error).message}\n`);
    } else {
      process.stderr.write(`cdk8s-data verify failed: ${(e as Error).stack ?? e}\n`);
    }
    return 2;
  }
}

process.exitCode = main(process.argv.slice(2));
