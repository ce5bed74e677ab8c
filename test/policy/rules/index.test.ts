import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { ALL_RULES } from '../../../lib/policy';
import { renderRuleTable, withRuleTable } from '../../../lib/policy/rules-doc';

const ROOT = join(__dirname, '..', '..', '..');
const POLICY_DOC = join(ROOT, 'docs', 'policy-rules.md');

describe('the rule registry', () => {
  it('has unique kebab-case ids, each with an explanation and a fix', () => {
    assert.equal(new Set(ALL_RULES.map((r) => r.id)).size, ALL_RULES.length);
    for (const rule of ALL_RULES) {
      assert.match(rule.id, /^[a-z0-9]+(-[a-z0-9]+)*$/);
      assert.ok(rule.explanation.length > 20 && rule.fix.length > 20, rule.id);
    }
  });

  it('names mirrored checks in each scanner\'s own id format', () => {
    for (const { id, mirrors } of ALL_RULES) {
      for (const c of mirrors.checkov) assert.match(c, /^CKV2?_AWS_\d+$/, id);
      for (const t of mirrors.trivy) assert.match(t, /^AVD-AWS-\d{4}$/, id);
      for (const k of mirrors.kics) assert.match(k, /^[0-9a-f]{8}(-[0-9a-f]{4}){3}-[0-9a-f]{12}$/, id);
    }
  });

  it('has one rule file with its own test file per rule, and a row per rule in docs/policy-rules.md', () => {
    const doc = readFileSync(POLICY_DOC, 'utf8');
    for (const { id } of ALL_RULES) {
      assert.ok(existsSync(join(ROOT, 'lib', 'policy', 'rules', `${id}.ts`)), id);
      assert.ok(existsSync(join(ROOT, 'test', 'policy', 'rules', `${id}.test.ts`)), id);
      assert.ok(rowOf(doc, id), `docs/policy-rules.md has no row for ${id}`);
    }
  });

  it('docs/policy-rules.md holds the table generated from the rules as they are now (npm run docs:policy)', () => {
    const doc = readFileSync(POLICY_DOC, 'utf8');
    assert.equal(withRuleTable(doc, ALL_RULES), doc, 'the rule table is stale: run npm run docs:policy');
  });

  it('lists in each generated row the rule\'s clouds, summary and mirrored checks', () => {
    const table = renderRuleTable(ALL_RULES);
    for (const { id, clouds, summary, mirrors } of ALL_RULES) {
      assert.ok(summary.length > 10 && !summary.includes('\n'), id);
      const row = rowOf(table, id) ?? '';
      assert.ok(row.includes(` ${clouds.join(', ')} | ${summary} |`), id);
      for (const check of [...mirrors.checkov, ...mirrors.trivy, ...mirrors.kics.map((k) => k.slice(0, 8))]) assert.ok(row.includes(`\`${check}\``), `${id}: ${check}`);
    }
  });
});

function rowOf(markdown: string, id: string): string | undefined {
  return markdown.split('\n').find((line) => line.startsWith(`| \`${id}\` |`));
}
