import { PolicyRule } from './rule';

/**
 * The rule table of docs/policy-rules.md, generated from the rules' own metadata (as cdk-nag
 * generates its rule list), so the table cannot drift from the code. `npm run docs:policy`
 * writes it between these markers; a test regenerates it in memory and compares.
 */
export const RULE_TABLE_BEGIN = '<!-- rule-table: generated from lib/policy/rules by `npm run docs:policy`; do not edit by hand -->';
export const RULE_TABLE_END = '<!-- rule-table: end -->';

/** A markdown table, one row per rule, in the registry's order. */
export function renderRuleTable(rules: readonly PolicyRule[]): string {
  const rows = rules.map((rule) => [
    code([rule.id]),
    rule.clouds.join(', '),
    rule.summary,
    code(rule.mirrors.checkov),
    code(rule.mirrors.trivy),
    // KICS ids are UUIDs: the first block is enough to find one; the rule file holds the full id.
    code(rule.mirrors.kics.map((id) => id.slice(0, 8))),
  ]);
  const lines = [['rule', 'clouds', 'checks', 'checkov', 'trivy', 'KICS'], ['---', '---', '---', '---', '---', '---'], ...rows];
  return lines.map((cells) => `| ${cells.map(escapeCell).join(' | ')} |`).join('\n');
}

/** `doc` with the text between the markers replaced by the current table. */
export function withRuleTable(doc: string, rules: readonly PolicyRule[]): string {
  const begin = doc.indexOf(RULE_TABLE_BEGIN);
  const end = doc.indexOf(RULE_TABLE_END);
  if (begin < 0 || end < begin) throw new Error(`the rule table's markers are missing: ${RULE_TABLE_BEGIN} ... ${RULE_TABLE_END}`);
  return `${doc.slice(0, begin + RULE_TABLE_BEGIN.length)}\n${renderRuleTable(rules)}\n${doc.slice(end)}`;
}

function code(values: readonly string[]): string {
  return values.length === 0 ? '—' : values.map((v) => `\`${v}\``).join(', ');
}

function escapeCell(text: string): string {
  return text.replace(/\|/g, '\\|');
}
