import { CheckResult, Status } from './check-result';
import { VerifyReport } from './verify-cluster';

const MARK: Record<Status, string> = { ok: 'ok', fail: 'FAIL', skip: '-' };

/** A table a person reads at a glance: one line per server or pool, then each check's verdict. */
export function formatReport(report: VerifyReport): string {
  const lines: string[][] = [['CHECK', 'SUBJECT', 'STATUS', 'STATE', 'DETAIL']];
  for (const check of report.checks) {
    for (const row of check.rows) lines.push([check.check, row.subject, MARK[row.status], row.state, row.detail ?? '']);
    lines.push([check.check, '=>', MARK[check.status], check.summary, '']);
  }
  const widths = lines[0].map((_, column) => Math.max(...lines.map((line) => line[column].length)));
  const table = lines.map((line) => line.map((cell, i) => cell.padEnd(widths[i])).join('  ').trimEnd());
  const failed = report.checks.filter((c) => c.status === 'fail').map((c: CheckResult) => c.check);
  table.push('', report.whole ? `${report.cluster}: whole` : `${report.cluster}: NOT whole (${failed.join(', ')})`);
  return `${table.join('\n')}\n`;
}

/** The same report for machines. */
export function reportJson(report: VerifyReport): string {
  return `${JSON.stringify(report, null, 2)}\n`;
}
