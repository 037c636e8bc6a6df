import { VerifyReport } from './types';

/** Renders a report for people: one line per finding, errors first, then a summary line. */
export function formatReport(report: VerifyReport): string {
  const sorted = [...report.errors, ...report.warnings];
  const lines = sorted.map(f => {
    const where = [f.object, f.container ? `container ${f.container}` : undefined, f.file].filter(Boolean).join(', ');
    return `${f.severity === 'error' ? 'ERROR  ' : 'warning'} [${f.check}] (${f.origin}) ${where}: ${f.message}`;
  });
  lines.push(`${report.errors.length} error(s), ${report.warnings.length} warning(s)`);
  return lines.join('\n');
}
