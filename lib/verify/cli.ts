#!/usr/bin/env node
import * as path from 'path';
import { SKIPPED_CEL_RULES } from './cel';
import { formatReport, MissingSchemasError, verifyDirectory } from './index';
import { SKIPPED_PATTERNS } from './regex';

/**
 * `cdk8s-data-verify [dir]` (default `dist`): verifies every YAML file under the directory.
 * Exit status: 0 without errors, 1 with errors, 2 when the schemas are missing or the directory is unreadable.
 */
function main(argv: string[]): number {
  const args = argv.filter(a => !a.startsWith('-'));
  if (argv.includes('--help') || argv.includes('-h')) {
    process.stdout.write('usage: cdk8s-data-verify [--verbose] [dir]   (default: dist)\n'
      + '  --verbose  also list the CRD validation rules and patterns that could not be evaluated here\n'
      + 'Schemas: env CDK8S_DATA_SCHEMAS (default ../shared/schemas), CRDs: env CDK8S_DATA_CRDS (default ../shared/crds)\n');
    return 0;
  }
  const dir = path.resolve(args[0] ?? 'dist');
  try {
    const started = Date.now();
    const result = verifyDirectory(dir);
    process.stdout.write(`${formatReport(result)} in ${result.objects} object(s) from ${result.files} file(s) under ${path.relative(process.cwd(), dir) || '.'} (${Date.now() - started} ms)\n`);
    if (argv.includes('--verbose') || argv.includes('-v')) {
      for (const rule of SKIPPED_CEL_RULES) process.stdout.write(`note: CEL rule not evaluated (transition rule or outside the supported subset): ${rule}\n`);
      for (const pattern of SKIPPED_PATTERNS) process.stdout.write(`note: pattern not enforced (not translatable to JavaScript): ${pattern}\n`);
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
