import { SafetyFinding, SafetyReport } from './types';

function label(f: SafetyFinding): string {
  if (f.severity === 'blocking') return 'BLOCKING';
  return f.acknowledged ? 'ACKNOWLEDGED' : 'NOTE';
}

function summary(report: SafetyReport): string {
  const notes = report.notes.length - report.acknowledged.length;
  return `${report.blocking.length} blocking, ${report.acknowledged.length} acknowledged, ${notes} note(s)`;
}

/** A plain-text report for a terminal or a CI log. */
export function formatText(report: SafetyReport): string {
  const lines: string[] = [];
  lines.push(`Data-safety check: ${summary(report)} (base ${report.baseObjects} objects, head ${report.headObjects} objects)`);
  for (const f of report.findings) {
    lines.push('');
    lines.push(`${label(f)} ${f.id}  ${f.object}`);
    lines.push(`  change: ${f.change}`);
    lines.push(`  why:    ${f.why}`);
    lines.push(`  safely: ${f.safely}`);
    if (f.acknowledged) lines.push(`  acknowledged by ${f.acknowledgedBy}`);
    else if (f.severity === 'blocking') lines.push(`  to accept: ${f.howToAcknowledge}`);
  }
  lines.push('');
  lines.push(report.ok
    ? `Result: OK, no unacknowledged blocking finding.`
    : `Result: FAILED, ${report.blocking.length} unacknowledged blocking finding(s).`);
  return lines.join('\n') + '\n';
}

/** Escapes text for a Markdown table cell or inline text. */
function md(text: string): string {
  return text.replace(/\\/g, '\\\\').replace(/\|/g, '\\|').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/\r?\n/g, ' ');
}

/** A Markdown report for a pull-request comment. */
export function formatMarkdown(report: SafetyReport): string {
  const out: string[] = [];
  out.push(`### Data-safety check: ${report.ok ? 'passed' : 'blocked'}`);
  out.push('');
  out.push(`${summary(report)}; compared ${report.baseObjects} base objects with ${report.headObjects} head objects.`);
  if (report.findings.length === 0) {
    out.push('');
    out.push('No change to a data-bearing object needs attention.');
    return out.join('\n') + '\n';
  }
  out.push('');
  out.push('| Severity | Finding | Object | Change |');
  out.push('|---|---|---|---|');
  for (const f of report.findings) {
    out.push(`| ${label(f).toLowerCase()} | \`${f.id}\` | ${md(f.object)} | ${md(f.change)} |`);
  }
  for (const f of report.findings) {
    out.push('');
    out.push(`#### ${label(f).toLowerCase()}: \`${f.id}\` on ${md(f.object)}`);
    out.push('');
    out.push(`- **Change:** ${md(f.change)}`);
    out.push(`- **Why it matters:** ${md(f.why)}`);
    out.push(`- **How to do it safely:** ${md(f.safely)}`);
    if (f.acknowledged) out.push(`- **Acknowledged by:** ${md(f.acknowledgedBy ?? '')}`);
    else if (f.severity === 'blocking') out.push(`- **If you mean it:** ${md(f.howToAcknowledge)}`);
  }
  return out.join('\n') + '\n';
}
